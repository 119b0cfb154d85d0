"""The indemnity an insurer paid on a claim, entered when the claim is marked indemnified."""

from odoo import fields
from odoo import models


class CreditInsuranceClaimIndemnity(models.TransientModel):
    _name = "credit.insurance.claim.indemnity"
    _description = "Record the Indemnity of a Credit Insurance Claim"

    claim_id = fields.Many2one(
        comodel_name="credit.insurance.claim", required=True, readonly=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="claim_id.currency_id")
    amount_expected = fields.Monetary(related="claim_id.amount_expected")
    amount = fields.Monetary(string="Indemnity Received", required=True)
    date = fields.Date(string="Received On", required=True, default=fields.Date.context_today)

    def action_confirm(self):
        self.ensure_one()
        self.claim_id._mark_indemnified(self.amount, self.date)
        return {"type": "ir.actions.act_window_close"}
