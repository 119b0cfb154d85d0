"""The HTTP edge of the risk-data providers.

``_risk_request`` sends one GET with the provider's explicit timeout and:

- tries again on 429 and 5xx (``MAX_TRIES`` tries in all), waiting what ``Retry-After``
  says (seconds) or an exponential backoff, never more than ``MAX_RETRY_WAIT`` seconds;
- turns a timeout, a refused connection, an error status or a body that is not JSON into a
  readable, translated ``RiskProviderError`` naming the provider and the operation;
- logs every try in ``credit.risk.exchange``, the API key redacted.
"""

import time

import requests

from odoo import _
from odoo import models
from odoo.exceptions import UserError

from .credit_risk_exchange import redact

MAX_TRIES = 3
MAX_RETRY_WAIT = 30.0
RETRY_BASE_DELAY = 0.5
RETRY_STATUSES = (429, 500, 502, 503, 504)


def wait(seconds):
    """Wait before trying again (what tests replace, not the whole ``time`` module)."""
    time.sleep(seconds)


class RiskProviderError(UserError):
    """A readable failure of a provider's service, already in the exchange log."""


class CreditRiskProvider(models.Model):
    _inherit = "credit.risk.provider"  # pylint: disable=consider-merging-classes-inherited

    def _risk_url(self, path):
        self.ensure_one()
        base = (self.sudo().api_base_url or "").rstrip("/")  # the address is system-only
        if not base.startswith(("http://", "https://")):
            raise UserError(
                _(
                    "Enter an http or https API base URL for the provider %(provider)s first.",
                    provider=self.name,
                )
            )
        return f"{base}/{path.lstrip('/')}"

    def _risk_request(self, operation, path, params=None, headers=None, not_found=False):
        """GET ``path`` of the provider's API and return its decoded JSON answer.

        :param not_found: a 404 is an answer (``None``), not an error.
        :raise RiskProviderError: on a timeout, no connection, an error status (after the
            tries) or an answer that is not JSON.
        """
        self.ensure_one()
        url = self._risk_url(path)
        headers = {"Accept": "application/json", **(headers or {})}
        full_url = f"{url}?{requests.compat.urlencode(params)}" if params else url
        log = {"operation": operation, "url": full_url}
        for attempt in range(1, MAX_TRIES + 1):
            log["attempt"] = attempt
            started = time.monotonic()
            try:
                response = requests.get(
                    url, params=params, headers=headers, timeout=self.api_timeout or 20.0
                )
            except requests.RequestException as error:
                log["duration_ms"] = int((time.monotonic() - started) * 1000)
                self._risk_fail(self._risk_network_message(operation, error), log)
            log.update(
                duration_ms=int((time.monotonic() - started) * 1000),
                status_code=response.status_code,
                response_body=response.text[:20000],
            )
            if response.status_code not in RETRY_STATUSES or attempt == MAX_TRIES:
                break
            self._risk_log(
                dict(log, error=_("HTTP %(status)s, tried again.", status=response.status_code))
            )
            wait(self._risk_retry_wait(response, attempt))
        if response.status_code == 404 and not_found:
            self._risk_log(log)
            return None
        if response.status_code >= 400:
            self._risk_fail(
                _(
                    "%(provider)s refused the request (%(operation)s): HTTP %(status)s.",
                    provider=self.name,
                    operation=operation,
                    status=response.status_code,
                ),
                log,
            )
        try:
            data = response.json()
        except ValueError:
            self._risk_fail(
                _(
                    "%(provider)s sent an answer that is not JSON (%(operation)s).",
                    provider=self.name,
                    operation=operation,
                ),
                log,
            )
        self._risk_log(log)
        return data

    @staticmethod
    def _risk_retry_wait(response, attempt):
        """Seconds to wait before the next try: ``Retry-After`` or a backoff, capped."""
        try:
            wait = float(response.headers.get("Retry-After", ""))
        except ValueError:
            wait = RETRY_BASE_DELAY * 2 ** (attempt - 1)
        return max(0.0, min(wait, MAX_RETRY_WAIT))

    def _risk_network_message(self, operation, error):
        if isinstance(error, requests.Timeout):
            return _(
                "%(provider)s did not answer within %(timeout)s seconds (%(operation)s).",
                provider=self.name,
                timeout=self.api_timeout,
                operation=operation,
            )
        return _(
            "%(provider)s cannot be reached (%(operation)s): %(error)s",
            provider=self.name,
            operation=operation,
            error=error.__class__.__name__,
        )

    def _risk_fail(self, message, log):
        self._risk_log(dict(log, error=message))
        raise RiskProviderError(message)

    def _risk_check(self, condition, operation):
        """Fail readably when an answer has not the documented shape."""
        if not condition:
            self._risk_fail(
                _(
                    "%(provider)s sent an answer of an unexpected shape (%(operation)s).",
                    provider=self.name,
                    operation=operation,
                ),
                {"operation": operation},
            )

    def _risk_log(self, vals):
        """One entry of the exchange log, the provider's key masked."""
        secrets = (self.sudo().api_key,)  # read to mask it
        vals = dict(vals, provider_id=self.id)
        for key in ("url", "response_body", "error"):
            if vals.get(key):
                vals[key] = redact(str(vals[key]), secrets)
        self.env["credit.risk.exchange"].sudo().create(vals)
