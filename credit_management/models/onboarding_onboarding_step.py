"""The steps of the first-run checklist (``data/credit_onboarding_data.xml``).

Each step has an opening action here (its ``panel_step_open_action_name``); it is ticked
(``_credit_validate_steps``) when the consultant does it: saves the settings (hold mode,
late fees, default collector), saves the default scenario, gives a customer a collector,
runs the test run (``credit.dunning.preview``)."""

from odoo import _
from odoo import api
from odoo import models

STEP_XMLID = "credit_management.onboarding_step_credit_%s"
STEPS = ("hold", "scenario", "collectors", "late_fees", "test_run")


class OnboardingOnboardingStep(models.Model):
    _inherit = "onboarding.onboarding.step"

    @api.model
    def _credit_validate_steps(self, *codes):
        """Tick the steps ``codes`` (of ``STEPS``) for the current company."""
        for code in codes:
            # Odoo's onboarding records are the administrator's: a credit manager ticks his
            # steps through them without reading them.
            self.sudo().action_validate_step(STEP_XMLID % code)

    @api.model
    def _credit_settings_action(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.res_config_settings_action"
        )

    @api.model
    def action_open_step_credit_hold(self):
        return self._credit_settings_action()

    @api.model
    def action_open_step_credit_late_fees(self):
        return self._credit_settings_action()

    @api.model
    def action_open_step_credit_scenario(self):
        scenario = self.env.company.credit_dunning_scenario_id
        action = {
            "type": "ir.actions.act_window",
            "name": _("Default Dunning Scenario"),
            "res_model": "credit.dunning.scenario",
            "target": "current",
        }
        if scenario:
            return dict(action, res_id=scenario.id, views=[(False, "form")])
        return dict(action, views=[(False, "list"), (False, "form")])

    @api.model
    def action_open_step_credit_collectors(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.res_partner_credit_action"
        )

    @api.model
    def action_open_step_credit_test_run(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Test Run of Today's Reminders"),
            "res_model": "credit.dunning.preview",
            "views": [(False, "form")],
            "target": "new",
        }
