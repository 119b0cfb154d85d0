from odoo import fields
from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    credit_dispute_id = fields.Many2one(
        comodel_name="credit.dispute",
        string="Dispute",
        readonly=True,
        help="The credit note resolves this dispute.",
    )

    def reverse_moves(self, is_modify=False):
        action = super().reverse_moves(is_modify=is_modify)
        if self.credit_dispute_id:
            refunds = self.move_ids.reversal_move_ids.filtered(
                lambda move: move.move_type == "out_refund"
            )
            self.credit_dispute_id._dispute_resolved(refunds.sorted("id", reverse=True))
        return action
