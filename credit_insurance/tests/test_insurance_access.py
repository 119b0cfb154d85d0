from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceAccess(InsuranceCommon):
    def test_credentials_system_only(self):
        """Collectors read policies but not their credentials; sales users neither."""
        policy = self.policy.with_user(self.collector)
        self.assertEqual(policy.name, "Police Allianz Trade 2026")
        with self.assertRaises(AccessError):
            policy.read(["api_key"])
        with self.assertRaises(AccessError):
            self.policy.with_user(self.manager).read(["api_key"])
        with self.assertRaises(AccessError):
            self.policy.with_user(self.sales_user).read(["name"])
        self.assertEqual(self.policy.sudo().api_key, "secret-api-key")

    def test_collector_reads_manager_writes(self):
        cover = self._cover(self.customer)
        with self.assertRaises(AccessError):
            cover.with_user(self.collector).write({"amount_requested": 1.0})
        with self.assertRaises(AccessError):
            self.env["credit.insurance.decision"].with_user(self.collector).create(
                {"cover_id": cover.id, "state": "granted", "amount": 1.0, "reference": "X"}
            )
        cover.with_user(self.manager).write({"amount_requested": 7000.0})
        self.assertEqual(cover.with_user(self.collector).amount_requested, 7000.0)
        # Sales users see the customer's insurance figures, not the covers.
        self._invoice(self.customer, 1000.0)
        self._decide(cover, "granted", 800.0)
        partner = self.customer.with_user(self.sales_user)
        self.assertEqual(
            (partner.insurance_status, partner.uncovered_exposure), ("over_limit", 200.0)
        )
        # Declaring to the insurer is the credit manager's: not a collector's, nor a sales
        # user's, even through the method itself.
        overdue = self._invoice(self.customer, 500.0, due_days=-5)
        for user in (self.collector, self.sales_user):
            with self.assertRaises(AccessError):
                overdue.with_user(user).action_insurance_declare()
        self.assertNotIn(overdue.insurance_declaration_state, ("declared", "claim"))

    def test_companies_kept_apart(self):
        """Each company its policies, covers and decisions; the insured limit per company."""
        company_2 = self.setup_other_company()["company"]
        self.company.credit_hold_mode = "block"
        policy_2 = self.env["credit.insurance.policy"].create(
            {
                "name": "Police Coface Filiale",
                "insurer_id": self.insurer.id,
                "company_id": company_2.id,
                "currency_id": company_2.currency_id.id,
                "date_start": "2026-01-01",
            }
        )
        policy_2.action_activate()
        cover_2 = self._cover(self.customer, policy=policy_2)
        self._decide(cover_2, "granted", 9000.0)
        self._decide(self._cover(self.customer), "granted", 1000.0)
        self.assertEqual(cover_2.company_id, company_2)
        self.assertEqual(cover_2.decision_ids.company_id, company_2)
        self.assertEqual(self.customer.with_company(self.company).insured_limit, 1000.0)
        self.assertEqual(self.customer.with_company(company_2).insured_limit, 9000.0)
        manager = self.env["credit.insurance.policy"].with_user(self.manager)
        self.assertEqual(manager.search([]), self.policy)
        self.assertEqual(
            self.env["credit.insurance.cover"].with_user(self.manager).search([]).policy_id,
            self.policy,
        )
        self.assertFalse(
            self.env["credit.insurance.decision"]
            .with_user(self.manager)
            .search([("company_id", "=", company_2.id)])
        )
        with self.assertRaises(AccessError):
            policy_2.with_user(self.manager).read(["name"])
        # Allowed in both, the manager sees both.
        self.manager.company_ids = [Command.link(company_2.id)]
        self.assertEqual(
            manager.with_context(allowed_company_ids=[self.company.id, company_2.id]).search([]),
            self.policy | policy_2,
        )
