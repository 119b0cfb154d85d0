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
    credit_risk_use_ratings = fields.Boolean(
        string="Use the Latest Rating",
        help="The latest rating of the last 12 months takes points off the behaviour score "
        "by its probability of default (2 per percent, at most 20) and, with credit "
        "insurance, its recommended limit caps the suggested credit limit.",
    )
