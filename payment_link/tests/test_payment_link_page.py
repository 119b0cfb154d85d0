import collections
import re
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.payment_link.controllers import main
from odoo.tests import tagged

from .common import PaymentLinkCommon

INVALID_BLOCK = re.compile(
    r'<div class="container my-5 o_payment_link_invalid">.*?</div>\s*</div>\s*</div>', re.S
)


@tagged("post_install", "-at_install")
class TestPaymentLinkPage(PaymentLinkCommon):
    """The public page over HTTP: refused tokens, rate limit, selection, amounts, payment."""

    def setUp(self):
        super().setUp()
        self.first = self._invoice(self.customer, 300.0, due_days=-20)
        self.second = self._invoice(self.customer, 200.0, due_days=-10)
        self.link = self.Link._create_for_moves(self.first | self.second)

    def _refused_block(self, response):
        match = INVALID_BLOCK.search(response.text)
        self.assertTrue(match, response.text[:300])
        return match.group(0)

    def test_refused_tokens_same_page_404(self):
        valid = self._open(self.link)
        self.assertEqual(valid.status_code, 200)
        self.assertIn("Boulangeries Martin SAS", valid.text)
        self.assertIn(self.first.name, valid.text)
        token = self.link._token()
        forged = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
        expired = self.Link._create_for_moves(self._invoice(self.customer, 10.0, due_days=-5))
        expired.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        revoked = self.Link._create_for_moves(self._invoice(self.customer, 20.0, due_days=-5))
        revoked_token = revoked._token()
        revoked.action_revoke()
        pages = [
            self._open("AQAAAAEAAAAAc2lnbmF0dXJlc2lnbmF0dXJl"),  # unknown
            self._open(forged),
            self._open(expired._token()),
            self._open(revoked_token),
            self._open("x"),
        ]
        for page in pages:
            self.assertEqual(page.status_code, 404)
            self.assertNotIn("Boulangeries Martin", page.text)
            self.assertIn("This link is no longer valid", page.text)
        blocks = {self._refused_block(page) for page in pages}
        self.assertEqual(len(blocks), 1, "the very same page for every refused token")
        self.assertEqual(revoked.open_count, 0)

    def test_refusal_answered_in_the_time_of_a_valid_opening(self):
        """A bad token is answered no sooner than valid openings usually are (the median of
        the last ones): its time tells nothing. A valid opening is recorded."""
        times = collections.deque([0.3, 0.35, 0.4], maxlen=64)
        with patch.object(main, "_OPENING_TIMES", times):
            started = time.monotonic()
            page = self._open("AQAAAAEAAAAAc2lnbmF0dXJlc2lnbmF0dXJl")
            self.assertEqual(page.status_code, 404)
            self.assertGreaterEqual(time.monotonic() - started, 0.35)
            self.assertEqual(self._open(self.link).status_code, 200)
            self.assertEqual(len(times), 4, "the valid opening's time is kept")

    def test_rate_limit_429(self):
        for _i in range(10):
            self.assertEqual(self._open(f"bad-token-{_i}").status_code, 404)
        blocked = self._open("bad-token-again")
        self.assertEqual(blocked.status_code, 429)
        self.assertIn("Too many attempts", blocked.text)
        self.assertEqual(self._open(self.link).status_code, 429, "this address waits")
        # Once the window has passed, the address may try again.
        self.env["credit.payment.link.attempt"].sudo().search([]).write(
            {"date": fields.Datetime.now() - timedelta(hours=1)}
        )
        self.assertEqual(self._open(self.link).status_code, 200)

    def test_opening_counts_and_changes_no_invoice(self):
        before = self.first.read(["amount_residual", "payment_state", "write_date"])
        self._open(self.link)
        self._open(self.link)
        self.assertEqual(self.link.open_count, 2)
        self.assertTrue(self.link.date_first_opened)
        self.assertGreaterEqual(self.link.date_last_opened, self.link.date_first_opened)
        self.first.invalidate_recordset()
        self.assertEqual(
            self.first.read(["amount_residual", "payment_state", "write_date"]), before
        )

    def test_page_in_the_customer_language(self):
        """The page speaks the customer's language, its figures formatted in it; a refused
        token gets the visitor's language (the nearest installed one)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_link"], ["fr_FR"])
        self.customer.lang = "fr_FR"
        page = self._open(self.link)
        self.assertEqual(page.status_code, 200)
        self.assertIn('<html lang="fr-FR">', page.text)
        self.assertIn("Payer les factures sélectionnées", page.text)
        self.assertIn("Factures de", page.text)
        self.assertIn("300,00", page.text, "a comma for the decimals, in French")
        refused = self.url_open(
            "/pay/AQAAAAEAAAAAc2lnbmF0dXJlc2lnbmF0dXJl", headers={"Accept-Language": "fr-FR"}
        )
        self.assertEqual(refused.status_code, 404)
        self.assertIn("Ce lien n'est plus valable", refused.text)
        refused = self.url_open(
            "/pay/AQAAAAEAAAAAc2lnbmF0dXJlc2lnbmF0dXJl", headers={"Accept-Language": "en-US"}
        )
        self.assertIn("This link is no longer valid", refused.text)

    def test_checkout_amount_computed_by_server(self):
        page = self._checkout(self.link, self.second)
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-amount="200.0"', page.text)
        self.assertIn(f"/pay/{self.link._token()}/transaction/{self.second.id}", page.text)
        self.assertIn("o_payment_form", page.text, "Odoo's payment form with the demo provider")

    def test_tampered_amount_refused(self):
        answer = self._transaction(self.link, self.second, 1.0)
        self.assertIn("error", answer)
        self.assertIn("amount to pay has changed", answer["error"]["data"]["message"])
        self.assertFalse(self.link.transaction_ids)
        answer = self._transaction(self.link, self.second, 200.0, access_token="forged")
        self.assertIn("error", answer)
        self.assertFalse(self.link.transaction_ids)

    def test_pay_a_subset(self):
        tx = self._pay_by_link(self.link, self.second)
        self.assertEqual(tx.invoice_ids, self.second)
        self.assertEqual(tx.payment_link_id, self.link)
        self.assertIn(self.second.payment_state, ("paid", "in_payment"))
        self.assertTrue(tx.payment_id, "Odoo's post-processing posted the payment")
        self.assertEqual(self.first.payment_state, "not_paid")
        self.assertEqual(self.link.state, "active", "an invoice remains to pay")
        self.assertEqual(self.link.amount_collected, 200.0)
        self.assertEqual(self.link.paid_move_count, 1)
        receipt = self.env["mail.mail"].search(
            [("model", "=", "payment.transaction"), ("res_id", "=", tx.id)]
        )
        self.assertEqual(len(receipt), 1, "the receipt is queued")
        self.assertIn(self.second.name, receipt.body_html)
        page = self._open(self.link)
        self.assertRegex(page.text, rf'data-move-id="{self.second.id}" data-status="paid"')
        # Then the rest: the link is paid.
        self._pay_by_link(self.link, self.first)
        self.assertEqual(self.link.state, "paid")
        self.assertTrue(self.link.date_paid)
        # Where the payment form lands, and the reminder reopened later: the invoices shown
        # paid with a thank-you, nothing left to pay, and no payment taken any more.
        page = self._open(self.link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_payment_link_nothing", page.text)
        for move in self.first | self.second:
            self.assertRegex(page.text, rf'data-move-id="{move.id}" data-status="paid"')
        self.assertNotIn("o_payment_link_continue", page.text)
        answer = self._transaction(self.link, self.first, 300.0, access_token="none")
        self.assertIn("no longer valid", answer["error"]["data"]["message"])
        self.assertEqual(len(self.link.transaction_ids), 2, "no payment taken on a paid link")

    def test_paid_by_transfer_after_sending(self):
        self._pay(self.first, 300.0)
        page = self._open(self.link)
        self.assertRegex(page.text, rf'data-move-id="{self.first.id}" data-status="paid"')
        self.assertNotIn(
            f'name="move_ids" class="form-check-input o_payment_link_move" value="{self.first.id}"',
            page.text,
        )
        answer = self._transaction(self.link, self.first | self.second, 500.0)
        self.assertIn("error", answer, "an invoice paid meanwhile is not charged again")
        self.assertFalse(self.link.transaction_ids)
        checkout = self._checkout(self.link, self.first | self.second)
        self.assertIn("paid or being paid already", checkout.text)

    def test_two_tabs_cannot_both_charge(self):
        first_tab = self._transaction(self.link, self.second, 200.0)
        self.assertIn("result", first_tab)
        second_tab = self._transaction(self.link, self.second, 200.0)
        self.assertIn("error", second_tab, "a payment of the invoice is in progress")
        self.assertEqual(len(self.link.transaction_ids), 1)
        page = self._open(self.link)
        self.assertRegex(page.text, rf'data-move-id="{self.second.id}" data-status="in_progress"')

    def test_pending_reminders_stop_when_paid(self):
        level = self.env.ref("credit_management.dunning_level_standard_2")
        reminder = self.env["credit.dunning"].create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "currency_id": self.currency.id,
                "state": "to_validate",
                "line_ids": [
                    fields.Command.create(
                        {"move_id": m.id, "level_id": level.id, "line_type": "invoice"}
                    )
                    for m in self.first | self.second
                ],
            }
        )
        self._pay_by_link(self.link, self.first | self.second)
        self.assertEqual(self.link.state, "paid")
        self.assertEqual(reminder.state, "cancelled")
