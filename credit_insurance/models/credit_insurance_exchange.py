"""The exchange log: every call to an insurer's service, kept for the credit manager's audit.

Each attempt of a request (retries included), each webhook notification received, is one
record: the operation, the method and URL, the HTTP status, the duration and the bodies with
their secrets redacted. Entries are written through their own cursor by the connectors (see
``credit_insurance_policy_http.py``) so that the log of a failed operation survives the
rollback of that operation. Nobody edits them; a daily cron drops those older than 90 days.

A webhook notification is recorded once: a unique key on the policy and the notification's id
(``credit_insurance_exchange_notification_uniq``) makes two copies received at the same
instant meet in the database, where the second waits for the first and is then refused
(``_webhook_receive``), instead of both reading, then inserting.
"""

import re
from datetime import timedelta

from psycopg2 import errors

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import index_exists

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

    def init(self):
        if index_exists(self.env.cr, "credit_insurance_exchange_notification_uniq"):
            return
        # Copies recorded before the key existed: the first of each is kept.
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM credit_insurance_exchange e
                 USING credit_insurance_exchange k
                 WHERE e.operation = 'webhook' AND k.operation = 'webhook'
                   AND e.policy_id = k.policy_id AND e.notification_ref = k.notification_ref
                   AND e.id > k.id
                """
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX credit_insurance_exchange_notification_uniq "
                "ON credit_insurance_exchange (policy_id, notification_ref) "
                "WHERE operation = 'webhook'"
            )
        )

    @api.depends("error")
    def _compute_success(self):
        for exchange in self:
            exchange.success = not exchange.error

    @api.model
    def _webhook_receive(self, policy, reference, path, body):
        """Record the notification ``reference`` of ``policy`` (its ``body`` as received),
        unless it is recorded already.

        The row is inserted at once in the current transaction: a copy received at the same
        instant waits on the unique key until this transaction ends, then is refused (or
        recorded, if this one was rolled back).

        :return: the exchange recorded, or an empty recordset for a copy.
        """
        text = body.decode("utf-8", "replace").replace("\x00", "\ufffd")
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        """
                        INSERT INTO credit_insurance_exchange (
                            policy_id, company_id, operation, method, url, status_code,
                            attempt, request_body, notification_ref, success,
                            create_uid, create_date, write_uid, write_date)
                        VALUES (%(policy)s, %(company)s, 'webhook', 'POST', %(url)s, 200,
                                1, %(body)s, %(reference)s, TRUE,
                                %(uid)s, now() at time zone 'UTC',
                                %(uid)s, now() at time zone 'UTC')
                        RETURNING id
                        """,
                        policy=policy.id,
                        company=policy.company_id.id,
                        url=path,
                        body=redact(text, policy._insurer_secrets()),
                        reference=reference,
                        uid=self.env.uid,
                    ),
                    log_exceptions=False,
                )
                [exchange_id] = self.env.cr.fetchone()
        except errors.UniqueViolation:
            return self.browse()
        return self.browse(exchange_id)

    @api.model
    def _cron_clean(self, days=RETENTION_DAYS):
        """Drop the entries older than ``days`` days."""
        limit = fields.Datetime.now() - timedelta(days=days)
        self.sudo().search([("create_date", "<", limit)]).unlink()
