def post_init_hook(env):
    """Turn on Odoo's own credit-limit feature on every company, give each its table of
    ECB rates, and take the KPIs of the past 12 months from the ledger (their trend is
    meaningful from the first day).

    Odoo only computes the amount of confirmed orders not yet invoiced
    (``res.partner.credit_to_invoice``) when ``account_use_credit_limit`` is set; our
    exposure reuses that amount, so credit management needs the feature on.
    """
    companies = env["res.company"].search([])
    companies.write({"account_use_credit_limit": True})
    # The main company has the shipped ECB rates from the data file; the others a copy.
    env["credit.ecb.rate"]._create_shipped_rates(companies)
    # One snapshot per month end of the past year, from the ledger as of each day.
    env["credit.kpi.snapshot"]._backfill()
