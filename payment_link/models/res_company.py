from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

MAX_VALIDITY_DAYS = 3650


class ResCompany(models.Model):
    _inherit = "res.company"

    payment_link_validity_days = fields.Integer(
        string="Payment Link Validity (days)",
        default=30,
        help="Days a payment link stays valid after it is created.",
    )

    @api.constrains("payment_link_validity_days")
    def _check_payment_link_validity_days(self):
        if any(company.payment_link_validity_days < 1 for company in self):
            raise ValidationError(_("A payment link must stay valid at least one day."))
        # A link's token carries its expiry; ten years is more than any reminder needs.
        if any(company.payment_link_validity_days > MAX_VALIDITY_DAYS for company in self):
            raise ValidationError(
                _(
                    "A payment link stays valid %(days)s days at most.",
                    days=MAX_VALIDITY_DAYS,
                )
            )
