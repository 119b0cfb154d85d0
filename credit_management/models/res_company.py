from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_hold_mode = fields.Selection(
        selection=[
            ("none", "No credit hold"),
            ("warning", "Warn and confirm"),
            ("block", "Block confirmation"),
        ],
        default="warning",
        required=True,
        help="What happens when a sales order is confirmed for a customer on credit hold:\n"
        "- No credit hold: credit holds are off;\n"
        "- Warn and confirm: the order is confirmed and the collector gets an activity;\n"
        "- Block confirmation: only a credit manager can confirm, with a logged reason.",
    )
    credit_overdue_block_days = fields.Integer(
        string="Hold After Days Overdue",
        default=0,
        help="Put a customer on hold when one of its invoices is overdue by more than this "
        "number of days. 0 turns the rule off.",
    )
    credit_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Default Collector",
        help="Collector who gets the credit activities of customers without a collector.",
    )

    @api.constrains("credit_overdue_block_days")
    def _check_credit_overdue_block_days(self):
        for company in self:
            if company.credit_overdue_block_days < 0:
                raise ValidationError(
                    _("The number of days overdue before a credit hold cannot be negative.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("credit_hold_mode", "warning") in ("warning", "block"):
                vals.setdefault("account_use_credit_limit", True)
        return super().create(vals_list)

    def write(self, vals):
        # Exposure includes Odoo's amount of orders not yet invoiced, which Odoo computes
        # only when its credit-limit feature is on.
        if vals.get("credit_hold_mode") in ("warning", "block"):
            vals = dict(vals, account_use_credit_limit=True)
        return super().write(vals)
