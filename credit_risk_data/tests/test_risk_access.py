"""Who may do what with risk data (readme/CONFIGURE.md, "Rights")."""

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

from .common import RiskCommon

READ_BY_MANAGERS = dict(NONE, manager="r", account_admin="r")
# The register search: every internal user (filling a customer takes the right to write it).
CONTACTS = dict(
    NONE,
    sales="rwcu",
    collector="rwcu",
    manager="rwcu",
    billing="rwcu",
    account_admin="rwcu",
    system="rwcu",
)


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskAccessMatrix(AccessMatrixCase, RiskCommon):
    MODULE = "credit_risk_data"
    MODEL_ACCESS = {
        # Providers: system administrators set where requests go and the key, nothing else.
        "credit.risk.provider": dict(MANAGED, system="rw"),
        "credit.risk.exchange": READ_BY_MANAGERS,
        "credit.risk.notice": dict(NONE, collector="r", manager="r", account_admin="r"),
        "credit.risk.customer.mixin": NONE,
        "credit.risk.event.action": MANAGED,
        "credit.risk.event": MANAGED,
        "credit.risk.claim": MANAGED,
        "credit.risk.rating": MANAGED,
        "credit.risk.rating.import": MANAGER_WIZARD,
        "credit.risk.register.search": CONTACTS,
        "credit.risk.register.search.line": CONTACTS,
    }
    FIELD_ACCESS = {
        **free(
            "credit.risk.provider",
            "name",
            "sequence",
            "provider_code",
            "company_id",
            "api_timeout",
            "page_size",
            "exchange_ids",
            "column_identifier",
            "column_date",
            "column_score",
            "column_grade",
            "column_default_probability",
            "column_recommended_limit",
        ),
        **only(("system",), "credit.risk.provider", "api_base_url", "api_key"),
        **method("credit.risk.provider", "state", "cursor_date", "last_run", "last_error"),
        # The exchange log and the notices: nobody writes them (their access rights say so).
        **free(
            "credit.risk.exchange",
            "provider_id",
            "company_id",
            "operation",
            "url",
            "attempt",
            "status_code",
            "duration_ms",
            "response_body",
            "error",
            "success",
        ),
        **free(
            "credit.risk.notice",
            "provider_id",
            "company_id",
            "event_id",
            "reference",
            "key",
            "kind",
            "date_published",
            "text",
        ),
        **free(
            "credit.risk.event.action",
            "company_id",
            "event_type",
            "hold",
            "stop_dunning",
            "claim",
            "activity",
            "insurer_alert",
            "payer_profile_id",
        ),
        # Events: what the register said is the job's; the notes are the manager's.
        **free("credit.risk.event", *THREAD_FIELDS, *ACTIVITY_FIELDS, "note", "name"),
        **method(
            "credit.risk.event",
            "event_type",
            "date_judgment",
            "date_published",
            "reference",
            "court",
            "text",
            "state",
            "notice_ids",
            "claim_ids",
            "rating_id",
        ),
        **fixed("credit.risk.event", "partner_id", "company_id", "provider_id"),
        # Claims: the invoices and the representative while to declare; the rest by actions.
        **free("credit.risk.claim", *THREAD_FIELDS, *ACTIVITY_FIELDS, "note", "name"),
        **method(
            "credit.risk.claim",
            "state",
            "amount",
            "date_deadline",
            "date_declared",
            "deadline_alerted",
            "event_id",
            "partner_id",
            "company_id",
        ),
        **free("credit.risk.claim", "move_ids", "representative_id"),
        **free(
            "credit.risk.rating",
            "partner_id",
            "provider_id",
            "company_id",
            "date",
            "score",
            "grade",
            "default_probability",
            "recommended_limit",
            "identifier",
        ),
        **free(
            "credit.risk.rating.import",
            "provider_id",
            "company_id",
            "file",
            "filename",
            "result",
            "imported_count",
        ),
        **free("credit.risk.register.search", "partner_id", "query", "postcode", "line_ids"),
        **free(
            "credit.risk.register.search.line",
            "search_id",
            "siren",
            "siret",
            "name",
            "street",
            "zip",
            "city",
            "naf_code",
            "legal_form",
            "company_active",
        ),
        # Customers: the SIREN is read from their numbers, the register's verdict and the
        # insolvency hold are set by the addon's methods; the register's facts are free.
        **method(
            "res.partner",
            "credit_siren",
            "credit_risk_hold_event_id",
            "credit_register_ceased",
            "credit_register_date",
        ),
        **free(
            "res.partner",
            "credit_naf_code",
            "credit_legal_form",
            "credit_risk_event_ids",
            "credit_risk_rating_ids",
        ),
        **free(
            "res.users",
            "credit_risk_event_ids",
            "credit_risk_rating_ids",
            "credit_naf_code",
            "credit_legal_form",
        ),
        **method("res.users", "credit_risk_hold_event_id"),
        # The customer and the company of events, claims and ratings: each model says.
        **free("credit.risk.customer.mixin", "partner_id", "company_id"),
        # The rating among the score's factors: nobody writes a score (its access rights).
        **free("credit.partner.score", "rating_id", "rating_default_probability", "rating_penalty"),
        # Settings: Odoo's rights on companies and settings say it all.
        **free(
            "res.company",
            "credit_risk_rating_threshold",
            "credit_risk_claim_alert_days",
            "credit_risk_use_ratings",
        ),
        **free(
            "res.config.settings",
            "credit_risk_rating_threshold",
            "credit_risk_claim_alert_days",
            "credit_risk_use_ratings",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoice = cls._invoice(cls.customer, 800.0, due_days=-20)
        cls.event = (
            cls.env["credit.risk.event"]
            .sudo()
            .create(
                {
                    "partner_id": cls.customer.id,
                    "provider_id": cls.bodacc.id,
                    "event_type": "receivership",
                    "date_judgment": "2026-06-10",
                    "date_published": "2026-06-12",
                    "reference": "A-MATRIX",
                    "notice_ids": [
                        Command.create({"provider_id": cls.bodacc.id, "reference": "A-MATRIX"})
                    ],
                }
            )
        )
        cls.claim = cls.env["credit.risk.claim"].create(
            {
                "partner_id": cls.customer.id,
                "event_id": cls.event.id,
                "move_ids": [Command.set(invoice.ids)],
            }
        )
        cls.rating = cls.env["credit.risk.rating"].create(
            {"partner_id": cls.customer.id, "provider_id": cls.manual.id, "score": 50.0}
        )
        cls.records = {
            "credit.risk.provider": cls.bodacc,
            "credit.risk.event": cls.event,
            "credit.risk.claim": cls.claim,
            "credit.risk.rating": cls.rating,
            "credit.risk.notice": cls.event.notice_ids,
            "credit.risk.event.action": cls.env["credit.risk.event.action"].create(
                {"event_type": "plan"}
            ),
            "res.partner": cls.customer,
        }

    def _matrix_record(self, model):
        return self.records.get(model)

    def _matrix_create_vals(self, model):
        if model == "credit.risk.event":
            return {"partner_id": self.customer.id, "event_type": "other"}
        if model == "credit.risk.claim":
            return {"partner_id": self.customer.id}
        return None

    def _matrix_value(self, model, field, record):
        if field == "api_base_url":
            return "https://registers.example/matrix"
        if field == "credit_siren":
            return "552032534"
        if field == "credit_risk_hold_event_id":
            return self.event.id
        return super()._matrix_value(model, field, record)

    def test_credentials_system_only(self):
        provider = self.sirene.with_user(self.manager)
        self.assertEqual(provider.name, "Sirene test")
        with self.assertRaises(AccessError):
            provider.read(["api_key"])
        with self.assertRaises(AccessError):
            self.bodacc.with_user(self.manager).write({"api_base_url": "https://evil.example"})
        with self.assertRaises(AccessError):
            self.bodacc.with_user(self.collector).action_enable()
        with self.assertRaises(AccessError):
            self.bodacc.with_user(self.manager).write({"cursor_date": "2026-01-01"})
        with self.assertRaises(AccessError):
            self.bodacc.with_user(self.sales_user).read(["name"])

    def test_only_managers_lift_a_hold(self):
        self.customer.with_company(self.company).sudo().credit_risk_hold_event_id = self.event
        with self.assertRaises(AccessError):
            self.event.with_user(self.collector).action_lift_hold()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).write({"credit_risk_hold_event_id": False})
        self.assertTrue(self.event.holding)
        self.event.with_user(self.manager).action_lift_hold()
        self.assertFalse(self.event.holding)

    def test_companies_kept_apart(self):
        company_2 = self.setup_other_company()["company"]
        rating_2 = self.env["credit.risk.rating"].create(
            {"partner_id": self.customer.id, "company_id": company_2.id, "score": 10.0}
        )
        ratings = self.env["credit.risk.rating"].with_user(self.manager).search([])
        self.assertIn(self.rating, ratings)
        self.assertNotIn(rating_2, ratings)
        with self.assertRaises(AccessError):
            rating_2.with_user(self.manager).read(["score"])
