from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_hold_mode = fields.Selection(
        related="company_id.credit_hold_mode", readonly=False, required=True
    )
    credit_overdue_block_days = fields.Integer(
        related="company_id.credit_overdue_block_days", readonly=False
    )
    credit_responsible_id = fields.Many2one(
        related="company_id.credit_responsible_id", readonly=False
    )
    credit_dunning_scenario_id = fields.Many2one(
        related="company_id.credit_dunning_scenario_id", readonly=False
    )
    credit_late_fee_indemnity = fields.Monetary(
        related="company_id.credit_late_fee_indemnity",
        currency_field="currency_id",
        readonly=False,
    )
    credit_late_interest_mode = fields.Selection(
        related="company_id.credit_late_interest_mode", readonly=False, required=True
    )
    credit_late_ecb_rate = fields.Float(related="company_id.credit_late_ecb_rate")
    credit_late_ecb_rate_missing = fields.Boolean(related="company_id.credit_late_ecb_rate_missing")
    credit_late_interest_points = fields.Float(
        related="company_id.credit_late_interest_points", readonly=False
    )
    credit_late_interest_fixed_rate = fields.Float(
        related="company_id.credit_late_interest_fixed_rate", readonly=False
    )
    credit_late_fee_product_id = fields.Many2one(
        related="company_id.credit_late_fee_product_id", readonly=False
    )
    credit_manager_id = fields.Many2one(related="company_id.credit_manager_id", readonly=False)
    credit_promise_grace_days = fields.Integer(
        related="company_id.credit_promise_grace_days", readonly=False
    )
    credit_dunning_pause_max_days = fields.Integer(
        related="company_id.credit_dunning_pause_max_days", readonly=False
    )
    credit_promise_max_days = fields.Integer(
        related="company_id.credit_promise_max_days", readonly=False
    )
    credit_promise_partial_rule = fields.Selection(
        related="company_id.credit_promise_partial_rule", readonly=False, required=True
    )
    credit_promise_kept_share = fields.Float(
        related="company_id.credit_promise_kept_share", readonly=False
    )
    credit_formal_notice_days = fields.Integer(
        related="company_id.credit_formal_notice_days", readonly=False
    )

    def set_values(self):
        res = super().set_values()
        # The first-run checklist: hold mode and late fees are set where they are saved, and
        # a default collector counts for the collectors.
        steps = ["hold", "late_fees"]
        if self.credit_responsible_id:
            steps.append("collectors")
        Step = self.env["onboarding.onboarding.step"].with_company(self.company_id)
        Step._credit_validate_steps(*steps)
        return res
