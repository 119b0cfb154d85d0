import re
import subprocess
import tempfile

from odoo.fields import Command
from odoo.tests import tagged

from .common import PaymentLinkCommon
from .common import qr_image_encodes


def pdf_text(pdf):
    assert pdf.startswith(b"%PDF"), pdf[:200]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout


@tagged("post_install", "-at_install")
class TestStatementLink(PaymentLinkCommon):
    """The customer statement carries a payment link per currency due, its QR code and, in
    euros, an EPC transfer QR code (credit_management's hook, filled here)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 3000 6000 0112 3456 7890 189",
                "partner_id": cls.company.partner_id.id,
                "bank_bic": "AGRIFRPP",
                "allow_out_payment": True,
            }
        )
        cls.customer.write({"credit_limit": 0.0, "ref": "C-0042"})
        cls.first = cls._invoice(cls.customer, 400.0, due_days=-20)
        cls.second = cls._invoice(cls.customer, 100.0, due_days=10)
        cls._pay(cls.first, 150.0)
        cls.refund = cls._invoice(cls.customer, 50.0, due_days=0, move_type="out_refund")
        cls.in_euros = cls._invoice(cls.customer, 250.5, due_days=-5, currency=cls.eur)
        cls.report = "credit_management.action_report_credit_statement"

    def _links(self):
        return self.Link.search([("partner_id", "=", self.customer.id)])

    def test_statement_pdf_holds_the_links(self):
        # Printed without the report stylesheets: this machine's wkhtmltopdf prints styled
        # reports blank (see credit_management's tests/test_dunning_letter_e2e.py).
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(self.report, self.customer.ids)
        )
        text = pdf_text(pdf).replace("\u200b", "")
        links = self._links()
        self.assertEqual(len(links), 2, "one link per currency due")
        by_currency = {link.currency_id: link for link in links}
        dollars, euros = by_currency[self.currency], by_currency[self.eur]
        self.assertEqual(dollars.move_ids, self.first | self.second, "the open invoices")
        self.assertEqual(dollars.amount, 350.0, "250.00 + 100.00 left on the invoices")
        self.assertEqual(euros.move_ids, self.in_euros)
        self.assertEqual(euros.amount, 250.5)
        flat = re.sub(r"\s+", "", text)
        self.assertIn(dollars.url, flat, "the statement prints each link")
        self.assertIn(euros.url, flat)
        # The balances the links pay: 250.00 + 100.00 - 50.00 of credit note; 250.50 euros.
        self.assertIn("Pay $ 300.00 online", text)
        self.assertIn("Pay 250.50 € online", text)
        # Printed again: the same links, none created.
        self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            self.report, self.customer.ids
        )
        self.assertEqual(self._links(), links)

    def test_statement_qr_codes(self):
        html = self.env["ir.actions.report"]._render_qweb_html(self.report, self.customer.ids)[0]
        html = html.decode()
        links = {link.currency_id: link for link in self._links()}
        codes = re.findall(
            r'o_credit_statement_pay_link".*?src="(data:image/png;base64,[^"]+)"', html, re.S
        )
        self.assertEqual(len(codes), 2)
        self.assertTrue(qr_image_encodes(codes[0], links[self.currency].url))
        self.assertTrue(qr_image_encodes(codes[1], links[self.eur].url))
        epc = re.findall(
            r'o_credit_statement_epc_qr".*?src="(data:image/png;base64,[^"]+)"', html, re.S
        )
        self.assertEqual(len(epc), 1, "an EPC code for the euros only")
        payload = (
            self.env["res.partner.bank"]
            .search([("partner_id", "=", self.company.partner_id.id)])
            ._get_qr_vals("sct_qr", 250.5, self.eur, self.customer, "C-0042", None)
        )
        self.assertEqual(payload[7], "EUR250.5")
        self.assertTrue(qr_image_encodes(epc[0], "\n".join(payload), border=0))

    def test_statement_email_has_the_link(self):
        wizard = (
            self.env["credit.statement.send"]
            .with_user(self.collector)
            .create({"target": "selected", "partner_ids": [Command.set(self.customer.ids)]})
        )
        wizard.action_send()
        self.assertEqual(wizard.sent_count, 1)
        message = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)], limit=1
        )
        links = self._links()
        self.assertEqual(len(links), 2, "the email and its PDF share the links")
        for link in links:
            self.assertIn(f'href="{link.url}"', message.body)
        self.assertIn("Pay online", message.body)
