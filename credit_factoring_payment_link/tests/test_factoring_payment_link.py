from odoo.addons.credit_factoring.tests.common import FactoringCommon
from odoo.addons.credit_management.tests.common import TODAY
from odoo.addons.payment_link.tests.common import qr_image_encodes
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringPaymentLink(FactoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_dunning_scenario_id = cls.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        cls.customer.email = "compta@boulangeries-martin.fr"
        cls.company.partner_id.bank_ids = [
            Command.create({"acc_number": "FR7630006000011234567890189", "allow_out_payment": True})
        ]
        cls.eur = cls.setup_other_currency("EUR")

    def test_no_link_for_invoices_paid_to_the_factor(self):
        contract = self._contract(self.eur, kind="notified", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-10, currency=self.eur)
        ours = self._invoice(self.customer, 400.0, due_days=-10, currency=self.eur)
        self._batch(contract, factored)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.line_ids.move_id, factored | ours)
        self.assertEqual(reminder.payment_link_id.move_ids, ours, "the link pays ours only")
        self.assertEqual(reminder.payment_link_id.amount, 400.0)
        self.assertFalse(reminder._epc_bank_account(), "no EPC code to our account")

    def test_reminder_all_to_the_factor_has_no_link(self):
        contract = self._contract(self.eur, kind="notified", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-10, currency=self.eur)
        self._batch(contract, factored)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.line_ids.move_id, factored)
        self.assertFalse(reminder.payment_link_ids)
        self.assertTrue(reminder._factoring_epc_qr_values())

    def test_confidential_keeps_the_link(self):
        contract = self._contract(self.eur, kind="confidential", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-10, currency=self.eur)
        self._batch(contract, factored)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertEqual(reminder.payment_link_id.move_ids, factored)
        self.assertTrue(reminder._epc_bank_account())

    def test_semi_confidential_link_until_notified(self):
        contract = self._contract(self.eur, kind="semi_confidential", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-10, currency=self.eur)
        self._batch(contract, factored)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        self.assertFalse(reminder.level_id.is_formal_notice)
        self.assertEqual(reminder.payment_link_id.move_ids, factored, "not notified yet")
        self.assertTrue(reminder._epc_bank_account())
        # From the chosen level on, the factor's: no link of ours.
        contract.notify_level_id = reminder.level_id
        self.assertFalse(
            self.env["credit.payment.link"]._prepare_vals_for_moves(factored, reminder)
        )
        self.assertFalse(reminder._epc_bank_account())

    def test_statement_epc_pays_ours_only(self):
        contract = self._contract(self.eur, kind="notified", collected_by="company")
        factored = self._invoice(self.customer, 1000.0, due_days=-10, currency=self.eur)
        self._invoice(self.customer, 400.0, due_days=-10, currency=self.eur)
        self._batch(contract, factored)
        self.assertEqual(
            self.customer._factoring_statement_paid_residual(self.company, self.eur), 1000.0
        )
        bank = self.company.partner_id.bank_ids
        payment = self.customer._credit_statement_payment(self.company, self.eur, 1400.0, "C1")
        # The EPC code of the company's account for our 400 alone, not the 1,400 due.
        payload = bank._get_qr_vals("sct_qr", 400.0, self.eur, self.customer, "C1", None)
        self.assertEqual(payload[7], "EUR400.0")
        self.assertTrue(qr_image_encodes(payment["epc_qr"], "\n".join(payload), border=0))
        link = self.customer._payment_link_for_statement(currency=self.eur, company=self.company)
        self.assertEqual(link.amount, 400.0)
