"""What the customer reads, as the contract says: the reminder email and the customer statement
of a notified contract give the factor's bank account and the subrogation mention; a
semi-confidential contract gives them from its notification level on; a confidential one
changes nothing; the plan and the test run mark the invoices the factor collects."""

from datetime import timedelta

from odoo.addons.credit_management.tests.common import TODAY
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import FACTOR_IBAN
from .common import FactoringCommon
from .test_factoring_dunning import COMPANY_IBAN
from .test_factoring_dunning import letter_text

MENTION = "directlytoFactorFinanceSA,whichreceivesitbysubrogation"


def day(offset):
    return TODAY + timedelta(days=offset)


def text(html):
    return html2plaintext(html or "").replace(" ", "")


@tagged("post_install", "-at_install")
class TestFactoringCustomerDocuments(FactoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        # Two levels: a reminder 5 days after the due date, the formal notice after 10 (no
        # validation: both sent by the run).
        reminder = cls.env.ref("credit_management.mail_template_dunning_reminder")
        notice = cls.env.ref("credit_management.mail_template_dunning_formal_notice")
        cls.scenario = cls.env["credit.dunning.scenario"].create(
            {
                "name": "Factoring test",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Reminder",
                            "sequence": 10,
                            "days": 5,
                            "min_interval_days": 0,
                            "channel_email": True,
                            "mail_template_id": reminder.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Formal notice",
                            "sequence": 20,
                            "days": 10,
                            "min_interval_days": 0,
                            "channel_email": True,
                            "mail_template_id": notice.id,
                            "is_formal_notice": True,
                        }
                    ),
                ],
            }
        )
        cls.level_reminder, cls.level_notice = cls.scenario.level_ids.sorted("days")
        cls.company.credit_dunning_scenario_id = cls.scenario
        cls.customer.email = "compta@boulangeries-martin.fr"
        cls.company.partner_id.bank_ids = [
            Command.create({"acc_number": COMPANY_IBAN, "allow_out_payment": True})
        ]

    def _run(self, offset=0):
        with freeze_time(day(offset)):
            return self.Dunning.run_dunning(day(offset))

    def _email(self, reminder):
        self.assertEqual(reminder.email_state, "queued")
        return text(reminder.mail_message_id.body)

    def _statement(self, customer):
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "credit_management.action_report_credit_statement", customer.ids
        )
        return text(html.decode())

    def test_notified_email_and_statement_pay_the_factor(self):
        contract = self._contract(kind="notified", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-6)
        ours = self._invoice(self.customer, 300.0, due_days=-6)
        self._batch(contract, factored)
        reminder = self._run()
        self.assertEqual(reminder.line_ids.move_id, factored | ours)
        body = self._email(reminder)
        self.assertIn("PaymenttoFactorFinanceSA", body)
        self.assertIn(f"Invoices{factored.name}:", body)
        self.assertNotIn(ours.name + ":", body, "our invoice is paid to us")
        self.assertIn(f"IBAN{self.factor_bank.acc_number.replace(' ', '')}", body)
        self.assertIn("(BICBNPAFRPP)", body)
        self.assertIn(MENTION, body)
        # The statement: the factored invoice marked, the factor's account and the mention.
        statement = self._statement(self.customer)
        self.assertIn(f"{factored.name}", statement)
        self.assertIn("Reminded,tobepaidtoFactorFinanceSA", statement)
        self.assertEqual(statement.count("Reminded,tobepaidtoFactorFinanceSA"), 1)
        self.assertIn(f"Invoices{factored.name}:", statement)
        self.assertIn(FACTOR_IBAN, statement.replace("\n", ""))
        self.assertIn("(BICBNPAFRPP)", statement)
        self.assertIn(MENTION, statement)
        self.assertIn(COMPANY_IBAN, statement, "our own invoices are still paid to us")
        self.assertEqual(
            factored.factoring_dunning_note, "Reminded, to be paid to Factor Finance SA"
        )
        self.assertFalse(ours.factoring_dunning_note)

    def test_confidential_email_and_statement_unchanged(self):
        contract = self._contract(kind="confidential", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-6)
        self._batch(contract, factored)
        reminder = self._run()
        self.assertEqual(reminder.line_ids.move_id, factored)
        for document in (self._email(reminder), self._statement(self.customer)):
            self.assertIn(factored.name, document)
            self.assertNotIn("FactorFinance", document)
            self.assertNotIn(FACTOR_IBAN, document.replace("\n", ""))
            self.assertNotIn("subrogation", document)
        self.assertFalse(factored.factoring_dunning_note)

    def test_semi_confidential_notifies_from_the_formal_notice(self):
        contract = self._contract(kind="semi_confidential", collected_by="company")
        self.assertFalse(contract.notify_level_id, "by default, from the formal notice")
        factored = self._invoice(self.customer, 1000.0, due_days=-6)
        self._batch(contract, factored)
        plan = {row["move_id"]: row for row in self.Dunning._dunning_plan(self.company, TODAY)}
        self.assertEqual(plan[factored.id]["next_level"], self.level_reminder)
        self.assertFalse(plan[factored.id]["factoring_note"])
        # The first reminder: confidential still, nothing of the factor.
        first = self._run()
        self.assertEqual(first.level_id, self.level_reminder)
        body = self._email(first)
        self.assertNotIn("FactorFinance", body)
        self.assertNotIn("subrogation", body)
        self.assertFalse(first._factoring_contracts())
        self.assertNotIn("FactorFinance", self._statement(self.customer))
        # The formal notice: the factor's bank account and the mention, on the email, the
        # letter and, from then on, the statement.
        plan = {row["move_id"]: row for row in self.Dunning._dunning_plan(self.company, day(5))}
        self.assertEqual(plan[factored.id]["next_level"], self.level_notice)
        self.assertEqual(
            plan[factored.id]["factoring_note"], "Reminded, to be paid to Factor Finance SA"
        )
        notice = self._run(5)
        self.assertEqual(notice.level_id, self.level_notice)
        body = self._email(notice)
        self.assertIn(f"Invoices{factored.name}:", body)
        self.assertIn("(BICBNPAFRPP)", body)
        self.assertIn(MENTION, body)
        self.assertIn(FACTOR_IBAN, letter_text(notice))
        self.assertEqual(notice._factoring_contracts(), contract)
        with freeze_time(day(5)):
            self.assertIn(MENTION, self._statement(self.customer))
        self.assertEqual(
            factored.factoring_dunning_note, "Reminded, to be paid to Factor Finance SA"
        )

    def test_semi_confidential_from_a_chosen_level(self):
        contract = self._contract(
            kind="semi_confidential",
            collected_by="company",
            notify_level_id=self.level_reminder.id,
        )
        factored = self._invoice(self.customer, 1000.0, due_days=-6)
        self._batch(contract, factored)
        reminder = self._run()
        self.assertEqual(reminder.level_id, self.level_reminder)
        self.assertIn(MENTION, self._email(reminder))

    def test_plan_and_test_run_mark_the_factor_collected_invoices(self):
        contract = self._contract(kind="notified", collected_by="factor")
        factored = self._invoice(self.customer, 1000.0, due_days=-6)
        ours = self._invoice(self.customer, 300.0, due_days=-6)
        self._batch(contract, factored)
        note = "Not reminded: collected by Factor Finance SA"
        plan = {row["move_id"]: row for row in self.Dunning._dunning_plan(self.company, TODAY)}
        self.assertEqual(plan[factored.id]["factoring_note"], note)
        self.assertFalse(plan[factored.id]["listed"])
        self.assertFalse(plan[ours.id]["factoring_note"])
        self.assertEqual(factored.factoring_dunning_note, note)
        preview = self.env["credit.dunning.preview"].create({"date": TODAY})
        with freeze_time(TODAY):
            preview.action_run()
        self.assertEqual(preview.line_ids.invoice_count, 1, "our invoice alone is reminded")
        self.assertEqual(preview.factoring_move_ids, factored)
        self.assertEqual(preview.factoring_move_ids.factoring_dunning_note, note)
