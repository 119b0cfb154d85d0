"""The portal's dispute and promise routes answer bad input with the form again (its error
shown) or a 404, never a server error, and write nothing."""

from datetime import timedelta

from odoo import fields
from odoo import http
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditCommon

# Ids no form sends: unicode digits, huge, negative, not numbers, SQL, NUL bytes.
BAD_IDS = [
    "²",
    "٣",
    "9" * 5000,
    "99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "1.5",
    "1e3",
    "0x1",
    " 1",
    "NaN",
    "inf",
    "1; DROP TABLE credit_dispute",
    "1' OR '1'='1",
    "1\x00",
    "",
]
BAD_DATES = [
    "garbage",
    "2026-02-30",
    "99999-01-01",
    "0000-00-00",
    "2026-13-01",
    "²⁰²⁶-06-20",
    "2026-06-20\x00",
    "2026-06-20' OR '1'='1",
    "x" * 5000,
    "NaN",
    "inf",
    "-1",
    "",
]


@tagged("post_install", "-at_install")
class TestPortalBadInput(CreditCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_promise_max_days = 30
        cls.portal_user = new_test_user(
            cls.env,
            login="credit_portal_bad",
            password="credit_portal_bad_pw",
            name="Paul Portail",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.invoice = cls._invoice(cls.customer, 700.0, due_days=-10)
        cls.reason = cls.env.ref("credit_management.dispute_reason_quantity")

    def setUp(self):
        super().setUp()
        self.authenticate("credit_portal_bad", "credit_portal_bad_pw")

    def _post(self, path, **data):
        return self.url_open(path, data={"csrf_token": http.Request.csrf_token(self), **data})

    def _route(self, action, invoice=None):
        return f"/my/invoices/{(invoice or self.invoice).id}/credit/{action}"

    def _assert_clean(self, response, what):
        self.assertLess(response.status_code, 500, f"{what}: no server error")
        self.assertNotIn("Traceback", response.text, f"{what}: no traceback")

    def test_dispute_reason_ids(self):
        for value in BAD_IDS:
            with self.subTest(reason_id=value):
                response = self._post(self._route("dispute"), reason_id=value, message="Faux")
                self._assert_clean(response, f"reason {value[:20]!r}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("Choose a reason", response.text, "the form says what is wrong")
        self.assertFalse(self.invoice.dispute_ids, "nothing written")

    def test_dispute_message(self):
        response = self._post(
            self._route("dispute"),
            reason_id=str(self.reason.id),
            message="Il manque\x00 2 sacs." + "x" * 10000,
        )
        self._assert_clean(response, "message with a NUL byte")
        self.assertIn("your message was sent", response.text)
        description = str(self.invoice.dispute_ids.description)
        self.assertIn("Il manque 2 sacs.", description, "the NUL byte dropped")
        self.assertLess(len(description), 5100, "the message cut at 5,000 characters")

    def test_promise_dates(self):
        # A valid day followed by something else is no date either.
        soon = str(fields.Date.today() + timedelta(days=5))
        tails = [soon + "\x00", soon + "garbage", soon + "T00:00:00", soon + "' OR '1'='1"]
        for value in BAD_DATES + tails:
            with self.subTest(date_promised=value):
                response = self._post(self._route("promise"), date_promised=value)
                self._assert_clean(response, f"date {value[:20]!r}")
                self.assertEqual(response.status_code, 200)
                self.assertIn("Choose a payment date", response.text)
        # Amounts are the server's: whatever a visitor adds is ignored.
        response = self._post(
            self._route("promise"),
            date_promised=str(fields.Date.today() + timedelta(days=5)),
            amount="NaN",
            amount_paid="inf",
            state="broken",
        )
        self._assert_clean(response, "extra fields")
        promise = self.invoice.promise_ids
        self.assertEqual((promise.amount, promise.state), (700.0, "open"))

    def test_invoice_ids_and_tokens(self):
        stranger = self.env["res.partner"].create({"name": "Autre client", "is_company": True})
        foreign = self._invoice(stranger, 300.0, due_days=-10)
        foreign._portal_ensure_token()
        paths = [
            self._route("dispute", foreign),
            "/my/invoices/99999999999999999999/credit/dispute",
            "/my/invoices/2147483648/credit/promise",
            "/my/invoices/-1/credit/dispute",
            "/my/invoices/%C2%B2/credit/dispute",
        ]
        for path in paths:
            with self.subTest(path=path):
                response = self._post(path, reason_id=str(self.reason.id))
                self._assert_clean(response, path)
                self.assertEqual(response.status_code, 404)
        self.logout()
        for token in ("é" * 3, "\x00", "x" * 5000, foreign.access_token + "é", "' OR 1=1 --"):
            for action, data in (
                ("dispute", {"reason_id": str(self.reason.id)}),
                ("promise", {"date_promised": str(fields.Date.today())}),
            ):
                with self.subTest(token=token[:20], action=action):
                    response = self._post(self._route(action, foreign), access_token=token, **data)
                    self._assert_clean(response, f"token {token[:20]!r}")
                    self.assertEqual(response.status_code, 404)
        self.assertFalse(foreign.dispute_ids or foreign.promise_ids, "nothing written")
