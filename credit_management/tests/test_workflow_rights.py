"""Workflow fields are set by the records' own actions, whatever a user sends.

Promises, disputes and reminders: what a sales user creates
starts at the beginning of its workflow; a direct write of a state, an outcome or a trail is
refused; the actions check who calls them; the rules of the forms hold in the models.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestWorkflowRights(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "credit_dunning_scenario_id": cls.env.ref(
                    "credit_management.dunning_scenario_standard"
                ).id,
                "credit_promise_max_days": 30,
            }
        )
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.invoice = cls._invoice(cls.customer, 600.0, due_days=-20)
        # The salesperson's own invoice: he reads it, as on his screens.
        cls.invoice.invoice_user_id = cls.sales_user
        cls.reason = cls.env.ref("credit_management.dispute_reason_price")
        cls.billing = new_test_user(
            cls.env,
            login="credit_billing_wf",
            name="Bernard Factures",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
        )

    def _promise(self, user=None, **values):
        Promise = self.env["credit.payment.promise"]
        return Promise.with_user(user or self.env.user).create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "date_promised": day(5),
                **values,
            }
        )

    def _dispute(self, user=None, **values):
        return (
            self.env["credit.dispute"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "reason_id": self.reason.id,
                    **values,
                }
            )
        )

    def _refused(self, record, vals, user, message):
        """``user`` writing ``vals`` on ``record`` is refused, the values left as they were."""
        before = {name: record.sudo()[name] for name in vals}
        with self.assertRaises(AccessError, msg=message):
            # A copy: account.move's write adds to the values it is given.
            record.with_user(user).write(dict(vals))
        record.invalidate_recordset()
        self.assertEqual({name: record.sudo()[name] for name in vals}, before, message)

    # ------------------------------------------------------------
    # CREATION
    # ------------------------------------------------------------

    def test_sales_user_creates_open_promise(self):
        promise = self._promise(
            user=self.sales_user,
            state="broken",
            amount_paid=600.0,
            date_closed=day(-1),
            date_grace=day(3650),
        )
        self.assertEqual(
            (promise.state, promise.amount_paid, promise.date_closed),
            ("open", 0.0, False),
            "a promise a sales user creates is open, whatever he sends",
        )
        self.assertEqual(promise.date_grace, day(8), "the grace period is the company's")
        from_context = (
            self.env["credit.payment.promise"]
            .with_user(self.sales_user)
            .with_context(default_state="broken", default_amount_paid=600.0)
            .create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.invoice.ids)],
                    "date_promised": day(3),
                }
            )
        )
        self.assertEqual(from_context.state, "open", "a context default grants nothing")
        self.assertEqual(from_context.amount_paid, 0.0)
        # A credit manager brings a history in.
        history = self._promise(
            user=self.manager, state="kept", amount_paid=600.0, date_closed=day(-1)
        )
        self.assertEqual((history.state, history.date_closed), ("kept", day(-1)))

    def test_sales_user_creates_new_dispute(self):
        dispute = self._dispute(
            user=self.sales_user,
            name="LIT/FORGED",
            state="rejected",
            rejection_reason="Forged",
            date_resolved=day(-1),
            deadline_notified=True,
        )
        self.assertEqual(dispute.state, "new", "a dispute a sales user opens is new")
        self.assertTrue(dispute.name.startswith("LIT/"), "its reference is the sequence's")
        self.assertNotEqual(dispute.name, "LIT/FORGED")
        self.assertFalse(dispute.rejection_reason or dispute.date_resolved)
        self.assertFalse(dispute.deadline_notified)
        self.assertTrue(self.invoice.in_dispute, "the invoice waits for the dispute")

    # ------------------------------------------------------------
    # DIRECT WRITES AND ACTIONS
    # ------------------------------------------------------------

    def test_promise_states_by_actions_only(self):
        promise = self._promise()
        for user in (self.collector, self.manager):
            self._refused(
                promise,
                {"state": "kept", "amount_paid": 600.0, "date_closed": TODAY},
                user,
                f"{user.login} sets no outcome of a promise",
            )
            self._refused(
                promise, {"date_grace": day(3650)}, user, f"{user.login} extends no grace"
            )
        with self.assertRaises(AccessError, msg="a sales user cancels no promise"):
            promise.with_user(self.sales_user).action_cancel()
        promise.with_user(self.collector).action_evaluate()
        self.assertEqual(promise.state, "open", "nothing paid yet")
        promise.with_user(self.collector).action_cancel()
        self.assertEqual((promise.state, promise.date_closed), ("cancelled", TODAY))

    def test_dispute_states_by_actions_only(self):
        dispute = self._dispute()
        for user in (self.collector, self.manager):
            self._refused(
                dispute,
                {"state": "rejected", "rejection_reason": "No", "date_resolved": TODAY},
                user,
                f"{user.login} rejects no dispute by a write",
            )
        self._refused(dispute, {"deadline_notified": True}, self.collector, "trail")
        with self.assertRaises(UserError, msg="a dispute keeps its reference"):
            dispute.with_user(self.collector).name = "LIT/OTHER"
        self.assertTrue(self.invoice.in_dispute)
        with self.assertRaises(AccessError, msg="a sales user starts no dispute"):
            dispute.with_user(self.sales_user).action_start()
        dispute.with_user(self.collector).action_start()
        self.assertEqual(dispute.state, "in_progress")
        action = dispute.with_user(self.collector).action_reject()
        self.env[action["res_model"]].with_user(self.collector).with_context(
            **action["context"]
        ).create({"reason": "Signed delivery note."}).action_reject()
        self.assertEqual((dispute.state, dispute.date_resolved), ("rejected", TODAY))
        self.assertFalse(self.invoice.in_dispute)

    def test_reminder_states_by_actions_only(self):
        # Every level waits for a collector's validation.
        self.company.credit_dunning_scenario_id.level_ids.requires_validation = True
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.state, "to_validate")
        line = reminder.line_ids[:1]
        for user in (self.collector, self.manager):
            self._refused(
                reminder,
                {"state": "sent", "error_message": "Forged", "date_sent": TODAY},
                user,
                f"{user.login} sends no reminder by a write",
            )
            self._refused(
                reminder,
                {"email_state": "sent", "is_formal_notice": True, "amount_due": 1.0},
                user,
                f"{user.login} writes no sending result nor total",
            )
            self._refused(
                reminder,
                {"line_ids": [Command.unlink(line.id)], "level_id": False},
                user,
                f"{user.login} changes no content of a reminder",
            )
            self._refused(
                line, {"amount_residual": 1.0}, user, f"{user.login} changes no reminder line"
            )
        with self.assertRaises(AccessError, msg="collectors create no reminder by hand"):
            self.env["credit.dunning"].with_user(self.collector).create(
                {
                    "partner_id": self.customer.id,
                    "currency_id": self.currency.id,
                    "level_id": reminder.level_id.id,
                    "line_ids": [Command.create({"move_id": self.invoice.id})],
                }
            )
        with self.assertRaises(AccessError, msg="a sales user validates no reminder"):
            reminder.with_user(self.sales_user).action_validate()
        # A pending reminder changes hands; once sent, it keeps its collector.
        reminder.with_user(self.collector).user_id = self.manager
        reminder.with_user(self.collector).action_validate()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.email_state, "queued")
        with self.assertRaises(UserError, msg="a sent reminder keeps its collector"):
            reminder.with_user(self.collector).user_id = self.collector
        self.assertEqual(reminder.user_id, self.manager)

    # ------------------------------------------------------------
    # RULES OF THE FORMS
    # ------------------------------------------------------------

    def test_promise_horizon(self):
        for user in (self.sales_user, self.collector, self.manager):
            with self.assertRaises(ValidationError, msg=f"{user.login}: 2099 is too far"):
                self._promise(user=user, date_promised=day(365 * 73))
            with self.assertRaises(ValidationError, msg=f"{user.login}: one day too far"):
                self._promise(user=user, date_promised=day(31))
        with self.assertRaises(ValidationError, msg="nor a dispute opened in the future"):
            self._dispute(user=self.sales_user, date_opened=day(30))
        with self.assertRaises(ValidationError, msg="a promise is not made in the future"):
            self._promise(user=self.collector, date_made=day(400), date_promised=day(410))
        promise = self._promise(user=self.collector, date_promised=day(30))
        self.assertEqual(promise.date_promised, day(30), "the longest delay is allowed")
        with self.assertRaises(ValidationError, msg="nor postponed beyond it"):
            promise.with_user(self.collector).date_promised = day(31)

    def test_invoices_of_promises_and_disputes(self):
        draft = self._invoice(self.customer, 100.0, due_days=-5, post=False)
        with self.assertRaises(ValidationError, msg="no dispute on a draft invoice"):
            self._dispute(move_ids=[Command.set(draft.ids)])
        with self.assertRaises(ValidationError, msg="no promise on a draft invoice"):
            self._promise(move_ids=[Command.set(draft.ids)])
        paid = self._invoice(self.customer, 100.0, due_days=-5)
        self._pay(paid, 100.0)
        with self.assertRaises(ValidationError, msg="no promise on a paid invoice"):
            self._promise(move_ids=[Command.set(paid.ids)])

    def test_only_invoices_the_user_reads(self):
        """A promise or a dispute links only invoices its author may read (record rules
        included): a salesperson who sees his own invoices cannot link a colleague's, as
        Odoo 19.0's ORM requires of every many2many, on both series."""
        colleagues = self._invoice(self.customer, 300.0, due_days=-10)
        colleagues.invoice_user_id = self.manager
        Move = self.env["account.move"].with_user(self.sales_user)
        self.assertFalse(Move.search([("id", "=", colleagues.id)]), "he does not see it")
        promises = self.env["credit.payment.promise"].search_count([])
        disputes = self.env["credit.dispute"].search_count([])
        with self.assertRaises(AccessError, msg="no promise on an invoice he cannot read"):
            self._promise(user=self.sales_user, move_ids=[Command.set(colleagues.ids)])
        with self.assertRaises(AccessError, msg="no dispute on an invoice he cannot read"):
            self._dispute(user=self.sales_user, move_ids=[Command.set(colleagues.ids)])
        self.assertEqual(self.env["credit.payment.promise"].search_count([]), promises)
        self.assertEqual(self.env["credit.dispute"].search_count([]), disputes)
        # His own invoice, and the collector's work on any invoice, pass.
        self.assertEqual(self._promise(user=self.sales_user).move_ids, self.invoice)
        dispute = self._dispute(user=self.collector, move_ids=[Command.set(colleagues.ids)])
        self.assertEqual(dispute.move_ids, colleagues)

    def test_fixed_and_closed_fields(self):
        other = self.env["res.partner"].create({"name": "Autre client", "is_company": True})
        dispute = self._dispute()
        with self.assertRaises(UserError, msg="a dispute keeps its customer"):
            dispute.with_user(self.collector).partner_id = other
        with self.assertRaises(UserError, msg="and the day it was opened"):
            dispute.with_user(self.collector).date_opened = day(-30)
        dispute.with_user(self.collector).action_cancel()
        with self.assertRaises(UserError, msg="a closed dispute keeps its amount"):
            dispute.with_user(self.collector).amount = 1.0
        promise = self._promise()
        with self.assertRaises(UserError, msg="a promise keeps the day it was made"):
            promise.with_user(self.collector).date_made = day(-30)
        promise.with_user(self.collector).action_cancel()
        with self.assertRaises(UserError, msg="a closed promise keeps its payment date"):
            promise.with_user(self.collector).date_promised = day(3)
        self.assertEqual(promise.date_promised, day(5))

    # ------------------------------------------------------------
    # THE RUN
    # ------------------------------------------------------------

    def test_run_dunning_managers_only(self):
        Dunning = self.env["credit.dunning"]
        for user in (self.sales_user, self.collector, self.billing):
            with self.assertRaises(AccessError, msg=f"{user.login} runs no company-wide run"):
                Dunning.with_user(user).run_dunning(TODAY)
            with self.assertRaises(AccessError):
                Dunning.with_user(user).action_run_dunning_today()
        self.assertFalse(Dunning.search([]), "nothing created, nothing sent")
        manager = Dunning.with_user(self.manager)
        for date in (day(1), "2099-12-31", day(-365 * 6), "1900-01-01", "garbage", "²", 42):
            with self.assertRaises(UserError, msg=f"no run on {date!r}"):
                manager.run_dunning(date)
        self.assertFalse(Dunning.search([]))
        action = manager.action_run_dunning_today()
        reminders = Dunning.browse(action["domain"][0][2])
        self.assertEqual(reminders.line_ids.move_id, self.invoice, "the menu runs today's")
        self.assertEqual(reminders.create_uid, self.manager)
