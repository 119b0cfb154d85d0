from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCreditScore(CreditCommon):
    """Behaviour score and grade on crafted histories (dates pinned)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.on_time, cls.late, cls.mixed, cls.fresh = cls.Partner.create(
            [
                {"name": name, "is_company": True}
                for name in ("Payeur ponctuel", "Payeur en retard", "Payeur mixte", "Nouveau")
            ]
        )

    def _paid(self, partner, amount, due_days, days_late):
        """An invoice due ``due_days`` from TODAY, paid ``days_late`` after its due date."""
        invoice = self._invoice(partner, amount, due_days=due_days, invoice_date=day(due_days - 30))
        self._pay(invoice, amount, date=day(due_days + days_late))
        return invoice

    def _update(self):
        self.Partner._cron_update_credit_score(TODAY)
        self.Partner.invalidate_model(["credit_score", "credit_grade", "avg_days_late"])

    def test_grades_from_histories(self):
        self._paid(self.on_time, 1000.0, -100, 0)
        self._paid(self.on_time, 500.0, -60, 0)
        self._paid(self.late, 1000.0, -100, 45)
        self._paid(self.late, 1000.0, -80, 45)
        self._update()
        self.assertEqual((self.on_time.credit_score, self.on_time.credit_grade), (100, "A"))
        self.assertAlmostEqual(self.late.avg_days_late, 45.0)
        # 100 - 40 (days late, capped) - 20 (every invoice paid late) = 40.
        self.assertEqual((self.late.credit_score, self.late.credit_grade), (40, "D"))
        self.assertEqual(
            (self.fresh.credit_score, self.fresh.credit_grade), (60, "C"), "no history: neutral"
        )
        # A contact shows its company's score.
        contact = self.Partner.create({"name": "Compta", "parent_id": self.late.id})
        self.assertEqual(contact.credit_grade, "D")

    def test_weighted_days_late_and_overdue_ratio(self):
        self._paid(self.mixed, 1000.0, -120, 10)
        self._paid(self.mixed, 3000.0, -90, 30)
        self._paid(self.mixed, 2000.0, -60, 0)
        self._invoice(self.mixed, 600.0, due_days=-10)  # overdue now
        self._invoice(self.mixed, 400.0, due_days=20)  # not due yet
        self._update()
        score = self.mixed.sudo().credit_score_id
        # (1000 x 10 + 3000 x 30 + 2000 x 0) / 6000 = 16.7 days.
        self.assertAlmostEqual(self.mixed.avg_days_late, round(100000 / 6000, 1))
        self.assertAlmostEqual(score.late_share, round(200 / 3, 1))
        self.assertAlmostEqual(score.overdue_ratio, 60.0)
        self.assertEqual(score.invoice_count, 3)
        expected = round(100 - 100000 / 6000 - 20 * 2 / 3 - 10 * 0.6)
        self.assertEqual(self.mixed.credit_score, expected)
        self.assertEqual(self.mixed.credit_grade, "B" if expected >= 65 else "C")

    def test_broken_promises_and_rejected_disputes(self):
        self._paid(self.on_time, 1000.0, -100, 0)
        open_invoice = self._invoice(self.on_time, 300.0, due_days=5)
        with freeze_time(day(-30)):
            promise = self.env["credit.payment.promise"].create(
                {
                    "partner_id": self.on_time.id,
                    "move_ids": [Command.set(open_invoice.ids)],
                    "date_made": day(-30),
                    "date_promised": day(-20),
                }
            )
            promise._promise_evaluate(day(-10))
        self.assertEqual(promise.state, "broken")
        dispute = self.env["credit.dispute"].create(
            {
                "partner_id": self.on_time.id,
                "move_ids": [Command.set(open_invoice.ids)],
                "reason_id": self.env.ref("credit_management.dispute_reason_other").id,
            }
        )
        dispute._dispute_rejected("Delivered and signed.")
        self._update()
        score = self.on_time.sudo().credit_score_id
        self.assertEqual((score.promises_broken, score.disputes_rejected), (1, 1))
        self.assertEqual(self.on_time.credit_score, 100 - 10 - 5)
        self.assertEqual(self.on_time.credit_grade, "A")

    def test_access_and_companies(self):
        self._paid(self.late, 1000.0, -100, 45)
        self._update()
        # Everyone who reads the customer sees its grade; only managers see the factors.
        self.assertEqual(self.late.with_user(self.sales_user).credit_grade, "D")
        with self.assertRaises(AccessError):
            self.env["credit.partner.score"].with_user(self.sales_user).search([])
        with self.assertRaises(AccessError):
            self.env["credit.partner.score"].with_user(self.collector).search([])
        self.assertTrue(self.late.with_user(self.manager).credit_score_id)
        # Another company: its own history, nothing of this one.
        other = self.setup_other_company()["company"]
        self.assertEqual(self.late.with_company(other).credit_grade, "C", "no history there")
        self.assertEqual(self.late.credit_grade, "D")

    def test_score_display_name_and_factors_on_partner(self):
        """The factors read as a score, not as ``credit.partner.score,7``, and the customer
        shows them to managers."""
        self._paid(self.late, 1000.0, -100, 45)
        self._invoice(self.late, 500.0, due_days=-10)
        self._update()
        score = self.late.sudo().credit_score_id
        self.assertEqual(score.display_name, f"Score {score.score} ({score.grade}) on 06/15/2026")
        late = self.late.with_user(self.manager)
        self.assertEqual(late.credit_score_id.display_name, score.display_name)
        self.assertEqual(late.credit_score_invoice_count, 1)
        self.assertEqual(late.credit_score_late_share, 100.0)
        self.assertEqual(late.credit_score_overdue_ratio, 100.0)
        self.assertEqual(late.credit_score_date, TODAY)
        self.assertEqual(late.credit_score_promises_broken, 0)

    def test_profile_follows_the_score_unless_pinned(self):
        good = self.env.ref("credit_management.payer_profile_good")
        standard = self.env.ref("credit_management.payer_profile_standard")
        late = self.env.ref("credit_management.payer_profile_late")
        strategic = self.env.ref("credit_management.payer_profile_strategic")
        self._paid(self.on_time, 1000.0, -100, 0)
        self._paid(self.late, 1000.0, -100, 45)
        self._paid(self.mixed, 1000.0, -100, 45)
        # A manager chose the profile of this one by hand: pinned.
        self.mixed.with_user(self.manager).payer_profile_id = strategic
        self.assertTrue(self.mixed.payer_profile_pinned)
        self.on_time.payer_profile_id = standard
        self.on_time.payer_profile_pinned = False
        self._update()
        self.assertEqual(self.on_time.payer_profile_id, good)
        self.assertEqual(self.late.payer_profile_id, late)
        self.assertEqual(self.mixed.payer_profile_id, strategic, "a pinned profile does not move")
        self.assertFalse(self.fresh.payer_profile_id, "no history, no automatic profile")
        log = self.on_time.message_ids.filtered(lambda m: "behaviour score" in str(m.body))
        self.assertEqual(len(log), 1, "one note per change")
        self.assertIn(good.name, str(log.body), "the change is logged in the chatter")
        self.assertIn(standard.name, str(log.body), "with the profile it had before")
        log = self.late.message_ids.filtered(lambda m: "behaviour score" in str(m.body))
        self.assertIn(late.name, str(log.body))
        self._update()
        self.assertEqual(
            len(self.on_time.message_ids.filtered(lambda m: "behaviour score" in str(m.body))),
            1,
            "nothing logged when the profile stays",
        )
        self.assertFalse(self.on_time.payer_profile_pinned, "an automatic change pins nothing")
        with self.assertRaises(ValidationError):
            good.score_min = 101
