"""Bad input on every public and JSON route of the three addons: a clear refusal, never a 500.

The routes (``grep -rn "http.route" */controllers``):

- ``POST /my/invoices/<id>/credit/dispute`` and ``.../credit/promise`` (portal forms, as the
  portal user, or anonymous with the invoice's access token);
- ``POST /credit_management/aged_balance/xlsx`` (the aged balance export, as a collector);
- ``GET`` and ``POST /pay/<token>`` (the payment page and its checkout, anonymous) and
  ``/pay/<token>/transaction/<selection>`` (JSON, called by the payment form);
- ``POST /credit_insurance/webhook/<policy_id>`` (an insurer's notification).

Each value of the catalogue (``bad_input.py``) is sent in place of one parameter, the others
valid, by the visitor the route is for. Asserted:

- a refusal: HTTP 4xx (a portal form may instead send the customer back to the invoice with
  its error message; the checkout may show the page again with its error and no payment
  form); a JSON route answers a JSON-RPC error that is one of Odoo's refusals (a user,
  validation or access error, or an HTTP error), or an HTTP 4xx;
- the plain page or error: no traceback (Odoo's own ``data.debug`` of a JSON-RPC error
  included), no database error, no source file;
- nothing written: the records the route creates are counted, as the administrator, before
  and after (what a failing case created is cancelled, so that the next case starts clean);
- no internal error in the server's log.

A valid request of each route is sent too: the refusals are the input's, not a broken route.
"""

import hashlib
import hmac
import re
import urllib.parse
import uuid

import pytest
from bad_input import DATES
from bad_input import HEADERS
from bad_input import JSON_BODIES
from bad_input import JSON_VALUES
from bad_input import SIGNATURES
from bad_input import TEXT
from conftest import Browser
from records import Records
from records import days

LEAKS = ("Traceback", "psycopg2", 'File "')
# JSON-RPC errors that are refusals: Odoo's business and access errors, HTTP errors.
REFUSALS = ("odoo.exceptions.", "werkzeug.exceptions.")


def table(values):
    """``values`` (a dict) as the parameters of a test, named by their keys."""
    return pytest.mark.parametrize("value", list(values.values()), ids=list(values))


def quoted(value):
    return urllib.parse.quote(value, safe="")


def assert_plain(reply, server_log):
    for leak in LEAKS:
        assert leak not in reply.text, f"{leak!r} in the answer: {reply}"
    errors = server_log.internal_errors()
    assert not errors, f"the server logged an internal error: {errors}"


def assert_refused(reply, server_log, form_error=False):
    """A 4xx and the plain page; ``form_error``: or a redirection back to the page of the
    form, with its error (``credit_error``)."""
    if form_error and reply.status in (302, 303):
        location = reply.headers.get("Location", "")
        assert "credit_error=" in location, f"sent on to {location}, with no error"
    else:
        assert 400 <= reply.status < 500, f"not a refusal: {reply}"
    assert_plain(reply, server_log)


def assert_json_refused(reply, server_log):
    """A JSON-RPC error that is a refusal, or an HTTP 4xx; the plain error."""
    if reply.status != 200:
        assert 400 <= reply.status < 500, f"not a refusal: {reply}"
    else:
        error = reply.json().get("error")
        assert error, f"accepted: {reply}"
        name = (error.get("data") or {}).get("name", "")
        assert name.startswith(REFUSALS), f"the route failed instead of refusing: {name}"
    assert_plain(reply, server_log)


class Written:
    """Records of ``model`` matching ``domain`` created since this object was made (read as
    admin); ``undo``: the method that cancels them, called on those found."""

    def __init__(self, admin, model, domain, undo=None, undo_values=None):
        self.admin = admin
        self.model = model
        self.domain = domain
        self.undo = undo
        self.undo_values = undo_values
        self.before = set(admin.call(model, "search", domain))

    def new(self):
        found = sorted(set(self.admin.call(self.model, "search", self.domain)) - self.before)
        if found and self.undo:
            self.admin.call(self.model, self.undo, found)
        elif found and self.undo_values:
            self.admin.call(self.model, "write", found, self.undo_values)
        return found


@pytest.fixture(scope="module")
def records(admin):
    return Records(admin)


# ------------------------------------------------------------
# PORTAL: DISPUTE AND PROMISE
# ------------------------------------------------------------


@pytest.fixture(scope="module")
def portal(roles):
    """The portal user's browser and its CSRF token."""
    browser = roles["portal"].browser()
    return browser, browser.csrf_token("/my")


@pytest.fixture(scope="module")
def portal_invoice(records, roles):
    """An open invoice of the portal user's company."""
    return records.invoice(roles["portal"].partner_id)


