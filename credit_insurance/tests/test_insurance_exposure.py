from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceExposure(InsuranceCommon):
    def _status(self, partner):
        partner.invalidate_recordset(["insured_limit", "insurance_status", "uncovered_exposure"])
        return partner.insurance_status, partner.insured_limit, partner.uncovered_exposure

    def test_no_policy(self):
        self.policy.action_close()
        self._invoice(self.customer, 1000.0)
        self.assertEqual(self._status(self.customer), ("no_policy", 0.0, 0.0))
        self.assertFalse(self.customer._credit_check(500.0)["blocked"])

    def test_status_per_case(self):
        """Covered, over the limit, partial, uncovered: limit and uncovered exposure."""
        self._invoice(self.customer, 1000.0)
        self.assertEqual(self._status(self.customer), ("uncovered", 0.0, 1000.0), "no cover")
        cover = self._cover(self.customer, 6000.0)
        cover.action_request()
        self.assertEqual(self._status(self.customer), ("uncovered", 0.0, 1000.0), "requested")
        self._decide(cover, "granted", 5000.0)
        self.assertEqual(self._status(self.customer), ("covered", 5000.0, 0.0))
        self.assertEqual(self._status(self.contact), ("covered", 5000.0, 0.0), "its contact")
        self._invoice(self.contact, 5000.0)
        self.assertEqual(self._status(self.customer), ("over_limit", 5000.0, 1000.0))
        self._decide(cover, "partial", 8000.0, date="2026-02-01")
        self.assertEqual(self._status(self.customer), ("partial", 8000.0, 0.0))
        self._decide(cover, "refused", 0.0, date="2026-03-01")
        self.assertEqual(self._status(self.customer), ("uncovered", 0.0, 6000.0))

    def test_discretionary_limit(self):
        """Without any decision the policy's discretionary limit applies, not after a
        refusal (the insurer named the buyer)."""
        self.policy.discretionary_limit = 3000.0
        self._invoice(self.customer, 1000.0)
        self.assertEqual(self._status(self.customer), ("covered", 3000.0, 0.0))
        self._invoice(self.customer, 2500.0)
        self.assertEqual(self._status(self.customer), ("over_limit", 3000.0, 500.0))
        self._decide(self._cover(self.customer), "refused", 0.0)
        self.assertEqual(self._status(self.customer), ("uncovered", 0.0, 3500.0))

    def test_expired_decision(self):
        cover = self._cover(self.customer)
        # A decision is recorded as the insurer gave it: its end with it.
        self._decide(cover, "granted", 5000.0, date_end="2026-05-31")
        self.assertEqual(self._status(self.customer)[:2], ("uncovered", 0.0))

    def test_two_currencies(self):
        """An invoice in another currency counts in company currency; a policy in another
        currency converts its limit."""
        eur = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self._invoice(self.customer, 2000.0, currency=eur)  # 1,000 in company currency
        self._invoice(self.customer, 500.0)
        self.policy.currency_id = eur
        self._decide(self._cover(self.customer), "granted", 2400.0)  # 1,200
        self.assertEqual(self.customer.credit_exposure, 1500.0)
        self.assertEqual(self._status(self.customer), ("over_limit", 1200.0, 300.0))

    def test_batch_of_customers(self):
        """Figures of a batch of customers read at once, each its own."""
        other = self.env["res.partner"].create({"name": "Minoterie Dupont", "is_company": True})
        self._invoice(self.customer, 3000.0)
        self._invoice(other, 700.0)
        self._decide(self._cover(self.customer), "granted", 2000.0)
        self._decide(self._cover(other), "granted", 1000.0)
        partners = (self.customer | other).with_company(self.company)
        self.assertEqual(partners.mapped("uncovered_exposure"), [1000.0, 0.0])
        self.assertEqual(partners.mapped("insurance_status"), ["over_limit", "covered"])

    def test_order_blocked_by_refused_cover(self):
        """A refused cover holds the customer: its order cannot be confirmed."""
        self._invoice(self.customer, 200.0)
        self._decide(self._cover(self.customer), "refused", 0.0)
        check = self.customer._credit_check(500.0)
        self.assertTrue(check["blocked"])
        self.assertEqual([code for code, _message in check["reasons"]], ["insurer"])
        self.assertIn("cover of this customer is Refused", check["reasons"][0][1])
        self.assertEqual(self.customer.credit_hold_reason, "insurer")
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.assertIn("Credit insurer", order.credit_check_message)
        with self.assertRaises(UserError):
            order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "draft")
        self.company.credit_insurance_hold_refused = False
        self.assertFalse(self.customer._credit_check(500.0)["blocked"])

    def test_order_blocked_over_insured_limit(self):
        """Exposure over the insured limit by more than the company's share holds."""
        self._invoice(self.customer, 900.0)
        self._decide(self._cover(self.customer), "granted", 1000.0)
        self.assertFalse(self.customer._credit_check(200.0)["blocked"], "1,100: within 10 %")
        check = self.customer._credit_check(300.0)
        self.assertTrue(check["blocked"])
        self.assertIn("over the insured limit", check["reasons"][0][1])
        self.assertIn("by more than 10 %", check["reasons"][0][1], "a whole share, no decimals")
        order = self._order(self.customer, 300.0, user=self.sales_user)
        with self.assertRaises(UserError):
            order.with_user(self.sales_user).action_confirm()
        small = self._order(self.customer, 150.0, user=self.sales_user)
        small.with_user(self.sales_user).action_confirm()
        self.assertEqual(small.state, "sale")
        self.company.credit_insurance_hold_excess = 0.0
        self.assertFalse(self.customer._credit_check(5000.0)["blocked"], "off")
