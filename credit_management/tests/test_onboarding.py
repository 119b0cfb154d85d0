from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon

STEPS = ("hold", "scenario", "collectors", "late_fees", "test_run")


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestOnboarding(CreditCommon):
    """The consultant's first-run checklist on the collector's desk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.steps = {
            code: cls.env.ref(f"credit_management.onboarding_step_credit_{code}") for code in STEPS
        }
        cls.scenario = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.credit_dunning_scenario_id = cls.scenario
        cls.desk = cls.env["credit.collector.desk"].with_user(cls.manager).create({})

    def _done(self, code):
        step = self.steps[code].with_company(self.company)
        step.invalidate_recordset()
        return step.current_step_state in ("just_done", "done")

    def _open(self, code):
        return self.desk.action_open_onboarding_step(self.steps[code].id)

    def test_steps_on_the_desk(self):
        onboarding = self.env.ref("credit_management.onboarding_onboarding_credit")
        self.assertEqual(
            onboarding.step_ids, self.env["onboarding.onboarding.step"].concat(*self.steps.values())
        )
        steps = self.desk.onboarding_steps
        self.assertEqual([step["id"] for step in steps], [s.id for s in self.steps.values()])
        self.assertFalse(any(step["done"] for step in steps), "nothing done on a new database")
        self.assertEqual(steps[0]["title"], "Credit hold mode")
        # Collectors do not configure: no checklist on their desk.
        desk = self.env["credit.collector.desk"].with_user(self.collector).create({})
        self.assertFalse(desk.onboarding_steps)

    def test_each_step_opens_its_screen(self):
        for code in ("hold", "late_fees"):
            action = self._open(code)
            self.assertEqual(action["res_model"], "res.config.settings", code)
            self.assertEqual(
                action["id"], self.env.ref("credit_management.res_config_settings_action").id
            )
        action = self._open("scenario")
        self.assertEqual(
            (action["res_model"], action["res_id"], action["views"]),
            ("credit.dunning.scenario", self.scenario.id, [(False, "form")]),
        )
        action = self._open("collectors")
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(
            action["id"], self.env.ref("credit_management.res_partner_credit_action").id
        )
        action = self._open("test_run")
        self.assertEqual((action["res_model"], action["target"]), ("credit.dunning.preview", "new"))
        # Only the steps of this checklist.
        other = self.env.ref("account.onboarding_onboarding_step_company_data")
        with self.assertRaises(UserError):
            self.desk.action_open_onboarding_step(other.id)

    def test_steps_done_where_they_are_done(self):
        # The settings saved: hold mode and late fees.
        self.env["res.config.settings"].create(
            {"credit_hold_mode": "warning", "credit_responsible_id": False}
        ).execute()
        self.assertTrue(self._done("hold"))
        self.assertTrue(self._done("late_fees"))
        self.assertFalse(self._done("collectors"), "no collector yet")
        # The default scenario saved.
        self.assertFalse(self._done("scenario"))
        self.env.ref("credit_management.dunning_scenario_gentle").with_user(
            self.manager
        ).description = "Another scenario"
        self.assertFalse(self._done("scenario"), "not the default scenario")
        self.scenario.with_user(self.manager).min_amount = 10.0
        self.assertTrue(self._done("scenario"))
        # A customer given a collector.
        self.customer.with_user(self.manager).dunning_responsible_id = self.collector
        self.assertTrue(self._done("collectors"))
        # The test run: what today's run would create, with nothing created or sent.
        self.customer.email = "compta@boulangeries-martin.fr"
        self._invoice(self.customer, 400.0, due_days=-20)
        preview = self.env["credit.dunning.preview"].with_user(self.manager).create({})
        self.assertEqual(preview.date, TODAY)
        preview.action_run()
        self.assertEqual(preview.reminder_count, 1)
        self.assertEqual(preview.line_ids.partner_id, self.customer)
        self.assertEqual(preview.line_ids.invoice_count, 1)
        self.assertAlmostEqual(preview.line_ids.amount_due, 400.0)
        self.assertIn("email", preview.line_ids.channels)
        self.assertFalse(self.env["credit.dunning"].search([("partner_id", "=", self.customer.id)]))
        self.assertFalse(self.env["mail.mail"].search([("model", "=", "credit.dunning")]))
        self.assertTrue(self._done("test_run"))
        self.desk.invalidate_recordset(["onboarding_steps"])
        self.assertTrue(all(step["done"] for step in self.desk.onboarding_steps))
        # Another company starts its own checklist.
        other = self.setup_other_company()["company"]
        self.assertEqual(self.steps["hold"].with_company(other).current_step_state, "not_done")
        # Hidden once the manager has seen enough.
        self.desk.action_close_onboarding()
        self.desk.invalidate_recordset(["onboarding_steps"])
        self.assertFalse(self.desk.onboarding_steps)
