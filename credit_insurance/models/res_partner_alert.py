from odoo import api
from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """The customer's open insurance alerts and its claims, for the smart buttons."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    insurance_alert_count = fields.Integer(
        compute="_compute_insurance_alert_count", string="Insurance Alerts"
    )
    insurance_claim_count = fields.Integer(
        compute="_compute_insurance_alert_count", string="Insurance Claims"
    )

    @api.depends_context("company")
    def _compute_insurance_alert_count(self):
        commercial = self.commercial_partner_id
        alerts = dict(
            self.env["credit.insurance.alert"]._read_group(
                [("partner_id", "in", commercial.ids), ("state", "in", ("new", "acknowledged"))],
                ["partner_id"],
                ["__count"],
            )
        )
        claims = dict(
            self.env["credit.insurance.claim"]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.insurance_alert_count = alerts.get(partner.commercial_partner_id, 0)
            partner.insurance_claim_count = claims.get(partner.commercial_partner_id, 0)

    def action_view_insurance_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_alert_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_open": 1, "create": False}
        return action

    def action_view_insurance_claims(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_claim_action"
        )
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_create_insurance_claim(self):
        """A draft claim of the customer's declared invoices not claimed yet."""
        self.ensure_one()
        partner = self.commercial_partner_id
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("move_type", "=", "out_invoice"),
                ("company_id", "=", self.env.company.id),
                ("insurance_declaration_state", "=", "declared"),
            ]
        )
        return (
            self.env["credit.insurance.claim"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .action_create_from_invoices()
        )
