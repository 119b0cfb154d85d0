import contextlib
import copy

from psycopg2 import errors as pg_errors

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY
from .common import CreditCommon

# What create() adds and the bulk insert leaves out on purpose (see _bulk_create), and what
# differs between two creations of the same values.
IGNORED = {"id", "name", "display_name", "create_date", "write_date", "dunning_id", "line_ids"}


class Rollback(Exception):
    """Raised to roll a creation back once it was read."""


@tagged("post_install", "-at_install")
class TestDunningBulk(CreditCommon):
    """``credit.dunning._bulk_create`` yields exactly what ``create()`` yields."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"].with_company(cls.company)
        cls.standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.credit_dunning_scenario_id = cls.standard
        levels = cls.standard.level_ids.sorted("sequence")
        # Late fees on the first overdue level, so that the computed fees are compared too.
        levels[1].apply_late_fees = True
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )
        cls.invoices = (
            cls._invoice(cls.customer, 1000.0, due_days=-20)
            | cls._invoice(cls.customer, 250.0, due_days=-8)
            | cls._invoice(cls.customer, 90.0, due_days=20)
            | cls._invoice(cls.customer, 300.0, due_days=-20, move_type="out_refund")
            | cls._invoice(cls.customer2, 400.0, due_days=-10)
        )
        cls._pay(cls.invoices[0], 200.0, date=TODAY)

    def _vals_list(self, state=None):
        groups = self.Dunning._dunning_groups(
            self.Dunning._dunning_plan(self.company, TODAY), TODAY
        )
        vals_list = [self.Dunning._dunning_prepare_vals(group) for group in groups]
        if state:
            for vals in vals_list:
                vals["state"] = state
        return vals_list

    @staticmethod
    def _own_fields(model):
        return {
            name
            for name, field in model._fields.items()
            if field._module == "credit_management" and name not in IGNORED
        }

    def _snapshot(self, reminders):
        """Everything the reminders and their lines hold, read from the cache right after the
        creation (before any flush or invalidation), then from the database."""
        Line = self.env["credit.dunning.line"]
        moves = self.invoices

        def read(records, field_names):
            return [
                {name: records[index][name] for name in sorted(field_names)}
                for index in range(len(records))
            ]

        # The fields of the addon (mail.thread's are the same framework code either way).
        reminder_fields = self._own_fields(self.Dunning) - {"preview", "sms_preview"}
        line_fields = self._own_fields(Line)
        snapshot = {
            # Caches as they are after the creation: the one2many of the invoices and of the
            # reminders know the new lines.
            "cache_lines": [len(reminder.line_ids) for reminder in reminders],
            "cache_invoice_lines": [len(move.dunning_line_ids) for move in moves],
            "invoices": [(move.dunning_level_id, move.dunning_date) for move in moves],
        }
        self.env.flush_all()
        self.env.invalidate_all()
        reminders = self.Dunning.browse(reminders.ids)
        snapshot["reminders"] = read(reminders, reminder_fields)
        snapshot["lines"] = [read(reminder.line_ids, line_fields) for reminder in reminders]
        snapshot["db_invoices"] = [(move.dunning_level_id, move.dunning_date) for move in moves]
        snapshot["followers"] = [bool(reminder.message_follower_ids) for reminder in reminders]
        return snapshot

    def _create_and_read(self, create, vals_list):
        """Create ``vals_list`` with ``create``, read everything, then roll it back."""
        result = {}
        with contextlib.suppress(Rollback), self.env.cr.savepoint():
            result = self._snapshot(create(copy.deepcopy(vals_list)))
            raise Rollback
        self.env.invalidate_all()
        return result

    def _orm_create(self, vals_list):
        # Without the "created" note and the creator as follower, as _bulk_create.
        return self.Dunning.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(vals_list)

    def _assert_same(self, vals_list):
        expected = self._create_and_read(self._orm_create, vals_list)
        got = self._create_and_read(self.Dunning._bulk_create, vals_list)
        self.assertTrue(expected["reminders"], "the test creates reminders")
        for key in expected:
            self.assertEqual(got[key], expected[key], f"{key}: bulk insert != create()")
        return got

    def test_same_records_as_create(self):
        got = self._assert_same(self._vals_list())
        self.assertEqual(len(got["reminders"]), 2)
        first = got["reminders"][0]
        self.assertEqual(first["state"], "draft")
        self.assertEqual(first["amount_due"], 1000.0 - 200.0 + 250.0 + 90.0 - 300.0)
        self.assertTrue(first["late_fee_total"], "the computed late fees are compared")
        self.assertFalse(any(got["followers"]), "no follower before it is sent")

    def test_same_invoice_levels_as_create_when_sent(self):
        got = self._assert_same(self._vals_list(state="sent"))
        level = self.standard.level_ids.sorted("sequence")[1]
        self.assertEqual(got["invoices"][0], (level, TODAY), "the invoice's dunning level")
        self.assertEqual(got["db_invoices"], got["invoices"])

    def test_same_constraints_as_create(self):
        other = self.setup_other_company(name="Filiale Lyon")["company"]
        foreign = self._invoice(self.customer, 100.0, due_days=-20, company=other)
        vals_list = self._vals_list()
        vals_list[0]["line_ids"][0][2]["move_id"] = foreign.id
        for create in (self._orm_create, self.Dunning._bulk_create):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                create(copy.deepcopy(vals_list))
        # A second live line for the same invoice and level: refused by the database.
        vals_list = self._vals_list()
        self._orm_create(copy.deepcopy(vals_list))
        for create in (self._orm_create, self.Dunning._bulk_create):
            with (
                self.assertRaises(pg_errors.UniqueViolation),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                create(copy.deepcopy(vals_list))

    def test_same_access_rights_as_create(self):
        vals_list = self._vals_list()
        # Reminders come from the run (credit managers) and "Send a reminder now" (which
        # creates them once it checked the collector): neither a sales user nor a collector
        # creates them directly, either way.
        for user in (self.sales_user, self.collector):
            as_user = self.Dunning.with_user(user)
            for create in (as_user.create, as_user._bulk_create):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    create(copy.deepcopy(vals_list))
        # A credit manager may create them, either way.
        as_manager = self.Dunning.with_user(self.manager)
        for create in (as_manager.create, as_manager._bulk_create):
            snapshot = self._create_and_read(create, vals_list)
            self.assertEqual(len(snapshot["reminders"]), 2)
