"""The HTTP edge shared by the insurer connectors.

``_insurer_http`` sends one request with an explicit timeout and:

- retries on 429 and 5xx (``MAX_TRIES`` tries in all), waiting what ``Retry-After`` says (in
  seconds) or an exponential backoff, never more than ``MAX_RETRY_WAIT`` seconds;
- turns a timeout, a refused connection, an error status or a body that is not JSON into a
  readable, translated ``InsurerError`` naming the insurer and the operation;
- logs every attempt in ``credit.insurance.exchange`` through a cursor of its own, secrets
  redacted, so that the log of a failed operation survives the rollback of that operation.

A 401 is handed back to the caller when it asks for it (``handle_401``), so that the
provider's request method renews its token once and retries once.
"""

import json
import logging
import time
from urllib.parse import urlsplit

import requests

from odoo import SUPERUSER_ID
from odoo import _
from odoo import api
from odoo import models
from odoo import modules
from odoo.exceptions import UserError

from .credit_insurance_exchange import redact

_logger = logging.getLogger(__name__)

MAX_TRIES = 3
MAX_RETRY_WAIT = 30.0
RETRY_BASE_DELAY = 0.5
RETRY_STATUSES = (429, 500, 502, 503, 504)
WEB_SCHEMES = ("http", "https")


def is_web_address(url):
    """Whether ``url`` is an http or https address with a host.

    >>> is_web_address("https://api.insurer.example/v1"), is_web_address("file:///etc/passwd")
    (True, False)
    >>> is_web_address("gopher://127.0.0.1:6379/"), is_web_address("https:///path")
    (False, False)
    """
    origin = url_origin(url or "")
    return bool(origin and origin[0] in WEB_SCHEMES and origin[1])


def url_origin(url):
    """``(scheme, host, port)`` of ``url``, for comparing where two addresses lead; ``None``
    when it cannot be read (an invalid port or IPv6 literal)."""
    try:
        parts = urlsplit(url)
        return parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        return None


