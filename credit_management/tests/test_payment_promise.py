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
class TestPaymentPromise(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Promise = cls.env["credit.payment.promise"]
        cls.Dunning = cls.env["credit.dunning"]
        cls.company.write(
            {
                "credit_dunning_scenario_id": cls.env.ref(
                    "credit_management.dunning_scenario_standard"
                ).id,
                "credit_promise_grace_days": 3,
                "credit_promise_partial_rule": "full",
            }
        )
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})

    def _promise(self, invoices, amount=None, date_promised=None, user=None, **values):
        Promise = self.Promise.with_user(user) if user else self.Promise
        vals = {
            "partner_id": self.customer.id,
            "move_ids": [Command.set(invoices.ids)],
            "date_promised": date_promised or day(5),
            **values,
        }
        if amount is not None:
            vals["amount"] = amount
        return Promise.create(vals)

    def _reminded(self, offset=0):
        with freeze_time(day(offset)):
            reminders = self.Dunning.run_dunning(day(offset))
        return reminders.line_ids.filtered(lambda line: line.line_type == "invoice").move_id

    def test_kept_by_the_payment(self):
        invoice = self._invoice(self.customer, 1000.0, due_days=-20)
        promise = self._promise(invoice)
        self.assertEqual(promise.amount, 1000.0, "the balance of the invoices by default")
        self.assertEqual(promise.date_grace, day(8))
        self.assertEqual(promise.user_id, self.collector)
        self.assertEqual(invoice.promise_ids, promise)
        self.assertFalse(self._reminded(), "an open promise suspends the reminders")
        self.assertFalse(self._reminded(offset=8), "until the end of the grace period")
        # The payment, once reconciled, keeps the promise at once.
        self._pay(invoice, 1000.0, date=day(4))
        self.assertEqual(promise.state, "kept")
        self.assertEqual(promise.amount_paid, 1000.0)
        self.assertEqual(promise.date_closed, TODAY)

    def test_broken_then_dunning_resumes_at_the_next_level(self):
        invoice = self._invoice(self.customer, 600.0, due_days=-20)
        first = self._reminded()
        self.assertEqual(first, invoice)
        level = invoice.dunning_level_id
        promise = self._promise(invoice, date_promised=day(5))
        self.Promise._cron_evaluate()
        self.assertEqual(promise.state, "open")
        with freeze_time(day(8)):
            self.Promise._cron_evaluate()
        self.assertEqual(promise.state, "open", "not broken during the grace period")
        with freeze_time(day(9)):
            self.Promise._cron_evaluate()
        self.assertEqual(promise.state, "broken")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "credit.payment.promise"), ("res_id", "=", promise.id)]
        )
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("Broken promise", activity.summary)
        self.assertEqual(self._reminded(offset=9), invoice, "reminders resume")
        self.assertEqual(invoice.dunning_level_id.days > level.days, True, "at the next level")

    def test_partial_payments(self):
        invoice = self._invoice(self.customer, 600.0, due_days=-20)
        # A payment before the promise does not count for it.
        self._pay(invoice, 100.0, date=day(-2))
        promise = self._promise(invoice)
        self.assertEqual(promise.amount, 500.0)
        self._pay(invoice, 450.0, date=TODAY)
        self.assertEqual(promise.state, "open", "the whole amount is needed")
        self.assertEqual(promise.amount_paid, 450.0)
        with freeze_time(day(9)):
            self.Promise._cron_evaluate()
        self.assertEqual(promise.state, "broken")
        # With the 'share' rule, 90 % of the amount keeps the promise.
        self.company.write(
            {"credit_promise_partial_rule": "share", "credit_promise_kept_share": 90}
        )
        other = self._invoice(self.customer, 1000.0, due_days=-10)
        second = self._promise(other)
        self._pay(other, 850.0, date=TODAY)
        self.assertEqual(second.state, "open", "85 % is not enough")
        self._pay(other, 50.0, date=day(1))
        self.assertEqual(second.state, "kept", "90 % keeps it")
        self.assertEqual(second.amount_paid, 900.0)

    def test_checks_and_cancel(self):
        invoice = self._invoice(self.customer, 600.0, due_days=-20)
        with self.assertRaises(ValidationError):
            self._promise(invoice, amount=0.0)
        with self.assertRaises(ValidationError):
            self._promise(invoice, date_promised=day(-1))
        stranger = self.env["res.partner"].create({"name": "Autre client"})
        with self.assertRaises(ValidationError):
            self._promise(self._invoice(stranger, 100.0, due_days=-5))
        promise = self._promise(invoice)
        promise.with_user(self.collector).action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertEqual(self._reminded(), invoice, "a cancelled promise suspends nothing")

    def test_access_rights_and_companies(self):
        invoice = self._invoice(self.customer, 600.0, due_days=-20)
        invoice.invoice_user_id = self.sales_user
        promise = self._promise(invoice, user=self.sales_user, source="invoice")
        self.assertEqual(promise.source, "invoice")
        with self.assertRaises(AccessError):
            promise.with_user(self.sales_user).action_cancel()
        with self.assertRaises(AccessError):
            promise.with_user(self.collector).unlink()
        promise.with_user(self.collector).date_promised = day(6)
        other_company = self.setup_other_company()["company"]
        foreign = self.Promise.with_company(other_company).create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "amount": 10.0,
                "date_promised": day(3),
            }
        )
        visible = self.Promise.with_user(self.collector).search([])
        self.assertIn(promise, visible)
        self.assertNotIn(foreign, visible)
