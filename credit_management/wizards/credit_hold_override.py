from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError


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
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            raise AccessError(_("Only credit managers can override a credit hold."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for overriding the credit hold."))
        orders = self.order_ids.filtered(lambda o: o.state in ("draft", "sent"))
        if not orders:
            raise UserError(_("There is no quotation left to confirm."))
        now = fields.Datetime.now()
        for order in orders:
            check = order._credit_check_details()
            body = Markup("<p><b>%s</b></p><p>%s</p><p>%s</p>") % (
                _("Credit hold overridden by %(user)s.", user=self.env.user.name),
                _("Reason: %(reason)s", reason=reason),
                order._credit_check_text(check) if check["reasons"] else "",
            )
            order.write(
                {
                    "credit_override_reason": reason,
                    "credit_override_user_id": self.env.user.id,
                    "credit_override_date": now,
                }
            )
            # Logged notes: they need no sender email address, unlike message_post.
            order._message_log(body=body)
            order.partner_id.commercial_partner_id._message_log(
                body=Markup("<p>%s</p>") % _("Order %(order)s:", order=order.name) + body,
            )
        orders.with_context(credit_hold_override=True).action_confirm()
        return True