def disputes(admin, invoice):
    return Written(admin, "credit.dispute", [("move_ids", "in", [invoice])], "action_cancel")


def promises(admin, invoice):
    return Written(
        admin, "credit.payment.promise", [("move_ids", "in", [invoice])], "action_cancel"
    )


def dispute_form(csrf, **values):
    return {"csrf_token": csrf, "reason_id": "1", "message": "Prix erroné", **values}


def reason(records):
    return str(records.ref("credit_management.dispute_reason_price"))


def test_portal_dispute_valid(admin, records, portal, portal_invoice, server_log):
    browser, csrf = portal
    written = disputes(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/dispute",
        dispute_form(csrf, reason_id=reason(records)),
    )
    assert reply.status == 303 and "credit_message=dispute" in reply.headers["Location"], reply
    assert len(written.new()) == 1, "the dispute was not recorded"
    assert_plain(reply, server_log)


@table(TEXT)
def test_portal_dispute_bad_reason(admin, portal, portal_invoice, server_log, value):
    browser, csrf = portal
    written = disputes(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/dispute", dispute_form(csrf, reason_id=value)
    )
    assert not written.new(), "a dispute was recorded"
    assert_refused(reply, server_log, form_error=True)


PATH_IDS = {
    "zero": "0",
    "unknown": "987654321",
    "int4_overflow": "2147483648",
    "huge": "9" * 30,
    "digits_5000": "1" * 5000,
    "arabic_indic": "\u0661\u0662",
}


@pytest.mark.parametrize("action", ["dispute", "promise"])
@table(PATH_IDS)
def test_portal_form_bad_invoice_id(admin, records, portal, server_log, action, value):
    browser, csrf = portal
    model = {"dispute": "credit.dispute", "promise": "credit.payment.promise"}[action]
    written = Written(admin, model, [], "action_cancel")
    reply = browser.post_form(
        f"/my/invoices/{quoted(value)}/credit/{action}",
        dispute_form(csrf, reason_id=reason(records), date_promised=days(10)),
    )
    assert not written.new(), f"a {action} was recorded"
    assert_refused(reply, server_log)


@table(TEXT)
def test_portal_dispute_bad_access_token(
    admin, odoo_server, records, portal_invoice, server_log, value
):
    """An anonymous visitor with a bad token of the invoice."""
    browser = Browser(odoo_server)
    written = disputes(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/dispute",
        dispute_form(browser.csrf_token(), reason_id=reason(records), access_token=value),
    )
    assert not written.new(), "a dispute was recorded"
    assert_refused(reply, server_log)


MESSAGES = {
    "nul": "Prix\x00erroné",
    "text_100000": "x" * 100000,
    "sql": "'); DELETE FROM credit_dispute; --",
    "html": '<img src="x" onerror="alert(1)">',
}


@table(MESSAGES)
def test_portal_dispute_odd_message(admin, records, portal, portal_invoice, server_log, value):
    """Any message is text: refused, or kept as harmless text."""
    browser, csrf = portal
    written = disputes(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/dispute",
        dispute_form(csrf, reason_id=reason(records), message=value),
    )
    for dispute in admin.call("credit.dispute", "read", written.new(), ["description"]):
        text = dispute["description"] or ""
        assert "\x00" not in text and "<img" not in text, f"kept as given: {text[:200]!r}"
    assert reply.status < 500, f"the route failed: {reply}"
    assert_plain(reply, server_log)


def promise_form(csrf, date):
    return {"csrf_token": csrf, "date_promised": date}


def test_portal_promise_valid(admin, portal, portal_invoice, server_log):
    browser, csrf = portal
    written = promises(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/promise", promise_form(csrf, days(10))
    )
    assert reply.status == 303 and "credit_message=promise" in reply.headers["Location"], reply
    assert len(written.new()) == 1, "the promise was not recorded"
    assert_plain(reply, server_log)


@table({"yesterday": days(-1), "in_2099": "2099-12-31", **DATES})
def test_portal_promise_bad_date(admin, portal, portal_invoice, server_log, value):
    browser, csrf = portal
    written = promises(admin, portal_invoice)
    reply = browser.post_form(
        f"/my/invoices/{portal_invoice}/credit/promise", promise_form(csrf, value)
    )
    assert not written.new(), "a promise was recorded"
    assert_refused(reply, server_log, form_error=True)


# ------------------------------------------------------------
# THE AGED BALANCE EXPORT
# ------------------------------------------------------------

