from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


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
