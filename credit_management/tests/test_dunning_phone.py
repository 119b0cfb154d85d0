from freezegun import freeze_time

from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningPhone(CreditCommon):
    """Who gets the call of a phone level: the customer's collector, else its salesperson,
    else the company's default collector; the reminder is in error only without any."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A scenario of one level: a call 5 days after the due date.
        cls.scenario = cls.env["credit.dunning.scenario"].create({"name": "Calls"})
        cls.call_level = cls.env["credit.dunning.level"].create(
            {
                "scenario_id": cls.scenario.id,
                "name": "Call",
                "days": 5,
                "channel_email": False,
                "channel_phone": True,
            }
        )
        cls.company.credit_dunning_scenario_id = cls.scenario
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.call_type = cls.env.ref("mail.mail_activity_data_call")
        cls.other_collector = new_test_user(
            cls.env,
            login="credit_collector_2",
            name="Paul Recouvrement",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=cls.company.id,
        )

    def _call_reminder(self):
        """The reminder of the customer's invoice 30 days late: the call level."""
        self._invoice(self.customer, 700.0, due_days=-30)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.level_id, self.call_level)
        self.assertTrue(reminder.level_id.channel_phone)
        return reminder

    def _call(self, reminder):
        return reminder.activity_ids.filtered(lambda a: a.activity_type_id == self.call_type)

    def test_customer_collector(self):
        self.customer.dunning_responsible_id = self.other_collector
        self.customer.user_id = self.sales_user
        reminder = self._call_reminder()
        self.assertEqual(reminder.phone_state, "done")
        self.assertEqual(self._call(reminder).user_id, self.other_collector)

    def test_salesperson_without_collector(self):
        """No collector of its own: the salesperson calls, not the default collector."""
        self.customer.user_id = self.sales_user
        reminder = self._call_reminder()
        self.assertEqual(reminder.user_id, self.company.credit_responsible_id)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.phone_state, "done")
        call = self._call(reminder)
        self.assertEqual(call.user_id, self.sales_user)
        self.assertIn(self.customer.name, call.summary)
        # The salesperson reads the reminder he is asked to call about.
        self.assertEqual(reminder.with_user(self.sales_user).amount_due, 700.0)

    def test_default_collector_without_salesperson(self):
        self.assertFalse(self.customer.user_id)
        reminder = self._call_reminder()
        self.assertEqual(reminder.phone_state, "done")
        self.assertEqual(self._call(reminder).user_id, self.collector)
        self.assertEqual(self.company.credit_responsible_id, self.collector)

    def test_archived_salesperson_is_skipped(self):
        self.customer.user_id = self.sales_user
        self.sales_user.active = False
        reminder = self._call_reminder()
        self.assertEqual(self._call(reminder).user_id, self.collector)

    def test_nobody_to_call(self):
        """Neither collector nor salesperson nor default collector: in error, with the
        reason; choosing the reminder's collector and retrying gives him the call."""
        self.company.credit_responsible_id = False
        reminder = self._call_reminder()
        self.assertFalse(reminder.user_id)
        self.assertEqual(reminder.state, "error")
        self.assertEqual(reminder.phone_state, "error")
        self.assertIn("Nobody to call the customer", reminder.error_message)
        self.assertFalse(self._call(reminder))
        reminder.user_id = self.manager
        reminder.with_user(self.collector).action_retry()
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(self._call(reminder).user_id, self.manager)
