"""Each notice read from a register and applied to an event, once (unique per provider)."""

from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat

NOTICE_KINDS = [
    ("initial", "Initial notice"),
    ("correction", "Correction"),
    ("cancellation", "Cancellation"),
]


class CreditRiskNotice(models.Model):
    _name = "credit.risk.notice"
    _description = "Risk Register Notice"
    _order = "date_published desc, id desc"

    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    event_id = fields.Many2one(
        comodel_name="credit.risk.event", required=True, ondelete="cascade", index=True
    )
    reference = fields.Char(required=True, help="The register's id of the notice.")
    key = fields.Char(
        index=True, help="Publication, issue and number: how a corrective notice names it."
    )
    kind = fields.Selection(selection=NOTICE_KINDS, required=True, default="initial")
    date_published = fields.Date()
    text = fields.Text()

    _reference_unique = compat.Constraint(
        "UNIQUE(provider_id, reference)", "This notice was already read from this provider."
    )
