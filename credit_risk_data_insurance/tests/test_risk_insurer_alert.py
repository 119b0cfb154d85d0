"""With credit insurance: an opening of receivership alerts the insurer."""

from odoo import fields
from odoo.addons.credit_insurance.tests.common import InsuranceCommon
from odoo.addons.credit_management.tests.access_matrix import AccessMatrixCase
from odoo.addons.credit_management.tests.access_matrix import free
from odoo.addons.credit_management.tests.access_matrix import method
from odoo.addons.credit_risk_data.tests.common import SIREN_MARTIN
from odoo.addons.credit_risk_data.tests.common import FakeRegistersCase
from odoo.addons.credit_risk_data.tests.fake_registers import bodacc_record
from odoo.tests import freeze_time
from odoo.tests import tagged


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskInsurerAlert(FakeRegistersCase, InsuranceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"company_registry": SIREN_MARTIN, "country_id": cls.env.ref("base.fr").id}
        )
        cls.bodacc = cls.env["credit.risk.provider"].create(
            {"name": "BODACC test", "provider_code": "bodacc"}
        )
        cls.bodacc.api_base_url = f"{cls.registers.url}/api/explore/v2.1"
        cls.bodacc.action_enable()

    def test_receivership_alerts_the_insurer(self):
        self._decide(self._cover(self.customer, 5000.0), "granted", 5000.0)
        insured = self._invoice(
            self.customer, 800.0, due_days=5, invoice_date=fields.Date.to_date("2026-06-01")
        )
        self.assertTrue(insured.insurance_insured)
        self.bodacc.sudo().cursor_date = "2026-06-11"
        self.registers.notices.append(
            bodacc_record(
                "A202606121450",
                SIREN_MARTIN,
                "Jugement d'ouverture d'une procédure de redressement judiciaire",
                "2026-06-10",
                "2026-06-12",
                1450,
            )
        )
        self.env["credit.risk.provider"]._cron_fetch()
        event = self.env["credit.risk.event"].search([("provider_id", "=", self.bodacc.id)])
        alert = self.env["credit.insurance.alert"].search([("alert_type", "=", "insolvency")])
        self.assertEqual(
            (alert.partner_id, alert.policy_id, alert.risk_event_id),
            (self.customer, self.policy, event),
        )
        self.assertIn("insolvency proceedings", alert.description)
        self.assertEqual(insured.insurance_declaration_state, "to_declare")
        # The daily alert run keeps it while the event is open, then ends it.
        self.env["credit.insurance.alert"]._cron_generate()
        self.assertFalse(alert.date_end)
        event.action_done()
        self.env["credit.insurance.alert"]._cron_generate()
        self.assertTrue(alert.date_end)
        self.assertEqual(
            self.env["credit.insurance.alert"].search_count([("alert_type", "=", "insolvency")]),
            1,
            "raised once",
        )


@tagged("post_install", "-at_install")
class TestRiskInsuranceAccessMatrix(AccessMatrixCase, InsuranceCommon):
    MODULE = "credit_risk_data_insurance"
    MODEL_ACCESS = {}
    # The event an alert is about: a link the alert's own access rights govern.
    FIELD_ACCESS = {
        **free("credit.insurance.alert", "risk_event_id"),
        # The alert's type: credit_insurance's workflow field, set by the alert's raisers.
        **method("credit.insurance.alert", "alert_type"),
    }
