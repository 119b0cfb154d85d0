import hashlib
import hmac
import http.client
import json
from urllib.parse import urlsplit

from psycopg2.errors import UniqueViolation

from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..controllers.main import MAX_BODY_SIZE
from .connector_common import ConnectorCommon
from .fake_insurers import FakeCoface

API_KEY = "cof-api-key-webhook1"
SECRET = "whsec-5b7c9d1e3f"


@tagged("post_install", "-at_install")
class TestInsuranceConnectorWebhook(ConnectorCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeCoface(API_KEY, "EH-2026-001", "seller@example.com", "pw-webhook-1")
        cls.addClassCleanup(cls.server.stop)
        cls.policy.write(
            {
                "provider_code": "coface",
                "api_base_url": cls.server.url,
                "api_key": API_KEY,
                "api_username": "seller@example.com",
                "api_password": "pw-webhook-1",
                "webhook_secret": SECRET,
            }
        )
        cls.cover = cls._cover(cls.customer, 6000.0, buyer_ref="EZ-777")

    def setUp(self):
        super().setUp()
        self.server.reset()

    def _post(self, body, secret=SECRET, policy=None, signature=None):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        if signature is None:
            signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json"}
        if signature:
            headers["X-Signature"] = signature
        return self.url_open(
            f"/credit_insurance/webhook/{(policy or self.policy).id}", data=raw, headers=headers
        )

    def test_bad_signature_403_nothing_read(self):
        self.server.notify("EZ-777", "GRANTED", 6000)
        for response in (
            self._post({"id": "n-1"}, secret="not-the-secret"),
            self._post({"id": "n-1"}, signature=""),
            self._post({"id": "n-1"}, signature="sha256=zz"),
            self._post({"id": "n-1"}, policy=self.policy.browse(999999)),
        ):
            self.assertEqual(response.status_code, 403)
        self.policy.sudo().webhook_secret = False
        self.assertEqual(self._post({"id": "n-1"}).status_code, 403, "no secret: refused")
        self.assertFalse(self.server.requests, "nothing read from the insurer")
        self.assertFalse(self.cover.decision_ids)

    def test_valid_reads_through_api_replay_changes_nothing(self):
        self.server.notify("EZ-777", "REDUCED", 3000)
        # The body claims a grant: it is not trusted, the API says reduced.
        body = {"id": "n-2", "easyNumber": "EZ-777", "decision": "GRANTED", "amount": 999999}
        response = self._post(body)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.server.calls("/notifications")), 1)
        self.cover.invalidate_recordset()
        self.assertEqual((self.cover.state, self.cover.amount_granted), ("reduced", 3000.0))

        # Replayed: 200, no new read.
        self.assertEqual(self._post(body).status_code, 200)
        self.assertEqual(len(self.server.calls("/notifications")), 1)
        self.assertEqual(len(self.cover.decision_ids), 1)
        webhooks = self._exchanges().filtered(lambda e: e.operation == "webhook")
        self.assertEqual(webhooks.mapped("notification_ref"), ["n-2"])
        self._assert_redacted([SECRET, API_KEY, "pw-webhook-1", *self.server.tokens])

    def _raw(self, headers, body=b"", path=None):
        """A request written by hand (headers a client library would not send): its status,
        its body. The server must answer before the body announced is sent."""
        address = urlsplit(self.base_url())
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        self.addCleanup(connection.close)
        connection.putrequest("POST", path or f"/credit_insurance/webhook/{self.policy.id}")
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read().decode("latin-1")

    def _signature(self, raw, secret=SECRET):
        return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()

    def _assert_nothing_done(self):
        self.assertFalse(self.server.requests, "nothing read from the insurer")
        self.assertFalse(self._exchanges().filtered(lambda e: e.operation == "webhook"))

    @mute_logger("odoo.addons.credit_insurance.controllers.main")
    def test_bad_signature_header_4xx(self):
        """Whatever the signature header holds: a refusal, never a server error."""
        self.server.notify("EZ-777", "GRANTED", 6000)
        raw = json.dumps({"id": "n-3"}).encode()
        for signature in (
            "sha256=" + "²" * 64,
            "sha256=é" + "0" * 63,
            "sha256=" + "0" * 5000,
            "x" * 5000,
            "sha256= ",
            "sha256=" + "'; DROP TABLE credit_insurance_exchange; --",
        ):
            status, text = self._raw(
                {
                    "Content-Type": "application/json",
                    "Content-Length": str(len(raw)),
                    "X-Signature": signature.encode("utf-8"),
                },
                raw,
            )
            self.assertEqual(status, 403, f"signature {signature[:20]!r}")
            self.assertNotIn("Traceback", text)
        for path in (
            "/credit_insurance/webhook/99999999999999999999",
            "/credit_insurance/webhook/2147483648",
            "/credit_insurance/webhook/-1",
        ):
            status, __ = self._raw(
                {"Content-Length": str(len(raw)), "X-Signature": self._signature(raw)},
                raw,
                path=path,
            )
            self.assertIn(status, (403, 404), path)
        self._assert_nothing_done()

    @mute_logger("odoo.addons.credit_insurance.controllers.main")
    def test_bad_body_400(self):
        """A signed body that is not a JSON object, or whose id is not an id: 400."""
        self.server.notify("EZ-777", "GRANTED", 6000)
        for raw in (
            b"{not json",
            b"\xff\xfe\x00",
            b"[1, 2]",
            b'"n-4"',
            b'{"id": {"$gt": ""}}',
            b'{"id": ["n-4"]}',
            b'{"id": 1.5}',
            b'{"id": NaN}',
            b'{"id": Infinity}',
            b'{"id": "n\\u0000-4"}',
            b'{"id": "' + b"9" * 5000 + b'"}',
            b'{"id": ' + b"9" * 5000 + b"}",
            b'{"notificationId": true}',
        ):
            response = self._post(raw)
            self.assertEqual(response.status_code, 400, raw[:30])
            self.assertNotIn("Traceback", response.text)
        self._assert_nothing_done()

    @mute_logger("odoo.addons.credit_insurance.controllers.main")
    def test_body_too_large_refused_unread(self):
        """A body announced over the limit is refused before it is sent; one without a
        length (chunked) too; the limit itself is accepted."""
        status, __ = self._raw(
            {"Content-Length": str(MAX_BODY_SIZE + 1), "X-Signature": "sha256=" + "0" * 64}
        )
        self.assertEqual(status, 413, "answered without waiting for the body")
        status, __ = self._raw(
            {"Transfer-Encoding": "chunked", "X-Signature": "sha256=" + "0" * 64},
            b"5\r\nhello\r\n0\r\n\r\n",
        )
        self.assertEqual(status, 411)
        self._assert_nothing_done()
        self.server.notify("EZ-777", "GRANTED", 6000)
        raw = json.dumps({"id": "n-5", "pad": ""}).encode()
        raw = raw[:-2] + b" " * (MAX_BODY_SIZE - len(raw)) + raw[-2:]
        self.assertEqual(len(raw), MAX_BODY_SIZE)
        self.assertEqual(self._post(raw).status_code, 200)

    @mute_logger("odoo.addons.credit_insurance.controllers.main")
    def test_failed_read_not_recorded(self):
        """The insurer's API fails: 503, the notification is not kept, its next copy is read."""
        self.server.notify("EZ-777", "GRANTED", 6000)
        for __ in range(3):
            self.server.script("/notifications", status=500)
        self.assertEqual(self._post({"id": "n-6"}).status_code, 503)
        self.assertFalse(self._exchanges().filtered(lambda e: e.operation == "webhook"))
        self.assertEqual(self._post({"id": "n-6"}).status_code, 200)
        self.cover.invalidate_recordset()
        self.assertEqual(self.cover.state, "granted")
        webhooks = self._exchanges().filtered(lambda e: e.operation == "webhook")
        self.assertEqual(webhooks.mapped("notification_ref"), ["n-6"])

    def test_notification_unique_key(self):
        """The database keeps one record of a notification per policy: a second one is
        refused by a unique key, whoever inserts it (the six-copies race is in
        tests/test_insurance_webhook_e2e.py)."""
        self.assertEqual(self._post({"id": "n-7"}).status_code, 200)
        vals = {"policy_id": self.policy.id, "operation": "webhook", "notification_ref": "n-7"}
        Exchange = self.env["credit.insurance.exchange"].sudo()
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Exchange.create(vals)
        # Another operation, or another notification, is another entry.
        Exchange.create(dict(vals, operation="fetch_decisions"))
        Exchange.create(dict(vals, notification_ref="n-8"))
