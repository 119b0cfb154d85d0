import re

from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import _
from odoo import fields
from odoo import http
from odoo.addons.account.controllers.portal import PortalAccount
from odoo.exceptions import AccessError
from odoo.exceptions import MissingError
from odoo.http import request
from odoo.tools import format_amount
from odoo.tools import plaintext2html

# A record id as a form sends it: ASCII digits, within PostgreSQL's integers.
ID_RE = re.compile(r"[0-9]{1,9}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An access token: printable ASCII (Odoo's are UUIDs), short.
TOKEN_RE = re.compile(r"[!-~]{1,128}")
MAX_ID = 2**31 - 1
MESSAGE_SIZE = 5000
# What the invoice page may say after an action (``credit_message`` / ``credit_error``).
CREDIT_MESSAGES = ("dispute", "promise")
CREDIT_ERRORS = ("date", "disputed", "promised", "reason", "closed")


def parse_id(value):
    """The record id a form field gives, or None."""
    if isinstance(value, str) and ID_RE.fullmatch(value):
        return int(value)
    return None


def parse_date(value):
    """The date (YYYY-MM-DD) a form field gives, or None."""
    if not (isinstance(value, str) and DATE_RE.fullmatch(value)):
        return None
    try:
        return fields.Date.to_date(value)
    except ValueError:
        return None


def parse_text(value, size=MESSAGE_SIZE):
    """The text a form field gives, without NUL characters (PostgreSQL keeps none), trimmed
    to ``size`` characters."""
    if not isinstance(value, str):
        return ""
    return value.replace("\x00", "").strip()[:size]


class CreditPortal(PortalAccount):
    """The customer contests an invoice or promises its payment from the portal.

    Every parameter is parsed before use: an unknown invoice (or one the visitor may not
    read) answers 404, a bad value the form again with its error; nothing is written.
    """

    def _credit_invoice(self, invoice_id, access_token):
        """The invoice, sudo, once the portal user (or the token) may read it; else 404."""
        if invoice_id > MAX_ID:
            raise NotFound()
        # A token that is no token opens nothing (and Odoo's comparison takes ASCII only).
        if access_token is not None and not (
            isinstance(access_token, str) and TOKEN_RE.fullmatch(access_token)
        ):
            access_token = None
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        if invoice_sudo.move_type not in ("out_invoice", "out_receipt"):
            raise NotFound()
        return invoice_sudo

    @staticmethod
    def _credit_open(invoice_sudo):
        return invoice_sudo.state == "posted" and invoice_sudo.payment_state in (
            "not_paid",
            "partial",
        )

    def _credit_redirect(self, invoice_sudo, access_token, **params):
        query = "".join(f"&{key}={value}" for key, value in params.items())
        return request.redirect(invoice_sudo.get_portal_url(query_string=query))

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        invoice_sudo = invoice.sudo()
        company = invoice_sudo.company_id
        today = fields.Date.context_today(invoice_sudo)
        message, error = kwargs.get("credit_message"), kwargs.get("credit_error")
        values.update(
            {
                "credit_can_act": self._credit_open(invoice_sudo),
                "credit_reasons": request.env["credit.dispute.reason"]
                .sudo()
                .search([("company_id", "in", [False, company.id])]),
                "credit_open_dispute": invoice_sudo.dispute_ids.filtered(
                    lambda d: d.state in ("new", "in_progress")
                )[:1],
                "credit_open_promise": invoice_sudo.promise_ids.filtered(
                    lambda p: p.state == "open"
                )[:1],
                "credit_promise_min": fields.Date.to_string(today),
                "credit_promise_max": fields.Date.to_string(
                    request.env["credit.payment.promise"]._promise_latest_date(company, today)
                ),
                "credit_message": message if message in CREDIT_MESSAGES else None,
                "credit_error": error if error in CREDIT_ERRORS else None,
            }
        )
        return values

    @http.route(
        "/my/invoices/<credit_id:invoice_id>/credit/dispute",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def credit_portal_dispute(
        self, invoice_id, access_token=None, reason_id=None, message="", **kw
    ):
        invoice_sudo = self._credit_invoice(invoice_id, access_token)
        if not self._credit_open(invoice_sudo):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="closed")
        if invoice_sudo.dispute_ids.filtered(lambda d: d.state in ("new", "in_progress")):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="disputed")
        company = invoice_sudo.company_id
        reason_id = parse_id(reason_id)
        reason = reason_id and request.env["credit.dispute.reason"].sudo().search(
            [("id", "=", reason_id), ("company_id", "in", [False, company.id])]
        )
        if not reason:
            return self._credit_redirect(invoice_sudo, access_token, credit_error="reason")
        partner = request.env.user.partner_id if not request.env.user._is_public() else False
        request.env["credit.dispute"].sudo().with_company(company).create(
            {
                "company_id": company.id,
                "partner_id": invoice_sudo.commercial_partner_id.id,
                "move_ids": [fields.Command.set(invoice_sudo.ids)],
                "reason_id": reason.id,
                "description": plaintext2html(parse_text(message)),
                "source": "portal",
            }
        )
        invoice_sudo._message_log(
            body=Markup("<p>%s</p>")
            % _(
                "%(who)s contests this invoice on the portal (%(reason)s).",
                who=(partner or invoice_sudo.commercial_partner_id).name,
                reason=reason.name,
            ),
        )
        return self._credit_redirect(invoice_sudo, access_token, credit_message="dispute")

    @http.route(
        "/my/invoices/<credit_id:invoice_id>/credit/promise",
        type="http",
        auth="public",
        methods=["POST"],
    )
    def credit_portal_promise(self, invoice_id, access_token=None, date_promised=None, **kw):
        invoice_sudo = self._credit_invoice(invoice_id, access_token)
        if not self._credit_open(invoice_sudo):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="closed")
        if invoice_sudo.promise_ids.filtered(lambda p: p.state == "open"):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="promised")
        company = invoice_sudo.company_id
        today = fields.Date.context_today(invoice_sudo)
        date = parse_date(date_promised)
        # The model's rule (``_check_dates``), said on the form rather than as an error.
        Promise = request.env["credit.payment.promise"].sudo().with_company(company)
        if not date or date < today or date > Promise._promise_latest_date(company, today):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="date")
        promise = Promise.create(
            {
                "company_id": company.id,
                "partner_id": invoice_sudo.commercial_partner_id.id,
                "move_ids": [fields.Command.set(invoice_sudo.ids)],
                "amount": invoice_sudo.amount_residual,
                "date_made": today,
                "date_promised": date,
                "source": "portal",
            }
        )
        # The collector hears of it at once.
        if promise.user_id:
            promise.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=promise.user_id.id,
                date_deadline=date,
                summary=_(
                    "Promise on the portal: %(amount)s on %(date)s",
                    amount=format_amount(request.env, promise.amount, promise.currency_id),
                    date=date,
                ),
            )
        return self._credit_redirect(invoice_sudo, access_token, credit_message="promise")
