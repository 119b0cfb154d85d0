import base64
from datetime import timedelta

from odoo.addons.credit_management.tests.common import TODAY
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import FACTOR_IBAN
from .common import FactoringCommon

COMPANY_IBAN = "FR7630006000011234567890189"


def day(offset):
    return TODAY + timedelta(days=offset)


def letter_text(reminders):
    html, _type = reminders.env["ir.actions.report"]._render_qweb_html(
        "credit_management.action_report_credit_dunning_letter", reminders.ids
    )
    return html2plaintext(html.decode()).replace(" ", "")


@tagged("post_install", "-at_install")
class TestFactoringDunning(FactoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.company.credit_dunning_scenario_id = standard
        cls.levels = standard.level_ids.sorted("sequence")
        cls.customer.email = "compta@boulangeries-martin.fr"
        cls.company.partner_id.bank_ids = [
            Command.create({"acc_number": COMPANY_IBAN, "allow_out_payment": True})
        ]

    def _run(self, offset=0):
        with freeze_time(day(offset)):
            return self.Dunning.run_dunning(day(offset))

    def test_factor_collected_never_reminded_then_resumes_when_returned(self):
        contract = self._contract(kind="notified", collected_by="factor")
        factored = self._invoice(self.customer, 800.0, due_days=-10)
        other = self._invoice(self.customer, 300.0, due_days=-10)
        first = self._run()
        self.assertEqual(first.line_ids.move_id, factored | other)
        level = factored.dunning_level_id
        self.assertEqual(level, self.levels[1])
        with freeze_time(day(1)):
            self._batch(contract, factored)
        self.assertTrue(factored.factoring_collected_by_factor)
        # Due the next level, but the factor collects it: never on a reminder of ours.
        plan = {row["move_id"]: row for row in self.Dunning._dunning_plan(self.company, day(10))}
        self.assertTrue(plan[factored.id]["factored"])
        self.assertFalse(plan[factored.id]["listed"])
        self.assertFalse(plan[factored.id]["next_level"])
        self.assertFalse(plan[other.id]["factored"])
        reminders = self._run(10)
        self.assertEqual(reminders.line_ids.move_id, other)
        self.assertEqual(other.dunning_level_id, self.levels[2])
        self.assertEqual(factored.dunning_level_id, level, "left where it was")
        # The factor hands it back (recourse): its dunning resumes from its level.
        with freeze_time(day(11)):
            rows = f"reference;date;operation;invoice;amount\nD1;2026-06-26;DEF;{factored.name};800"
            statement = self.env["credit.factoring.statement"].create(
                {
                    "name": "Relevé",
                    "contract_id": contract.id,
                    "file": base64.b64encode(rows.encode()),
                    "filename": "releve.csv",
                }
            )
            statement.action_import()
            statement.action_process()
        self.assertEqual(factored.factoring_state, "returned")
        self.assertFalse(factored.factoring_collected_by_factor)
        reminders = self._run(11)
        self.assertIn(factored, reminders.line_ids.move_id)
        self.assertEqual(factored.dunning_level_id, self.levels[2], "the level after its own")

    def test_notified_reminder_pays_the_factor(self):
        eur = self.setup_other_currency("EUR")
        contract = self._contract(eur, kind="notified", collected_by="company")
        invoice = self._invoice(self.customer, 1000.0, due_days=-10, currency=eur)
        self._batch(contract, invoice)
        reminder = self._run()
        self.assertEqual(reminder.line_ids.move_id, invoice, "the company still reminds it")
        text = letter_text(reminder)
        self.assertIn(FACTOR_IBAN, text)
        self.assertNotIn(COMPANY_IBAN, text, "not our bank account")
        self.assertIn("directlytoFactorFinanceSA,whichreceivesitbysubrogation", text)
        payload = reminder._factoring_epc_qr_values().split("\n")
        self.assertEqual(payload[:4], ["BCD", "002", "1", "SCT"])
        self.assertEqual(payload[4], "BNPAFRPP")
        self.assertEqual(payload[5], "Factor Finance SA")
        self.assertEqual(payload[6], FACTOR_IBAN)
        self.assertEqual(payload[7], "EUR1000.0")
        self.assertEqual(payload[10], reminder.name)
        self.assertTrue(reminder._factoring_epc_qr().startswith("data:image/png;base64,"))

    def test_confidential_changes_nothing_the_customer_sees(self):
        contract = self._contract(kind="confidential", collected_by="company")
        invoice = self._invoice(self.customer, 1000.0, due_days=-10)
        self._batch(contract, invoice)
        reminder = self._run()
        self.assertEqual(reminder.line_ids.move_id, invoice)
        text = letter_text(reminder)
        self.assertIn(COMPANY_IBAN, text)
        self.assertNotIn(FACTOR_IBAN, text)
        self.assertNotIn("subrogation", text)
        self.assertFalse(reminder._factoring_epc_qr_values())
