from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tools import format_date


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

    credit_formal_notice_days = fields.Integer(
        string="Formal Notice Deadline (days)",
        default=8,
        help="Days given to the customer to pay after a formal notice.",
    )
    credit_dunning_pause_max_days = fields.Integer(
        string="Longest Pause by a Collector",
        default=30,
        help="Collectors pause a customer's or an invoice's reminders at most this many days "
        "ahead; credit managers set any date.",
    )
    credit_promise_grace_days = fields.Integer(
        string="Promise Grace Days",
        default=3,
        help="Days after the promised payment date before a promise is broken; reminders "
        "stay suspended until then.",
    )
    credit_promise_max_days = fields.Integer(
        string="Longest Promise",
        default=30,
        help="A payment can be promised at most this many days after the promise is made, on "
        "the portal as in the back office.",
    )
    credit_promise_partial_rule = fields.Selection(
        selection=[
            ("full", "The whole amount"),
            ("share", "A share of the amount"),
        ],
        string="Promise Kept With",
        default="full",
        required=True,
        help="What the payments must reach for a promise to be kept: the whole promised "
        "amount, or a share of it (partial payments).",
    )
    credit_promise_kept_share = fields.Float(
        string="Share Kept (%)",
        default=90.0,
        help="Share of the promised amount that keeps a promise, with the 'share' rule.",
    )
    credit_manager_id = fields.Many2one(
        comodel_name="res.users",
        help="Gets an activity for each dispute past its target resolution date.",
    )
    credit_dunning_scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        string="Default Dunning Scenario",
        default=lambda self: self.env.ref(
            "credit_management.dunning_scenario_standard", raise_if_not_found=False
        ),
        help="Scenario of the customers with no scenario of their own nor of their payer profile.",
    )

    # French late fees (LME, article L441-10 of the Commercial Code).
    credit_late_fee_indemnity = fields.Monetary(
        string="Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Fixed indemnity for recovery costs owed for each invoice paid late (40 € in France).",
    )
    credit_late_interest_mode = fields.Selection(
        selection=[
            ("ecb", "ECB rate plus points"),
            ("fixed", "Fixed rate"),
        ],
        string="Late Interest",
        default="ecb",
        required=True,
    )
    credit_ecb_rate_ids = fields.One2many(
        comodel_name="credit.ecb.rate",
        inverse_name="company_id",
        string="ECB Rates",
    )
    credit_late_ecb_rate = fields.Float(
        string="ECB Rate (%)",
        digits=(16, 3),
        compute="_compute_credit_late_ecb_rate",
        help="ECB main refinancing rate of the current half-year, from the table of ECB "
        "rates (the one in force on 1 January or 1 July).",
    )
    credit_late_ecb_rate_missing = fields.Boolean(
        string="ECB Rate Missing",
        compute="_compute_credit_late_ecb_rate",
        help="The table of ECB rates has no rate for the current half-year: late interest "
        "uses the rate of the latest half-year entered until it is filled in.",
    )
    credit_late_interest_points = fields.Float(
        string="Points Added (%)",
        digits=(16, 3),
        default=10.0,
        help="Points added to the ECB rate: 10 by default in France.",
    )
    credit_late_interest_fixed_rate = fields.Float(
        string="Fixed Rate (%)",
        digits=(16, 3),
        help="Yearly rate of late interest agreed with the customers, instead of the ECB "
        "rate plus points (at least three times the legal interest rate in France).",
    )
    credit_late_fee_product_id = fields.Many2one(
        comodel_name="product.product",
        string="Late Fees Product",
        default=lambda self: self.env.ref(
            "credit_management.product_late_fees", raise_if_not_found=False
        ),
        help="Product of the lines of the late-fees invoices.",
    )

    @api.depends(
        "credit_late_interest_mode", "credit_ecb_rate_ids.date_from", "credit_ecb_rate_ids.rate"
    )
    def _compute_credit_late_ecb_rate(self):
        today = fields.Date.context_today(self)
        Rates = self.env["credit.ecb.rate"]
        for company in self:
            # A company being created has no rate yet.
            result = Rates._half_year_rates(company._origin, today, today, 0.0)
            company.credit_late_ecb_rate = result.rates.rate_on(today)
            company.credit_late_ecb_rate_missing = Rates._missing_current_rate(
                company._origin, today
            )

    @api.constrains(
        "credit_late_fee_indemnity",
        "credit_late_interest_points",
        "credit_late_interest_fixed_rate",
    )
    def _check_credit_late_fees(self):
        for company in self:
            if (
                min(
                    company.credit_late_fee_indemnity,
                    company.credit_late_interest_points,
                    company.credit_late_interest_fixed_rate,
                )
                < 0
            ):
                raise ValidationError(_("Late fees and their rates cannot be negative."))

    def _credit_late_interest_rate(self, date=None):
        """Yearly rate (%) of late interest of the company on ``date`` (today by default):
        the fixed rate, or the ECB rate of the date's half-year plus the points."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        return self._credit_late_interest_rates(date, date).rate_on(date)

    def _credit_late_interest_rates(self, first_day, last_day):
        """Yearly rates of late interest (``engine.late_fees.Rates``) of the days from
        ``first_day`` to ``last_day`` (see ``credit.ecb.rate``)."""
        self.ensure_one()
        return self.env["credit.ecb.rate"]._late_interest_rates(self, first_day, last_day)

    @api.constrains(
        "credit_promise_grace_days", "credit_promise_max_days", "credit_promise_kept_share"
    )
    def _check_credit_promises(self):
        for company in self:
            if company.credit_promise_grace_days < 0 or company.credit_promise_max_days < 1:
                raise ValidationError(
                    _(
                        "The grace days of promises cannot be negative and the longest "
                        "portal promise is at least one day."
                    )
                )
            if not 0 < company.credit_promise_kept_share <= 100:
                raise ValidationError(_("The share that keeps a promise is between 0 and 100 %."))

    @api.constrains("credit_dunning_pause_max_days")
    def _check_credit_dunning_pause_max_days(self):
        for company in self:
            if company.credit_dunning_pause_max_days < 1:
                raise ValidationError(_("A collector's pause of reminders is at least one day."))

    def _credit_check_dunning_pause(self, date):
        """Refuse a pause of reminders past the company's limit (collectors)."""
        self.ensure_one()
        date = fields.Date.to_date(date)
        latest = fields.Date.add(
            fields.Date.context_today(self), days=self.credit_dunning_pause_max_days
        )
        if date > latest:
            raise AccessError(
                _(
                    "Reminders can be paused until %(latest)s at the latest (%(days)s days); "
                    "ask a credit manager for a longer pause.",
                    latest=format_date(self.env, latest),
                    days=self.credit_dunning_pause_max_days,
                )
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
        """Give the standard scenario and the late fees product to the companies without."""
        scenario = self.env.ref(
            "credit_management.dunning_scenario_standard", raise_if_not_found=False
        )
        if scenario:
            self.search([("credit_dunning_scenario_id", "=", False)]).write(
                {"credit_dunning_scenario_id": scenario.id}
            )
        product = self.env.ref("credit_management.product_late_fees", raise_if_not_found=False)
        if product:
            self.search([("credit_late_fee_product_id", "=", False)]).write(
                {"credit_late_fee_product_id": product.id}
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("credit_hold_mode", "warning") in ("warning", "block"):
                vals.setdefault("account_use_credit_limit", True)
        companies = super().create(vals_list)
        # Each company has its table of ECB rates: the shipped ones to start with.
        self.env["credit.ecb.rate"]._create_shipped_rates(companies)
        return companies

    def write(self, vals):
        # Exposure includes Odoo's amount of orders not yet invoiced, which Odoo computes
        # only when its credit-limit feature is on.
        if vals.get("credit_hold_mode") in ("warning", "block"):
            vals = dict(vals, account_use_credit_limit=True)
        return super().write(vals)
