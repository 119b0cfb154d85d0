from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestCollectorDesk(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_collector = new_test_user(
            cls.env,
            login="credit_collector_2",
            name="Paul Relance",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.credit_dunning_scenario_id = standard
        standard.level_ids.write({"requires_validation": True})
        cls.customer.write({"email": "compta@boulangeries-martin.fr"})
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )
        cls.customer2.dunning_responsible_id = cls.other_collector
        reason = cls.env.ref("credit_management.dispute_reason_other")
        for partner in (cls.customer, cls.customer2):
            invoice = cls._invoice(partner, 500.0, due_days=-20)
            cls.env["credit.dispute"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(invoice.ids)],
                    "reason_id": reason.id,
                    "date_opened": day(-30),
                }
            )
            other = cls._invoice(partner, 200.0, due_days=-40)
            cls.env["credit.payment.promise"].create(
                {
                    "partner_id": partner.id,
                    "move_ids": [Command.set(other.ids)],
                    "date_made": day(-5),
                    "date_promised": TODAY,
                }
            )
            # Neither disputed nor promised: reminded, to validate.
            cls._invoice(partner, 300.0, due_days=-10)
        cls.env["credit.dunning"].run_dunning(TODAY)

    def _desk(self, user, scope="mine"):
        """The desk the menu opens for ``user``, in ``scope``."""
        Desk = self.env["credit.collector.desk"].with_user(user)
        action = Desk.action_open_desk()
        self.assertEqual(action["res_model"], "credit.collector.desk")
        desk = Desk.browse(action["res_id"])
        desk.scope = scope
        return desk

    def test_one_desk_per_user(self):
        with self.assertRaises(AccessError, msg="not the desk of another user"):
            self.env["credit.collector.desk"].with_user(self.collector).create(
                {"user_id": self.manager.id}
            )
        desk = self._desk(self.collector)
        self.assertEqual(desk.user_id, self.collector)
        self.assertEqual(self._desk(self.collector), desk, "the menu opens the same desk")
        self.assertIn(self.collector.name, desk.display_name)
        self.assertNotEqual(self._desk(self.other_collector), desk)
        self.assertIn("everything", self._desk(self.manager, scope="all").display_name)

    def test_collector_sees_his_portfolio(self):
        desk = self._desk(self.collector)
        self.assertEqual(desk.reminder_to_validate_count, 1)
        self.assertEqual(desk.dispute_count, 1)
        self.assertEqual(desk.dispute_late_count, 1, "opened 30 days ago, target 15 days")
        self.assertEqual(desk.promise_due_count, 1)
        self.assertEqual(desk.promise_broken_count, 0)
        # Overdue: 500 disputed, 200 promised and 300 reminded, all past due.
        self.assertEqual(desk.customer_overdue_count, 1)
        self.assertEqual(desk.overdue_amount, 1000.0)
        action = desk.with_context(count_field="customer_overdue_count").action_open()
        rows = self.env[action["res_model"]].with_user(self.collector).search(action["domain"])
        self.assertEqual(rows.partner_id, self.customer)
        action = desk.with_context(count_field="dispute_late_count").action_open()
        records = self.env[action["res_model"]].with_user(self.collector).search(action["domain"])
        self.assertEqual(records.partner_id, self.customer)
        # Asking for everything does not widen a collector's desk.
        desk = self._desk(self.collector, scope="all")
        self.assertEqual(desk.dispute_count, 1)
        other = self._desk(self.other_collector)
        self.assertEqual(other.dispute_count, 1)
        self.assertEqual(other.reminder_to_validate_count, 1)

    def test_manager_sees_everything(self):
        desk = self._desk(self.manager, scope="all")
        self.assertEqual(desk.customer_overdue_count, 2)
        self.assertEqual(desk.overdue_amount, 2000.0)
        self.assertEqual(desk.reminder_to_validate_count, 2)
        self.assertEqual(desk.dispute_count, 2)
        self.assertEqual(desk.promise_due_count, 2)
        with freeze_time(day(4)):
            self.env["credit.payment.promise"]._cron_evaluate()
            desk = self._desk(self.manager, scope="all")
            self.assertEqual(desk.promise_broken_count, 2)
            self.assertEqual(desk.promise_due_count, 0)

    def test_access(self):
        with self.assertRaises(AccessError):
            self._desk(self.sales_user)
        desk = self._desk(self.collector)
        with self.assertRaises(AccessError):
            desk.with_user(self.other_collector).read(["dispute_count"])
