from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon

BUCKETS = (
    "amount_not_due",
    "amount_1_30",
    "amount_31_60",
    "amount_61_90",
    "amount_91_120",
    "amount_over_120",
)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestAgedBalance(CreditCommon):
    """The aged balance: open receivable items per customer and company, by days past due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aged = cls.env["credit.aged.balance"]
        for amount, due_days in (
            (100.0, 10),
            (200.0, -10),
            (300.0, -45),
            (400.0, -75),
            (500.0, -100),
            (600.0, -150),
        ):
            invoice = cls._invoice(cls.customer, amount, due_days=due_days)
            if due_days == -45:
                cls._pay(invoice, 100.0)  # partly paid: 200 left, still 31-60 days
        # An invoice of its invoicing contact counts for the customer; so does a credit note.
        cls._invoice(cls.contact, 70.0, due_days=-20)
        cls._invoice(cls.customer, 50.0, due_days=-5, move_type="out_refund")
        # Neither a paid invoice nor a draft is owed.
        paid = cls._invoice(cls.customer, 999.0, due_days=-30)
        cls._pay(paid, 999.0)
        cls._invoice(cls.customer, 888.0, due_days=-30, post=False)
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Minoterie Dupuis", "is_company": True}
        )
        cls._invoice(cls.other_customer, 40.0, due_days=-200)
        cls.other_collector = new_test_user(
            cls.env,
            login="credit_collector_2",
            name="Hugo Relance",
            groups="credit_management.group_credit_collector",
            company_id=cls.company.id,
        )

    def _row(self, partner, user=None):
        Aged = self.Aged.with_user(user) if user else self.Aged
        row = Aged.search([("partner_id", "=", partner.id)])
        self.assertEqual(len(row), 1)
        return row

    def test_buckets(self):
        row = self._row(self.customer)
        self.assertEqual(
            [row[name] for name in BUCKETS],
            [100.0, 200.0 + 70.0 - 50.0, 200.0, 400.0, 500.0, 600.0],
        )
        self.assertEqual(row.amount_overdue, 220.0 + 200.0 + 400.0 + 500.0 + 600.0)
        self.assertEqual(row.amount_total, row.amount_not_due + row.amount_overdue)
        self.assertEqual(row.currency_id, self.company.currency_id)
        self.assertEqual(row.oldest_due_date, TODAY - timedelta(days=150))
        self.assertEqual(row.user_id, self.collector, "the company's default collector")
        # The totals are Odoo's own receivable balance of the customer.
        self.assertAlmostEqual(row.amount_total, self.customer.credit)
        other = self._row(self.other_customer)
        self.assertEqual(other.amount_over_120, 40.0)
        self.assertEqual(other.amount_total, 40.0)

    def test_buckets_move_with_the_days(self):
        with freeze_time(TODAY + timedelta(days=31)):
            self.env.invalidate_all()
            row = self._row(self.customer)
            # Not due 10 days ago: now 21 days late; the 1-30 items are 36 to 51 days late.
            self.assertEqual(row.amount_not_due, 0.0)
            self.assertEqual(row.amount_1_30, 100.0)
            self.assertEqual(row.amount_31_60, 220.0)
            self.assertEqual(row.amount_over_120, 600.0 + 500.0)

    def test_payment_leaves_the_balance(self):
        invoice = self._invoice(self.customer, 1000.0, due_days=-65)
        self.assertEqual(self._row(self.customer).amount_61_90, 1400.0)
        self._pay(invoice, 1000.0)
        self.env.invalidate_all()
        self.assertEqual(self._row(self.customer).amount_61_90, 400.0)

    def test_open_items_and_portfolio(self):
        row = self._row(self.customer, user=self.collector)
        action = row.action_open_items()
        items = self.env[action["res_model"]].with_user(self.collector).search(action["domain"])
        self.assertEqual(len(items), 8, "6 invoices and the contact's, and the credit note")
        self.assertAlmostEqual(sum(items.mapped("amount_residual")), row.amount_total)
        self.customer.with_company(self.company).dunning_responsible_id = self.other_collector
        self.env.invalidate_all()
        mine = self.Aged.with_user(self.collector).search([("user_id", "=", self.collector.id)])
        self.assertEqual(mine.partner_id, self.other_customer, "the customer's own collector")

    def test_access_and_companies(self):
        with self.assertRaises(AccessError):
            self.Aged.with_user(self.sales_user).search([])
        other_company = self.setup_other_company()["company"]
        self._invoice(self.customer, 123.0, due_days=-10, company=other_company)
        Aged = self.Aged.with_context(allowed_company_ids=self.company.ids)
        rows = Aged.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(rows.company_id, self.company, "the companies selected only")
        self.assertNotIn(other_company, self.collector.company_ids)
        rows = self.Aged.with_user(self.collector).search([("partner_id", "=", self.customer.id)])
        self.assertEqual(rows.company_id, self.company)
        rows = self.Aged.with_context(allowed_company_ids=[self.company.id, other_company.id])
        both = rows.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(both.company_id, self.company | other_company)
        self.assertEqual(both.filtered(lambda r: r.company_id == other_company).amount_1_30, 123.0)
