from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    payment_link_validity_days = fields.Integer(
        related="company_id.payment_link_validity_days", readonly=False
    )
