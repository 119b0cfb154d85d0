import hashlib
import hmac
import json

from odoo.tests import HttpCase
from odoo.tests import tagged

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
        raw = json.dumps(body).encode()
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
