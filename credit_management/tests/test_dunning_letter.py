import csv
import io
import zipfile
from datetime import timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


def letter_text(reminders):
    """The text of the letters of ``reminders`` (the HTML the PDF is printed from)."""
    report = reminders.env.ref("credit_management.action_report_credit_dunning_letter")
    html, _type = reminders.env["ir.actions.report"]._render_qweb_html(report, reminders.ids)
    return html2plaintext(html.decode())


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestDunningLetter(CreditCommon):
    """Letters, formal notice and hand-off to litigation.

    The test mode renders reports as HTML: the letters' content is checked there; the PDFs
    themselves (text extracted with pdftotext) by tests/test_dunning_letter_e2e.py, against
    a running server.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.write(
            {
                "credit_dunning_scenario_id": standard.id,
                "credit_formal_notice_days": 8,
                "credit_late_interest_mode": "fixed",
                "credit_late_interest_fixed_rate": 12.0,
                "city": "Lyon",
            }
        )
        cls.company.partner_id.bank_ids = [(0, 0, {"acc_number": "FR7630006000011234567890189"})]
        cls.customer.write(
            {
                "email": "compta@boulangeries-martin.fr",
                "street": "12 rue des Tanneurs",
                "zip": "69002",
                "city": "Lyon",
                "credit_limit": 0.0,
            }
        )
        cls.formal_level = cls.env.ref("credit_management.dunning_level_standard_5")
        cls.handoff_level = cls.env.ref("credit_management.dunning_level_standard_6")
        cls.first_level = cls.env.ref("credit_management.dunning_level_standard_2")
        cls.first_level.channel_letter = True

    def _send(self, level, partner=None):
        wizard = (
            self.env["credit.dunning.send"]
            .with_user(self.collector)
            .with_context(default_partner_id=(partner or self.customer).id)
            .create({"level_id": level.id})
        )
        reminder = self.Dunning.browse(wizard.action_send()["res_id"])
        if reminder.state == "to_validate":
            reminder.with_user(self.collector).action_validate()
        return reminder

    def test_letter_pdf(self):
        invoices = self._invoice(self.customer, 1200.0, due_days=-30) | self._invoice(
            self.customer, 340.0, due_days=-12
        )
        reminder = self._send(self.first_level)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.letter_state, "done")
        self.assertEqual(reminder.letter_attachment_id.res_id, reminder.id)
        self.assertIn(reminder.name.replace("/", "-"), reminder.letter_attachment_id.name)
        text = letter_text(reminder)
        for invoice in invoices:
            self.assertIn(invoice.name, text)
        self.assertIn("12 rue des Tanneurs", text)
        self.assertIn("69002", text)
        self.assertIn(reminder.name, text)
        self.assertIn("1,540.00", text)
        self.assertIn("FR76", text.replace(" ", ""), "the bank details to pay")
        self.assertIn("Lyon", text, "the place and date")
        self.assertNotIn("FORMAL NOTICE", text)

    def test_merged_pdf_of_several_reminders(self):
        other = self.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )
        self._invoice(self.customer, 500.0, due_days=-20)
        self._invoice(other, 800.0, due_days=-20)
        reminders = self._send(self.first_level) | self._send(self.first_level, partner=other)
        text = letter_text(reminders)
        self.assertEqual(text.count("Reference:"), 2, "one letter each")
        for reminder in reminders:
            self.assertIn(reminder.name, text)
        self.assertIn("Fromagerie Dupuis", text)
        self.assertIn("Boulangeries Martin SAS", text)

    def test_formal_notice(self):
        invoice = self._invoice(self.customer, 1000.0, due_days=-50)
        reminder = self._send(self.formal_level)
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.is_formal_notice, "recorded as sent as a formal notice")
        self.assertEqual(reminder.formal_notice_deadline, day(8))
        mail = self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "=", reminder.id)]
        )
        self.assertTrue(mail.attachment_ids, "the email copy carries the letter")
        text = letter_text(reminder)
        self.assertIn("FORMAL NOTICE TO PAY", text)
        self.assertIn("formally demand payment", text)
        self.assertIn("06/23/2026", text, "the deadline: date of the notice + 8 days")
        self.assertIn("L441-10", text)
        self.assertIn(invoice.name, text)
        # A reminder of an ordinary level is not a formal notice.
        self._invoice(self.customer, 100.0, due_days=-10)
        ordinary = self._send(self.first_level)
        self.assertFalse(ordinary.is_formal_notice)

    def test_hand_off_pack(self):
        late = self._invoice(self.customer, 1000.0, due_days=-70)
        later = self._invoice(self.customer, 250.0, due_days=-65)
        first = self._send(self.first_level)
        reminder = self._send(self.handoff_level)
        self.assertEqual(reminder.state, "sent")
        self.assertTrue(reminder.handoff_attachment_id, "the pack is attached when sent")
        self.assertEqual((late | later).mapped("dunning_handoff_date"), [TODAY, TODAY])
        self.assertEqual((late | later).dunning_handoff_id, reminder)
        pack = zipfile.ZipFile(io.BytesIO(reminder.handoff_attachment_id.raw))
        names = set(pack.namelist())
        expected = {
            "invoices.csv",
            "invoices.xlsx",
            f"invoices/{late.name.replace('/', '-')}.pdf",
            f"invoices/{later.name.replace('/', '-')}.pdf",
            f"reminders/{first.name.replace('/', '-')}.pdf",
            f"reminders/{reminder.name.replace('/', '-')}.pdf",
        }
        self.assertEqual(names, expected)
        # The test mode renders the invoices as HTML; a server prints them as PDF.
        self.assertIn(late.name.encode(), pack.read(f"invoices/{late.name.replace('/', '-')}.pdf"))
        rows = list(
            csv.reader(io.StringIO(pack.read("invoices.csv").decode("utf-8-sig")), delimiter=";")
        )
        self.assertEqual(rows[0][0], "Invoice")
        by_name = {row[0]: row for row in rows[1:]}
        self.assertEqual(set(by_name), {late.name, later.name})
        self.assertEqual(by_name[late.name][2], "2026-04-06")
        self.assertEqual(float(by_name[late.name][4]), 1000.0)
        self.assertEqual(by_name[late.name][5], "70")
        self.assertIn(first.name, by_name[late.name][6], "the reminders sent")
        self.assertIn(reminder.name, by_name[late.name][6])
        self.assertAlmostEqual(float(by_name[late.name][7]), round(1000 * 0.12 * 70 / 365, 2))
        self.assertAlmostEqual(float(by_name[late.name][8]), 40.0)
        sheet = openpyxl.load_workbook(io.BytesIO(pack.read("invoices.xlsx"))).active
        xlsx_rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(len(xlsx_rows), 3)
        self.assertEqual({row[0] for row in xlsx_rows[1:]}, {late.name, later.name})
        # Handed off: out of the scenario, on no later reminder.
        with freeze_time(day(30)):
            later_run = self.Dunning.run_dunning(day(30))
        self.assertFalse(later_run.line_ids.filtered(lambda line: line.move_id in late | later))
        # The pack is rebuilt on request, by collectors only.
        with self.assertRaises(AccessError):
            reminder.with_user(self.sales_user).action_handoff_pack()
        action = reminder.with_user(self.collector).action_handoff_pack()
        self.assertIn(f"/web/content/{reminder.handoff_attachment_id.id}", action["url"])

    def test_letter_failure_isolated(self):
        self._invoice(self.customer, 500.0, due_days=-20)
        other = self.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )
        self._invoice(other, 800.0, due_days=-20)
        reminders = self.Dunning.run_dunning(TODAY)
        self.assertEqual(len(reminders), 2)
        self.assertEqual(set(reminders.mapped("letter_state")), {"done"})
        # A broken letter layout puts the reminder in error with the reason.
        view = self.env.ref("credit_management.report_credit_dunning_letter_document")
        view.arch_db = view.arch_db.replace('t-field="o.name"', 't-field="o.no_such_field"', 1)
        self._invoice(self.customer, 300.0, due_days=-20)
        self.first_level.min_interval_days = 0
        failed = self._send(self.first_level)
        self.assertEqual(failed.state, "error")
        self.assertEqual(failed.letter_state, "error")
        self.assertIn("letter could not be printed", failed.error_message)
