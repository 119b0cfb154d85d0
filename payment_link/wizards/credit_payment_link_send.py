"""The "Send a payment link" wizard: from a customer (its open invoices) or from selected
invoices, by email or SMS. One link per customer, company and currency."""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditPaymentLinkSend(models.TransientModel):
    _name = "credit.payment.link.send"
    _description = "Send a Payment Link"

    move_ids = fields.Many2many(comodel_name="account.move", string="Invoices")
    channel = fields.Selection(
        selection=[("email", "Email"), ("sms", "SMS")],
        required=True,
        default="email",
    )

    @api.model
    def _action_open(self, partner=None, moves=None):
        if partner:
            moves = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "in", self.env.companies.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ]
            )
        moves = (moves or self.env["account.move"]).filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.state == "posted"
                and m.payment_state in ("not_paid", "partial")
            )
        )
        if not moves:
            raise UserError(_("There is no open customer invoice to pay by link."))
        wizard = self.create({"move_ids": [fields.Command.set(moves.ids)]})
        return {
            "type": "ir.actions.act_window",
            "name": _("Send a payment link"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_send(self):
        self.ensure_one()
        links = self.env["credit.payment.link"]._create_for_moves(self.move_ids)
        if not links:
            raise UserError(_("There is no open customer invoice to pay by link."))
        for link in links:
            if self.channel == "email":
                if not link.partner_id.email:
                    raise UserError(
                        _("%(customer)s has no email address.", customer=link.partner_id.name)
                    )
                template = self.env.ref("payment_link.mail_template_payment_link_send")
                link.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment", message_type="comment"
                )
            else:
                partner = link.partner_id
                if not any(partner[fname] for fname in partner._phone_get_number_fields()):
                    raise UserError(
                        _("%(customer)s has no mobile number.", customer=link.partner_id.name)
                    )
                template = self.env.ref("payment_link.sms_template_payment_link_send")
                link._message_sms_with_template(template=template, partner_ids=link.partner_id.ids)
        if len(links) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "credit.payment.link",
                "res_id": links.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.payment.link",
            "domain": [("id", "in", links.ids)],
            "view_mode": "list,form",
            "name": _("Payment Links"),
        }
