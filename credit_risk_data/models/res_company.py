from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_risk_rating_threshold = fields.Float(
        string="Rating Alert Threshold",
        help="A rating whose score falls below it raises a risk event (0: never).",
    )
    credit_risk_claim_alert_days = fields.Integer(
        string="Claim Deadline Alert (days)",
        default=15,
        help="Days before a claim's declaration deadline when the credit manager is reminded.",
    )
