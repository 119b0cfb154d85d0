from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_send_payment_link(self):
        """Open the wizard that sends a payment link for the selected invoices."""
        return self.env["credit.payment.link.send"]._action_open(moves=self)
