"""The exchange log: every call to an insurer's service, kept for the credit manager's audit.

Each attempt of a request (retries included), each webhook notification received, is one
record: the operation, the method and URL, the HTTP status, the duration and the bodies with
their secrets redacted. Entries are written through their own cursor by the connectors (see
``credit_insurance_policy_http.py``) so that the log of a failed operation survives the
rollback of that operation. Nobody edits them; a daily cron drops those older than 90 days.
"""

import re
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models

# Bodies are kept up to this many characters: enough to read a fault, not a whole portfolio.
BODY_MAX_SIZE = 20000
RETENTION_DAYS = 90
REDACTED = "***"

# JSON keys, headers and XML elements whose value is a secret, whatever the insurer.
SECRET_KEYS = (
    "apiKey|api_key|x-api-key|password|access_token|accessToken|idToken|refreshToken|"
    "id_token|refresh_token|token|Authorization|client_secret|secret"
)
_JSON_SECRET = re.compile(rf'("(?:{SECRET_KEYS})"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE)
_HEADER_SECRET = re.compile(rf"^((?:{SECRET_KEYS})\s*:\s*).*$", re.IGNORECASE | re.MULTILINE)
_XML_SECRET = re.compile(
    r"(<(?:[\w-]+:)?(Password|Nonce)\b[^>]*>)(.*?)(</(?:[\w-]+:)?\2>)", re.DOTALL
)

OPERATIONS = [
    ("authorize", "Authorize"),
    ("test_connection", "Test Connection"),
    ("search_buyer", "Search Buyer"),
    ("request_cover", "Request Cover"),
    ("poll_job", "Poll Job"),
    ("read_cover", "Read Cover"),
    ("fetch_decisions", "Fetch Decisions"),
    ("declare_overdue", "Declare Overdue"),
    ("webhook", "Webhook"),
]


def redact(text, secrets=()):
    """``text`` with the given secret values and every well-known secret field masked."""
    if not text:
        return text or ""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    text = _JSON_SECRET.sub(lambda m: f'{m.group(1)}"{REDACTED}"', text)
    text = _HEADER_SECRET.sub(lambda m: f"{m.group(1)}{REDACTED}", text)
    text = _XML_SECRET.sub(lambda m: f"{m.group(1)}{REDACTED}{m.group(4)}", text)
    if len(text) > BODY_MAX_SIZE:
        text = text[:BODY_MAX_SIZE] + f"\n… ({len(text) - BODY_MAX_SIZE} more characters)"
    return text


class CreditInsuranceExchange(models.Model):
    _name = "credit.insurance.exchange"
    _description = "Credit Insurance Exchange"
    _order = "id desc"
    _rec_name = "operation"

    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, readonly=True)
    cover_id = fields.Many2one(
        comodel_name="credit.insurance.cover", ondelete="set null", index=True, readonly=True
    )
    operation = fields.Selection(selection=OPERATIONS, required=True, readonly=True)
    method = fields.Char(readonly=True)
    url = fields.Char(string="URL", readonly=True)
    status_code = fields.Integer(string="HTTP Status", readonly=True)
    duration_ms = fields.Integer(string="Duration (ms)", readonly=True)
    attempt = fields.Integer(readonly=True, default=1)
    request_body = fields.Text(readonly=True)
    response_body = fields.Text(readonly=True)
    error = fields.Text(readonly=True)
    notification_ref = fields.Char(
        readonly=True, index=True, help="Identifier of a webhook notification (replay check)."
    )
    success = fields.Boolean(compute="_compute_success", store=True)

    @api.depends("error")
    def _compute_success(self):
        for exchange in self:
            exchange.success = not exchange.error

    @api.model
    def _cron_clean(self, days=RETENTION_DAYS):
        """Drop the entries older than ``days`` days."""
        limit = fields.Datetime.now() - timedelta(days=days)
        self.sudo().search([("create_date", "<", limit)]).unlink()
