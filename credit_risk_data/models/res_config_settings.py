from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_risk_rating_threshold = fields.Float(
        related="company_id.credit_risk_rating_threshold", readonly=False
    )
    credit_risk_claim_alert_days = fields.Integer(
        related="company_id.credit_risk_claim_alert_days", readonly=False
    )
    credit_risk_use_ratings = fields.Boolean(
        related="company_id.credit_risk_use_ratings", readonly=False
    )
