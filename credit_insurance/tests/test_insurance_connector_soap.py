import time

from odoo.tests import tagged

from .connector_common import ConnectorCommon
from .fake_insurers import FakeSoapInsurer
from .fake_insurers import soap_fault

PASSWORD = "soap-pass-k2j4h6"


@tagged("post_install", "-at_install")
class TestInsuranceConnectorSoap(ConnectorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeSoapInsurer("seller-ws", PASSWORD)
        cls.addClassCleanup(cls.server.stop)
        cls.server.buyers["732829320"] = ("BUY-42", "Client Test SA")
        cls.policy.write(
            {
                "provider_code": "soap",
                # The WSDL is read from the insurer (?wsdl); its service address is replaced.
                "soap_wsdl_url": f"{cls.server.url}/ws/insurer?wsdl",
                "api_base_url": f"{cls.server.url}/ws/insurer",
                "api_username": "seller-ws",
                "api_password": PASSWORD,
                "api_timeout": 5.0,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def test_happy_path(self):
        candidates = self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(
            [(c["buyer_ref"], c["name"], c["city"]) for c in candidates],
            [("BUY-42", "Client Test SA", "Lyon")],
        )
        cover = self._cover(self.customer, 8000.0, buyer_ref=False)
        cover.action_request()
        self.assertEqual(cover.buyer_ref, "BUY-42")
        self.assertEqual(float(self.server.limits[0]["amount"]), 8000.0)
        self.assertEqual(cover.insurer_job_ref, self.server.limits[0]["requestId"])

        self.server.decide("BUY-42", "GRANTED", 8000)
        self.server.decide("BUY-42", "REDUCED", 4000, effective_date="2026-11-20")
        decisions = self.policy._insurer_fetch_decisions()
        self.assertEqual(sorted(decisions.mapped("state")), ["granted", "reduced"])
        self.assertEqual((cover.state, cover.amount_granted), ("reduced", 4000.0))
        # Read again: nothing twice.
        self.assertFalse(self.policy._insurer_fetch_decisions())
        self.assertEqual(len(cover.decision_ids), 2)

        invoice = self._invoice(self.customer, 700.0, due_days=-35)
        self.policy._insurer_declare_overdue(invoice)
        self.assertEqual(invoice.insurance_declaration_state, "declared")
        self.assertEqual(self.server.overdues[0]["invoices"], [invoice.name])

        # Envelopes logged, to the policy's address, the password masked.
        exchanges = self._exchanges()
        self.assertTrue(all(self.server.url in e.url for e in exchanges))
        self.assertIn(
            "RequestLimit",
            exchanges.filtered(lambda e: e.operation == "request_cover").request_body,
        )
        self.assertIn("Password", exchanges[0].request_body)
        self._assert_redacted([PASSWORD])
        # The WSDL was read from the insurer.
        self.assertTrue([r for r in self.server.requests if r[0] == "GET"])

    def test_declaration_reference(self):
        """The declarationId of the overdue declaration is kept on the invoices, declared
        once."""
        invoices, __ = self._declare_twice("BUY-42")
        self.assertEqual(len(self.server.overdues), 1, "the insurer was called once")
        self.assertEqual(self.server.operations().count("DeclareOverdue"), 1)
        self.assertEqual(invoices[0].insurance_declaration_ref, self.server.overdues[0]["id"])

    def test_declaration_one_buyer_failing(self):
        """A buyer whose declaration fails loses none of those the insurer accepted."""
        first, second = self._declare_one_buyer_failing("BUY-42", "BUY-77")
        self.assertEqual([o["buyerId"] for o in self.server.overdues], ["BUY-42", "BUY-77"])
        self.assertEqual(
            self.server.operations().count("DeclareOverdue"), 5, "1, then 3 tries, then 1"
        )
        self.assertEqual(first.insurance_declaration_ref, self.server.overdues[0]["id"])
        self.assertEqual(second.insurance_declaration_ref, self.server.overdues[1]["id"])

    def test_shipped_wsdl(self):
        """Without a WSDL URL, the addon's WSDL is used, at the policy's address."""
        self.policy.soap_wsdl_url = False
        self.assertEqual(self.policy._insurer_search_buyer(self.customer)[0]["buyer_ref"], "BUY-42")
        self.assertFalse([r for r in self.server.requests if r[0] == "GET"])

    def test_soap_fault(self):
        self.policy.soap_wsdl_url = False
        self.server.script(
            "/ws/insurer",
            status=500,
            body=soap_fault("soap:Server.Busy", "Service closed tonight"),
            headers={"Content-Type": "text/xml"},
        )
        error = self._failure(self.policy._insurer_fetch_decisions)
        self.assertIn("Server.Busy", error)
        self.assertIn("Service closed tonight", error)
        self.assertFalse(self.policy.sync_cursor)
        self.assertIn("Service closed tonight", self.policy.last_error)

    def test_bad_password_fault(self):
        self.policy.sudo().api_password = "wrong-pass-77"
        error = self._failure(self.policy._insurer_search_buyer, self.customer)
        self.assertIn("Bad username or password", error)
        self._assert_redacted(["wrong-pass-77"])

    def test_timeout(self):
        self.server.decide("BUY-42", "GRANTED", 8000)
        cover = self._cover(self.customer, 8000.0, buyer_ref="BUY-42")
        self.policy.soap_wsdl_url = False
        self.policy.api_timeout = 0.3
        self.server.script("/ws/insurer", status=200, body="", delay=0.8)
        self.policy._cron_fetch_decisions()
        self.assertFalse(cover.decision_ids)
        self.assertFalse(self.policy.sync_cursor)
        self.assertIn("did not answer within", self.policy.last_error)

    def test_malformed_answer(self):
        self.policy.soap_wsdl_url = False
        self.server.script(
            "/ws/insurer",
            status=200,
            body="<html>maintenance</html>",
            headers={"Content-Type": "text/html"},
        )
        error = self._failure(self.policy._insurer_fetch_decisions)
        self.assertIn("web service failed", error)

    def test_wsdl_unreachable(self):
        self.server.script("/ws/insurer", status=500, body="down")
        error = self._failure(self.policy._insurer_search_buyer, self.customer)
        self.assertIn("web service failed", error)

    def _statuses(self, operation):
        return self._exchanges().filtered(lambda e: e.operation == operation).mapped("status_code")

    def test_5xx_then_success(self):
        """A 503 of the server in front of the service is tried again, each try logged."""
        self.server.busy(status=503)
        candidates = self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(candidates[0]["buyer_ref"], "BUY-42")
        self.assertEqual(self.server.operations(), ["SearchBuyer", "SearchBuyer"])
        self.assertEqual(self._statuses("search_buyer"), [503, 200])
        retried, answered = self._exchanges().filtered(lambda e: e.operation == "search_buyer")
        self.assertEqual((retried.attempt, answered.attempt), (1, 2))
        self.assertIn("tried again", retried.error)
        self.assertIn("Service Unavailable", retried.response_body)
        self.assertIn("SearchBuyer", retried.request_body)
        self.assertFalse(answered.error)
        self._assert_redacted([PASSWORD])

    def test_429_retry_after_then_success(self):
        """A 429 is tried again after the wait its Retry-After asks (longer than the backoff)."""
        self.server.busy(status=429, retry_after=1)
        cover = self._cover(self.customer, 6000.0, buyer_ref="BUY-42")
        started = time.monotonic()
        cover.action_request()
        self.assertGreaterEqual(time.monotonic() - started, 1.0, "Retry-After honoured")
        self.assertEqual(len(self.server.limits), 1, "one limit requested")
        self.assertEqual(cover.insurer_job_ref, self.server.limits[0]["requestId"])
        self.assertEqual(self._statuses("request_cover"), [429, 200])
        self.assertFalse(cover.insurer_error)

    def test_5xx_persisting_readable(self):
        """A 5xx at every try: three tries, a readable error, nothing recorded, cursor kept."""
        cover = self._cover(self.customer, 8000.0, buyer_ref="BUY-42")
        self.server.decide("BUY-42", "GRANTED", 8000)
        self.server.busy(status=503, times=3)
        error = self._failure(self.policy._insurer_fetch_decisions)
        self.assertIn("refused the request", error)
        self.assertIn("HTTP 503", error)
        self.assertEqual(self.server.operations(), ["GetDecisions"] * 3, "three tries, no more")
        self.assertFalse(cover.decision_ids, "nothing recorded")
        self.assertFalse(self.policy.sync_cursor, "cursor unchanged")
        self.assertIn("HTTP 503", self.policy.last_error)
        self.assertEqual(self._statuses("fetch_decisions"), [503, 503, 503])

        # On a cover: the same readable error, raised and shown on the cover.
        self.server.requests.clear()
        self.server.busy(status=502, times=3)
        error = self._failure(cover.action_request)
        self.assertIn("HTTP 502", error)
        self.assertIn("HTTP 502", cover.insurer_error)
        self.assertFalse(self.server.limits)
        self.assertFalse(cover.insurer_job_ref)

        # Next time the service answers: the decision comes, the cursor moves.
        self.policy._cron_fetch_decisions()
        self.assertEqual(cover.decision_ids.mapped("state"), ["granted"])
        self.assertTrue(self.policy.sync_cursor)
        self.assertFalse(self.policy.last_error)

    def test_fault_not_retried(self):
        """A SOAP Fault is the insurer's answer: never tried again, whatever its status."""
        self.policy.soap_wsdl_url = False
        self.server.script(
            "/ws/insurer",
            status=503,
            body=soap_fault("soap:Server.Busy", "Service closed tonight"),
            headers={"Content-Type": "text/xml"},
        )
        error = self._failure(self.policy._insurer_search_buyer, self.customer)
        self.assertIn("Service closed tonight", error)
        self.assertEqual(self.server.operations(), ["SearchBuyer"])
        self.assertEqual(self._statuses("search_buyer"), [503])
