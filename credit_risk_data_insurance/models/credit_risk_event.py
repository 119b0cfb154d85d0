from odoo import fields
from odoo import models

from .credit_insurance_alert import insolvency_key


class CreditRiskEvent(models.Model):
    _inherit = "credit.risk.event"

    def _insurer_alert_vals(self, policy):
        self.ensure_one()
        return {
            "alert_type": "insolvency",
            "policy_id": policy.id,
            "partner_id": self.partner_id.id,
            "risk_event_id": self.id,
            "date": self.date_published,
        }

    def _notify_insurer(self, moves):
        """An ``insolvency`` alert on the company's policy in force, and the customer's
        insured invoices before the judgment marked for the insurer's declaration."""
        super()._notify_insurer(moves)
        self.ensure_one()
        today = fields.Date.context_today(self)
        policy = self.env["credit.insurance.policy"].sudo()._get_active(self.company_id, today)
        if not policy:
            return False
        Alert = self.env["credit.insurance.alert"].sudo()
        key = insolvency_key(self.id)
        if not Alert.search_count([("cause_key", "=", key), ("date_end", "=", False)]):
            Alert.create(dict(self._insurer_alert_vals(policy), cause_key=key))
        insured = moves.sudo().filtered(
            lambda m: m.insurance_insured and m.insurance_declaration_state == "none"
        )
        insured.write({"insurance_declaration_state": "to_declare"})
        return True
