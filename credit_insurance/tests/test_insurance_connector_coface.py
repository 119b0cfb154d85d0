from odoo.tests import tagged

from .connector_common import ConnectorCommon
from .fake_insurers import FakeCoface

API_KEY = "cof-api-key-4d2a8b11"
PASSWORD = "cof-pass-93kd!x"


@tagged("post_install", "-at_install")
class TestInsuranceConnectorCoface(ConnectorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeCoface(API_KEY, "EH-2026-001", "seller@example.com", PASSWORD)
        cls.addClassCleanup(cls.server.stop)
        cls.server.companies["732829320"] = {
            "easyNumber": "EZ-123456",
            "name": "Client Test SA",
            "address": {"street": "2 quai Est", "postalCode": "69002", "city": "Lyon"},
        }
        cls.policy.write(
            {
                "provider_code": "coface",
                "api_base_url": cls.server.url,
                "api_key": API_KEY,
                "api_username": "seller@example.com",
                "api_password": PASSWORD,
                "coface_contract_id": "C-778",
                "api_timeout": 5.0,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()

    def _secrets(self):
        return [API_KEY, PASSWORD, *self.server.tokens]

    def test_happy_path(self):
        candidates = self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(
            [(c["buyer_ref"], c["name"], c["city"]) for c in candidates],
            [("EZ-123456", "Client Test SA", "Lyon")],
        )
        cover = self._cover(self.customer, 12000.0, buyer_ref=False)
        cover.action_request()
        self.assertEqual((cover.state, cover.buyer_ref), ("requested", "EZ-123456"))
        self.assertEqual(
            {
                k: self.server.products[0][k]
                for k in ("contractId", "easyNumber", "productCode", "amount")
            },
            {
                "contractId": "C-778",
                "easyNumber": "EZ-123456",
                "productCode": "CREDIT_LIMIT",
                "amount": 12000.0,
            },
        )
        self.assertTrue(cover.insurer_job_ref.startswith("DLV-"))

        self.server.notify("EZ-123456", "GRANTED", 12000.0)
        self.server.notify("EZ-999999", "REFUSED", 0)  # a buyer without a cover in Odoo
        decisions = self.policy._insurer_fetch_decisions()
        self.assertEqual(decisions.mapped("state"), ["granted"])
        self.assertEqual((cover.state, cover.amount_granted), ("granted", 12000.0))
        self.assertEqual(decisions.reference, self.server.notifications[0]["id"])
        since = self.server.calls("/notifications")[0]
        self.assertTrue(self.policy.sync_cursor)

        # The insurer sends the same notification again: recorded once.
        self.server.ignore_since = True
        self.assertFalse(self.policy._insurer_fetch_decisions())
        self.assertEqual(len(cover.decision_ids), 1)
        self.assertTrue(since)

        invoice = self._invoice(self.customer, 900.0, due_days=-40)
        self.policy._insurer_declare_overdue(invoice)
        self.assertEqual(invoice.insurance_declaration_state, "declared")
        self.assertEqual(self.server.overdues[0]["easyNumber"], "EZ-123456")
        self.assertEqual(self.server.overdues[0]["invoices"][0]["number"], invoice.name)

        self.assertEqual(len(self.server.calls("/authentication/v1/token")), 1)
        self._assert_redacted(self._secrets())

    def test_declaration_reference(self):
        """The overdueId of the overdue declaration is kept on the invoices, declared once."""
        invoices, __ = self._declare_twice("EZ-123456")
        self.assertEqual(len(self.server.overdues), 1, "the insurer was called once")
        self.assertEqual(
            invoices[0].insurance_declaration_ref, self.server.overdues[0]["overdueId"]
        )

    def test_declaration_without_reference(self):
        """An insurer that accepts a declaration without an id: declared, no reference."""
        self._cover(self.customer, 5000.0, buyer_ref="EZ-123456")
        invoice = self._invoice(self.customer, 900.0, due_days=-40)
        self.server.script("/overdues", status=201, body="")
        self.policy._insurer_declare_overdue(invoice)
        self.assertEqual(invoice.insurance_declaration_state, "declared")
        self.assertFalse(invoice.insurance_declaration_ref)

    def test_declaration_one_buyer_failing(self):
        """A buyer whose declaration fails loses none of those the insurer accepted."""
        first, second = self._declare_one_buyer_failing("EZ-123456", "EZ-654321")
        self.assertEqual(
            [o["easyNumber"] for o in self.server.overdues], ["EZ-123456", "EZ-654321"]
        )
        self.assertEqual(len(self.server.calls("/overdues")), 5, "1, then 3 tries, then 1")
        self.assertEqual(first.insurance_declaration_ref, self.server.overdues[0]["overdueId"])
        self.assertEqual(second.insurance_declaration_ref, self.server.overdues[1]["overdueId"])

    def test_declaration_every_buyer_failing(self):
        """Every buyer failing: the readable error, nothing declared."""
        self._declare_every_buyer_failing("EZ-123456", "EZ-654321")
        self.assertFalse(self.server.overdues)

    def test_declaration_buyer_without_id(self):
        """A buyer without an id at the insurer is left to declare, the others declared."""
        other = self.env["res.partner"].create(
            {"name": "Epiceries Durand SARL", "is_company": True}
        )
        self.policy.discretionary_limit = 5000.0  # the other is insured, unnamed
        self._cover(self.customer, 5000.0, buyer_ref="EZ-123456")
        first = self._invoice(self.customer, 900.0, due_days=-40)
        second = self._invoice(other, 400.0, due_days=-40)
        self.assertEqual(second.insurance_declaration_state, "to_declare")
        result = self.policy._insurer_declare_overdue(first | second)
        self.assertIn("has no buyer id", result["params"]["message"])
        self.assertEqual(first.insurance_declaration_state, "declared")
        self.assertEqual(second.insurance_declaration_state, "to_declare")
        self.assertIn("has no buyer id", second.message_ids[0].body)
        self.assertEqual([o["easyNumber"] for o in self.server.overdues], ["EZ-123456"])

    def test_token_expired_renewed(self):
        self.policy._insurer_fetch_decisions()
        tokens = len(self.server.tokens)
        self.server.expire_tokens()
        self.policy._insurer_search_buyer(self.customer)
        self.assertEqual(len(self.server.tokens), tokens + 1, "exactly one new token")
        statuses = (
            self._exchanges()
            .filtered(lambda e: e.operation == "search_buyer")
            .mapped("status_code")
        )
        self.assertEqual(statuses, [401, 200])
        self._assert_redacted(self._secrets())

    def test_failed_login_never_retried(self):
        self.policy.sudo().api_password = "wrong-password-1"
        error = self._failure(self.policy._insurer_fetch_decisions)
        self.assertIn("HTTP 401", error)
        self.assertEqual(len(self.server.calls("/authentication/v1/token")), 1)
        self.assertFalse(self.server.calls("/notifications"))
        self._assert_redacted(["wrong-password-1", API_KEY])

    def test_login_5xx_not_retried(self):
        self.server.script("/authentication/v1/token", status=503)
        self._failure(self.policy._insurer_fetch_decisions)
        self.assertEqual(len(self.server.calls("/authentication/v1/token")), 1)

    def test_429_then_success(self):
        self.server.script("/notifications", status=429, headers={"Retry-After": "1"})
        self.server.notify("EZ-123456", "GRANTED", 5000.0)
        cover = self._cover(self.customer, 5000.0, buyer_ref="EZ-123456")
        self.policy._insurer_fetch_decisions()
        self.assertEqual(cover.state, "granted")
        self.assertEqual(len(self.server.calls("/notifications")), 2)

    def test_5xx_then_success(self):
        self.server.script("/products", status=502, body="Bad gateway")
        cover = self._cover(self.customer, 5000.0, buyer_ref="EZ-123456")
        cover.action_request()
        self.assertEqual(len(self.server.products), 1)
        self.assertTrue(cover.insurer_job_ref)

    def test_timeout_cursor_unchanged(self):
        self.policy._insurer_fetch_decisions()
        cursor = self.policy.sync_cursor
        cover = self._cover(self.customer, 5000.0, buyer_ref="EZ-123456")
        self.server.notify("EZ-123456", "GRANTED", 5000.0)
        self.policy.api_timeout = 0.3
        self.server.script("/notifications", status=200, body=[], delay=0.8)
        self.policy._cron_fetch_decisions()
        self.assertFalse(cover.decision_ids)
        self.assertEqual(self.policy.sync_cursor, cursor)
        self.assertIn("did not answer within", self.policy.last_error)

    def test_malformed_payload(self):
        self.server.script("/notifications", status=200, body={"not": "a list"})
        error = self._failure(self.policy._insurer_fetch_decisions)
        self.assertIn("unexpected shape", error)
        self.assertFalse(self.policy.sync_cursor)
        self.server.script("/notifications", status=200, body=[{"id": "N1", "decision": "MAYBE"}])
        self.assertIn("unexpected shape", self._failure(self.policy._insurer_fetch_decisions))
