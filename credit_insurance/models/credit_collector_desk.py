from odoo import _
from odoo import fields
from odoo import models


class CreditCollectorDesk(models.Model):
    """The desk counts the open credit insurance alerts of the current company."""

    _inherit = "credit.collector.desk"

    insurance_alert_count = fields.Integer(
        compute="_compute_counts", string="Open Insurance Alerts"
    )

    def _desk_domains(self):
        domains = super()._desk_domains()
        # Insurance alerts are the company's, not a collector's portfolio: every desk shows them.
        domains["insurance_alert_count"] = (
            "credit.insurance.alert",
            [("state", "in", ("new", "acknowledged")), ("company_id", "=", self.env.company.id)],
        )
        return domains

    def action_open(self):
        if self.env.context.get("count_field") != "insurance_alert_count":
            return super().action_open()
        self.ensure_one()
        model, domain = self._desk_domains()["insurance_alert_count"]
        return {
            "type": "ir.actions.act_window",
            "name": _("Open Insurance Alerts"),
            "res_model": model,
            "domain": domain,
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
            "target": "current",
        }