EXPORT_DATA = {
    **TEXT,
    "list": "[]",
    "null": "null",
    "string": '"x"',
    "truncated": '{"domain": [',
    "domain_string": '{"domain": "x"}',
    "domain_object": '{"domain": {"a": 1}}',
    "domain_unknown_field": '{"domain": [["no_such_field", "=", 1]]}',
    "domain_unknown_operator": '{"domain": [["partner_id", "~~", 1]]}',
    "domain_id_superscript": '{"domain": [["id", "=", "²"]]}',
    "domain_amount_text": '{"domain": [["amount_total", ">", "abc"]]}',
    "domain_nested": '{"domain": [[["id", "=", 1]]]}',
    "groupby_string": '{"groupby": "no_such_field"}',
    "groupby_unknown": '{"groupby": ["no_such_field"]}',
    "groupby_number": '{"groupby": [1]}',
    "groupby_bad_interval": '{"groupby": ["oldest_due_date:fortnight"]}',
    "context_string": '{"export_context": "x"}',
    "as_of_garbage": '{"export_context": {"credit_as_of": "garbage"}}',
    "as_of_month_13": '{"export_context": {"credit_as_of": "2026-13-01"}}',
    "as_of_superscript": '{"export_context": {"credit_as_of": "²"}}',
    "as_of_number": '{"export_context": {"credit_as_of": 20260101}}',
    "company_unknown": '{"export_context": {"allowed_company_ids": [987654]}}',
    "company_string": '{"export_context": {"allowed_company_ids": "x"}}',
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def collector(roles):
    browser = roles["collector"].browser()
    return browser, browser.csrf_token("/odoo")


def test_aged_balance_export_valid(collector, server_log):
    browser, csrf = collector
    reply = browser.post_form(
        "/credit_management/aged_balance/xlsx", {"csrf_token": csrf, "data": "{}"}
    )
    assert reply.status == 200 and reply.headers["Content-Type"] == XLSX, reply
    assert_plain(reply, server_log)


@table(EXPORT_DATA)
def test_aged_balance_export_bad_data(collector, server_log, value):
    browser, csrf = collector
    reply = browser.post_form(
        "/credit_management/aged_balance/xlsx", {"csrf_token": csrf, "data": value}
    )
    assert_refused(reply, server_log)


# ------------------------------------------------------------
# THE PAYMENT PAGE
# ------------------------------------------------------------


class Offer:
    """A link's page as an anonymous visitor opens it, and its payment form for the link's
    invoice: what the form posts to the transaction route."""

    OFFERED = {
        "transaction_route": r'data-transaction-route="([^"]+)"',
        "access_token": r'data-access-token="([^"]+)"',
        "amount": r'data-amount="([^"]+)"',
        "provider_id": r'data-payment-option-type="payment_method"[^>]*data-provider-id="(\d+)"',
        "payment_method_id": r'data-payment-option-id="(\d+)"',
    }

    def __init__(self, records):
        self.records = records
        self.partner, self.invoice = records.overdue_customer()
        self.link = records.link([self.invoice])
        url = records.read("credit.payment.link", self.link, ["url"])["url"]
        self.path = urllib.parse.urlsplit(url).path
        self.browser = Browser(records.admin.client)
        self.csrf = self.browser.csrf_token(self.path)
        page = self.browser.post_form(
            self.path, {"csrf_token": self.csrf, "move_ids": str(self.invoice)}
        )
        assert page.status == 200, f"no payment form: {page}"
        found = {}
        for key, pattern in self.OFFERED.items():
            match = re.search(pattern, page.text)
            assert match, f"no {key} in the payment form"
            found[key] = match.group(1)
        self.route = found.pop("transaction_route")
        self.params = {
            "provider_id": int(found["provider_id"]),
            "payment_method_id": int(found["payment_method_id"]),
            "token_id": None,
            "amount": float(found["amount"]),
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": self.path,
            "is_validation": False,
            "access_token": found["access_token"],
        }

    def transactions(self):
        """Transactions created from now on for the link's invoice (cancelled when found,
        so that the invoice stays payable for the next case)."""
        return Written(
            self.records.admin,
            "payment.transaction",
            [("invoice_ids", "in", [self.invoice])],
            undo_values={"state": "cancel"},
        )


@pytest.fixture
def no_bad_tokens(admin):
    """The rate limit's count of bad tokens emptied (every test calls from 127.0.0.1): each
    case reaches the route's own checks."""
    attempts = admin.call("credit.payment.link.attempt", "search", [])
    if attempts:
        admin.call("credit.payment.link.attempt", "unlink", attempts)


@pytest.fixture(scope="module")
def offer(records):
    return Offer(records)


def test_payment_page_valid(odoo_server, offer, no_bad_tokens, server_log):
    reply = Browser(odoo_server).get(offer.path)
    assert reply.status == 200 and "o_payment_link" in reply.text, reply
    assert_plain(reply, server_log)


@table(
    {
        **TEXT,
        # Well formed: version 1, link 1, valid until 2106, and a signature of zeros.
        "forged": "AQAAAAH_____AAAAAAAAAAAAAAAAAAAAAA",
        "path_traversal": "..%2F..%2Fweb",
    }
)
def test_payment_page_bad_token(admin, odoo_server, offer, no_bad_tokens, server_log, value):
    opened = admin.call("credit.payment.link", "read", [offer.link], ["open_count"])
    reply = Browser(odoo_server).get(f"/pay/{quoted(value)}")
    assert_refused(reply, server_log)
    after = admin.call("credit.payment.link", "read", [offer.link], ["open_count"])
    assert after == opened, "a bad token opened a link"


@table(TEXT)
def test_payment_checkout_bad_invoice_ids(offer, no_bad_tokens, server_log, value):
    written = offer.transactions()
    reply = offer.browser.post_form(offer.path, {"csrf_token": offer.csrf, "move_ids": value})
    assert not written.new(), "a transaction was created"
    assert "o_payment_form" not in reply.text, "the payment form was offered"
    if reply.status != 200:  # the page again, with its error, is a refusal too
        assert_refused(reply, server_log)
    assert_plain(reply, server_log)


TRANSACTION_PARAMS = ("amount", "access_token", "provider_id", "payment_method_id", "flow")


def test_payment_transaction_valid(offer, no_bad_tokens, server_log):
    written = offer.transactions()
    reply = offer.browser.post_json(offer.route, offer.params)
    assert "result" in reply.json(), f"no transaction: {reply}"
    assert len(written.new()) == 1, "no transaction was created"
    assert_plain(reply, server_log)


@pytest.mark.parametrize("param", TRANSACTION_PARAMS)
@table(JSON_VALUES)
def test_payment_transaction_bad_param(offer, no_bad_tokens, server_log, param, value):
    written = offer.transactions()
    reply = offer.browser.post_json(offer.route, {**offer.params, param: value})
    assert not written.new(), "a transaction was created"
    assert_json_refused(reply, server_log)


@table(TEXT)
def test_payment_transaction_bad_selection(offer, no_bad_tokens, server_log, value):
    written = offer.transactions()
    route = offer.route.rsplit("/", 1)[0] + "/" + quoted(value)
    reply = offer.browser.post_json(route, offer.params)
    assert not written.new(), "a transaction was created"
    assert_json_refused(reply, server_log)


@table(JSON_BODIES)
def test_payment_transaction_bad_body(offer, no_bad_tokens, server_log, value):
    written = offer.transactions()
    reply = offer.browser.post_json(offer.route, raw=value)
    assert not written.new(), "a transaction was created"
    assert_json_refused(reply, server_log)


# ------------------------------------------------------------
# THE INSURERS' WEBHOOK
# ------------------------------------------------------------

SECRET = "whsec-e2e-2026"


@pytest.fixture(scope="module")
def policy(records):
    policy = records.policy()
    records.call("credit.insurance.policy", "write", [policy], {"webhook_secret": SECRET})
    return policy


def signed(body):
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def notify(odoo_server, path, body, headers):
    return Browser(odoo_server).request(
        "POST", path, body, {"Content-Type": "application/json", **headers}
    )


def exchanges(admin, policy):
    return Written(admin, "credit.insurance.exchange", [("policy_id", "=", policy)])


def test_webhook_valid(admin, odoo_server, policy, server_log):
    written = exchanges(admin, policy)
    body = f'{{"notificationId": "n-{uuid.uuid4().hex}"}}'.encode()
    reply = notify(
        odoo_server, f"/credit_insurance/webhook/{policy}", body, {"X-Signature": signed(body)}
    )
    assert reply.status == 200, reply
    assert len(written.new()) == 1, "the notification was not recorded"
    assert_plain(reply, server_log)


@table(SIGNATURES)
def test_webhook_bad_signature(admin, odoo_server, policy, server_log, value):
    written = exchanges(admin, policy)
    reply = notify(
        odoo_server,
        f"/credit_insurance/webhook/{policy}",
        b'{"notificationId": "n-1"}',
        {"X-Signature": value},
    )
    assert not written.new(), "the notification was recorded"
    assert_refused(reply, server_log)


@table(PATH_IDS)
def test_webhook_bad_policy_id(admin, odoo_server, server_log, value):
    written = Written(admin, "credit.insurance.exchange", [])
    body = b'{"notificationId": "n-1"}'
    reply = notify(
        odoo_server,
        f"/credit_insurance/webhook/{quoted(value)}",
        body,
        {"X-Signature": signed(body)},
    )
    assert not written.new(), "a notification was recorded"
    assert_refused(reply, server_log)


@pytest.mark.parametrize("sign", [False, True], ids=["unsigned", "signed"])
def test_webhook_oversized_body(admin, odoo_server, policy, server_log, sign):
    written = exchanges(admin, policy)
    body = b'{"notificationId": "n-big", "padding": "' + b"x" * (8 * 1024 * 1024) + b'"}'
    headers = {"X-Signature": signed(body) if sign else "sha256=00"}
    reply = notify(odoo_server, f"/credit_insurance/webhook/{policy}", body, headers)
    assert not written.new(), "the notification was recorded"
    assert_refused(reply, server_log)


SIGNED_BODIES = {
    "not_json": b"not json",
    "nul_reference": b'{"notificationId": "n-\\u0000"}',
    "list_reference": b'{"notificationId": [1, 2]}',
    "object_reference": b'{"notificationId": {"a": 1}}',
    "long_reference": b'{"notificationId": "' + b"n" * 5000 + b'"}',
    "nan_reference": b'{"notificationId": NaN}',
    "invalid_utf8": b'{"notificationId": "\xff\xfe"}',
}


@table(SIGNED_BODIES)
def test_webhook_signed_odd_body(odoo_server, policy, server_log, value):
    """A signed body is the insurer's: whatever it holds, it is answered without a failure
    (the decisions are read from the insurer, the body is not trusted)."""
    reply = notify(
        odoo_server, f"/credit_insurance/webhook/{policy}", value, {"X-Signature": signed(value)}
    )
    assert reply.status < 500, f"the webhook failed: {reply}"
    assert_plain(reply, server_log)


# ------------------------------------------------------------
# BAD HEADERS, ON EVERY ROUTE
# ------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(admin, odoo_server, records, portal, portal_invoice, collector, offer, policy):
    """``{route: (send(headers) -> Reply, written() -> Written or None)}``: a valid request
    of each route, as its visitor sends it, and what it may create."""
    portal_browser, portal_csrf = portal
    collector_browser, collector_csrf = collector
    body = b'{"notificationId": "n-headers"}'
    return {
        "portal_dispute": (
            lambda headers: portal_browser.post_form(
                f"/my/invoices/{portal_invoice}/credit/dispute",
                dispute_form(portal_csrf, reason_id=reason(records)),
                headers,
            ),
            lambda: disputes(admin, portal_invoice),
        ),
        "portal_promise": (
            lambda headers: portal_browser.post_form(
                f"/my/invoices/{portal_invoice}/credit/promise",
                promise_form(portal_csrf, days(10)),
                headers,
            ),
            lambda: promises(admin, portal_invoice),
        ),
        "aged_balance_export": (
            lambda headers: collector_browser.post_form(
                "/credit_management/aged_balance/xlsx",
                {"csrf_token": collector_csrf, "data": "{}"},
                headers,
            ),
            None,  # an export creates nothing
        ),
        "payment_page": (
            lambda headers: Browser(odoo_server).get(offer.path, headers),
            offer.transactions,
        ),
        "payment_checkout": (
            lambda headers: offer.browser.post_form(
                offer.path, {"csrf_token": offer.csrf, "move_ids": str(offer.invoice)}, headers
            ),
            offer.transactions,
        ),
        "payment_transaction": (
            lambda headers: offer.browser.post_json(offer.route, offer.params, headers=headers),
            offer.transactions,
        ),
        "insurer_webhook": (
            lambda headers: notify(
                odoo_server,
                f"/credit_insurance/webhook/{policy}",
                body,
                {"X-Signature": signed(body), **headers},
            ),
            lambda: exchanges(admin, policy),
        ),
    }


ROUTES = (
    "portal_dispute",
    "portal_promise",
    "aged_balance_export",
    "payment_page",
    "payment_checkout",
    "payment_transaction",
    "insurer_webhook",
)


@pytest.mark.parametrize("route", ROUTES)
@table(HEADERS)
def test_bad_headers(sites, no_bad_tokens, server_log, route, value):
    """Headers a browser would not send: answered (the request may even pass: it is valid
    but for them), never with a failure. What a passing request created is cancelled."""
    send, written = sites[route]
    watch = written and written()
    reply = send(value)
    if watch:
        watch.new()
    assert reply.status < 500, f"the route failed: {reply}"
    assert_plain(reply, server_log)
