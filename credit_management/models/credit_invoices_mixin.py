from odoo import api
from odoo import fields
from odoo import models


class CreditInvoicesMixin(models.AbstractModel):
    """A record about some posted invoices of one customer in one company: a dispute, a
    payment promise. Its currency is the invoices' (the company's if they differ) and its
    amount defaults to their balance in that currency.

    Each model sets the table of ``move_ids`` (``relation``, ``column1``, ``column2``) and
    the invoices it accepts (``domain``), and may rename ``amount``."""

    _name = "credit.invoices.mixin"
    _description = "Credit Record on Customer Invoices"
    _inherit = ["mail.thread"]
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        check_company=True,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )

    @api.depends("move_ids")
    def _compute_currency_id(self):
        for record in self:
            currencies = record.move_ids.currency_id
            record.currency_id = (
                currencies if len(currencies) == 1 else record.company_id.currency_id
            )

    @api.depends("move_ids", "currency_id")
    def _compute_amount(self):
        for record in self:
            currency = record.currency_id
            moves = record.move_ids.filtered(lambda m, c=currency: m.currency_id == c)
            record.amount = sum(moves.mapped("amount_residual"))

    def _credit_foreign_invoices(self):
        """The invoices of the record that are not its customer's."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        return self.move_ids.filtered(lambda m, c=customer: m.commercial_partner_id != c)
