"""The insurers' webhook: a signed notification only triggers a read of the decisions.

``POST /credit_insurance/webhook/<policy_id>`` with ``X-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw body keyed by the policy's webhook secret.

- Before the body is read: a policy id out of range, a missing or malformed signature header
  (anything but ``sha256=`` and 64 hexadecimal digits) get 403; a body without a
  ``Content-Length`` (chunked) gets 411, one longer than ``MAX_BODY_SIZE`` 413. What is read
  is then ``Content-Length`` bytes at most.
- The signature is compared in constant time, on bytes, before the body is parsed or anything
  of the policy but its secret is read; an unknown policy, a policy without a secret and a bad
  signature get the same 403.
- A signed body that is not a JSON object, or whose ``notificationId`` / ``id`` is not a short
  printable text or a whole number, gets 400.
- Each notification is recorded once (``credit.insurance.exchange._webhook_receive``, a
  unique key on the policy and the notification id, the body's hash when it has none): a copy
  received again, even at the same instant, answers 200 and reads nothing.
- A valid one reads the decisions through the insurer's API: its body is never trusted. When
  the read fails, the notification is not kept (503), so that the insurer's next try is read.
"""

import hashlib
import hmac
import json
import logging
import re

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

_logger = logging.getLogger(__name__)

# A notification is a few hundred bytes: anything much larger is refused unread.
MAX_BODY_SIZE = 64 * 1024
MAX_POLICY_ID = 2**31 - 1
MAX_REFERENCE_SIZE = 128
SIGNATURE = re.compile(r"sha256=[0-9a-fA-F]{64}")
# A notification id: printable characters only (no NUL, no control character).
REFERENCE = re.compile(rf"[^\x00-\x1f\x7f]{{1,{MAX_REFERENCE_SIZE}}}")


class CreditInsuranceWebhook(http.Controller):
    @http.route(
        "/credit_insurance/webhook/<credit_id:policy_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
        max_content_length=MAX_BODY_SIZE,
    )
    def credit_insurance_webhook(self, policy_id, **kwargs):
        httprequest = request.httprequest
        signature = httprequest.headers.get("X-Signature", "")
        if policy_id > MAX_POLICY_ID or not SIGNATURE.fullmatch(signature):
            return self._refuse(policy_id)
        length = httprequest.content_length
        if length is None or "Transfer-Encoding" in httprequest.headers:
            # A chunked body would be read whole, whatever its size: its length first.
            return request.make_response("Length Required", status=411)
        if length > MAX_BODY_SIZE:
            return request.make_response("Payload Too Large", status=413)
        body = httprequest.get_data(cache=True)  # Content-Length bytes at most
        # The secret alone is read, by its id, to check the signature: nothing else before.
        policy = request.env["credit.insurance.policy"].sudo().browse(policy_id).exists()
        if not self._signature_valid(policy.webhook_secret if policy else None, body, signature):
            return self._refuse(policy_id)
        reference = self._notification_reference(body)
        if reference is None:
            return request.make_response("Bad Request", status=400)
        try:
            with request.env.cr.savepoint():
                exchange = (
                    request.env["credit.insurance.exchange"]
                    .sudo()
                    ._webhook_receive(policy, reference, httprequest.path, body)
                )
                if not exchange:
                    return request.make_response("Already received", status=200)
                decisions = policy._insurer_fetch_decisions()
                exchange.response_body = f"{len(decisions)} decisions read"
        except UserError as error:
            # Logged by the connector; the notification is not kept: the insurer's next try
            # (sent on a failure answer) is read.
            _logger.warning(
                "Credit insurance webhook: fetch failed for policy %s: %s", policy.id, error
            )
            return request.make_response("Temporarily unavailable", status=503)
        return request.make_response("OK", status=200)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @staticmethod
    def _refuse(policy_id):
        _logger.warning("Credit insurance webhook: refused notification for policy %s", policy_id)
        return request.make_response("Forbidden", status=403)

    @staticmethod
    def _signature_valid(secret, body, signature):
        """Whether ``signature`` (``sha256=<hex>``) signs ``body`` with ``secret``.

        Compared on bytes: any header value, ASCII or not, is compared in constant time.
        """
        if not secret:
            return False
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest().encode()
        provided = signature.removeprefix("sha256=").strip().lower()
        return hmac.compare_digest(expected, provided.encode("utf-8", "replace"))

    @staticmethod
    def _notification_reference(body):
        """The notification's id (``notificationId`` or ``id``), else the body's hash; ``None``
        when the body is not a JSON object or its id is not a short text or a whole number."""
        try:
            data = json.loads(body or b"{}")
        except ValueError:  # not JSON, not UTF-8, a number of too many digits
            return None
        if not isinstance(data, dict):
            return None
        reference = data.get("notificationId") or data.get("id")
        if reference is None or reference == "":
            return hashlib.sha256(body).hexdigest()
        if isinstance(reference, int) and not isinstance(reference, bool):
            reference = str(reference)
        if not isinstance(reference, str) or not REFERENCE.fullmatch(reference):
            return None
        return reference
