from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_send_payment_link(self):
        """Open the wizard that sends a payment link for the customer's open invoices."""
        self.ensure_one()
        return self.env["credit.payment.link.send"]._action_open(partner=self)

    def _payment_link_for_statement(self, currency=None, company=None):
        """Hook for the customer statement: an active payment link for the customer's open
        invoices in ``currency`` (default: the company's), created if needed.

        :return: a ``credit.payment.link`` (empty when nothing is due); print its ``url``
            (and a QR code of it) on the statement.
        """
        self.ensure_one()
        company = company or self.env.company
        currency = currency or company.currency_id
        # The open items (Odoo's partial index of unreconciled lines), not a search of the
        # invoices by customer, which no index serves.
        customer = self.commercial_partner_id
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT i.move_id FROM (%s) i WHERE i.currency_id = %s",
                self.env["credit.open.item"]._query(company, [customer.id], branches=False),
                currency.id,
            )
        )
        moves = (
            self.env["account.move"]
            .browse(sorted(move_id for (move_id,) in rows))
            .filtered(
                lambda m: (
                    m.move_type == "out_invoice"
                    and m.state == "posted"
                    and m.payment_state in ("not_paid", "partial")
                )
            )
        )
        if not moves:
            return self.env["credit.payment.link"]
        Link = self.env["credit.payment.link"]
        existing = Link.search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", company.id),
                ("currency_id", "=", currency.id),
                ("state", "=", "active"),
                ("dunning_id", "=", False),
            ],
            limit=1,
        )
        if existing and existing.move_ids == moves:
            return existing
        return Link._create_for_moves(moves)
