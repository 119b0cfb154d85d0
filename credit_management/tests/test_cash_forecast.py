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
class TestCashForecast(CreditCommon):
    """When the open invoices should be paid, from promises, due dates and behaviour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Forecast = cls.env["credit.cash.forecast"]
        # The customer pays 5 days late on average (its behaviour score here).
        cls.env["credit.partner.score"].sudo().create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date": TODAY,
                "score": 70,
                "grade": "B",
                "avg_days_late": 5.4,
            }
        )
        cls.future = cls._invoice(cls.customer, 400.0, due_days=10)
        cls._pay(cls.future, 100.0)
        cls.promised = cls._invoice(cls.customer, 250.0, due_days=-20)
        cls.promise = cls.env["credit.payment.promise"].create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(cls.promised.ids)],
                "date_promised": day(7),
            }
        )
        cls.late = cls._invoice(cls.customer, 180.0, due_days=-20)
        cls.disputed = cls._invoice(cls.customer, 90.0, due_days=-5)
        cls.env["credit.dispute"].create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(cls.disputed.ids)],
                "reason_id": cls.env.ref("credit_management.dispute_reason_price").id,
            }
        )
        cls.handed_off = cls._invoice(cls.customer, 70.0, due_days=-90)
        # As the engine records a hand-off (the reminder of a litigation level).
        cls.handed_off.sudo().dunning_handoff_date = day(-10)
        # Not cash to come: a paid invoice and a credit note.
        paid = cls._invoice(cls.customer, 999.0, due_days=-30)
        cls._pay(paid, 999.0)
        cls._invoice(cls.customer, 40.0, due_days=-3, move_type="out_refund")
        cls.newcomer = cls.env["res.partner"].create({"name": "Épicerie Roux", "is_company": True})
        cls.unknown = cls._invoice(cls.newcomer, 60.0, due_days=30)

    def _rows(self, user=None):
        Forecast = self.Forecast.with_user(user) if user else self.Forecast
        rows = Forecast.search([("company_id", "=", self.company.id)])
        return {row.move_id: row for row in rows}

    def test_expected_dates(self):
        rows = self._rows()
        self.assertEqual(
            set(rows),
            {self.future, self.promised, self.late, self.disputed, self.handed_off, self.unknown},
            "the open invoices, neither paid ones nor credit notes",
        )
        expected = {
            self.future: (300.0, day(15), "behaviour"),  # due in 10 days, 5 days late
            self.promised: (250.0, day(7), "promise"),
            self.late: (180.0, TODAY, "behaviour"),  # 20 days late: expected now
            self.disputed: (90.0, False, "disputed"),
            self.handed_off: (70.0, False, "litigation"),
            self.unknown: (60.0, day(30), "due"),  # no history: its due date
        }
        for invoice, (amount, date, basis) in expected.items():
            row = rows[invoice]
            self.assertEqual(
                (row.amount, row.date_expected, row.basis), (amount, date, basis), invoice.name
            )
            self.assertEqual(row.partner_id, invoice.commercial_partner_id)
            self.assertEqual(row.user_id, self.collector)
        self.assertEqual(rows[self.future].date_due, day(10))

    def test_follows_promises_and_payments(self):
        # Evaluated after its grace period (day 10), unpaid: broken.
        self.promise._promise_evaluate(day(11))
        self.assertEqual(self.promise.state, "broken")
        self._pay(self.late, 180.0)
        self.env.invalidate_all()
        rows = self._rows()
        self.assertEqual(rows[self.promised].basis, "behaviour")
        self.assertEqual(rows[self.promised].date_expected, TODAY)
        self.assertNotIn(self.late, rows, "paid: no longer expected")

    def test_access_and_companies(self):
        with self.assertRaises(AccessError):
            self.Forecast.with_user(self.sales_user).search([])
        other_company = self.setup_other_company()["company"]
        foreign = self._invoice(self.customer, 500.0, due_days=10, company=other_company)
        self.assertEqual(
            self.Forecast.search([("move_id", "=", foreign.id)]).basis,
            "due",
            "the score of another company does not count",
        )
        self.assertNotIn(foreign, self._rows(user=self.collector))
        self.assertFalse(
            self.Forecast.with_user(self.collector).search([("company_id", "=", other_company.id)])
        )
