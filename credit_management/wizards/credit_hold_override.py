from odoo import api
from odoo import fields
from odoo import models


class CreditHoldOverride(models.TransientModel):
    _name = "credit.hold.override"
    _description = "Override a Credit Hold"

    order_ids = fields.Many2many(
        comodel_name="sale.order", string="Orders", required=True, readonly=True
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner", string="Customers", compute="_compute_check"
    )
    check_message = fields.Text(string="Credit Check", compute="_compute_check")
    reason = fields.Text(
        required=True, help="Why the order may be confirmed despite the credit hold."
    )

    @api.depends("order_ids")
    def _compute_check(self):
        for wizard in self:
            wizard.partner_ids = wizard.order_ids.partner_id.commercial_partner_id
            wizard.check_message = "\n\n".join(
                order._credit_block_message(order._credit_check_details())
                for order in wizard.order_ids
                if order.state in ("draft", "sent")
            )

    def action_confirm(self):
        self.ensure_one()
        self.order_ids._credit_confirm_overridden(self.reason)
        return True
