from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import Form
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDispute(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dispute = cls.env["credit.dispute"]
        cls.Dunning = cls.env["credit.dunning"]
        cls.company.write(
            {
                "credit_dunning_scenario_id": cls.env.ref(
                    "credit_management.dunning_scenario_standard"
                ).id,
                "credit_manager_id": cls.manager.id,
            }
        )
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.reason_price = cls.env.ref("credit_management.dispute_reason_price")
        cls.reason_price.user_id = cls.collector

    def _open(self, invoices, user=None, **values):
        Dispute = self.Dispute.with_user(user) if user else self.Dispute
        return Dispute.create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(invoices.ids)],
                "reason_id": self.reason_price.id,
                **values,
            }
        )

    def _reminded(self, offset=0):
        # The run of that day, on that day (no run is dated in the future).
        with freeze_time(day(offset)):
            reminders = self.Dunning.run_dunning(day(offset))
        return reminders.line_ids.filtered(lambda line: line.line_type == "invoice").move_id

    def test_dispute_stops_and_rejection_resumes_dunning(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        # The salesperson's own invoice: he reads it.
        invoice.invoice_user_id = self.sales_user
        other = self._invoice(self.customer, 300.0, due_days=-20)
        dispute = self._open(invoice, user=self.sales_user, description="<p>Prix faux</p>")
        self.assertTrue(dispute.name.startswith("LIT/"))
        self.assertEqual(dispute.state, "new")
        self.assertEqual(dispute.amount, 500.0)
        self.assertEqual(dispute.user_id, self.collector, "the reason's responsible")
        self.assertEqual(dispute.date_deadline, day(10), "the reason's target time")
        self.assertTrue(invoice.in_dispute)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "credit.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(activity.date_deadline, day(10))
        self.assertIn(dispute.name, " ".join(invoice.message_ids.mapped("body")))
        # The disputed invoice is neither reminded nor listed; the other one is.
        reminder = self.Dunning.run_dunning(TODAY)
        self.assertEqual(reminder.line_ids.move_id, other)
        dispute.with_user(self.collector).action_start()
        self.assertEqual(dispute.state, "in_progress")
        self.assertTrue(invoice.in_dispute)
        # Rejecting needs a reason.
        action = dispute.with_user(self.collector).action_reject()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.collector)
            .with_context(**action["context"])
            .create({"reason": "  "})
        )
        with self.assertRaises(UserError):
            wizard.action_reject()
        wizard.reason = "The price is the one of the signed quotation."
        wizard.action_reject()
        self.assertEqual(dispute.state, "rejected")
        self.assertEqual(dispute.rejection_reason, "The price is the one of the signed quotation.")
        self.assertEqual(dispute.date_resolved, TODAY)
        self.assertFalse(dispute.sudo().activity_ids, "the responsible's to-do is done")
        self.assertFalse(invoice.in_dispute)
        self.assertIn(invoice, self._reminded(offset=1), "dunning resumes")
        with self.assertRaises(UserError):
            dispute.with_user(self.collector).action_cancel()

    def test_resolution_with_a_credit_note(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        dispute = self._open(invoice)
        action = dispute.action_resolve()
        self.assertEqual(action["res_model"], "account.move.reversal")
        wizard = (
            self.env["account.move.reversal"]
            .with_context(**action["context"])
            .create({"journal_id": invoice.journal_id.id})
        )
        self.assertEqual(wizard.credit_dispute_id, dispute)
        self.assertIn(dispute.name, wizard.reason)
        wizard.refund_moves()
        refund = dispute.refund_move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.amount_total, 500.0)
        self.assertEqual(dispute.state, "resolved")
        self.assertEqual(dispute.date_resolved, TODAY)
        self.assertFalse(invoice.in_dispute)
        with self.assertRaises(UserError):
            dispute.action_resolve()

    def test_deadline_activity_for_the_credit_manager(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        dispute = self._open(invoice)
        self.Dispute._cron_check_deadlines()
        self.assertFalse(dispute.activity_ids.filtered(lambda a: a.user_id == self.manager))
        with freeze_time(day(11)):
            self.assertTrue(dispute.is_late)
            self.assertIn(dispute, self.Dispute.search([("is_late", "=", True)]))
            self.Dispute._cron_check_deadlines()
            late = dispute.activity_ids.filtered(lambda a: a.user_id == self.manager)
            self.assertEqual(len(late), 1)
            self.assertIn("late", late.summary)
            self.Dispute._cron_check_deadlines()
            self.assertEqual(
                len(dispute.activity_ids.filtered(lambda a: a.user_id == self.manager)),
                1,
                "the credit manager is told once",
            )
        self.assertNotIn(dispute, self.Dispute.search([("is_late", "=", True)]))

    def test_open_from_invoice_and_checks(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        invoice.invoice_user_id = self.sales_user
        action = invoice.with_user(self.sales_user).action_open_dispute()
        form = Form(self.Dispute.with_user(self.sales_user).with_context(**action["context"]))
        form.reason_id = self.env.ref("credit_management.dispute_reason_not_received")
        dispute = form.save()
        self.assertEqual(dispute.move_ids, invoice)
        self.assertEqual(dispute.source, "invoice")
        self.assertEqual(dispute.user_id, self.collector, "the customer's collector by default")
        other_customer = self.env["res.partner"].create({"name": "Autre client"})
        foreign = self._invoice(other_customer, 100.0, due_days=-5)
        with self.assertRaises(ValidationError):
            self._open(foreign)
        with self.assertRaises(UserError):
            (invoice | foreign).action_open_dispute()
        with self.assertRaises(ValidationError):
            self._open(invoice, amount=-1.0)

    def test_access_rights(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        invoice.invoice_user_id = self.sales_user
        dispute = self._open(invoice, user=self.sales_user)
        # Salespeople open disputes and read them, but do not handle them.
        with self.assertRaises(AccessError):
            dispute.with_user(self.sales_user).action_start()
        with self.assertRaises(AccessError):
            dispute.with_user(self.sales_user).write({"amount": 10.0})
        with self.assertRaises(AccessError):
            dispute.with_user(self.collector).unlink()
        with self.assertRaises(AccessError):
            self.reason_price.with_user(self.collector).write({"resolution_days": 1})
        dispute.with_user(self.collector).action_start()
        self.reason_price.with_user(self.manager).resolution_days = 7

    def test_companies_kept_apart(self):
        other_company = self.setup_other_company()["company"]
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        dispute = self._open(invoice)
        collector = self.collector
        self.assertNotIn(other_company, collector.company_ids)
        foreign = self.Dispute.with_company(other_company).create(
            {
                "partner_id": self.customer.id,
                "company_id": other_company.id,
                "reason_id": self.reason_price.id,
            }
        )
        visible = self.Dispute.with_user(collector).search([])
        self.assertIn(dispute, visible)
        self.assertNotIn(foreign, visible)

    def test_from_a_reminder_and_a_customer(self):
        invoice = self._invoice(self.customer, 500.0, due_days=-20)
        reminder = self.Dunning.run_dunning(TODAY)
        action = reminder.with_user(self.collector).action_open_dispute()
        form = Form(self.Dispute.with_user(self.collector).with_context(**action["context"]))
        form.reason_id = self.reason_price
        dispute = form.save()
        self.assertEqual(dispute.dunning_id, reminder)
        self.assertEqual(dispute.source, "reminder")
        self.assertEqual(dispute.move_ids, invoice)
        action = reminder.with_user(self.collector).action_log_promise()
        form = Form(
            self.env["credit.payment.promise"]
            .with_user(self.collector)
            .with_context(**action["context"])
        )
        form.date_promised = day(7)
        promise = form.save()
        self.assertEqual(promise.dunning_id, reminder)
        self.assertEqual(promise.source, "reminder")
        self.assertEqual(promise.amount, 500.0)
        self.assertEqual(self.customer.credit_dispute_count, 1)
        self.assertEqual(self.customer.credit_promise_count, 1)
        action = self.customer.action_view_credit_disputes()
        self.assertEqual(self.Dispute.search(action["domain"]), dispute)
        self.assertEqual(action["context"]["default_source"], "customer")
