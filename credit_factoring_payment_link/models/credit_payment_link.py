"""Payment links leave out the invoices to be paid to a factor (notified contracts)."""

from odoo import models


class CreditPaymentLink(models.Model):
    _inherit = "credit.payment.link"

    def _prepare_vals_for_moves(self, moves, dunning=None):
        # The customer of a notified contract pays the factor, never the company's link.
        ours = moves.filtered(lambda move: not move._factoring_notified_contract())
        return super()._prepare_vals_for_moves(ours, dunning)
