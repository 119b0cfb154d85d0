import re
import subprocess
import tempfile
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .. import compat
from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


def pdf_text(pdf):
    """The text of a PDF, as poppler's pdftotext reads it (one table row a line)."""
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
        ).stdout.replace("\u200b", "")  # Odoo's monetary format: "-\u200b150.00"


def amounts(line):
    """The amounts of a line of text, in order: ``['50.00', '1,450.00']``."""
    return re.findall(r"-?\d{1,3}(?:,\d{3})*\.\d{2}", line)


class StatementCommon(CreditCommon):
    """A crafted ledger on TODAY (2026-06-15), figures computed by hand.

    Boulangeries Martin SAS, in US dollars (the company's currency):

    ==========  =========  ============  =========  ========  ========  =========
    item        amount     due           days late  residual  bucket    mark
    ==========  =========  ============  =========  ========  ========  =========
    promised      300.00   2026-03-07    100          300.00  91-120    promised
    partly paid  1000.00   2026-05-01     45          600.00  31-60
    disputed      500.00   2026-06-05     10          500.00  1-30      in dispute
    credit note  -150.00   2026-06-15      0         -150.00  not due
    not due       200.00   2026-07-05      -          200.00  not due
    ==========  =========  ============  =========  ========  ========  =========

    Not due 50.00, 1-30 500.00, 31-60 600.00, 61-90 0.00, 91-120 300.00, over 120 0.00:
    balance due 1,450.00 USD. And in euros one invoice of 250.50 due 2026-02-05, 130 days
    late: over 120, balance due 250.50 EUR.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR")
        cls.company.partner_id.bank_ids = [
            Command.create(
                {
                    "acc_number": "FR7630006000011234567890189",
                    "allow_out_payment": True,
                    "bank_id": cls.env["res.bank"].create({"name": "CA", "bic": "AGRIFRPP"}).id,
                }
            )
        ]
        cls.customer.write(
            {
                "email": "direction@boulangeries-martin.fr",
                "ref": "C-0042",
                "street": "12 rue des Tanneurs",
                "zip": "69002",
                "city": "Lyon",
                "credit_limit": 0.0,
                "lang": "en_US",
            }
        )
        cls.contact.email = "compta@boulangeries-martin.fr"
        with freeze_time(TODAY):
            cls.promised = cls._invoice(cls.customer, 300.0, due_days=-100)
            cls.partly_paid = cls._invoice(cls.customer, 1000.0, due_days=-45)
            cls._pay(cls.partly_paid, 400.0)
            cls.disputed = cls._invoice(cls.customer, 500.0, due_days=-10)
            cls.refund = cls._invoice(cls.customer, 150.0, due_days=0, move_type="out_refund")
            cls.not_due = cls._invoice(cls.customer, 200.0, due_days=20)
            cls.in_euros = cls._invoice(cls.customer, 250.5, due_days=-130, currency=cls.eur)
            cls.env["credit.dispute"].create(
                {
                    "partner_id": cls.customer.id,
                    "move_ids": [Command.set(cls.disputed.ids)],
                    "reason_id": cls.env.ref("credit_management.dispute_reason_price").id,
                }
            )
            cls.env["credit.payment.promise"].create(
                {
                    "partner_id": cls.customer.id,
                    "move_ids": [Command.set(cls.promised.ids)],
                    "date_promised": day(5),
                }
            )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestCustomerStatement(StatementCommon):
    """The statement's figures, its PDF (wkhtmltopdf, read back with pdftotext) and printing
    from the customer."""

    def _statement_pdf(self, partner):
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_management.action_report_credit_statement", partner.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def test_statement_figures(self):
        data = self.customer._credit_statement_data(self.company, TODAY)[self.customer.id]
        lines = {line["move_id"]: line for line in data["lines"]}
        self.assertEqual(len(data["lines"]), 6, "the five items in dollars and one in euros")
        self.assertEqual(lines[self.partly_paid.id]["residual"], 600.0)
        self.assertEqual(lines[self.partly_paid.id]["amount"], 1000.0)
        self.assertEqual(lines[self.partly_paid.id]["days_late"], 45)
        self.assertEqual(lines[self.refund.id]["residual"], -150.0)
        self.assertEqual(lines[self.not_due.id]["days_late"], 0)
        self.assertTrue(lines[self.disputed.id]["in_dispute"])
        self.assertFalse(lines[self.partly_paid.id]["in_dispute"])
        self.assertEqual(lines[self.promised.id]["date_promised"], day(5))
        self.assertFalse(lines[self.disputed.id]["date_promised"])
        self.assertEqual(lines[self.in_euros.id]["residual"], 250.5, "in the invoice's currency")
        by_currency = {balance["currency"]: balance for balance in data["balances"]}
        usd = by_currency[self.currency]
        self.assertEqual(usd["not_due"], 50.0)
        self.assertEqual(
            usd["buckets"],
            {
                "amount_1_30": 500.0,
                "amount_31_60": 600.0,
                "amount_61_90": 0.0,
                "amount_91_120": 300.0,
                "amount_over_120": 0.0,
            },
        )
        self.assertEqual(usd["total"], 1450.0)
        self.assertEqual(by_currency[self.eur]["buckets"]["amount_over_120"], 250.5)
        self.assertEqual(by_currency[self.eur]["total"], 250.5)

    def test_statement_pdf(self):
        other = self.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )
        other_invoice = self._invoice(other, 80.0, due_days=-3)
        # Printed without the report stylesheets (report.url on a closed port): this machine's
        # wkhtmltopdf (Debian's, unpatched Qt) prints any styled Odoo report blank; see
        # tests/test_dunning_letter_e2e.py.
        self.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        # One PDF per customer: this wkhtmltopdf also fails on several pages in one call.
        martin = self._statement_pdf(self.contact)
        dupuis = self._statement_pdf(other)
        self.assertEqual(martin.count("Statement of Account"), 1)
        # The customer (printed from its invoicing contact), its address and the date.
        self.assertIn("Boulangeries Martin SAS", martin)
        self.assertIn("12 rue des Tanneurs", martin)
        self.assertIn("C-0042", martin)
        self.assertIn("06/15/2026", martin)
        # Each open item: its number, its residual, its mark.
        rows = {
            move: next(line for line in martin.splitlines() if move.name in line)
            for move in (
                self.promised,
                self.partly_paid,
                self.disputed,
                self.refund,
                self.not_due,
                self.in_euros,
            )
        }
        self.assertEqual(amounts(rows[self.partly_paid])[-2:], ["1,000.00", "600.00"])
        self.assertIn("45", rows[self.partly_paid].split(self.partly_paid.name)[1])
        self.assertEqual(amounts(rows[self.disputed])[-2:], ["500.00", "500.00"])
        self.assertIn("In dispute", rows[self.disputed])
        self.assertIn("Promised for 06/20/2026", rows[self.promised])
        self.assertEqual(amounts(rows[self.refund])[-2:], ["-150.00", "-150.00"])
        self.assertIn("credit note", rows[self.refund])
        self.assertEqual(amounts(rows[self.not_due])[-2:], ["200.00", "200.00"])
        self.assertEqual(amounts(rows[self.in_euros])[-2:], ["250.50", "250.50"])
        self.assertIn("€", rows[self.in_euros])
        # The aging, one row per currency: not due, 1-30, 31-60, 61-90, 91-120, over 120, due.
        aging = [line for line in martin.splitlines() if line.strip().startswith(("USD", "EUR"))]
        self.assertEqual(
            [amounts(line) for line in aging],
            [
                ["50.00", "500.00", "600.00", "0.00", "300.00", "0.00", "1,450.00"],
                ["0.00", "0.00", "0.00", "0.00", "0.00", "250.50", "250.50"],
            ],
        )
        # The balance due per currency and how to pay it.
        balances = [line for line in martin.splitlines() if "Balance due (" in line]
        self.assertEqual([amounts(line) for line in balances], [["1,450.00"], ["250.50"]])
        self.assertIn("FR7630006000011234567890189", martin.replace(" ", ""))
        self.assertIn("AGRIFRPP", martin)
        self.assertIn("quoting the reference C-0042", martin)
        # The other customer: its own item only, in one currency.
        self.assertIn(other_invoice.name, dupuis)
        self.assertNotIn(self.partly_paid.name, dupuis)
        balance = [line for line in dupuis.splitlines() if "Balance due" in line]
        self.assertEqual([amounts(line) for line in balance if amounts(line)], [["80.00"]])

    def test_print_from_the_customer(self):
        action = self.contact.with_user(self.collector).action_print_credit_statement()
        self.assertEqual(action["report_name"], "credit_management.report_credit_statement")
        self.assertEqual(action["context"]["active_ids"], self.customer.ids, "the customer's")
        report = self.env.ref("credit_management.action_report_credit_statement")
        self.assertEqual(report.binding_model_id.model, "res.partner", "in the Print menu")
        self.assertIn(self.group_collector, report[compat.RECORD_GROUPS])
        # A customer with nothing due gets a statement that says so.
        html, _type = self.env["ir.actions.report"]._render_qweb_html(report, self.partner_a.ids)
        self.assertIn("Nothing is due on your account", html.decode())


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestCustomerStatementSend(StatementCommon):
    """Statements emailed one by one, in a batch and every month, each in its customer's
    language; the customers without an email address are skipped and reported."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.template = cls.env.ref("credit_management.mail_template_credit_statement")
        cls.template.update_field_translations(
            "subject", {"fr_FR": "{{ object.env.company.name }} : relevé de compte"}
        )
        with freeze_time(TODAY):
            cls.french = cls.env["res.partner"].create(
                {
                    "name": "Fromagerie Dupuis",
                    "is_company": True,
                    "email": "paiement@dupuis.fr",
                    "lang": "fr_FR",
                }
            )
            cls._invoice(cls.french, 80.0, due_days=-3)
            cls.no_email = cls.env["res.partner"].create(
                {"name": "Épicerie Sans Adresse", "is_company": True}
            )
            cls._invoice(cls.no_email, 60.0, due_days=-3)
        # Without open items: no statement in a batch to every customer.
        cls.paid_up = cls.env["res.partner"].create(
            {"name": "Client Soldé", "is_company": True, "email": "ok@solde.fr"}
        )

    def _mails(self, partners):
        """The statement emails posted on ``partners``, by customer."""
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("message_type", "=", "comment"),
            ]
        )
        return {
            partner: messages.filtered(lambda m, p=partner: m.res_id == p.id)
            for partner in partners
        }

    def test_batch_to_every_customer(self):
        wizard = (
            self.env["credit.statement.send"].with_user(self.collector).create({"target": "all"})
        )
        wizard.action_send()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.sent_count, 2)
        self.assertEqual(wizard.skipped_partner_ids, self.no_email, "reported, not lost")
        mails = self._mails(self.customer | self.french | self.no_email | self.paid_up)
        self.assertEqual(len(mails[self.customer]), 1, "one email per customer")
        self.assertEqual(len(mails[self.french]), 1)
        self.assertFalse(mails[self.no_email])
        self.assertFalse(mails[self.paid_up], "nothing open: no statement")
        english, french = mails[self.customer], mails[self.french]
        # To the invoicing contact, else to the customer.
        self.assertEqual(english.partner_ids, self.contact)
        self.assertEqual(french.partner_ids, self.french)
        # In each customer's language: the subject, and the dates of the attached statement.
        self.assertEqual(english.subject, f"{self.company.name}: statement of account")
        self.assertEqual(french.subject, f"{self.company.name} : relevé de compte")
        self.assertIn("1,450.00", english.body)
        self.assertIn("250.50", english.body)
        # Test mode renders reports as HTML: the statement's text, as attached.
        english_pdf = english.attachment_ids.raw.decode()
        french_pdf = french.attachment_ids.raw.decode()
        self.assertIn(self.partly_paid.name, english_pdf)
        self.assertIn("06/15/2026", english_pdf)
        self.assertIn("15/06/2026", french_pdf, "a French date")
        self.assertNotIn("06/15/2026", french_pdf)
        emails = self.env["mail.mail"].search([("mail_message_id", "in", (english | french).ids)])
        self.assertEqual(
            sorted(emails.recipient_ids.mapped("email")),
            ["compta@boulangeries-martin.fr", "paiement@dupuis.fr"],
        )

    def test_selected_customers(self):
        wizard = (
            self.env["credit.statement.send"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_ids=(self.contact | self.no_email).ids)
            .create({})
        )
        self.assertEqual(wizard.target, "selected")
        self.assertEqual(wizard.partner_ids, self.customer | self.no_email)
        wizard.action_send()
        self.assertEqual(wizard.sent_count, 1)
        self.assertEqual(wizard.skipped_partner_ids, self.no_email)
        mails = self._mails(self.customer | self.french)
        self.assertEqual(len(mails[self.customer]), 1)
        self.assertFalse(mails[self.french], "not selected")

    def test_monthly_cron_for_companies_that_enabled_it(self):
        other_company = self.setup_other_company(name="Filiale Nord")["company"]
        elsewhere = self.env["res.partner"].create(
            {"name": "Client Nord", "is_company": True, "email": "nord@client.fr"}
        )
        self._invoice(elsewhere, 90.0, due_days=-5, company=other_company)
        self.company.credit_statement_monthly = True
        self.assertFalse(other_company.credit_statement_monthly, "off by default")
        self.env["res.company"]._cron_send_credit_statements()
        mails = self._mails(self.customer | self.french | self.no_email | elsewhere)
        self.assertEqual(len(mails[self.customer]), 1)
        self.assertEqual(len(mails[self.french]), 1)
        self.assertEqual(
            mails[self.french].subject, f"{self.company.name} : relevé de compte", "in French"
        )
        self.assertFalse(mails[elsewhere], "its company did not enable the statements")
        self.assertEqual(self.company.credit_statement_last_date, TODAY)
        # The customer without an address: an activity for the collector, nothing lost.
        activity = self.company.partner_id.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("Épicerie Sans Adresse", activity.note)
        # Run again in the same month: nothing sent twice.
        self.env["res.company"]._cron_send_credit_statements()
        again = self._mails(self.customer | self.french)
        self.assertEqual(len(again[self.customer]), 1)
        self.assertEqual(len(again[self.french]), 1)
        cron = self.env.ref("credit_management.ir_cron_credit_statement_monthly")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "months"))
        self.assertEqual(cron.nextcall.day, 1, "on the first day of the month")

    def test_sales_user_cannot_send(self):
        with self.assertRaises(AccessError):
            self.env["credit.statement.send"].with_user(self.sales_user).create({"target": "all"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.sales_user).action_print_credit_statement()
