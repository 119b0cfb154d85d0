from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_reply_auto_promise = fields.Boolean(
        related="company_id.credit_reply_auto_promise", readonly=False
    )
