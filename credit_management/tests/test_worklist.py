"""Today's worklist on the collector's desk: its order on crafted customers, its one-click
action, the collector's portfolio and the manager's view, two companies kept apart."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import TODAY
from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestWorklist(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        Partner = env["res.partner"]
        cls.old_debtor = cls.customer  # 1,000 overdue by 90 days
        cls.promising = Partner.create({"name": "Minoterie Durand", "is_company": True})
        cls.to_validate = Partner.create({"name": "Fournil Petit", "is_company": True})
        cls.old_debtor_invoice = cls._invoice(cls.old_debtor, 1000.0, due_days=-90)
        promised = cls._invoice(cls.promising, 5000.0, due_days=-10)
        small = cls._invoice(cls.to_validate, 300.0, due_days=-5)
        env["credit.payment.promise"].create(
            {
                "partner_id": cls.promising.id,
                "move_ids": [Command.set(promised.ids)],
                "amount": 5000.0,
                "date_promised": TODAY,
            }
        )
        level = env.ref("credit_management.dunning_scenario_standard").level_ids.sorted("sequence")[
            1
        ]
        cls.reminder = env["credit.dunning"].create(
            {
                "partner_id": cls.to_validate.id,
                "currency_id": cls.currency.id,
                "level_id": level.id,
                "user_id": cls.collector.id,
                "state": "to_validate",
                "line_ids": [
                    Command.create(
                        {
                            "move_id": small.id,
                            "level_id": level.id,
                            "amount_residual": 300.0,
                            "amount_total": 300.0,
                            "days_overdue": 5,
                        }
                    )
                ],
            }
        )
        cls.Worklist = env["credit.worklist"]

    def _rows(self, user, mine=True):
        self.Worklist.with_user(user)._worklist_open(mine=mine)
        return self.Worklist.with_user(user).search([])

    def test_order_and_actions(self):
        rows = self._rows(self.collector)
        self.assertEqual(
            [(row.partner_id, row.next_action) for row in rows],
            [
                (self.promising, "promise"),
                (self.old_debtor, "call_overdue"),
                (self.to_validate, "validate"),
            ],
            "the promise falling due, then the old debt, then the small new one",
        )
        self.assertEqual(rows.mapped("rank"), [1, 2, 3])
        first = rows[0]
        self.assertEqual(first.value, 5000.0, "a promise due is worth what it promised")
        self.assertIn(
            format_amount(self.env, 5000.0, self.currency),
            first.reason,
            "the amount written as Odoo writes amounts, in the user's language",
        )
        self.assertGreater(rows[1].value, rows[2].value)
        self.assertEqual(rows[1].days_overdue, 90)

    def test_amounts_in_the_user_language(self):
        """A French collector reads the amounts of the reasons as Odoo writes them in French
        (grouping, decimal comma)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.collector.lang = "fr_FR"
        first = self._rows(self.collector)[0]
        amount = format_amount(self.env, 5000.0, self.currency, "fr_FR")
        self.assertIn("5", amount)
        self.assertIn(",00", amount)
        self.assertIn(amount, first.reason)

    def test_a_refresh_keeps_the_rows_of_customers_still_listed(self):
        """A customer still listed keeps its row (ranked anew, marked to do again); a customer
        paid up loses it; a customer newly overdue gets one."""
        rows = self._rows(self.collector)
        validate = rows.filtered(lambda r: r.next_action == "validate")
        validate.with_user(self.collector).action_do()
        self.assertTrue(validate.done)
        kept = rows.filtered(lambda r: r.partner_id == self.promising)
        paid = rows.filtered(lambda r: r.partner_id == self.old_debtor)
        self._pay(self.old_debtor_invoice, 1000.0)
        newcomer = self.env["res.partner"].create({"name": "Moulin Bertin", "is_company": True})
        self._invoice(newcomer, 700.0, due_days=-20)
        again = self._rows(self.collector)
        self.assertIn(kept, again)
        self.assertIn(validate, again)
        self.assertFalse(validate.done, "listed again: to do again")
        self.assertFalse(paid.exists(), "paid up: no longer listed")
        self.assertIn(newcomer, again.partner_id)
        self.assertEqual(again.mapped("rank"), list(range(1, len(again) + 1)))

    def test_one_click(self):
        rows = self._rows(self.collector)
        row = rows.filtered(lambda r: r.next_action == "validate")
        row.with_user(self.collector).action_do()
        self.assertNotEqual(self.reminder.state, "to_validate", "the reminder went out")
        self.assertTrue(row.done)
        promise_row = rows.filtered(lambda r: r.next_action == "promise")
        action = promise_row.with_user(self.collector).action_do()
        self.assertEqual(action["res_model"], "credit.payment.promise")
        self.assertTrue(action["res_id"])

    def _suggestion(self, intent="promise", **values):
        """A customer's reply to the reminder, read by the analyser (as the gateway makes
        it)."""
        return self.env["credit.reply"].create(
            {
                "dunning_id": self.reminder.id,
                "partner_id": self.to_validate.id,
                "company_id": self.company.id,
                "currency_id": self.currency.id,
                "user_id": self.collector.id,
                "intent": intent,
                "suggested_intent": intent,
                **values,
            }
        )

    def test_reply_suggestion_on_the_row(self):
        first = self._suggestion(date=TODAY + timedelta(days=30), amount=300.0)
        second = self._suggestion("other")
        rows = self._rows(self.collector)
        row = rows.filtered(lambda r: r.partner_id == self.to_validate)
        self.assertEqual((row.partner_id, row.next_action), (self.to_validate, "reply"))
        self.assertEqual(row.reply_id, first, "the oldest reply first")
        self.assertEqual(row.reply_summary, first.summary)
        self.assertIn("Promise of", row.reply_summary)
        self.assertFalse((rows - row).reply_id, "the other customers have no reply")

        row.with_user(self.collector).action_reply_accept()
        self.assertEqual(first.state, "accepted", "the reply's own action, as the collector")
        self.assertEqual(first.decided_uid, self.collector)
        self.assertEqual(first.promise_id.amount, 300.0)
        self.assertEqual(row.reply_id, second, "then the next reply to read")
        self.assertFalse(row.done)
        row.with_user(self.collector).action_reply_ignore()
        self.assertEqual(second.state, "ignored")
        self.assertFalse(row.reply_id)
        self.assertTrue(row.done, "nothing left to read")
        with self.assertRaises(UserError):
            row.with_user(self.collector).action_reply_accept()

    def test_reply_suggestion_rights_stay_in_the_reply(self):
        reply = self._suggestion(date=TODAY + timedelta(days=30))
        row = self._rows(self.manager, mine=False).filtered(
            lambda r: r.partner_id == self.to_validate
        )
        self.assertEqual(row.reply_id, reply)
        with self.assertRaises(AccessError, msg="another user's row"):
            row.with_user(self.collector).action_reply_accept()
        # The reply's own checks hold from the row: a promise needs its day.
        reply.date = False
        with self.assertRaises(UserError):
            row.with_user(self.manager).action_reply_accept()
        self.assertEqual(reply.state, "new")

    def test_portfolio_and_manager_view(self):
        other_collector = new_test_user(
            self.env,
            login="credit_collector_2",
            name="Paul Relance",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.old_debtor.with_company(self.company).dunning_responsible_id = other_collector
        mine = self._rows(self.collector).partner_id
        self.assertNotIn(self.old_debtor, mine, "another collector's customer")
        theirs = self._rows(other_collector)
        self.assertEqual(theirs.partner_id, self.old_debtor)
        self.assertFalse(
            self.Worklist.with_user(other_collector).search([("user_id", "=", self.collector.id)]),
            "each reads his own list",
        )
        everything = self._rows(self.manager, mine=False)
        self.assertEqual(
            set(everything.partner_id.ids),
            {self.old_debtor.id, self.promising.id, self.to_validate.id},
        )
        # A collector asking for everything gets his portfolio.
        self.assertEqual(self._rows(self.collector, mine=False).partner_id, mine)

    def test_two_companies_kept_apart(self):
        other_company = self.setup_other_company(name="Filiale Lyon")["company"]
        self.env.user.company_ids |= other_company
        other_company.credit_responsible_id = self.collector
        self.collector.company_ids |= other_company
        foreign = self.env["res.partner"].create({"name": "Boulangerie Lyon", "is_company": True})
        self._invoice(foreign, 9000.0, due_days=-60, company=other_company)
        rows = self._rows(self.collector)
        self.assertNotIn(foreign, rows.partner_id)
        self.assertEqual(rows.company_id, self.company)

    def test_desk_opens_the_worklist(self):
        desk = self.env["credit.collector.desk"].with_user(self.collector).create({})
        action = desk.action_open_worklist()
        self.assertEqual(action["res_model"], "credit.worklist")
        self.assertEqual(len(self.Worklist.with_user(self.collector).search([])), 3)
