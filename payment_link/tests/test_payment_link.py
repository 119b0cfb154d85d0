from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import format_amount

from .common import PaymentLinkCommon


@tagged("post_install", "-at_install")
class TestPaymentLinkModel(PaymentLinkCommon):
    """The link record: one per currency, its token, revocation, expiry and companies."""

    def test_token_short_signed_and_bound_to_the_link(self):
        invoice = self._invoice(self.customer, 300.0, due_days=-10)
        link = self.Link._create_for_moves(invoice)
        token = link._token()
        self.assertEqual(len(token), 34, "id, expiry and a 128-bit signature")
        self.assertEqual(link.url, f"{link.get_base_url()}/pay/{token}")
        self.assertNotIn("?", link.url)
        self.assertEqual(self.Link._verify_token(token), link.id)
        self.assertEqual(self.Link._get_by_token(token), link)
        # One flipped character of the signature: no link.
        forged = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
        self.assertIsNone(self.Link._verify_token(forged))
        self.assertIsNone(self.Link._verify_token("not-a-token"))
        self.assertIsNone(self.Link._verify_token(""))
        self.assertEqual(link.amount, 300.0)
        self.assertEqual(link.company_id, self.company)

    def test_one_link_per_currency(self):
        eur = self.setup_other_currency("EUR")
        in_usd = self._invoice(self.customer, 100.0, due_days=-5)
        in_eur = self._invoice(self.customer, 200.0, due_days=-5, currency=eur)
        links = self.Link._create_for_moves(in_usd | in_eur)
        self.assertEqual(len(links), 2)
        by_currency = {link.currency_id: link for link in links}
        self.assertEqual(by_currency[self.currency].move_ids, in_usd)
        self.assertEqual(by_currency[self.currency].amount, 100.0)
        self.assertEqual(by_currency[eur].move_ids, in_eur)
        self.assertEqual(by_currency[eur].amount, 200.0)

    def test_page_amounts_printed_as_odoo_prints_them(self):
        """The page prints its amounts from the figures it read with the link, as Odoo's
        ``format_amount`` prints them: in each language, symbol before or after, rounding
        of the currency, grouping and negative amounts."""
        self.env["res.lang"]._activate_lang("fr_FR")
        eur = self.setup_other_currency("EUR")
        for currency in (self.currency, eur):
            invoice = self._invoice(self.customer, 1234567.891, due_days=-5, currency=currency)
            link = self.Link._create_for_moves(invoice)
            facts = link._page_facts()
            self.assertEqual(facts["currency"], currency)
            for lang in ("en_US", "fr_FR"):
                env = self.env(context=dict(self.env.context, lang=lang))
                for amount in (1234567.891, 0.0, -42.005, 0.004, 999.995):
                    self.assertEqual(
                        env["credit.payment.link"]._format_page_amount(
                            amount, facts["currency_format"]
                        ),
                        format_amount(env, amount, currency),
                        (currency.name, lang, amount),
                    )

    def test_paid_invoice_gets_no_link(self):
        invoice = self._invoice(self.customer, 100.0, due_days=-5)
        self._pay(invoice, 100.0)
        self.assertFalse(self.Link._create_for_moves(invoice))

    def test_revoke_and_expire(self):
        first = self.Link._create_for_moves(self._invoice(self.customer, 100.0, due_days=-5))
        second = self.Link._create_for_moves(self._invoice(self.customer, 50.0, due_days=-5))
        first.action_revoke()
        self.assertEqual(first.state, "revoked")
        self.assertFalse(self.Link._get_by_token(first._token()))
        with self.assertRaises(UserError):
            first.action_revoke()
        # A link outdated (its date written as the fixture, as superuser: no one else may).
        second.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        self.assertFalse(self.Link._get_by_token(second._token()), "signed, but expired")
        expired = self.Link._cron_expire()
        self.assertEqual(expired, second)
        self.assertEqual(second.state, "expired")

    def test_validity_setting(self):
        self.company.payment_link_validity_days = 7
        link = self.Link._create_for_moves(self._invoice(self.customer, 100.0, due_days=-5))
        self.assertEqual(link.date_expiry, fields.Date.context_today(link) + timedelta(days=7))
        with self.assertRaises(ValidationError):
            self.company.payment_link_validity_days = 0

    def test_two_companies(self):
        other = self.setup_other_company(name="Minoterie du Rhône")["company"]
        own = self.Link._create_for_moves(self._invoice(self.customer, 100.0, due_days=-5))
        theirs = self.Link._create_for_moves(
            self._invoice(self.customer, 80.0, due_days=-5, company=other)
        )
        self.assertEqual(theirs.company_id, other)
        self.assertNotEqual(own._token(), theirs._token())
        visible = self.Link.with_user(self.collector).search([("id", "in", (own | theirs).ids)])
        self.assertEqual(visible, own, "the collector of the first company sees its links only")
        with self.assertRaises(AccessError):
            theirs.with_user(self.collector).read(["amount"])
        page = self._open(theirs)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Minoterie du Rhône", page.text)

    def test_send_wizard_email_and_sms(self):
        invoice = self._invoice(self.customer, 120.0, due_days=-5)
        action = invoice.action_send_payment_link()
        wizard = self.env["credit.payment.link.send"].browse(action["res_id"])
        result = wizard.action_send()
        link = self.Link.browse(result["res_id"])
        self.assertEqual(link.move_ids, invoice)
        message = link.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertIn(link.url, message.body)
        self.assertEqual(message.partner_ids, self.customer)
        self.customer.mobile = "+33612345678"
        action = self.customer.action_send_payment_link()
        wizard = self.env["credit.payment.link.send"].browse(action["res_id"])
        wizard.channel = "sms"
        sms_link = self.Link.browse(wizard.action_send()["res_id"])
        sms = self.env["sms.sms"].sudo().search([("body", "ilike", sms_link.url)])
        self.assertTrue(sms, "the SMS carries the link")
        self.assertLessEqual(len(sms_link.url), 80)

    def test_statement_hook(self):
        invoice = self._invoice(self.customer, 90.0, due_days=-5)
        link = self.contact._payment_link_for_statement()
        self.assertEqual(link.partner_id, self.customer, "the customer's commercial entity")
        self.assertEqual(link.move_ids, invoice)
        self.assertEqual(
            self.customer._payment_link_for_statement(), link, "reused, not duplicated"
        )
        self._pay(invoice, 90.0)
        self.assertFalse(self.customer._payment_link_for_statement(), "nothing due, no link")
