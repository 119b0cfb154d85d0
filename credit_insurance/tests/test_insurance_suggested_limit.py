from odoo.exceptions import AccessError
from odoo.fields import Date
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceSuggestedLimit(InsuranceCommon):
    """The suggested credit limit on crafted invoices, score and cover; applying it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.property_payment_term_id = cls.env.ref("account.account_payment_term_30days")
        # Sales of the last 12 months: 12,000 paid 10 days late, 6,000 open and not due,
        # a credit note of 600: 17,400, i.e. 1,450 a month.
        paid = cls._invoice(
            cls.customer, 12000.0, due_days=-126, invoice_date=Date.to_date("2026-01-10")
        )
        cls._pay(paid, 12000.0, date=Date.to_date("2026-02-19"))
        cls._invoice(cls.customer, 6000.0, due_days=15, invoice_date=Date.to_date("2026-05-31"))
        refund = cls._invoice(
            cls.customer,
            600.0,
            move_type="out_refund",
            invoice_date=Date.to_date("2026-03-01"),
            due_days=-106,
        )
        cls._pay(refund, 600.0, date=Date.to_date("2026-03-02"))
        # Not counted: older than 12 months (paid then), a draft, another customer.
        old = cls._invoice(
            cls.customer, 50000.0, due_days=-441, invoice_date=Date.to_date("2025-03-01")
        )
        cls._pay(old, 50000.0, date=Date.to_date("2025-03-31"))
        cls._invoice(cls.customer, 9000.0, post=False)
        other = cls.env["res.partner"].create({"name": "Minoterie Dupont", "is_company": True})
        cls._invoice(other, 7000.0)
        cls.env["res.partner"]._cron_update_credit_score()
        cls.cover = cls._cover(cls.customer, 10000.0)
        cls._decide(cls.cover, "granted", 10000.0, date="2025-01-10")

    def test_facts(self):
        self.assertEqual(self.customer.credit_monthly_sales, 1450.0, "17,400 / 12")
        # One invoice paid, 10 days late: 100 - 10 (days) - 20 (all paid late) = 70, grade B.
        self.assertEqual((self.customer.credit_score, self.customer.credit_grade), (70, "B"))
        self.assertEqual(self.customer.insured_limit, 10000.0)
        self.assertEqual(self.customer._credit_term_days(Date.to_date("2026-06-15")), 30)

    def test_suggestion_by_the_score(self):
        # 1,450 x (30 + 15) / 30 = 2,175; grade B: 90 %, 1,957.50; within the 10,000 insured;
        # rounded down: 1,900.
        self.assertEqual(self.customer.credit_suggested_limit, 1900.0)
        self.assertEqual(self.customer.credit_suggested_limit_bound, "score")
        reasons = self.customer.credit_suggested_limit_reasons
        self.assertTrue(reasons.startswith("Reduced by the customer's behaviour score."))
        self.assertIn("1,450.00", reasons)
        self.assertIn("30 days of payment terms plus 15 days of margin", reasons)
        self.assertIn("2,175.00", reasons)
        self.assertIn("Behaviour grade B: 90 % of it", reasons)
        self.assertIn("Within the insured limit of", reasons)
        self.assertEqual(self.contact.credit_suggested_limit, 1900.0, "its contact")

    def test_suggestion_capped_by_the_insured_limit(self):
        self._decide(self.cover, "reduced", 1500.0, date="2026-06-01")
        self.assertEqual(self.customer.credit_suggested_limit, 1500.0)
        self.assertEqual(self.customer.credit_suggested_limit_bound, "insured")
        self.assertIn(
            "Capped at the insured limit of", self.customer.credit_suggested_limit_reasons
        )
        # Cancelled: nothing is insured, nothing suggested (read anew, as a new request).
        self._decide(self.cover, "cancelled", 0.0, date="2026-06-10")
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_suggested_limit, 0.0)
        self.assertEqual(self.customer.credit_suggested_limit_bound, "insured")

    def test_suggestion_without_policy(self):
        self.policy.action_close()
        self.assertEqual(self.customer.credit_suggested_limit, 1900.0, "the same, uncapped")
        self.assertIn(
            "No credit insurance policy in force", self.customer.credit_suggested_limit_reasons
        )
        newcomer = self.env["res.partner"].create({"name": "Hôtel Neuf", "is_company": True})
        self.assertEqual(newcomer.credit_suggested_limit, 0.0)
        self.assertFalse(newcomer.credit_suggested_limit_bound, "nothing to suggest")
        self.assertIn("nothing to suggest", newcomer.credit_suggested_limit_reasons)

    def test_suggestion_in_another_company(self):
        """Per company: the other company has neither these sales nor this policy."""
        other_company = self.setup_other_company()["company"]
        partner = self.customer.with_company(other_company)
        self.assertEqual(partner.credit_monthly_sales, 0.0)
        self.assertFalse(partner.credit_suggested_limit_bound)

    def test_apply_by_credit_manager_logged(self):
        self.customer.credit_limit = 5000.0
        self.customer.with_user(self.manager).action_apply_suggested_limit()
        self.assertEqual(self.customer.credit_limit, 1900.0)
        message = self.customer.message_ids.filtered(lambda m: "suggested limit" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.manager.partner_id)
        self.assertRegex(message.body, r"changed from \S+5,000\.00 to \S+1,900\.00")
        self.assertIn("Behaviour grade B", message.body)
        # From a contact: the company's limit.
        self._decide(self.cover, "reduced", 1500.0, date="2026-06-01")
        self.contact.with_user(self.manager).action_apply_suggested_limit()
        self.assertEqual(self.customer.credit_limit, 1500.0)

    def test_apply_refused_to_collector_and_sales(self):
        self.customer.credit_limit = 5000.0
        for user in (self.collector, self.sales_user):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).action_apply_suggested_limit()
            # credit_management's own protection of the limit, whatever the path.
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_limit": 1900.0})
        self.assertEqual(self.customer.credit_limit, 5000.0)
