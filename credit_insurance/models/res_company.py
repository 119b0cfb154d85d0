from odoo import fields
from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_insurance_hold_refused = fields.Boolean(
        string="Hold When the Cover Is Refused",
        default=True,
        help="Hold a customer whose cover the insurer refused or cancelled while it owes or "
        "is ordering.",
    )
    credit_insurance_hold_excess = fields.Float(
        string="Hold Above the Insured Limit (%)",
        default=10.0,
        help="Hold a customer whose exposure exceeds its insured limit by more than this share "
        "of the limit; 0: off.",
    )
    credit_insurance_watch_profile_id = fields.Many2one(
        comodel_name="credit.payer.profile",
        string="Profile After a Cover Reduction",
        help="Customers whose cover is reduced or cancelled get this payer profile, unless "
        "their profile is pinned.",
    )
