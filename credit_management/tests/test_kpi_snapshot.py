from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestKpiSnapshot(CreditCommon):
    """The KPIs of a day on a crafted history, computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["credit.kpi.snapshot"]
        # Sold 100 days ago, due 70 days ago: open, outside the DSO's 90 days of sales.
        cls.old = cls._invoice(cls.customer, 1000.0, due_days=-70, invoice_date=day(-100))
        # Sold 20 days ago, due in 10 days.
        cls.recent = cls._invoice(cls.customer, 600.0, due_days=10, invoice_date=day(-20))
        # Sold 60 days ago, due 30 days ago, 150 paid 5 days ago.
        cls.late = cls._invoice(cls.customer, 400.0, due_days=-30, invoice_date=day(-60))
        cls._pay(cls.late, 150.0, date=day(-5))
        # A credit note of 10 days ago, not yet allocated.
        cls._invoice(cls.customer, 100.0, due_days=-10, move_type="out_refund")

    def _promise(self, state, closed):
        # Closed in the past: brought in with its outcome, as a credit manager may.
        self.env["credit.payment.promise"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.old.ids)],
                "date_made": day(-150),
                "date_promised": day(-140),
                "state": state,
                "date_closed": closed,
            }
        )

    def _dispute(self, state, opened, closed=None):
        # Closed in the past: brought in with its outcome, as a credit manager may.
        self.env["credit.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.recent.ids)],
                "reason_id": self.env.ref("credit_management.dispute_reason_price").id,
                "date_opened": opened,
                "state": state if closed else "new",
                "date_resolved": closed or False,
            }
        )

    def _take(self, company=None):
        """The company's KPIs of the day, as the scheduled action takes them."""
        company = company or self.company
        return self.Snapshot._cron_snapshot().filtered(
            lambda s: s.company_id == company and not s.user_id
        )

    def test_receivable_dso_and_cei(self):
        snapshot = self._take()
        self.assertEqual(snapshot.date, TODAY)
        # Open: 1000 + 600 + (400 - 150) - 100; past due: all but the 600.
        self.assertAlmostEqual(snapshot.receivable, 1750.0)
        self.assertAlmostEqual(snapshot.overdue, 1150.0)
        self.assertAlmostEqual(snapshot.overdue_rate, 100.0 * 1150 / 1750, places=1)
        # Sales of the last 90 days: 600 + 400 - 100; DSO = 1750 / 900 x 90.
        self.assertAlmostEqual(snapshot.sales_90, 900.0)
        self.assertAlmostEqual(snapshot.dso, 175.0)
        # Rates are kept to one decimal. CEI over 30 days: receivable 30 days ago 1400
        # (1000 + 400), sales since 500 (600 - 100), receivable now 1750, not due now 600.
        self.assertAlmostEqual(
            snapshot.cei, 100.0 * (1400 + 500 - 1750) / (1400 + 500 - 600), places=1
        )
        self.assertEqual(snapshot.promise_count, 0)
        self.assertEqual(snapshot.promise_kept_rate, 0.0)

    def test_promises_and_disputes(self):
        self._promise("kept", day(-10))
        self._promise("kept", day(-30))
        self._promise("broken", day(-20))
        self._promise("kept", day(-120))  # outside the 90 days
        self._promise("cancelled", day(-5))  # neither kept nor broken
        self._dispute("resolved", day(-30), day(-20))
        self._dispute("rejected", day(-10), day(-4))
        self._dispute("cancelled", day(-10), day(-9))  # not resolved
        self._dispute("new", day(-3))  # still open
        snapshot = self._take()
        self.assertEqual(snapshot.promise_count, 3)
        self.assertAlmostEqual(snapshot.promise_kept_rate, 200.0 / 3, places=1)
        self.assertEqual(snapshot.dispute_count, 2)
        self.assertAlmostEqual(snapshot.dispute_resolution_days, 8.0)

    def test_once_a_day_and_the_trend(self):
        first = self._take()
        self._pay(self.old, 1000.0)
        again = self._take()
        self.assertEqual(again, first, "taken again the same day: rewritten")
        self.assertAlmostEqual(again.receivable, 750.0)
        with freeze_time(day(1)):
            tomorrow = self._take()
        self.assertEqual(tomorrow.date, day(1))
        self.assertEqual(
            self.Snapshot.search_count(
                [("company_id", "=", self.company.id), ("user_id", "=", False)]
            ),
            2,
        )
        self.assertTrue(tomorrow.is_latest)
        self.assertFalse(first.is_latest, "the latest is tomorrow's")

    def test_access_and_companies(self):
        other_company = self.setup_other_company()["company"]
        self._invoice(self.customer, 500.0, due_days=-10, company=other_company)
        snapshots = self.Snapshot._cron_snapshot()
        self.assertEqual(snapshots.company_id, self.env["res.company"].search([]))
        other = snapshots.filtered(lambda s: s.company_id == other_company)
        self.assertAlmostEqual(other.receivable, 500.0)
        mine = snapshots.filtered(lambda s: s.company_id == self.company and not s.user_id)
        self.assertAlmostEqual(mine.receivable, 1750.0, "each company its own")
        visible = self.Snapshot.with_user(self.collector).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.sales_user).search([])
        with self.assertRaises(AccessError):
            mine.with_user(self.collector).write({"dso": 1.0})
