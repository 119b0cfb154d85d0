import os
import re
import shutil
import subprocess
import tempfile
import unittest

from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import tagged

from .common import TODAY
from .common import PaymentLinkCommon
from .common import qr_image_encodes


@tagged("post_install", "-at_install")
class TestPaymentLinkReminder(PaymentLinkCommon, SMSCase):
    """Every reminder carries its link: email "Pay now", SMS text, letter QR codes, figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_dunning_scenario_id = cls.env.ref(
            "credit_management.dunning_scenario_firm"
        )
        cls.customer.write(
            {
                "phone": "06 12 34 56 78",
                "country_id": cls.env.ref("base.fr").id,
                "credit_limit": 0.0,
            }
        )

    def _run(self):
        with self.mockSMSGateway():
            return self.env["credit.dunning"].run_dunning(TODAY)

    def test_email_and_sms_carry_the_link(self):
        invoice = self._invoice(self.customer, 400.0, due_days=-20)
        reminder = self._run()
        self.assertEqual(reminder.state, "sent", reminder.error_message)
        link = reminder.payment_link_id
        self.assertTrue(link)
        self.assertEqual(link.move_ids, invoice)
        self.assertEqual(link.dunning_id, reminder)
        self.assertEqual(link.amount, 400.0)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.mail_message_id.id)])
        self.assertIn(f'href="{link.url}"', mail.body_html)
        self.assertIn("Pay now", mail.body_html)
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("mail_message_id", "=", reminder.sms_message_id.id)])
        )
        self.assertIn(link.url, sms.body)
        self.assertNotIn("?", link.url)

    def test_letter_qr_codes(self):
        eur = self.setup_other_currency("EUR")
        bank = self.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 3000 6000 0112 3456 7890 189",
                "partner_id": self.company.partner_id.id,
                "bank_bic": "AGRIFRPP",
                "allow_out_payment": True,
            }
        )
        self.assertEqual(bank.acc_type, "iban")
        self._invoice(self.customer, 250.5, due_days=-20, currency=eur)
        reminder = self._run()
        link = reminder.payment_link_id
        self.assertEqual(link.currency_id, eur)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "credit_management.action_report_credit_dunning_letter", reminder.ids
            )[0]
            .decode()
        )
        found = re.search(r'o_payment_link_qr".*?src="(data:image/png;base64,[^"]+)"', html, re.S)
        self.assertTrue(found, "the letter shows the link's QR code")
        self.assertTrue(qr_image_encodes(found.group(1), link.url), "it reads as the link")
        self.assertFalse(qr_image_encodes(found.group(1), link.url + "x"), "and only as it")
        payload = reminder._epc_qr_values().split("\n")
        self.assertEqual(payload[:4], ["BCD", "002", "1", "SCT"])
        self.assertEqual(payload[4], "AGRIFRPP")
        self.assertEqual(payload[6], "FR7630006000011234567890189")
        self.assertEqual(payload[7], "EUR250.5")
        self.assertEqual(payload[10], reminder.name)
        found = re.search(
            r'o_payment_link_epc_qr".*?src="(data:image/png;base64,[^"]+)"', html, re.S
        )
        self.assertTrue(found, "the letter shows the EPC QR code")
        self.assertTrue(
            qr_image_encodes(found.group(1), "\n".join(payload), border=0),
            "it reads as the EPC payload of the amount and the reference",
        )
        # Not in euros: no EPC code, the link's QR code stays.
        self.assertEqual(reminder.currency_id, eur)

    @unittest.skipUnless(
        shutil.which("zbarimg") and shutil.which("pdftoppm"),
        "decoding the printed letter needs zbarimg (zbar-tools) and pdftoppm (poppler-utils)",
    )
    def test_letter_pdf_qr_codes_decode(self):
        """The printed letter (the real report, through wkhtmltopdf) scanned as a phone would:
        one QR code opens the link, the other is a valid EPC transfer of the amount due."""
        eur = self.setup_other_currency("EUR")
        self.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 3000 6000 0112 3456 7890 189",
                "partner_id": self.company.partner_id.id,
                "bank_bic": "AGRIFRPP",
                "allow_out_payment": True,
            }
        )
        self._invoice(self.customer, 250.5, due_days=-20, currency=eur)
        reminder = self._run()
        link = reminder.payment_link_id
        self.assertTrue(link.url)
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_management.action_report_credit_dunning_letter", reminder.ids)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "letter.pdf")
            with open(path, "wb") as file:
                file.write(pdf)
            subprocess.run(
                ["pdftoppm", "-r", "200", "-png", path, os.path.join(folder, "page")],
                check=True,
                timeout=60,
            )
            pages = sorted(
                os.path.join(folder, name) for name in os.listdir(folder) if name.endswith(".png")
            )
            self.assertTrue(pages, "pdftoppm made an image of the letter")
            # zbarimg exits 4 when it finds no code: the output is what is checked.
            scan = subprocess.run(
                ["zbarimg", "--raw", "-q", *pages],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        # The EPC payload, computed here from the EPC069-12 layout: service tag, version,
        # character set (UTF-8), identification, BIC, beneficiary, IBAN, EUR amount, purpose,
        # structured reference, unstructured reference (the reminder's), information.
        epc = "\n".join(
            [
                "BCD",
                "002",
                "1",
                "SCT",
                "AGRIFRPP",
                self.company.partner_id.name,
                "FR7630006000011234567890189",
                "EUR250.5",
                "",
                "",
                reminder.name,
                "",
            ]
        )
        # --raw prints each code's data followed by a new line, in the order found.
        self.assertIn(
            scan.stdout,
            (f"{link.url}\n{epc}\n", f"{epc}\n{link.url}\n"),
            "exactly two codes: the link's URL and the EPC transfer",
        )

    def test_figures_and_paid_by_link_filter(self):
        invoice = self._invoice(self.customer, 400.0, due_days=-20)
        reminder = self._run()
        link = reminder.payment_link_id
        self._open(link)
        self._pay_by_link(link, invoice)
        self.assertEqual(reminder.payment_link_state, "paid")
        found = self.env["credit.dunning"].search([("payment_link_ids.state", "=", "paid")])
        self.assertIn(reminder, found)
        figures = self.env["credit.dunning"]._payment_link_figures(self.company)
        self.assertEqual(figures["links"], 1)
        self.assertEqual(figures["opened"], 1)
        self.assertEqual(figures["paid_invoices"], 1)
        self.assertAlmostEqual(figures["amount_collected"], 400.0)
        self.assertGreaterEqual(figures["median_days_to_payment"], 0)
        self.assertEqual(reminder.payment_link_amount_collected, 400.0)

    def test_group_reminder_one_link_for_the_head_office(self):
        """Centralised dunning: the head office's reminder carries one link covering every
        member's invoices, the page names each invoice's customer, and paying through it
        settles the members' invoices."""
        self.env.ref("credit_management.dunning_scenario_firm").grouping = "group"
        Partner = self.env["res.partner"]
        head = Partner.create(
            {
                "name": "Groupe Martin Holding",
                "is_company": True,
                "email": "siege@martin.fr",
                "phone": "06 98 76 54 32",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        member = Partner.create(
            {
                "name": "Martin Lyon SAS",
                "is_company": True,
                "parent_id": head.id,
                "email": "lyon@martin.fr",
            }
        )
        head_invoice = self._invoice(head, 100.0, due_days=-20)
        member_invoice = self._invoice(member, 250.0, due_days=-20)
        reminders = self._run()
        reminder = reminders.filtered(lambda r: r.partner_id == head)
        self.assertEqual(reminder.state, "sent", reminder.error_message)
        self.assertFalse(reminders.filtered(lambda r: r.partner_id == member))
        link = reminder.payment_link_ids
        self.assertEqual(len(link), 1, "one link for the group, not one per member")
        self.assertEqual(link.partner_id, head)
        self.assertEqual(link.move_ids, head_invoice | member_invoice)
        self.assertEqual(link.amount, 350.0)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.mail_message_id.id)])
        self.assertIn(f'href="{link.url}"', mail.body_html)
        sms = (
            self.env["sms.sms"]
            .sudo()
            .search([("mail_message_id", "=", reminder.sms_message_id.id)])
        )
        self.assertIn(link.url, sms.body)
        page = self._open(link)
        self.assertEqual(page.status_code, 200)
        self.assertIn("<th>Customer</th>", page.text)
        self.assertIn("Martin Lyon SAS", page.text)
        self._pay_by_link(link, head_invoice | member_invoice)
        for invoice in head_invoice | member_invoice:
            self.assertIn(invoice.payment_state, ("paid", "in_payment"), invoice.name)
        self.assertEqual(link.state, "paid")

    def test_single_customer_page_has_no_customer_column(self):
        self._invoice(self.customer, 120.0, due_days=-20)
        link = self._run().payment_link_id
        page = self._open(link)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("<th>Customer</th>", page.text)
