"""The public payment page of a link: ``/pay/<token>``.

1. ``GET /pay/<token>``: the company, the customer and the link's invoices with their
   residuals read now; paid ones shown as paid, ones with a payment in progress not offered.
2. ``POST /pay/<token>``: the selection; the server computes its amount and shows Odoo's
   payment form (the company's enabled providers) for it.
3. ``/pay/<token>/transaction/<ids>`` (JSON, called by the payment form): checks the
   selection again and claims its invoices (``credit.payment.link.claim``: two tabs cannot
   both pay them), refuses an amount that differs from the one computed and a provider or a
   payment method that the form did not offer for it, and creates the transaction with
   ``invoice_ids``, never saving the card and landing back on the page; Odoo's
   post-processing does the rest.

A token that matches no active link gets the same plain page with HTTP 404, and an address
that tried too many bad tokens gets HTTP 429 (``credit.payment.link.attempt``; a bad token
counts on every route, the JSON one included). Nothing is read as superuser before the
token's signature is verified. Every parameter is parsed: malformed ids, amounts or payment
values get HTTP 400 with the page (a JSON error on the JSON route), never a server error.

Same time for bad and valid tokens: a bad token costs the same verification and lookup as a
good one (``credit.payment.link._get_by_token``), but the page of a valid link reads and shows
its invoices, which the refusal page does not. So the 404 page is answered no sooner than the
median time this process took to answer the last valid openings (``_OPENING_TIMES``, capped
by ``MAX_REFUSAL_WAIT``): whether a token is good cannot be told from the time of the answer.
The 429 page is not delayed: a refused address only waits for its window to pass.
"""

import collections
import re
import statistics
import threading
import time

from odoo import _
from odoo import http
from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.addons.credit_management import compat
from odoo.addons.payment import utils as payment_utils
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import format_date

# Seconds taken to answer the last valid openings of the page in this process (the time
# floor of a refused token) and the longest a refusal waits for it.
_OPENING_TIMES = collections.deque(maxlen=64)
_OPENING_TIMES_LOCK = threading.Lock()
MAX_REFUSAL_WAIT = 1.0
# A record id as a visitor may send it: ASCII digits, within PostgreSQL's integer.
ID_PATTERN = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1
# No amount to pay reaches this (Odoo rounds amounts through integers).
MAX_AMOUNT = 1e15


def _parse_id(value):
    """``value`` (a JSON value or a text) as a record id, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if isinstance(value, str) and ID_PATTERN.fullmatch(value):
        number = int(value)
        return number if 0 < number <= MAX_ID else None
    return None


def _parse_json_id(value):
    """``value`` (a JSON value) as a record id, or None: a number, not a text nor a list."""
    return _parse_id(value) if isinstance(value, int) else None


def _parse_ids(values):
    """``values`` (texts) as a sorted list of distinct record ids, or None if one is not."""
    ids = [_parse_id(value) for value in values]
    if None in ids:
        return None
    return sorted(set(ids))


def _parse_amount(value):
    """``value`` (a JSON number) as an amount, or None (not a number, or beyond any)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    # NaN and infinities fail the comparison too.
    return float(value) if -MAX_AMOUNT < value < MAX_AMOUNT else None


