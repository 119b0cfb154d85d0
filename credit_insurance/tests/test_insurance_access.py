"""Who may do what with credit insurance (readme/CONFIGURE.md, "Rights")."""

from odoo.addons.credit_management.tests.access_matrix import ACTIVITY_FIELDS
from odoo.addons.credit_management.tests.access_matrix import MANAGED
from odoo.addons.credit_management.tests.access_matrix import MANAGER_WIZARD
from odoo.addons.credit_management.tests.access_matrix import NONE
from odoo.addons.credit_management.tests.access_matrix import THREAD_FIELDS
from odoo.addons.credit_management.tests.access_matrix import AccessMatrixCase
from odoo.addons.credit_management.tests.access_matrix import fixed
from odoo.addons.credit_management.tests.access_matrix import free
from odoo.addons.credit_management.tests.access_matrix import method
from odoo.addons.credit_management.tests.access_matrix import only
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import InsuranceCommon

SYSTEM = ("system",)


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


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceAccessMatrix(AccessMatrixCase, InsuranceCommon):
    MODULE = "credit_insurance"
    MODEL_ACCESS = {
        # Policies: system administrators set where the credentials go, nothing else.
        "credit.insurance.policy": dict(MANAGED, system="rw"),
        "credit.insurance.cover": MANAGED,
        "credit.insurance.decision": MANAGED,
        "credit.insurance.alert": MANAGED,
        "credit.insurance.claim": MANAGED,
        "credit.insurance.exchange": dict(NONE, manager="r", account_admin="r"),
        "credit.insurance.cover.request": MANAGER_WIZARD,
        "credit.insurance.buyer.search": MANAGER_WIZARD,
        "credit.insurance.buyer.search.line": MANAGER_WIZARD,
        "credit.insurance.claim.indemnity": MANAGER_WIZARD,
    }
    FIELD_ACCESS = {
        # Policies: the contract is the credit manager's; the credentials and the addresses
        # they are sent to the system administrator's; the state and the cursor move by the
        # policy's actions and its connector.
        **free(
            "credit.insurance.policy",
            *THREAD_FIELDS,
            "allianz_business_unit_code",
            "allianz_extension_id",
            "allianz_policy_id",
            "api_timeout",
            "coface_contract_id",
            "company_id",
            "cover_ids",
            "coverage_rate",
            "currency_id",
            "date_end",
            "date_start",
            "declaration_days",
            "discretionary_coverage_rate",
            "discretionary_limit",
            "insurer_id",
            "max_credit_days",
            "name",
            "policy_number",
            "provider_code",
        ),
        **only(
            SYSTEM,
            "credit.insurance.policy",
            "api_base_url",
            "api_path_prefix",
            "soap_wsdl_url",
            "api_key",
            "api_username",
            "api_password",
            "webhook_secret",
            "token_value",
            "token_expiry",
        ),
        **method("credit.insurance.policy", "state", "sync_cursor"),
        # Covers: what is asked is the credit manager's, what the insurer answered is not.
        **free(
            "credit.insurance.cover",
            *THREAD_FIELDS,
            "amount_requested",
            "buyer_ref",
            "partner_id",
            "policy_id",
            "decision_ids",
        ),
        **method(
            "credit.insurance.cover",
            "company_id",
            "state",
            "amount_granted",
            "date_start",
            "date_end",
            "date_next_decision",
            "requested",
            "request_pending",
            "date_requested",
            "insurer_job_ref",
            "insurer_cover_ref",
        ),
        # Decisions: typed in (or received) once, kept as given by everyone; the letter and
        # note complete them.
        **free("credit.insurance.decision", "letter", "letter_filename", "note"),
        **fixed(
            "credit.insurance.decision",
            "amount",
            "company_id",
            "cover_id",
            "date",
            "date_end",
            "policy_id",
            "reference",
            "state",
        ),
        # Alerts: raised, figured and ended by the daily run, moved by their actions.
        **free("credit.insurance.alert", *THREAD_FIELDS, *ACTIVITY_FIELDS),
        **method(
            "credit.insurance.alert",
            "alert_type",
            "amount_cover",
            "amount_exposure",
            "cause_key",
            "company_id",
            "cover_id",
            "date",
            "date_due",
            "date_end",
            "date_idle",
            "decision_id",
            "digest_sent",
            "move_id",
            "partner_id",
            "policy_id",
            "state",
        ),
        # Claims: what is claimed while draft; state, dates, pack and indemnity by the actions.
        **free(
            "credit.insurance.claim",
            *THREAD_FIELDS,
            *ACTIVITY_FIELDS,
            "amount_claimed",
            "company_id",
            "insurer_reference",
            "move_ids",
            "note",
            "partner_id",
            "policy_id",
        ),
        **method(
            "credit.insurance.claim",
            "state",
            "date_filed",
            "date_indemnified",
            "date_closed",
            "amount_indemnified",
            "amount_outstanding",
            "amount_expected",
            "pack_attachment_id",
        ),
        # The exchange log: nobody writes it (its access rights say so).
        **free(
            "credit.insurance.exchange",
            "attempt",
            "company_id",
            "cover_id",
            "duration_ms",
            "error",
            "method",
            "notification_ref",
            "operation",
            "policy_id",
            "request_body",
            "response_body",
            "status_code",
            "success",
            "url",
        ),
        # Wizards.
        **free(
            "credit.insurance.cover.request",
            "amount",
            "buyer_ref",
            "company_id",
            "partner_id",
            "policy_id",
        ),
        **free(
            "credit.insurance.buyer.search",
            "current_buyer_ref",
            "identifiers",
            "line_ids",
            "partner_id",
            "policy_id",
        ),
        **free(
            "credit.insurance.buyer.search.line",
            "buyer_ref",
            "city",
            "country_code",
            "identifier",
            "identifier_type",
            "name",
            "search_id",
            "street",
            "zip",
        ),
        **free("credit.insurance.claim.indemnity", "amount", "claim_id", "date"),
        # Invoices: insured by the policy in force, declared by the declaration and claims.
        **method(
            "account.move",
            "insurance_declaration_date",
            "insurance_declaration_deadline",
            "insurance_declaration_ref",
            "insurance_declaration_state",
            "insurance_insured",
            "insurance_insured_amount",
            "insurance_policy_id",
        ),
        # A customer's covers: their own access rights decide (credit managers).
        **free("res.partner", "insurance_cover_ids"),
        **free("res.users", "insurance_cover_ids"),
        # Settings: Odoo's rights on companies and settings (administrators) say it all.
        **free(
            "res.company",
            "credit_insurance_hold_excess",
            "credit_insurance_hold_refused",
            "credit_insurance_unused_days",
            "credit_insurance_watch_profile_id",
        ),
        **free(
            "res.config.settings",
            "credit_insurance_hold_excess",
            "credit_insurance_hold_refused",
            "credit_insurance_unused_days",
            "credit_insurance_watch_profile_id",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cover = cls._cover(cls.customer)
        cls.decision = cls._decide(cls.cover, "granted", 4000.0)
        cls.invoice = cls._invoice(cls.customer, 800.0, due_days=-20)
        cls.claim = cls.env["credit.insurance.claim"].create(
            {"policy_id": cls.policy.id, "partner_id": cls.customer.id}
        )
        cls.alert = (
            cls.env["credit.insurance.alert"]
            .sudo()
            .create(
                {
                    "alert_type": "over_cover",
                    "partner_id": cls.customer.id,
                    "policy_id": cls.policy.id,
                    "date": "2026-06-15",
                    "cause_key": "over_cover:matrix",
                }
            )
        )
        cls.exchange = (
            cls.env["credit.insurance.exchange"]
            .sudo()
            .create({"policy_id": cls.policy.id, "operation": "fetch_decisions"})
        )
        cls.records = {
            "credit.insurance.policy": cls.policy,
            "credit.insurance.cover": cls.cover,
            "credit.insurance.decision": cls.decision,
            "credit.insurance.claim": cls.claim,
            "credit.insurance.alert": cls.alert,
            "credit.insurance.exchange": cls.exchange,
            "account.move": cls.invoice,
        }

    def _matrix_record(self, model):
        return self.records.get(model)

    def _matrix_create_vals(self, model):
        if model == "account.move":
            return {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-06-15",
                "invoice_line_ids": [
                    Command.create({"name": "Livraison", "quantity": 1, "price_unit": 100.0})
                ],
            }
        return None

    def _matrix_value(self, model, field, record):
        if field in ("api_base_url", "soap_wsdl_url"):
            return "https://insurer.example/matrix"
        if field == "insurance_declaration_state":
            return "declared"
        return super()._matrix_value(model, field, record)
