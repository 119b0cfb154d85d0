"""Payment links leave out the invoices to be paid to a factor (notified contracts, and
semi-confidential ones from their notification level)."""

from odoo import models


class CreditPaymentLink(models.Model):
    _inherit = "credit.payment.link"

    def _prepare_vals_for_moves(self, moves, dunning=None):
        # The customer of a notified contract pays the factor, never the company's link. The
        # factoring facts of ``moves`` are read at once (in cache for a batch of reminders).
        if dunning:
            _moves, paid = dunning._factoring_invoices()
            factored = moves.browse([move.id for move in paid])
        else:
            factored = moves._factoring_paid_to_factor_moves()
        return super()._prepare_vals_for_moves(moves - factored, dunning)
