from datetime import date as Date
from datetime import timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLateFees(CreditCommon):
    """French late fees (LME): indemnity per late invoice and interest at ECB + 10 points,
    the ECB rate of each day's half-year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        cls.standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.write(
            {
                "credit_dunning_scenario_id": cls.standard.id,
                "credit_late_interest_mode": "ecb",
                "credit_late_interest_points": 10.0,
                "credit_late_fee_indemnity": 40.0,
            }
        )
        # The shipped table ends with 2.15 % for the second half of 2025; TODAY is in the
        # first half of 2026.
        cls.Rate = cls.env["credit.ecb.rate"]
        cls.rate_2026_h1 = cls.Rate.create(
            {"company_id": cls.company.id, "date_from": "2026-01-01", "rate": 4.5}
        )
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.levels = cls.standard.level_ids.sorted("sequence")
        # The +15 days level applies the late fees in these tests.
        cls.fee_level = cls.levels[2]
        cls.fee_level.apply_late_fees = True

    def _remind(self, level=None):
        """A reminder of the customer at ``level`` (late fees applied), sent by hand."""
        wizard = (
            self.env["credit.dunning.send"]
            .with_user(self.collector)
            .with_context(default_partner_id=self.customer.id)
            .create({"level_id": (level or self.fee_level).id})
        )
        return self.Dunning.browse(wizard.action_send()["res_id"])

    @staticmethod
    def _interest(amount, rate, days):
        return round(amount * rate / 100 * days / 365, 2)

    def test_rate_of_the_company(self):
        self.assertAlmostEqual(self.company._credit_late_interest_rate(), 14.5)
        self.company.write(
            {"credit_late_interest_mode": "fixed", "credit_late_interest_fixed_rate": 12.0}
        )
        self.assertAlmostEqual(self.company._credit_late_interest_rate(), 12.0)
        with self.assertRaises(ValidationError):
            self.company.credit_late_fee_indemnity = -40.0

    def test_fees_match_a_hand_computation(self):
        late = self._invoice(self.customer, 1000.0, due_days=-60)
        partly_paid = self._invoice(self.customer, 2000.0, due_days=-90)
        self._pay(partly_paid, 500.0, date=day(-30))
        not_due = self._invoice(self.customer, 300.0, due_days=10)
        reminder = self._remind()
        lines = {line.move_id: line for line in reminder.line_ids}
        # 1000 for 60 days at 14.5 %.
        self.assertEqual(lines[late].late_fee_days, 60)
        self.assertAlmostEqual(lines[late].late_fee_interest, self._interest(1000, 14.5, 60))
        self.assertAlmostEqual(lines[late].late_fee_interest, 23.84)
        self.assertAlmostEqual(lines[late].late_fee_indemnity, 40.0)
        # 2000 from its due date to the payment (60 days), then 1500 for the last 30 days.
        expected = round(2000 * 0.145 * 60 / 365 + 1500 * 0.145 * 30 / 365, 2)
        self.assertAlmostEqual(expected, 65.55)
        self.assertEqual(lines[partly_paid].late_fee_days, 90)
        self.assertAlmostEqual(lines[partly_paid].late_fee_interest, expected)
        self.assertAlmostEqual(lines[partly_paid].late_fee_indemnity, 40.0)
        # Not late: no fees.
        self.assertFalse(lines[not_due].late_fee_interest)
        self.assertFalse(lines[not_due].late_fee_indemnity)
        self.assertAlmostEqual(reminder.late_fee_rate, 14.5)
        self.assertAlmostEqual(reminder.late_fee_interest, 23.84 + 65.55)
        self.assertAlmostEqual(reminder.late_fee_indemnity, 80.0)
        self.assertAlmostEqual(reminder.late_fee_total, 23.84 + 65.55 + 80.0)
        self.assertAlmostEqual(reminder.amount_due, 1000 + 1500 + 300)
        self.assertAlmostEqual(reminder.amount_due_with_fees, 2800 + 169.39)

    def test_fixed_rate_and_payment_before_due_date(self):
        self.company.write(
            {"credit_late_interest_mode": "fixed", "credit_late_interest_fixed_rate": 12.0}
        )
        invoice = self._invoice(self.customer, 1200.0, due_days=-20, invoice_date=day(-50))
        # Paid in part before its due date: interest on the rest only.
        self._pay(invoice, 200.0, date=day(-25))
        reminder = self._remind()
        line = reminder.line_ids.filtered(lambda line: line.move_id == invoice)
        self.assertAlmostEqual(line.late_fee_interest, self._interest(1000, 12.0, 20))
        self.assertAlmostEqual(line.late_fee_interest, 6.58)

    def test_level_without_late_fees(self):
        self._invoice(self.customer, 1000.0, due_days=-60)
        reminder = self._remind(self.levels[1])
        self.assertFalse(reminder.level_id.apply_late_fees)
        self.assertFalse(reminder.late_fee_total)
        self.assertFalse(reminder.line_ids.mapped("late_fee_interest")[0])
        with self.assertRaises(UserError):
            reminder.with_user(self.manager).action_create_late_fee_invoice()

    def test_draft_late_fee_invoice(self):
        late = self._invoice(self.customer, 1000.0, due_days=-60)
        other = self._invoice(self.customer, 500.0, due_days=-30)
        reminder = self._remind()
        action = reminder.with_user(self.manager).action_create_late_fee_invoice()
        invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(reminder.late_fee_move_id, invoice)
        self.assertEqual(invoice.state, "draft", "never posted automatically")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.invoice_origin, reminder.name)
        self.assertEqual(
            invoice.invoice_line_ids.product_id,
            self.env.ref("credit_management.product_late_fees"),
        )
        self.assertFalse(invoice.invoice_line_ids.tax_ids, "late fees bear no VAT")
        amounts = sorted(invoice.invoice_line_ids.mapped("price_subtotal"))
        self.assertEqual(
            amounts,
            sorted([self._interest(1000, 14.5, 60), self._interest(500, 14.5, 30), 40.0, 40.0]),
        )
        self.assertAlmostEqual(invoice.amount_total, reminder.late_fee_total)
        labels = " ".join(invoice.invoice_line_ids.mapped("name"))
        self.assertIn(late.name, labels)
        self.assertIn(other.name, labels)
        self.assertIn("60 days at 14.50%", labels)
        with self.assertRaises(UserError):
            reminder.with_user(self.manager).action_create_late_fee_invoice()

    def test_email_shows_late_fees(self):
        self._invoice(self.customer, 1000.0, due_days=-60)
        reminder = self._remind()
        mail = self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "=", reminder.id)]
        )
        body = str(mail.body_html)
        self.assertIn("L441-10", body)
        self.assertIn("14.50", body)
        self.assertIn("23.84", body)
        self.assertIn(f"{1000 + 23.84 + 40:,.2f}", body)

    def test_access(self):
        self._invoice(self.customer, 1000.0, due_days=-60)
        reminder = self._remind()
        # Invoicing is for billing users (credit managers are): not for salespeople, nor for
        # collectors, who read the accounting only.
        for user in (self.sales_user, self.collector):
            with self.assertRaises(AccessError):
                reminder.with_user(user).action_create_late_fee_invoice()
        self.assertFalse(reminder.late_fee_move_id)
        # Salespeople see the late fees of the reminders they can read.
        self.assertAlmostEqual(reminder.with_user(self.sales_user).late_fee_total, 63.84)

    # ------------------------------------------------------------
    # ECB RATES BY HALF-YEAR
    # ------------------------------------------------------------

    def test_shipped_rates(self):
        """Every company starts with the ECB rates since 2020 (a new one gets a copy)."""
        other = self.setup_other_company(name="Filiale Lyon")["company"]
        for company in (self.company, other):
            rates = {
                rate.date_from: rate.rate
                for rate in self.Rate.search([("company_id", "=", company.id)])
                if rate.date_from.year < 2026
            }
            self.assertEqual(len(rates), 12, company.name)
            self.assertEqual(
                {day: rate for day, rate in rates.items() if day.year < 2023},
                {Date(year, month, 1): 0.0 for year in (2020, 2021, 2022) for month in (1, 7)},
            )
            self.assertEqual(
                [rates[Date(year, month, 1)] for year in (2023, 2024, 2025) for month in (1, 7)],
                [2.5, 4.0, 4.5, 4.25, 3.15, 2.15],
            )
        self.assertEqual(self.rate_2026_h1.display_name, "First half of 2026")
        self.assertEqual(self.rate_2026_h1.date_to, Date(2026, 6, 30))

    def test_rate_starts_a_half_year(self):
        with self.assertRaises(ValidationError):
            self.Rate.create({"company_id": self.company.id, "date_from": "2026-03-01", "rate": 2})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Rate.create({"company_id": self.company.id, "date_from": "2026-01-01", "rate": 2})

    def test_interest_across_two_half_years(self):
        """An invoice late since December 2025: its December days at the ECB rate of the
        second half of 2025, its 2026 days at the one of the first half of 2026."""
        invoice = self._invoice(self.customer, 1000.0, due_days=-196)
        self.assertEqual(invoice.invoice_date_due, Date(2025, 12, 1))
        reminder = self._remind()
        line = reminder.line_ids.filtered(lambda line: line.move_id == invoice)
        # 2 to 31 December 2025: 30 days at 2.15 + 10 = 12.15 %: 1000 * 12.15 % * 30 / 365
        # = 9.9863; 1 January to 15 June 2026: 166 days at 4.50 + 10 = 14.50 %:
        # 1000 * 14.5 % * 166 / 365 = 65.9452; in all 75.9315.
        self.assertEqual(line.late_fee_days, 196)
        self.assertAlmostEqual(line.late_fee_interest, 75.93)
        self.assertEqual(line.late_fee_rates, "12.15, 14.50")
        self.assertAlmostEqual(reminder.late_fee_rate, 14.5, msg="the rate of the reminder's date")
        action = reminder.with_user(self.manager).action_create_late_fee_invoice()
        fee_invoice = self.env["account.move"].browse(action["res_id"])
        interest_line = fee_invoice.invoice_line_ids.filtered(lambda line: line.price_unit == 75.93)
        self.assertIn("196 days at 12.15, 14.50% a year", interest_line.name)
        # A payment of 400 on 10 January 2026 lowers the base from that day on.
        self._pay(invoice, 400.0, date=Date(2026, 1, 10))
        self.env.invalidate_all()
        # On 1000, 30 days of 2025 at 12.15 % and 1 to 10 January 2026 at 14.5 %, then on
        # 600 the 156 days from 11 January at 14.5 %: 9.9863 + 3.9726 + 37.1836 = 51.1425.
        self.assertAlmostEqual(line.late_fee_interest, 51.14)

    def test_fixed_rate_ignores_the_table(self):
        self.company.write(
            {"credit_late_interest_mode": "fixed", "credit_late_interest_fixed_rate": 12.0}
        )
        invoice = self._invoice(self.customer, 1000.0, due_days=-196)
        reminder = self._remind()
        line = reminder.line_ids.filtered(lambda line: line.move_id == invoice)
        # 1000 * 12 % * 196 / 365 = 64.4384, whatever the ECB rates.
        self.assertAlmostEqual(line.late_fee_interest, 64.44)
        self.assertEqual(line.late_fee_rates, "12.00")
        self.assertFalse(self.company.credit_late_ecb_rate_missing, "no ECB rate needed")
        self.rate_2026_h1.unlink()
        self.assertFalse(self.company.credit_late_ecb_rate_missing)
        self.assertAlmostEqual(self.company._credit_late_interest_rate(), 12.0)

    def test_missing_rate_of_the_half_year(self):
        """Without the rate of the current half-year, late interest keeps the latest rate
        entered, the settings warn and the credit responsible gets an activity to enter it."""
        self.rate_2026_h1.unlink()
        self.assertTrue(self.company.credit_late_ecb_rate_missing)
        self.assertAlmostEqual(self.company.credit_late_ecb_rate, 2.15, msg="the latest rate")
        self.assertAlmostEqual(self.company._credit_late_interest_rate(), 12.15)
        invoice = self._invoice(self.customer, 1000.0, due_days=-60)
        line = self._remind().line_ids.filtered(lambda line: line.move_id == invoice)
        self.assertAlmostEqual(line.late_fee_interest, self._interest(1000, 12.15, 60))
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.credit_late_ecb_rate_missing, "the settings warn")
        # The daily scheduled action reminds the credit responsible, once.
        latest = self.Rate.search(
            [("company_id", "=", self.company.id), ("date_from", "=", "2025-07-01")]
        )
        self.Rate._remind_missing_rates(self.company)
        self.Rate._remind_missing_rates(self.company)
        activity = latest.activity_ids
        self.assertEqual(len(activity), 1, "one reminder, however many runs")
        self.assertEqual(activity.user_id, self.company.credit_responsible_id)
        self.assertIn("01/01/2026", activity.summary)
        self.assertIn("2.15", str(activity.note))
        # Entering the rate closes the reminder.
        self.Rate.with_user(self.manager).create({"date_from": "2026-01-01", "rate": 2.4})
        self.assertFalse(latest.activity_ids)
        self.assertFalse(self.company.credit_late_ecb_rate_missing)
        self.Rate._remind_missing_rates(self.company)
        self.assertFalse(self.Rate.search([("company_id", "=", self.company.id)]).activity_ids)

    def test_half_year_before_every_rate(self):
        """No rate to fall back on: a clear error rather than interest at 0 %."""
        with self.assertRaisesRegex(UserError, "No ECB rate for the half-year"):
            self.company._credit_late_interest_rates(Date(2019, 12, 1), Date(2020, 2, 1))

    def test_two_companies(self):
        """Each company computes late interest with its own table of ECB rates."""
        other = self.setup_other_company(name="Filiale Lyon")["company"]
        other.write({"credit_late_interest_mode": "ecb", "credit_late_interest_points": 10.0})
        self.Rate.create({"company_id": other.id, "date_from": "2026-01-01", "rate": 3.0})
        self.assertAlmostEqual(self.company._credit_late_interest_rate(), 14.5)
        self.assertAlmostEqual(other._credit_late_interest_rate(), 13.0)
        customer = self.customer.with_company(other)
        invoice = self._invoice(customer, 1000.0, due_days=-60, company=other)
        line = self.env["credit.dunning.line"]
        fees = line._late_fees(invoice, TODAY, other, other.currency_id)
        self.assertAlmostEqual(fees[invoice.id].interest, self._interest(1000, 13.0, 60))
        # The rates of a company are its own: another company's users do not see them.
        other_user = new_test_user(
            self.env,
            login="credit_other_manager",
            groups="base.group_user,credit_management.group_credit_manager",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        visible = self.Rate.with_user(other_user).search([])
        self.assertEqual(visible.company_id, other)
        with self.assertRaises(AccessError):
            self.rate_2026_h1.with_user(other_user).rate = 1.0
