from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_insurance_hold_refused = fields.Boolean(
        related="company_id.credit_insurance_hold_refused", readonly=False
    )
    credit_insurance_hold_excess = fields.Float(
        related="company_id.credit_insurance_hold_excess", readonly=False
    )
    credit_insurance_watch_profile_id = fields.Many2one(
        related="company_id.credit_insurance_watch_profile_id", readonly=False
    )
