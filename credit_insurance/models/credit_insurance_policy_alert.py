from odoo import fields
from odoo import models


class CreditInsurancePolicy(models.Model):
    """The policy's open alerts and claims, for its smart buttons."""

    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    alert_count = fields.Integer(compute="_compute_alert_count", string="Open Alerts")
    claim_count = fields.Integer(compute="_compute_alert_count", string="Claims")

    def _compute_alert_count(self):
        alerts = dict(
            self.env["credit.insurance.alert"]._read_group(
                [("policy_id", "in", self.ids), ("state", "in", ("new", "acknowledged"))],
                ["policy_id"],
                ["__count"],
            )
        )
        claims = dict(
            self.env["credit.insurance.claim"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.alert_count = alerts.get(policy, 0)
            policy.claim_count = claims.get(policy, 0)

    def action_view_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_alert_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"search_default_open": 1, "create": False}
        return action

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_claim_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id}
        return action
