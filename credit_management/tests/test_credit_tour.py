from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditTour(CreditCommon, HttpCase):
    def test_sales_rep_sees_hold_and_cannot_confirm(self):
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "credit_management_hold_tour",
            login=self.sales_user.login,
        )
        self.assertEqual(order.state, "draft")

    def test_collector_validates_a_reminder(self):
        invoice = self._invoice(self.customer, 400.0, due_days=-20)
        self.customer.email = "compta@boulangeries-martin.fr"
        level = self.env.ref("credit_management.dunning_level_standard_2")
        level.requires_validation = True
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.state, "to_validate")
        self.start_tour(
            "/odoo/action-credit_management.credit_dunning_to_validate_action",
            "credit_management_dunning_validate_tour",
            login=self.collector.login,
        )
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(invoice.dunning_level_id, level)

    def test_collector_opens_the_desk(self):
        self._invoice(self.customer, 400.0, due_days=-20)
        self.customer.email = "compta@boulangeries-martin.fr"
        self.env.ref("credit_management.dunning_level_standard_2").requires_validation = True
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.user_id, self.collector)
        self.start_tour(
            "/odoo", "credit_management_collector_desk_tour", login=self.collector.login
        )
        desk = (
            self.env["credit.collector.desk"].sudo().search([("user_id", "=", self.collector.id)])
        )
        self.assertEqual(len(desk), 1, "the menu created the collector's desk, once")

    def test_manager_opens_the_aged_balance(self):
        """The aged balance's list with its export buttons (its own button template, which
        calls Odoo's list buttons: they differ between 18.0 and 19.0)."""
        self._invoice(self.customer, 400.0, due_days=-20)
        self.start_tour(
            "/odoo/action-credit_management.credit_aged_balance_action",
            "credit_management_aged_balance_tour",
            login=self.manager.login,
        )

    def test_manager_does_the_test_run_from_the_checklist(self):
        self._invoice(self.customer, 400.0, due_days=-20)
        self.customer.email = "compta@boulangeries-martin.fr"
        self.company.credit_dunning_scenario_id = self.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        self.start_tour("/odoo", "credit_management_onboarding_tour", login=self.manager.login)
        self.assertFalse(self.env["credit.dunning"].search([("partner_id", "=", self.customer.id)]))
        step = self.env.ref("credit_management.onboarding_step_credit_test_run")
        self.assertIn(step.with_company(self.company).current_step_state, ("just_done", "done"))
        onboarding = self.env.ref("credit_management.onboarding_onboarding_credit")
        self.assertTrue(onboarding.with_company(self.company).is_onboarding_closed)
