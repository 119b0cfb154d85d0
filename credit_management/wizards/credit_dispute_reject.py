from odoo import fields
from odoo import models


class CreditDisputeReject(models.TransientModel):
    _name = "credit.dispute.reject"
    _description = "Reject a Dispute"

    dispute_id = fields.Many2one(comodel_name="credit.dispute", required=True, readonly=True)
    reason = fields.Text(
        required=True,
        help="Why the dispute is rejected: kept on the dispute and in its history.",
    )

    def action_reject(self):
        self.ensure_one()
        self.dispute_id._dispute_rejected(self.reason)
        return {"type": "ir.actions.act_window_close"}
