from datetime import timedelta

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


class CreditPortal(PortalAccount):
    """The customer contests an invoice or promises its payment from the portal."""

    def _credit_invoice(self, invoice_id, access_token):
        """The invoice, sudo, once the portal user (or the token) may read it; else 404."""
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
                    today + timedelta(days=company.credit_promise_max_days)
                ),
                "credit_message": kwargs.get("credit_message"),
                "credit_error": kwargs.get("credit_error"),
            }
        )
        return values

    @http.route(
        "/my/invoices/<int:invoice_id>/credit/dispute",
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
        reason = (
            request.env["credit.dispute.reason"]
            .sudo()
            .search(
                [
                    ("id", "=", int(reason_id) if str(reason_id or "").isdigit() else 0),
                    ("company_id", "in", [False, company.id]),
                ]
            )
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
                "description": plaintext2html((message or "").strip()[:5000]),
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
        "/my/invoices/<int:invoice_id>/credit/promise",
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
        try:
            date = fields.Date.to_date(date_promised)
        except ValueError:
            date = None
        if (
            not date
            or date < today
            or date > today + timedelta(days=company.credit_promise_max_days)
        ):
            return self._credit_redirect(invoice_sudo, access_token, credit_error="date")
        promise = (
            request.env["credit.payment.promise"]
            .sudo()
            .with_company(company)
            .create(
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
