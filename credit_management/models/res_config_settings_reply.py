from odoo import fields
from odoo import models


# One concern of the settings per file: the replies to reminders.
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    credit_reply_auto_promise = fields.Boolean(
        related="company_id.credit_reply_auto_promise", readonly=False
    )
