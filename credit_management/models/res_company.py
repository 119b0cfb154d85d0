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

    credit_dunning_scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        string="Default Dunning Scenario",
        default=lambda self: self.env.ref(
            "credit_management.dunning_scenario_standard", raise_if_not_found=False
        ),
        help="Scenario of the customers with no scenario of their own nor of their payer profile.",
    )

    @api.constrains("credit_overdue_block_days")
    def _check_credit_overdue_block_days(self):
        for company in self:
            if company.credit_overdue_block_days < 0:
                raise ValidationError(
                    _("The number of days overdue before a credit hold cannot be negative.")
                )

    @api.model
    def _credit_dunning_set_default_scenario(self):
        """Give the standard scenario to the companies without a default scenario."""
        scenario = self.env.ref(
            "credit_management.dunning_scenario_standard", raise_if_not_found=False
        )
        if scenario:
            self.search([("credit_dunning_scenario_id", "=", False)]).write(
                {"credit_dunning_scenario_id": scenario.id}
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