class InsurerError(UserError):
    """A readable failure of an insurer's service, already written in the exchange log."""

    _credit_insurance_logged = True
    _credit_insurance_log = None


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # REQUESTS
    # ------------------------------------------------------------

    def _insurer_url(self, path):
        """The full URL of ``path`` on this policy's service.

        An absolute URL (an address the insurer's answer gave, such as a job's resource) is
        kept only on the service's own scheme and host: the token goes with it.
        """
        self.ensure_one()
        base = (self.sudo().api_base_url or "").rstrip("/")  # the address is system-only
        if not base:
            raise UserError(
                _("Enter the API base URL of the policy %(policy)s first.", policy=self.name)
            )
        self._insurer_check_address(base)
        if path.startswith(("http://", "https://")):
            url = path
        else:
            prefix = (self.sudo().api_path_prefix or "").strip("/")
            url = "/".join(part for part in (base, prefix, path.lstrip("/")) if part)
        if url_origin(url) != url_origin(base):
            raise UserError(
                _(
                    "%(insurer)s gave the address %(url)s, which is not on the policy's "
                    "service (%(base)s): it is not called.",
                    insurer=self.insurer_id.name,
                    url=url,
                    base=base,
                )
            )
        return url

    def _insurer_check_address(self, url):
        """Raise a readable error unless ``url`` is an http(s) address with a host."""
        if not is_web_address(url):
            raise UserError(
                _(
                    "The address %(url)s of the policy %(policy)s is not an http or https "
                    "address: it is not called.",
                    url=url,
                    policy=self.name,
                )
            )

    def _insurer_http(
        self,
        operation,
        method,
        path,
        payload=None,
        headers=None,
        params=None,
        cover=None,
        retry=True,
        handle_401=False,
    ):
        """Send one request to the insurer and return ``(status, data)``.

        :param payload: a JSON-serialisable body, or ``None``.
        :param retry: ``False`` for a login, which is never retried.
        :param handle_401: return a 401 to the caller instead of raising.
        :return: the HTTP status and the decoded JSON body (``None`` when empty).
        :raise InsurerError: on a timeout, a connection error, an error status or a body
            that is not JSON.
        """
        self.ensure_one()
        url = self._insurer_url(path)
        body = json.dumps(payload) if payload is not None else None
        headers = {"Accept": "application/json", **(headers or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        log = {
            "operation": operation,
            "method": method,
            "url": url if not params else f"{url}?{requests.compat.urlencode(params)}",
            "cover_id": cover.id if cover else False,
            "request_body": self._insurer_format_request(headers, body),
        }
        try:
            response = self._insurer_send(
                lambda: requests.request(
                    method,
                    url,
                    data=body,
                    headers=headers,
                    params=params,
                    timeout=self.api_timeout or 20.0,
                ),
                log,
                retry=retry,
            )
        except requests.RequestException as error:
            self._insurer_fail(self._insurer_network_message(operation, error), log, error=error)
        status = response.status_code
        if status == 401 and handle_401:
            log["error"] = _("HTTP 401: token refused.")
            self._exchange_log(log)
            return status, None
        if status >= 400:
            self._insurer_fail_status(operation, response, log)
        try:
            data = response.json() if response.content.strip() else None
        except ValueError:
            message = _(
                "%(insurer)s sent an answer that is not JSON (%(operation)s).",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
            )
            self._insurer_fail(message, log)
        self._exchange_log(log)
        return status, data

    def _insurer_http_token(self, headers, operation, method, path, **kwargs):
        """``_insurer_http`` with a token that a 401 renews once, the call then tried once more.

        :param headers: ``headers(renew)`` → the request's headers, with the cached token, or
            a new one when ``renew`` (the provider's login, never retried).
        """
        for renew in (False, True):
            status, data = self._insurer_http(
                operation, method, path, headers=headers(renew), handle_401=not renew, **kwargs
            )
            if status != 401:
                return status, data
        raise AssertionError("unreachable")  # the second try raises on a 401

    def _insurer_send(self, send, log, retry=True, retryable=None):
        """Send one request through ``send`` and try it again while the insurer is busy.

        The retry policy of every connector, REST or SOAP: an answer for which
        ``retryable(response)`` holds (by default a status of ``RETRY_STATUSES``) is tried
        again, ``MAX_TRIES`` tries in all (one without ``retry``), after waiting what its
        ``Retry-After`` says or an exponential backoff, capped at ``MAX_RETRY_WAIT``. Each
        answer tried again is logged as an exchange of its own (``log`` and its status).

        :param send: a callable that sends the request and returns its ``requests.Response``;
            what it raises (a timeout, a refused connection) is raised as is, never retried.
        :param log: the exchange values of the request; filled with the last try's number,
            status, answer and duration, for the caller to complete and write.
        :return: the last answer.
        """
        self.ensure_one()
        if retryable is None:
            retryable = self._insurer_retryable
        tries = MAX_TRIES if retry else 1
        for attempt in range(1, tries + 1):
            log["attempt"] = attempt
            started = time.monotonic()
            try:
                response = send()
            finally:
                log["duration_ms"] = int((time.monotonic() - started) * 1000)
            log.update({"status_code": response.status_code, "response_body": response.text})
            if attempt == tries or not retryable(response):
                return response
            self._exchange_log(
                dict(log, error=_("HTTP %(status)s, tried again.", status=response.status_code))
            )
            time.sleep(self._insurer_retry_wait(response, attempt))
        raise AssertionError("unreachable")  # the last try returns

    @staticmethod
    def _insurer_retryable(response):
        return response.status_code in RETRY_STATUSES

    def _insurer_retry_wait(self, response, attempt):
        """Seconds to wait before the next try: ``Retry-After`` or a backoff, capped."""
        retry_after = response.headers.get("Retry-After", "")
        try:
            wait = float(retry_after)
        except ValueError:
            wait = RETRY_BASE_DELAY * 2 ** (attempt - 1)
        return max(0.0, min(wait, MAX_RETRY_WAIT))

    def _insurer_network_message(self, operation, error):
        """The readable message of a request that got no answer (timeout, no connection)."""
        if isinstance(error, requests.Timeout):
            return _(
                "%(insurer)s did not answer within %(timeout)s seconds (%(operation)s).",
                insurer=self.insurer_id.name,
                timeout=self.api_timeout,
                operation=self._insurer_operation_label(operation),
            )
        return _(
            "%(insurer)s cannot be reached (%(operation)s): %(error)s",
            insurer=self.insurer_id.name,
            operation=self._insurer_operation_label(operation),
            error=error.__class__.__name__,
        )

    def _insurer_fail_status(self, operation, response, log):
        """Fail on the error status of ``response`` (the last try), readable."""
        self._insurer_fail(
            _(
                "%(insurer)s refused the request (%(operation)s): HTTP %(status)s %(detail)s",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
                status=response.status_code,
                detail=self._insurer_error_detail(response),
            ),
            log,
        )

    def _insurer_fail(self, message, log=None, error=None, cover=None):
        """Log ``message`` as the error of the exchange ``log`` and raise it, readable."""
        log = dict(log or {})
        log.setdefault("operation", "fetch_decisions")
        if cover:
            log["cover_id"] = cover.id
        log["error"] = message if error is None else f"{message}\n{error}"
        own_cursor = self._exchange_log(log, self._insurer_secrets())
        failure = InsurerError(message)
        # Written in the current transaction (tests): a caller that rolls back logs it again.
        failure._credit_insurance_logged = own_cursor
        failure._credit_insurance_log = log
        raise failure from error

    def _insurer_check(self, condition, operation, cover=None):
        """Raise a readable error when the insurer's answer has not the documented shape."""
        if condition:
            return
        self._insurer_fail(
            _(
                "%(insurer)s sent an answer of an unexpected shape (%(operation)s).",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
            ),
            {"operation": operation},
            cover=cover,
        )

    # ------------------------------------------------------------
    # EXCHANGE LOG
    # ------------------------------------------------------------

    def _exchange_log(self, vals, secrets=None):
        """Write one exchange entry through a cursor of its own (kept after a rollback).

        :return: whether it went through a cursor of its own (``False`` in a
            ``TransactionCase``, where it joins the test's transaction).
        """
        self.ensure_one()
        secrets = self._insurer_secrets() if secrets is None else secrets
        vals = dict(vals, policy_id=self.id)
        for key in ("request_body", "response_body", "error", "url"):
            if vals.get(key):
                vals[key] = redact(str(vals[key]), secrets)
        try:
            if modules.module.current_test and self.env.registry.test_cr is None:
                # A TransactionCase: another cursor would not see the test's uncommitted
                # policy; the test's own transaction stands for the committed log.
                self.env["credit.insurance.exchange"].sudo().create(vals)
                self._exchange_invalidate()
                return False
            else:
                with self.env.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["credit.insurance.exchange"].create(vals)
        except Exception:
            _logger.exception("Credit insurance: the exchange log could not be written")
        self._exchange_invalidate()
        return True

    def _exchange_invalidate(self):
        """The policy's and covers' facts read from the log are stale after an entry."""
        self.env["credit.insurance.exchange"].invalidate_model()
        self.invalidate_recordset(["last_error", "exchange_count"])
        self.env["credit.insurance.cover"].invalidate_model(["insurer_error"])

    def _insurer_secrets(self):
        """The secret values of this policy, masked in every log."""
        policy = self.sudo()  # credentials are system-only; read here to mask them
        return tuple(
            value
            for value in (
                policy.api_key,
                policy.api_password,
                policy.token_value,
                policy.webhook_secret,
            )
            if value
        )

    @staticmethod
    def _insurer_format_request(headers, body):
        lines = [f"{key}: {value}" for key, value in headers.items()]
        return "\n".join(lines) + ("\n\n" + body if body else "")

    @staticmethod
    def _insurer_error_detail(response):
        """The insurer's message of an error answer: ``{"code", "message"}`` or its text."""
        try:
            data = response.json()
        except ValueError:
            return (response.text or "")[:200]
        if isinstance(data, dict):
            return " ".join(str(data[k]) for k in ("code", "message") if data.get(k))
        return str(data)[:200]

    def _insurer_operation_label(self, operation):
        labels = dict(
            self.env["credit.insurance.exchange"]
            ._fields["operation"]
            ._description_selection(self.env)
        )
        return labels.get(operation, operation)
