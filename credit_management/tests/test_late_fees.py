from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestLateFees(CreditCommon):
    """French late fees (LME): indemnity per late invoice and interest at ECB + 10 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        cls.standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.write(
            {
                "credit_dunning_scenario_id": cls.standard.id,
                "credit_late_interest_mode": "ecb",
                "credit_late_ecb_rate": 4.5,
                "credit_late_interest_points": 10.0,
                "credit_late_fee_indemnity": 40.0,
            }
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