class PaymentLinkController(PaymentPortal):
    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _payment_link_check(self, token, states=("active",)):
        """``(link, error response)``: the link of ``token`` (sudo) in one of ``states``, or
        the refusal page."""
        ip = request.httprequest.remote_addr or ""
        # sudo: the rate-limit log is a technical table; only the address is written.
        Attempt = request.env["credit.payment.link.attempt"].sudo()
        if Attempt._is_blocked(ip):
            return None, self._payment_link_refusal(429)
        link = request.env["credit.payment.link"]._get_by_token(token, states=states)
        if not link:
            Attempt._log_bad_token(ip)
            return None, self._payment_link_refusal(404)
        return link, None

    def _payment_link_refusal(self, status):
        """The same plain page for every refused token: no customer information, in the
        visitor's language (the nearest installed one) or else the company's."""
        company = request.env["res.company"].sudo().browse(request.env.company.id)
        lang = request.env["ir.http"].get_nearest_lang(request.best_lang)
        request.update_context(lang=lang or company.partner_id.lang or request.env.lang)
        return request.render(
            "payment_link.payment_link_invalid",
            {
                "company": {
                    "id": company.id,
                    "name": company.name,
                    "email": company.email,
                    "phone": company.phone,
                },
                "too_many": status == 429,
            },
            status=status,
        )

    @staticmethod
    def _payment_link_update_env(facts):
        """Render in the customer's language and, where the visitor may see it, with the
        link's company as the current one (Odoo's templates then need not read the public
        user to find a company)."""
        context = {"lang": facts["partner"]["lang"] or request.env.lang}
        company_id = facts["company"]["id"]
        if company_id in request.env.user._get_company_ids():
            context["allowed_company_ids"] = [company_id]
        request.update_context(**context)

    @staticmethod
    def _payment_link_opened_in(started):
        """Record the time a valid opening took (since ``started``, a ``time.monotonic()``)."""
        with _OPENING_TIMES_LOCK:
            _OPENING_TIMES.append(time.monotonic() - started)

    @staticmethod
    def _payment_link_refuse_in_time(response, started):
        """``response`` (a refusal) rendered, and answered no sooner than a valid opening."""
        response.flatten()
        if response.status_code != 404:
            return response
        with _OPENING_TIMES_LOCK:
            usual = statistics.median(_OPENING_TIMES) if _OPENING_TIMES else 0.0
        wait = min(usual, MAX_REFUSAL_WAIT) - (time.monotonic() - started)
        if wait > 0:
            time.sleep(wait)
        return response

    def _payment_link_selection(self, link, move_ids):
        """The payable invoices of ``link`` among ``move_ids`` and their amount, or raise."""
        if not move_ids:
            raise ValidationError(_("Select the invoices to pay."))
        payable = link._payable_moves()
        selected = payable.filtered(lambda m: m.id in move_ids)
        if len(selected) != len(set(move_ids)):
            raise ValidationError(
                _("Some of the selected invoices are paid or being paid already: reload the page.")
            )
        return selected, link.currency_id.round(sum(selected.mapped("amount_residual")))

    def _payment_link_offer(self, link, amount):
        """The providers and payment methods that the payment form offers for ``amount`` on
        ``link`` (the company's, enabled or in test mode, published for a visitor, compatible
        with the customer and the currency): the checkout shows them, the transaction route
        accepts only them."""
        partner = link.partner_id
        currency_id = link.currency_id.id
        # sudo: the link's token was verified; providers and methods are read for the form.
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                link.company_id.id, partner.id, amount, currency_id=currency_id
            )
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(providers.ids, partner.id, currency_id=currency_id)
        )
        return providers, methods

    def _payment_link_page_values(self, token, facts, selected_ids=()):
        """The values of the page's templates: ``facts`` (``_page_facts()`` of the link of
        ``token``) with their figures formatted in the language of the request."""
        env = request.env
        Link = env["credit.payment.link"]
        for move in facts["moves"]:
            move["date_due_text"] = format_date(env, move["date_due"])
            move["residual_text"] = Link._format_page_amount(
                0.0 if move["status"] == "paid" else move["amount_residual"],
                facts["currency_format"],
            )
        return {
            "link_name": facts["name"],
            "date_expiry_text": format_date(env, facts["date_expiry"]),
            "company": facts["company"],
            "partner": facts["partner"],
            "moves": facts["moves"],
            "several_customers": facts["several_customers"],
            "selected_ids": set(selected_ids),
            "currency": facts["currency"],
            "token": token,
        }

    # ------------------------------------------------------------
    # ROUTES
    # ------------------------------------------------------------

    # The page is not a route of the website's (``website=False``): no language redirection,
    # nothing of the frontend's set up; it is shown in the customer's language.
    @http.route("/pay/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def payment_link_page(self, token, **kwargs):
        started = time.monotonic()
        # A paid link still opens: its invoices shown paid, with a thank-you (where the
        # payment form lands, and the customer reopening the reminder later).
        link, refusal = self._payment_link_check(token, states=("active", "paid"))
        if refusal:
            return self._payment_link_refuse_in_time(refusal, started)
        link._register_opening()
        facts = link._page_facts()
        self._payment_link_update_env(facts)
        response = request.render(
            "payment_link.payment_link_page", self._payment_link_page_values(token, facts)
        )
        # Rendered here, so that its time counts in the time floor of refused tokens.
        response.flatten()
        self._payment_link_opened_in(started)
        return response

    @http.route(
        "/pay/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def payment_link_checkout(self, token, **kwargs):
        started = time.monotonic()
        link, refusal = self._payment_link_check(token)
        if refusal:
            return self._payment_link_refuse_in_time(refusal, started)
        facts = link._page_facts()
        self._payment_link_update_env(facts)
        move_ids = _parse_ids(request.httprequest.form.getlist("move_ids"))
        if move_ids is None:
            values = self._payment_link_page_values(token, facts)
            values["error"] = _("The selection is not valid: select the invoices to pay again.")
            return request.render("payment_link.payment_link_page", values, status=400)
        try:
            selected, amount = self._payment_link_selection(link, move_ids)
        except ValidationError as error:
            values = self._payment_link_page_values(token, facts, move_ids)
            values["error"] = error.args[0]
            return request.render("payment_link.payment_link_page", values)
        values = self._payment_link_page_values(token, facts, selected.ids)
        partner = link.partner_id
        providers, methods = self._payment_link_offer(link, amount)
        selection = "-".join(str(move_id) for move_id in selected.ids)
        values.update(
            {
                "amount": amount,
                "reference_prefix": link.name,
                "partner_id": partner.id,
                "providers_sudo": providers,
                "payment_methods_sudo": methods,
                # An anonymous visitor never sees nor saves the customer's cards.
                "tokens_sudo": request.env["payment.token"].sudo(),
                "show_tokenize_input_mapping": dict.fromkeys(providers.ids, False),
                "transaction_route": f"/pay/{token}/transaction/{selection}",
                "landing_route": f"/pay/{token}",
                "access_token": payment_utils.generate_access_token(
                    partner.id, amount, link.currency_id.id
                ),
                "res_company": link.company_id,
            }
        )
        return request.render("payment_link.payment_link_checkout", values)

    @http.route(
        "/pay/<string:token>/transaction/<string:selection>", type=compat.JSONRPC, auth="public"
    )
    def payment_link_transaction(self, token, selection, **kwargs):
        try:
            return self._payment_link_transaction(token, selection, **kwargs)
        except Exception as error:
            # Odoo's JSON-RPC errors carry the server's traceback: the visitor gets the
            # message alone (the traceback stays in the server's log; a concurrency error
            # is still retried by Odoo first).
            error.error_response = self._payment_link_json_error(error)
            raise

    def _payment_link_json_error(self, error):
        """The JSON-RPC error of a refused transaction, without the server's traceback."""
        if isinstance(error, UserError) and error.args:
            name, message = f"odoo.exceptions.{type(error).__name__}", error.args[0]
        else:
            name = "odoo.exceptions.UserError"
            message = _("The payment could not be started: reload the page and try again.")
        return request.dispatcher._response(
            error={
                "code": 200,
                "message": "Odoo Server Error",
                "data": {
                    "name": name,
                    "message": message,
                    "arguments": [message],
                    "context": {},
                    "debug": "",
                },
            }
        )

    def _payment_link_transaction(self, token, selection, amount=None, access_token=None, **kwargs):
        link, refusal = self._payment_link_check(token)
        if refusal:
            raise ValidationError(_("This payment link is no longer valid."))
        compat.validate_transaction_kwargs(self, kwargs)
        move_ids = _parse_ids(selection.split("-"))
        if not move_ids:
            raise ValidationError(_("Select the invoices to pay."))
        amount = _parse_amount(amount)
        # A link pays with a payment method of the company's providers, never with a saved
        # card of the customer (the visitor is anonymous) nor as a validation.
        provider_id = _parse_json_id(kwargs.get("provider_id"))
        payment_method_id = _parse_json_id(kwargs.get("payment_method_id"))
        flow = kwargs.get("flow")
        if (
            flow not in ("redirect", "direct")
            or kwargs.get("is_validation") not in (None, False)
            or not provider_id
            or not payment_method_id
        ):
            raise ValidationError(_("This payment method cannot be used here."))
        selected, expected = self._payment_link_selection(link, move_ids)
        # Two tabs paying the same invoices: the second is refused (see the claims' model).
        request.env["credit.payment.link.claim"].sudo()._claim(selected)
        currency = link.currency_id
        if amount is None or currency.compare_amounts(amount, expected) != 0:
            raise ValidationError(
                _("The amount to pay has changed: reload the page and pay again.")
            )
        # Odoo's comparison refuses non-ASCII text with a TypeError: such a token is no token.
        if not isinstance(access_token, str) or not access_token.isascii():
            raise ValidationError(_("The access token is invalid."))
        if not payment_utils.check_access_token(
            access_token, link.partner_id.id, amount, currency.id
        ):
            raise ValidationError(_("The access token is invalid."))
        providers, methods = self._payment_link_offer(link, expected)
        provider = providers.filtered(lambda p: p.id == provider_id)
        method = methods.filtered(lambda m: m.id == payment_method_id)
        if not provider or not method or provider not in method.provider_ids:
            raise ValidationError(_("This payment method cannot be used here."))
        tx = self._create_transaction(
            provider_id=provider.id,
            payment_method_id=method.id,
            token_id=None,
            amount=expected,
            currency_id=currency.id,
            partner_id=link.partner_id.id,
            flow=flow,
            tokenization_requested=False,
            landing_route=f"/pay/{token}",
            reference_prefix=link.name,
            custom_create_values={
                "invoice_ids": [Command.set(selected.ids)],
                "payment_link_id": link.id,
                # Never a card saved on the customer, whatever the provider would require.
                "tokenize": False,
            },
        )
        return tx._get_processing_values()
