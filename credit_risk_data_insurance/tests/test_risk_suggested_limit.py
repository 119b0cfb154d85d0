"""The latest rating in the suggested credit limit (the company's setting), by hand."""

from odoo.addons.credit_insurance.tests import test_insurance_suggested_limit
from odoo.tests import freeze_time
from odoo.tests import tagged


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskSuggestedLimit(test_insurance_suggested_limit.TestInsuranceSuggestedLimit):
    """credit_insurance's customer (its tests are not run again here: Odoo's loader takes
    the methods a class defines): 1,450 of sales a month on 30-day terms, one invoice paid
    10 days late (score 70, grade B), a cover of 10,000; suggested 1,900."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        provider = cls.env["credit.risk.provider"].create(
            {"name": "Ellisphere export", "provider_code": "manual"}
        )
        cls.rating = cls.env["credit.risk.rating"].create(
            {
                "partner_id": cls.customer.id,
                "provider_id": provider.id,
                "date": "2026-06-01",
                "score": 40.0,
                "default_probability": 3.75,
                "recommended_limit": 1550.0,
            }
        )

    def _suggest(self, use):
        self.company.credit_risk_use_ratings = use
        self.env["res.partner"]._cron_update_credit_score()
        self.env.invalidate_all()
        return self.customer

    def test_setting_off_changes_nothing(self):
        customer = self._suggest(False)
        self.assertEqual((customer.credit_score, customer.credit_grade), (70, "B"))
        self.assertEqual(customer.credit_suggested_limit, 1900.0)
        self.assertEqual(customer.credit_suggested_limit_bound, "score")
        self.assertNotIn("rating", customer.credit_suggested_limit_reasons)

    def test_capped_by_the_rating(self):
        customer = self._suggest(True)
        # Score 70 - 8 (3.75 % x 2, halves up) = 62, grade C: 75 % of the need of 2,175 is
        # 1,631.25, within the 10,000 insured; the rating recommends 1,550: 1,500.
        self.assertEqual((customer.credit_score, customer.credit_grade), (62, "C"))
        self.assertEqual(customer.credit_suggested_limit, 1500.0)
        self.assertEqual(customer.credit_suggested_limit_bound, "rating")
        reasons = customer.credit_suggested_limit_reasons.split("\n")
        self.assertEqual(reasons[0], "Capped by the limit the customer's rating recommends.")
        self.assertIn("Behaviour grade C: 75 % of it", reasons[2])
        self.assertIn("1,631.25", reasons[2])
        self.assertTrue(reasons[-2].startswith("Capped at the limit of "), reasons)
        self.assertIn(
            "1,550.00 recommended by the rating of Ellisphere export of 06/01/2026.", reasons[-2]
        )
        self.assertTrue(reasons[-1].startswith("Rounded down to the hundred: "), reasons)
        self.assertIn("1,500.00", reasons[-1])
        # Applied by a credit manager, logged with the reasons.
        customer.with_user(self.manager).action_apply_suggested_limit()
        self.assertEqual(customer.credit_limit, 1500.0)

    def test_within_the_rating(self):
        self.rating.recommended_limit = 5000.0
        customer = self._suggest(True)
        self.assertEqual(customer.credit_suggested_limit, 1600.0, "1,631.25 rounded down")
        self.assertEqual(customer.credit_suggested_limit_bound, "score")
        self.assertIn(
            "5,000.00 recommended by the rating of Ellisphere export",
            customer.credit_suggested_limit_reasons,
        )
        # A recommended limit of 0 caps nothing and says nothing.
        self.rating.recommended_limit = 0.0
        self.env.invalidate_all()
        self.assertEqual(customer.credit_suggested_limit, 1600.0)
        self.assertNotIn("recommended by the rating", customer.credit_suggested_limit_reasons)
