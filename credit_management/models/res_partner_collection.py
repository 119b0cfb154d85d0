"""What a customer contests or promises: its disputes and payment promises."""

from odoo import fields
from odoo import models


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    credit_dispute_count = fields.Integer(
        string="Disputes", compute="_compute_credit_dispute_count"
    )
    credit_promise_count = fields.Integer(
        string="Payment Promises", compute="_compute_credit_dispute_count"
    )

    def _compute_credit_dispute_count(self):
        commercial = self.commercial_partner_id.ids
        disputes = dict(
            self.env["credit.dispute"]._read_group(
                [("partner_id", "in", commercial)], ["partner_id"], ["__count"]
            )
        )
        promises = dict(
            self.env["credit.payment.promise"]._read_group(
                [("partner_id", "in", commercial)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.credit_dispute_count = disputes.get(partner.commercial_partner_id, 0)
            partner.credit_promise_count = promises.get(partner.commercial_partner_id, 0)

    def action_view_credit_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dispute_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id, "default_source": "customer"}
        return action

    def action_view_credit_promises(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_payment_promise_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id, "default_source": "customer"}
        return action
