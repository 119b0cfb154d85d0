"""ECB main refinancing rates by half-year, per company: the base of French late interest.

Article L441-10 of the Commercial Code takes, for the first half-year, the ECB rate in force
on 1 January and, for the second, the one in force on 1 July. Each company keeps its table:
the module ships the rates since 2020 for the main company (``credit_ecb_rate_data.xml``,
never updated) and copies them to every new company; the credit manager enters the later
ones. A half-year without a rate takes the rate of the latest one before it (the ECB rate
stays until the ECB changes it), and the credit manager is reminded to enter it: a warning
in the settings and, from the daily reminders' scheduled action, an activity.
"""

import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from .. import compat
from ..engine import late_fees

_logger = logging.getLogger(__name__)


class CreditEcbRate(models.Model):
    _name = "credit.ecb.rate"
    _description = "ECB Rate of a Half-Year"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, date_from desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(
        string="Half-Year From",
        required=True,
        tracking=True,
        help="First day of the half-year: 1 January or 1 July.",
    )
    date_to = fields.Date(string="Half-Year To", compute="_compute_date_to")
    rate = fields.Float(
        string="ECB Rate (%)",
        digits=(16, 3),
        required=True,
        tracking=True,
        help="Rate of the European Central Bank's main refinancing operations in force on the "
        "first day of the half-year; late interest adds the points of the settings to it.",
    )

    _company_date_unique = compat.Constraint(
        "UNIQUE (company_id, date_from)",
        "A company has one ECB rate per half-year.",
    )
    _rate_positive = compat.Constraint(
        "CHECK (rate >= 0)",
        "An ECB rate cannot be negative.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("date_from")
    def _compute_date_to(self):
        for record in self:
            record.date_to = record.date_from and (
                late_fees.next_half_year(late_fees.half_year_start(record.date_from))
                - timedelta(days=1)
            )

    @api.depends("date_from", "company_id")
    def _compute_display_name(self):
        for record in self:
            if not record.date_from:
                record.display_name = _("New ECB rate")
            elif record.date_from.month == 1:
                record.display_name = _("First half of %(year)s", year=record.date_from.year)
            else:
                record.display_name = _("Second half of %(year)s", year=record.date_from.year)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("date_from")
    def _check_date_from(self):
        for record in self:
            if record.date_from != late_fees.half_year_start(record.date_from):
                raise ValidationError(
                    _(
                        "An ECB rate starts a half-year: 1 January or 1 July, not %(date)s.",
                        date=format_date(self.env, record.date_from),
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._close_reminders()
        return records

    def write(self, vals):
        result = super().write(vals)
        if "date_from" in vals:
            self._close_reminders()
        return result

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @api.model
    def _half_year_rates(self, company, first_day, last_day, points):
        """:class:`engine.late_fees.HalfYearRates` of ``company`` for the days from
        ``first_day`` to ``last_day``: each half-year's ECB rate plus ``points``."""
        # The rates are public figures: whoever computes late interest reads them.
        records = self.sudo().search(
            [("company_id", "=", company.id), ("date_from", "<=", last_day)]
        )
        return late_fees.half_year_rates(
            {record.date_from: record.rate for record in records}, first_day, last_day, points
        )

    @api.model
    def _late_interest_rates(self, company, first_day, last_day):
        """Yearly late interest rates (:class:`engine.late_fees.Rates`) of ``company`` for the
        days from ``first_day`` to ``last_day``: its fixed rate, or the ECB rate of each
        day's half-year plus its points. A half-year before every rate of the table is an
        error: no rate to fall back on."""
        if company.credit_late_interest_mode == late_fees.INTEREST_FIXED:
            return late_fees.Rates.constant(company.credit_late_interest_fixed_rate)
        result = self._half_year_rates(
            company, first_day, last_day, company.credit_late_interest_points
        )
        if result.unknown:
            raise UserError(
                _(
                    "No ECB rate for the half-year from %(date)s in %(company)s, nor for any "
                    "half-year before it: enter it in Credit > Configuration > ECB Rates to "
                    "compute the late interest.",
                    date=format_date(self.env, result.unknown[-1]),
                    company=company.name,
                )
            )
        return result.rates

    @api.model
    def _missing_current_rate(self, company, today=None):
        """Whether ``company`` computes late interest on ECB rates and has none for the
        half-year of ``today`` (the latest rate before it is used meanwhile)."""
        if company.credit_late_interest_mode != late_fees.INTEREST_ECB:
            return False
        start = late_fees.half_year_start(today or fields.Date.context_today(self))
        return not self.sudo().search_count(
            [("company_id", "=", company.id), ("date_from", "=", start)], limit=1
        )

    @api.model
    def _shipped_rates(self):
        """``{first day of a half-year: rate}`` shipped with the module: the main company's
        records of the data file, as the credit manager may have corrected them."""
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("module", "=", "credit_management"), ("model", "=", self._name)])
        )
        records = self.sudo().browse(data.mapped("res_id")).exists()
        return {record.date_from: record.rate for record in records}

    @api.model
    def _create_shipped_rates(self, companies):
        """Give the shipped rates to each of ``companies`` that has no rate yet."""
        shipped = self._shipped_rates()
        with_rates = set(self.sudo().search([("company_id", "in", companies.ids)]).company_id.ids)
        # A copy, not an entry of the credit manager: nothing to log in their chatter.
        self.sudo().with_context(mail_create_nolog=True, tracking_disable=True).create(
            [
                {"company_id": company.id, "date_from": date_from, "rate": rate}
                for company in companies
                if company.id not in with_rates
                for date_from, rate in sorted(shipped.items())
            ]
        )

    # ------------------------------------------------------------
    # REMINDERS
    # ------------------------------------------------------------

    @api.model
    def _remind_missing_rates(self, companies, today=None):
        """An activity for the credit manager (or the default collector) of each of
        ``companies`` that lacks the ECB rate of the current half-year, on its latest rate,
        unless one is already open. Called by the daily reminders' scheduled action."""
        today = today or fields.Date.context_today(self)
        start = late_fees.half_year_start(today)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for company in companies:
            if not self._missing_current_rate(company, today):
                continue
            user = company.credit_manager_id or company.credit_responsible_id
            latest = self.sudo().search(
                [("company_id", "=", company.id), ("date_from", "<", start)], limit=1
            )
            if not user or not latest:
                _logger.warning(
                    "Late interest of %s: no ECB rate for the half-year from %s, and nobody "
                    "to remind (credit manager, default collector) or no earlier rate.",
                    company.name,
                    start,
                )
                continue
            if latest.activity_ids.filtered(lambda a, t=todo: a.activity_type_id == t):
                continue
            # In the language of the one who reads it.
            latest.with_context(lang=user.lang)._schedule_missing_rate(user, start, today)

    def _schedule_missing_rate(self, user, start, today):
        """The activity asking ``user`` to enter the ECB rate of the half-year from ``start``,
        on this rate (the latest one before it)."""
        self.ensure_one()
        date = format_date(self.env, start)
        # Outside _(): the extraction of terms cannot read an f-string in its arguments.
        rate = f"{self.rate:.2f}"
        self.activity_schedule(
            act_type_xmlid="mail.mail_activity_data_todo",
            date_deadline=today,
            user_id=user.id,
            summary=_("Enter the ECB rate in force on %(date)s", date=date),
            note=Markup("<p>%s</p>")
            % _(
                "Late interest of %(company)s uses the ECB rate of %(latest)s (%(rate)s %%) "
                "until the rate of the half-year from %(date)s is entered in Credit > "
                "Configuration > ECB Rates.",
                company=self.company_id.name,
                latest=self.display_name,
                rate=rate,
                date=date,
            ),
        )

    def _close_reminders(self):
        """The reminders to enter a rate are done once the current half-year has its rate."""
        start = late_fees.half_year_start(fields.Date.context_today(self))
        for company in self.filtered(lambda r: r.date_from == start).company_id:
            rates = self.sudo().search([("company_id", "=", company.id)])
            rates.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=_("The ECB rate was entered.")
            )
