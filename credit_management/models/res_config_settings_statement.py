from odoo import fields
from odoo import models


# One concern of the settings per file: the customer statements.
class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    credit_statement_monthly = fields.Boolean(
        related="company_id.credit_statement_monthly", readonly=False
    )
