"""What an event of each kind does, per company (configurable by credit managers).

Without a line for a kind, the default of ``DEFAULTS`` applies: the opening of proceedings
(safeguard, receivership, liquidation) does everything; the other kinds only raise an
activity for the credit manager (a plan or a closure lifts nothing by itself).
"""

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat

EVENT_TYPES = [
    ("safeguard", "Safeguard"),
    ("receivership", "Receivership"),
    ("liquidation", "Liquidation"),
    ("plan", "Plan (continuation or sale)"),
    ("closure", "Closure of proceedings"),
    ("ceased", "Company ceased"),
    ("rating_drop", "Rating below the threshold"),
    ("other", "Other"),
]
STEPS = ("hold", "stop_dunning", "claim", "activity", "insurer_alert")
OPENING = dict.fromkeys(STEPS, True)
DEFAULTS = {
    "safeguard": OPENING,
    "receivership": OPENING,
    "liquidation": OPENING,
    "ceased": dict(OPENING, claim=False, stop_dunning=False),
}
ACTIVITY_ONLY = dict(dict.fromkeys(STEPS, False), activity=True)


class CreditRiskEventAction(models.Model):
    _name = "credit.risk.event.action"
    _description = "Risk Event: What It Does"
    _order = "company_id, event_type"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    event_type = fields.Selection(selection=EVENT_TYPES, required=True)
    hold = fields.Boolean(string="Credit Hold", help="Put the customer on hold (insolvency).")
    stop_dunning = fields.Boolean(
        help="Stop the reminders of the invoices dated before the judgment."
    )
    claim = fields.Boolean(string="Claim Declaration", help="Prepare the claim declaration.")
    activity = fields.Boolean(
        default=True, help="An activity for the collector and the credit manager."
    )
    insurer_alert = fields.Boolean(help="With credit insurance: an alert for the insurer.")
    payer_profile_id = fields.Many2one(
        comodel_name="credit.payer.profile",
        help="The customer's payer profile becomes this one.",
    )

    _type_unique = compat.Constraint(
        "UNIQUE(company_id, event_type)", "One line per kind of event and company."
    )

    @api.model
    def _steps(self, company, event_type):
        """``{step: bool, 'payer_profile': record}`` of ``event_type`` in ``company``."""
        line = self.sudo().search(
            [("company_id", "=", company.id), ("event_type", "=", event_type)], limit=1
        )
        if line:
            steps = {step: line[step] for step in STEPS}
            steps["payer_profile"] = line.payer_profile_id
            return steps
        steps = dict(DEFAULTS.get(event_type, ACTIVITY_ONLY))
        steps["payer_profile"] = self.env["credit.payer.profile"]
        return steps
