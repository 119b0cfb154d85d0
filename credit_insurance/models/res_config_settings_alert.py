from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    credit_insurance_unused_days = fields.Integer(
        related="company_id.credit_insurance_unused_days", readonly=False
    )
