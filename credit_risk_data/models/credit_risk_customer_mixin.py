"""What the records of risk data about one customer share: the customer and the company."""

from odoo import fields
from odoo import models


class CreditRiskCustomerMixin(models.AbstractModel):
    _name = "credit.risk.customer.mixin"
    _description = "Risk Data of a Customer"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
