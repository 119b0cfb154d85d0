"""The insurers' webhook: a signed notification only triggers a read of the decisions.

``POST /credit_insurance/webhook/<policy_id>`` with ``X-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw body keyed by the policy's webhook secret. The signature is checked
(constant-time) before the body is parsed or anything of the policy but its secret is read;
an unknown policy, a policy without a secret and a bad signature get the same 403. A
notification already received (same id within ``REPLAY_WINDOW``) answers 200 and reads
nothing. A valid one reads the decisions through the insurer's API: its body is never trusted.
"""

import hashlib
import hmac
import json
import logging
from datetime import timedelta

from odoo import fields
from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

REPLAY_WINDOW = timedelta(days=7)


class CreditInsuranceWebhook(http.Controller):
    @http.route(
        "/credit_insurance/webhook/<int:policy_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def credit_insurance_webhook(self, policy_id, **kwargs):
        body = request.httprequest.get_data(cache=True)
        signature = request.httprequest.headers.get("X-Signature", "")
        # The secret alone is read, by its id, to check the signature: nothing else before.
        policy = request.env["credit.insurance.policy"].sudo().browse(policy_id).exists()
        secret = policy.webhook_secret if policy else None
        if not self._signature_valid(secret, body, signature):
            _logger.warning(
                "Credit insurance webhook: refused notification for policy %s", policy_id
            )
            return request.make_response("Forbidden", status=403)
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = {}
        reference = None
        if isinstance(data, dict):
            reference = data.get("notificationId") or data.get("id")
        reference = str(reference or hashlib.sha256(body).hexdigest())[:128]
        Exchange = request.env["credit.insurance.exchange"].sudo()
        replay = Exchange.search_count(
            [
                ("policy_id", "=", policy.id),
                ("operation", "=", "webhook"),
                ("notification_ref", "=", reference),
                ("create_date", ">=", fields.Datetime.now() - REPLAY_WINDOW),
            ],
            limit=1,
        )
        if replay:
            return request.make_response("Already received", status=200)
        try:
            decisions = policy._insurer_fetch_decisions()
        except UserError as error:
            # Logged by the connector; a failure answer makes the insurer send it again.
            _logger.warning(
                "Credit insurance webhook: fetch failed for policy %s: %s", policy.id, error
            )
            return request.make_response("Temporarily unavailable", status=503)
        policy._exchange_log(
            {
                "operation": "webhook",
                "method": "POST",
                "url": request.httprequest.path,
                "status_code": 200,
                "request_body": body.decode("utf-8", "replace"),
                "response_body": f"{len(decisions)} decisions read",
                "notification_ref": reference,
            }
        )
        return request.make_response("OK", status=200)

    @staticmethod
    def _signature_valid(secret, body, signature):
        if not secret or not signature.startswith("sha256="):
            return False
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature[len("sha256=") :].strip().lower())
