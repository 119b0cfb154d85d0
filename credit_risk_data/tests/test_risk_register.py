"""The company register from the customer form: the State's company search and INSEE's
API Sirene, against fake services on 127.0.0.1."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import SIREN_DURAND
from .common import SIREN_MARTIN
from .common import RiskCommon
from .fake_registers import register_company

SIRET_DURAND = SIREN_DURAND + "00646"


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskRegister(RiskCommon):
    def setUp(self):
        super().setUp()
        self.registers.companies.append(
            register_company(SIREN_DURAND, SIRET_DURAND, "EPICERIES DURAND")
        )

    def test_search_by_name_fills_a_new_customer(self):
        """A sales rep searches by name, chooses a candidate: a customer with the register's
        facts."""
        wizard = (
            self.env["credit.risk.register.search"]
            .with_user(self.sales_user)
            .create({"query": "epiceries durand"})
        )
        wizard.action_search()
        self.assertEqual(wizard.line_ids.mapped("siren"), [SIREN_DURAND])
        self.assertEqual(self.registers.calls("/search")[0][1]["q"], "epiceries durand")
        action = wizard.line_ids.action_fill()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(
            (partner.name, partner.company_registry, partner.credit_siren, partner.zip),
            ("EPICERIES DURAND", SIRET_DURAND, SIREN_DURAND, "69002"),
        )
        self.assertEqual((partner.credit_naf_code, partner.credit_legal_form), ("10.71C", "5710"))
        self.assertEqual(partner.street, "12 RUE DE LA REPUBLIQUE")
        self.assertFalse(partner.credit_register_ceased)

    def test_check_button_flags_a_ceased_company(self):
        self.registers.companies.append(
            register_company(SIREN_MARTIN, SIREN_MARTIN + "00074", "BOULANGERIES MARTIN", False)
        )
        self.customer.with_user(self.manager).action_credit_register_check()
        self.assertTrue(self.customer.credit_register_ceased)
        self.assertEqual(
            self.customer.credit_register_date, date(2026, 6, 15), "the day it was checked"
        )
        self.assertEqual(self.customer.name, "Boulangeries Martin SAS", "a filled name is kept")
        event = self.customer.credit_risk_event_ids
        self.assertEqual(event.event_type, "ceased")
        self.assertTrue(self.customer.credit_hold, "a ceased company is held")
        # Checked again: still ceased, no second event.
        self.customer.action_credit_register_check()
        self.assertEqual(self.customer.credit_risk_event_ids, event)

    def test_ceased_flag_is_the_registers(self):
        """Nobody writes the register's verdict by hand, not even a credit manager."""
        from odoo.exceptions import AccessError  # noqa: PLC0415

        for user in (self.sales_user, self.manager):
            with self.assertRaises(AccessError):
                self.customer.with_user(user).write({"credit_register_ceased": True})

    def test_no_siren_search_by_name_instead(self):
        durand = self.env["res.partner"].create({"name": "Epiceries Durand", "is_company": True})
        with self.assertRaises(UserError) as error:
            durand.action_credit_register_check()
        self.assertIn("no valid SIREN", str(error.exception))
        action = durand.action_credit_register_search()
        self.assertEqual(action["context"]["default_query"], "Epiceries Durand")

    def test_sirene_by_siren(self):
        self.recherche.action_disable()
        self.sirene.action_enable()
        partner = self.env["res.partner"].create(
            {"name": "Durand", "is_company": True, "company_registry": SIREN_DURAND}
        )
        partner.action_credit_register_check()
        self.assertEqual(partner.company_registry, SIREN_DURAND, "a filled number is kept")
        self.assertEqual((partner.city, partner.credit_naf_code), ("LYON", "10.71C"))
        calls = [c[0] for c in self.registers.requests]
        self.assertEqual(
            calls,
            [f"/api-sirene/3.11/siren/{SIREN_DURAND}", f"/api-sirene/3.11/siret/{SIRET_DURAND}"],
        )
        self.assertEqual(
            self.registers.requests[0][2]["X-INSEE-Api-Key-Integration"], "insee-key-123"
        )
        exchanges = self._exchanges(self.sirene)
        self.assertTrue(
            all("insee-key-123" not in (e.url + (e.response_body or "")) for e in exchanges)
        )

    def test_sirene_unknown_and_wrong_key(self):
        self.recherche.action_disable()
        self.sirene.action_enable()
        self.assertEqual(self.sirene._register_search("443061841"), [], "a 404: nothing found")
        self.sirene.api_key = "wrong"
        with self.assertRaises(UserError) as error:
            self.sirene._register_search(SIREN_DURAND)
        self.assertIn("HTTP 401", str(error.exception))

    def test_short_query_refused(self):
        wizard = self.env["credit.risk.register.search"].create({"query": "ab"})
        with self.assertRaises(UserError):
            wizard.action_search()

    def test_no_register_enabled(self):
        self.recherche.action_disable()
        with self.assertRaises(UserError) as error:
            self.customer.action_credit_register_check()
        self.assertIn("No company register is enabled", str(error.exception))

    def test_register_button_on_the_form(self):
        """The customer form offers the register's check and search, and shows the SIREN."""
        arch = (
            self.env["res.partner"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="action_credit_register_check"', arch)
        self.assertIn('name="action_credit_register_search"', arch)
        form = Form(self.customer.with_user(self.manager))
        self.assertEqual(form.credit_siren, SIREN_MARTIN)
