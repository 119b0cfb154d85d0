"""The log of every request sent to a risk-data provider (secrets redacted)."""

from odoo import api
from odoo import fields
from odoo import models


def redact(text, secrets):
    """``text`` with each secret value replaced.

    >>> redact("X-INSEE-Api-Key-Integration: k-123", ("k-123",))
    'X-INSEE-Api-Key-Integration: ***'
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


class CreditRiskExchange(models.Model):
    _name = "credit.risk.exchange"
    _description = "Risk Data Provider Exchange"
    _order = "id desc"

    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="provider_id.company_id", store=True, index=True)
    operation = fields.Char(required=True)
    url = fields.Char(string="URL")
    attempt = fields.Integer(default=1)
    status_code = fields.Integer(string="HTTP Status")
    duration_ms = fields.Integer(string="Duration (ms)")
    response_body = fields.Text(string="Answer")
    error = fields.Text()
    success = fields.Boolean(compute="_compute_success", store=True)

    @api.depends("error", "status_code")
    def _compute_success(self):
        for exchange in self:
            exchange.success = not exchange.error and 200 <= exchange.status_code < 300
