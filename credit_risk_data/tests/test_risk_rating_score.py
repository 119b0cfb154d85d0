"""The latest rating in the behaviour score (the company's setting), figures by hand."""

from odoo.exceptions import AccessError
from odoo.fields import Date
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import RiskCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskRatingScore(RiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One invoice of 1,000 due 2026-05-01, paid 2026-05-11: 10 days late.
        # Score: 100 - 10 (days late) - 20 (all paid late) = 70, grade B.
        paid = cls._invoice(cls.customer, 1000.0, due_days=-45)
        cls._pay(paid, 1000.0, date=Date.to_date("2026-05-11"))
        # A customer without any history: the neutral 60, grade C.
        cls.newcomer = cls.env["res.partner"].create(
            {"name": "Fromageries Leroy", "is_company": True}
        )
        Rating = cls.env["credit.risk.rating"]
        cls.rating = Rating.create(
            {
                "partner_id": cls.customer.id,
                "provider_id": cls.manual.id,
                "date": "2026-06-01",
                "score": 48.0,
                "grade": "C",
                "default_probability": 3.75,
                "recommended_limit": 1500.0,
            }
        )
        # An older rating of the customer: the latest counts, not this one.
        Rating.create(
            {
                "partner_id": cls.customer.id,
                "provider_id": cls.manual.id,
                "date": "2026-03-01",
                "default_probability": 0.5,
            }
        )
        Rating.create(
            {
                "partner_id": cls.newcomer.id,
                "provider_id": cls.manual.id,
                "date": "2026-02-01",
                "default_probability": 12.0,
            }
        )

    def _scores(self):
        self.env["res.partner"]._cron_update_credit_score()
        self.env.invalidate_all()
        return [(p.credit_score, p.credit_grade) for p in (self.customer, self.newcomer)]

    def test_setting_off_changes_nothing(self):
        self.assertFalse(self.company.credit_risk_use_ratings, "off by default")
        self.assertEqual(self._scores(), [(70, "B"), (60, "C")])
        self.assertFalse(self.customer.credit_score_rating_penalty)
        self.assertFalse(self.customer.credit_score_id.rating_id)

    def test_rating_weighs_in_the_score(self):
        self.company.credit_risk_use_ratings = True
        # The customer: 3.75 % x 2 = 7.5, 8 points: 70 - 8 = 62, grade C (50 to 64).
        # The newcomer: 12 % x 2 = 24, at most 20: 60 - 20 = 40, grade D.
        self.assertEqual(self._scores(), [(62, "C"), (40, "D")])
        factors = self.customer.with_user(self.manager)
        self.assertEqual(factors.credit_score_rating_penalty, 8)
        self.assertEqual(factors.credit_score_rating_probability, 3.75)
        self.assertEqual(self.customer.credit_score_id.rating_id, self.rating)
        self.assertEqual(factors.credit_score_invoice_count, 1, "the other factors kept")
        # Turned off again: the next night's scores are credit_management's own.
        self.company.credit_risk_use_ratings = False
        self.assertEqual(self._scores(), [(70, "B"), (60, "C")])
        self.assertFalse(self.customer.credit_score_id.rating_id)

    def test_rating_older_than_a_year_counts_for_nothing(self):
        self.company.credit_risk_use_ratings = True
        with freeze_time("2027-02-02"):
            # The newcomer's rating of 2026-02-01 is a year and a day old: neutral 60. The
            # customer's payment of 2026-05-11 and its rating of 2026-06-01 are within the
            # year: 70 - 8 = 62.
            self.env["res.partner"]._cron_update_credit_score()
            self.env.invalidate_all()
            self.assertEqual(
                [(p.credit_score, p.credit_grade) for p in (self.customer, self.newcomer)],
                [(62, "C"), (60, "C")],
            )

    def test_collector_reads_no_factor(self):
        self.company.credit_risk_use_ratings = True
        self._scores()
        customer = self.customer.with_user(self.collector)
        self.assertEqual(customer.credit_score, 62, "the score is read by all")
        with self.assertRaises(AccessError):  # a manager's factor, as the others
            customer.read(["credit_score_rating_penalty"])
