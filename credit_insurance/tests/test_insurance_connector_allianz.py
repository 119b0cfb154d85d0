from odoo.exceptions import AccessError
from odoo.tests import tagged

from .connector_common import ConnectorCommon
from .fake_insurers import FakeAllianzTrade

API_KEY = "at-api-key-7f3e9c21"


@tagged("post_install", "-at_install")
class TestInsuranceConnectorAllianz(ConnectorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeAllianzTrade(API_KEY, prefix="/uat")
        cls.addClassCleanup(cls.server.stop)
        cls.server.add_company("AT-555", "Client Test SA", ["732829320"])
        cls.policy.write(
            {
                "provider_code": "allianz_trade",
                "api_base_url": cls.server.url,
                "api_path_prefix": "uat",
                "api_key": API_KEY,
                "api_timeout": 5.0,
                "allianz_business_unit_code": "FR",
                "allianz_policy_id": "5012345",
                "allianz_extension_id": "1",
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def _requested_cover(self, amount=20000.0):
        cover = self._cover(self.customer, amount, buyer_ref=False)
        cover.action_request()
        return cover

    def _secrets(self):
        return [API_KEY, *self.server.tokens]

    def test_happy_path(self):
        """Search, request (a job), pending then processed, decision once, overdue declared."""
        candidates = self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(
            [(c["buyer_ref"], c["name"], c["city"], c["identifier_type"]) for c in candidates],
            [("AT-555", "Client Test SA", "Paris", "SIREN")],
        )
        cover = self._requested_cover()
        self.assertEqual((cover.state, cover.buyer_ref), ("requested", "AT-555"))
        self.assertTrue(cover.insurer_job_ref.startswith("job-"))
        sent = self.server.covers[self.server.jobs[cover.insurer_job_ref]["coverId"]]
        self.assertEqual(sent["requestedAmount"], 20000.0)
        self.assertEqual(
            sent["policy"], {"businessUnitCode": "FR", "policyId": "5012345", "extensionId": "1"}
        )

        # The job is still pending: nothing recorded, the job kept for the next fetch.
        self.assertFalse(self.policy._insurer_fetch_decisions())
        self.assertEqual((cover.state, bool(cover.insurer_job_ref)), ("requested", True))
        cursor = self.policy.sync_cursor
        self.assertTrue(cursor)

        job = cover.insurer_job_ref
        self.server.process_job(job, "PartialAgreement", 15000.0)
        decisions = self.policy._insurer_fetch_decisions()
        self.assertEqual(decisions.mapped("state"), ["partial"])
        self.assertEqual((cover.state, cover.amount_granted), ("partial", 15000.0))
        self.assertFalse(cover.insurer_job_ref)
        self.assertEqual(
            decisions.reference, f"{self.server.jobs[job]['coverId']}/2026-11-02/PartialAgreement"
        )

        # Read again (the portfolio still lists it): never recorded twice.
        self.assertFalse(self.policy._insurer_fetch_decisions())
        self.assertEqual(len(cover.decision_ids), 1)

        # A later reduction on the portfolio is read.
        self.server.covers[self.server.jobs[job]["coverId"]]["creditLimitsAggregation"][
            "creditLimits"
        ].append(
            {"technicalDecisionStatusCode": "Reduction", "amount": 8000, "startDate": "2026-11-20"}
        )
        self.assertEqual(self.policy._insurer_fetch_decisions().mapped("state"), ["reduced"])
        self.assertEqual((cover.state, cover.amount_granted), ("reduced", 8000.0))

        invoice = self._invoice(self.customer, 1200.0, due_days=-20)
        self.policy._insurer_declare_overdue(invoice)
        self.assertEqual(invoice.insurance_declaration_state, "declared")
        overdue = self.server.overdues[-1]
        self.assertEqual(
            (overdue["categoryCode"], overdue["companyId"], overdue["policyId"]),
            ("OVD", "AT-555", "5012345"),
        )
        self.assertEqual([i["number"] for i in overdue["invoices"]], [invoice.name])
        self.assertIn(overdue["jobId"], invoice.message_ids[0].body)

        # One token for the whole run, every exchange logged without a secret.
        self.assertEqual(len(self.server.calls("/oauth2/authorize")), 1)
        operations = set(self._exchanges().mapped("operation"))
        self.assertTrue(
            {
                "authorize",
                "search_buyer",
                "request_cover",
                "poll_job",
                "read_cover",
                "fetch_decisions",
                "declare_overdue",
            }
            <= operations
        )
        self._assert_redacted(self._secrets())
        self.assertFalse(self.policy.last_error)

    def test_declaration_reference(self):
        """The job id of the overdue declaration is kept on the invoices, declared once."""
        invoices, __ = self._declare_twice("AT-555")
        self.assertEqual(len(self.server.overdues), 1, "the insurer was called once")
        overdue = self.server.overdues[0]
        self.assertEqual(invoices[0].insurance_declaration_ref, overdue["jobId"])
        self.assertEqual(
            sorted(i["number"] for i in overdue["invoices"]), sorted(invoices.mapped("name"))
        )

    def test_declaration_one_buyer_failing(self):
        """A buyer whose declaration fails loses none of those the insurer accepted."""
        first, second = self._declare_one_buyer_failing("AT-555", "AT-777")
        self.assertEqual([o["companyId"] for o in self.server.overdues], ["AT-555", "AT-777"])
        self.assertEqual(
            len(self.server.calls("/riskinfo/v3/overdues")), 5, "1, then 3 tries, then 1"
        )
        self.assertEqual(first.insurance_declaration_ref, self.server.overdues[0]["jobId"])
        self.assertEqual(second.insurance_declaration_ref, self.server.overdues[1]["jobId"])

    def test_token_expired_renewed(self):
        self.policy._insurer_fetch_decisions()
        tokens = len(self.server.tokens)
        self.server.expire_tokens()
        self._requested_cover()
        self.assertEqual(len(self.server.tokens), tokens + 1, "exactly one new token")
        self.assertEqual(len(self.server.calls("/oauth2/authorize")), 2, "first token, renewal")
        # The buyer search came first: it met the 401, renewed, and was sent again.
        statuses = (
            self._exchanges()
            .filtered(lambda e: e.operation == "search_buyer")
            .mapped("status_code")
        )
        self.assertEqual(statuses, [401, 200])
        self.assertEqual(self.policy.sudo().token_value, self.server.tokens[-1])
        self._assert_redacted(self._secrets())

    def test_bad_api_key_stops(self):
        self.policy.sudo().write({"api_key": "wrong-key-123", "token_value": False})
        error = self._failure(self.policy.action_test_connection)
        self.assertIn("HTTP 401", error)
        self.assertEqual(
            len(self.server.calls("/oauth2/authorize")), 1, "a failed login is not retried"
        )
        self.assertIn("HTTP 401", self.policy.last_error)

    def test_429_retry_after_then_success(self):
        self.policy._insurer_fetch_decisions()
        self.server.script("/riskinfo/v3/covers", status=429, headers={"Retry-After": "1"})
        cover = self._requested_cover()
        self.assertTrue(cover.insurer_job_ref)
        self.assertEqual(len(self.server.covers), 1, "one cover requested")
        statuses = (
            self._exchanges()
            .filtered(lambda e: e.operation == "request_cover")
            .mapped("status_code")
        )
        self.assertEqual(statuses, [429, 202])

    def test_5xx_then_success(self):
        self.server.script("/companies/matching", status=503)
        self.server.script("/companies/matching", status=500, body="<html>oops</html>")
        candidates = self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(candidates[0]["buyer_ref"], "AT-555")
        statuses = (
            self._exchanges()
            .filtered(lambda e: e.operation == "search_buyer")
            .mapped("status_code")
        )
        self.assertEqual(statuses, [503, 500, 200])

    def test_5xx_persisting_readable(self):
        for __ in range(3):
            self.server.script("/companies/matching", status=503)
        error = self._failure(self.policy._insurer_search_buyer, self.customer)
        self.assertIn("HTTP 503", error)
        self.assertEqual(len(self.server.calls("/companies/matching")), 3, "three tries, no more")

    def test_timeout_nothing_recorded(self):
        cover = self._requested_cover()
        self.server.process_job(cover.insurer_job_ref)
        cursor = self.policy.sync_cursor
        self.policy.api_timeout = 0.3
        self.server.script("/riskinfo/v3/jobs/", status=200, body={}, delay=0.8)
        self.policy._cron_fetch_decisions()  # the cron catches, logs and goes on
        self.assertFalse(cover.decision_ids, "nothing recorded")
        self.assertEqual(self.policy.sync_cursor, cursor, "cursor unchanged")
        self.assertTrue(cover.insurer_job_ref, "the job is polled again next time")
        self.assertIn("did not answer within", self.policy.last_error)
        self.assertIn("did not answer within", cover.insurer_error)
        # Next run: the insurer answers, the decision comes.
        self.policy.api_timeout = 5.0
        self.policy._cron_fetch_decisions()
        self.assertEqual(cover.state, "granted")
        self.assertFalse(self.policy.last_error)

    def test_malformed_payload(self):
        self.server.script("/riskinfo/v3/covers", status=202, body="{not json")
        cover = self._cover(self.customer, 1000.0, buyer_ref="AT-555")
        error = self._failure(cover.action_request)
        self.assertIn("not JSON", error)
        self.assertIn("not JSON", cover.insurer_error)
        self.server.script("/riskinfo/v3/covers", status=202, body={"unexpected": True})
        error = self._failure(cover.action_request)
        self.assertIn("unexpected shape", error)

    def test_credentials_system_only(self):
        for user in (self.collector, self.sales_user, self.manager):
            for field in (
                "api_key",
                "api_password",
                "api_username",
                "webhook_secret",
                "token_value",
            ):
                with self.assertRaises(AccessError):
                    self.policy.with_user(user).read([field])
        # A credit manager reads the log, a collector does not.
        self.policy.action_test_connection()
        self.assertTrue(
            self.env["credit.insurance.exchange"].with_user(self.manager).search_count([])
        )
        with self.assertRaises(AccessError):
            self.env["credit.insurance.exchange"].with_user(self.collector).search([])
