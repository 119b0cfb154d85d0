"""Add invoices chosen by hand to a draft assignment batch."""

from odoo import api
from odoo import fields
from odoo import models


class CreditFactoringBatchAdd(models.TransientModel):
    _name = "credit.factoring.batch.add"
    _description = "Add Invoices to a Factoring Batch"

    batch_id = fields.Many2one(
        comodel_name="credit.factoring.batch", required=True, ondelete="cascade"
    )
    move_ids = fields.Many2many(comodel_name="account.move", string="Invoices")
    eligible_move_ids = fields.Many2many(
        comodel_name="account.move",
        compute="_compute_eligible_move_ids",
        string="Invoices the Batch May Take",
    )

    @api.depends("batch_id")
    def _compute_eligible_move_ids(self):
        for wizard in self:
            wizard.eligible_move_ids = (
                self.env["account.move"].search(wizard.batch_id._eligible_domain(), limit=1000)
                if wizard.batch_id
                else False
            )

    def action_add(self):
        self.ensure_one()
        self.batch_id._assign(self.move_ids)
        return {"type": "ir.actions.act_window_close"}
