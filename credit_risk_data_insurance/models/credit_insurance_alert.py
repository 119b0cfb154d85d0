"""The insurer alert ``insolvency``: a customer's insolvency proceedings opened.

Raised by the risk event (``credit.risk.event._notify_insurer``) with the cause
``insolvency:<event id>``; the daily alert run keeps it live while the event is open (new
or acknowledged) and ends it once the event is done or cancelled.
"""

from odoo import _
from odoo import fields
from odoo import models
from odoo.addons.credit_insurance.models import credit_insurance_alert
from odoo.addons.credit_risk_data.engine.bodacc import OPENING_KINDS
from odoo.tools import format_date

# The digest lists insolvencies first: nothing is more urgent for the insurer.
credit_insurance_alert.TYPE_ORDER.setdefault("insolvency", -1)


def insolvency_key(event_id):
    return f"insolvency:{event_id}"


class CreditInsuranceAlert(models.Model):
    _inherit = "credit.insurance.alert"

    alert_type = fields.Selection(
        selection_add=[("insolvency", "Customer Insolvency")],
        ondelete={"insolvency": "cascade"},
    )
    risk_event_id = fields.Many2one(comodel_name="credit.risk.event", readonly=True, index=True)

    def _gather_causes(self, company, today):
        causes = super()._gather_causes(company, today)
        policy = self.env["credit.insurance.policy"].sudo()._get_active(company, today)
        if not policy:
            return causes
        events = (
            self.env["credit.risk.event"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("event_type", "in", OPENING_KINDS),
                    ("state", "in", ("new", "acknowledged")),
                ]
            )
        )
        for event in events:
            causes[insolvency_key(event.id)] = event._insurer_alert_vals(policy)
        return causes

    def _describe(self):
        if self.alert_type != "insolvency":
            return super()._describe()
        event = self.risk_event_id
        return _(
            "%(customer)s is in insolvency proceedings (%(event)s, judgment of %(date)s): "
            "tell the insurer and declare its insured invoices.",
            customer=self.partner_id.display_name or "",
            event=event.name or "",
            date=format_date(self.env, event.date_judgment or event.date_published),
        )
