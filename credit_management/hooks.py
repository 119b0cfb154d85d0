def post_init_hook(env):
    """Turn on Odoo's own credit-limit feature on every company.

    Odoo only computes the amount of confirmed orders not yet invoiced
    (``res.partner.credit_to_invoice``) when ``account_use_credit_limit`` is set; our
    exposure reuses that amount, so credit management needs the feature on.
    """
    env["res.company"].search([]).write({"account_use_credit_limit": True})
