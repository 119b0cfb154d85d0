import base64
import csv
import io

import openpyxl

from odoo.addons.credit_management.tests.common import TODAY
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import FactoringCommon


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringBatch(FactoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 1 USD (the company's currency) = 2 EUR on the invoices' dates.
        cls.eur = cls.setup_other_currency("EUR")
        cls.contract_eur = cls._contract(
            cls.eur, advance_rate=90.0, retention_rate=10.0, fee_rate=0.6, financing_rate=4.5
        )
        cls.contract_usd = cls._contract(
            kind="confidential",
            advance_rate=80.0,
            retention_rate=20.0,
            fee_rate=1.0,
            financing_rate=6.0,
        )

    def test_amounts_and_entry_in_a_foreign_currency(self):
        """EUR contract, USD company: amounts by hand, the entry in both currencies."""
        self._approve(self.contract_eur, self.customer, 5000.0)
        inv_a = self._invoice(self.customer, 2000.0, due_days=30, currency=self.eur)
        inv_b = self._invoice(self.customer, 4000.0, due_days=60, currency=self.eur)
        inv_c = self._invoice(self.customer_2, 1000.0, due_days=45, currency=self.eur)
        batch = self._batch(self.contract_eur, inv_a | inv_b | inv_c)
        self.assertEqual(batch.state, "sent")
        # A (2,000) fits in the 5,000 approved; A + B (6,000) does not; C has no approval.
        self.assertEqual(
            [inv.factoring_approved for inv in (inv_a, inv_b, inv_c)], [True, False, False]
        )
        self.assertEqual(set((inv_a | inv_b | inv_c).mapped("factoring_state")), {"assigned"})
        self.assertEqual(batch.amount_total, 7000.0)
        self.assertEqual(batch.amount_financed, 2000.0)
        self.assertEqual(batch.amount_advance, 1800.0)  # 90 % of the approved 2,000
        self.assertEqual(batch.amount_retention, 700.0)  # 10 % of 7,000
        self.assertEqual(batch.amount_fee, 42.0)  # 0.6 % of 7,000
        self.assertEqual(batch.amount_interest, 6.75)  # 1,800 x 4.5 % x 30 / 360
        self.assertEqual(batch.amount_fees, 48.75)
        entry = batch.assignment_move_id
        self.assertEqual(entry.state, "posted")
        self.assertEqual(entry.journal_id, self.misc_journal)
        # Company currency: half the euros.
        acc = self.accounts
        self.assertEqual(
            self._balances(entry, acc["factor_account_id"]),
            (3500.0 - 350.0 - 21.0 - 3.38, 7000.0 - 700.0 - 42.0 - 6.75),
        )
        self.assertEqual(self._balances(entry, acc["assignment_account_id"]), (-3500.0, -7000.0))
        self.assertEqual(self._balances(entry, acc["retention_account_id"]), (350.0, 700.0))
        self.assertEqual(self._balances(entry, acc["fee_account_id"]), (21.0, 42.0))
        self.assertEqual(self._balances(entry, acc["interest_account_id"]), (3.38, 6.75))
        # The customer's debt stays on its account until the factor collects it.
        self.assertEqual(inv_a.amount_residual, 2000.0)
        self.assertEqual(inv_a.payment_state, "not_paid")

    def test_amounts_in_the_company_currency_and_funding(self):
        self._approve(self.contract_usd, self.customer, 10000.0)
        inv_a = self._invoice(self.customer, 1500.0, due_days=90)
        inv_b = self._invoice(self.customer, 2500.0, due_days=15)
        batch = self._batch(self.contract_usd, inv_a | inv_b)
        self.assertEqual(batch.amount_total, 4000.0)
        self.assertEqual(batch.amount_advance, 3200.0)
        self.assertEqual(batch.amount_retention, 800.0)
        self.assertEqual(batch.amount_fee, 40.0)
        # 1,200 x 6 % x 90 / 360 = 18.00; 2,000 x 6 % x 15 / 360 = 5.00
        self.assertEqual(batch.amount_interest, 23.0)
        batch.with_user(self.manager).action_fund()
        self.assertEqual(batch.state, "funded")
        self.assertEqual(set((inv_a | inv_b).mapped("factoring_state")), {"funded"})
        funding = batch.funding_move_id
        self.assertEqual(funding.journal_id, self.bank_journal)
        self.assertEqual(
            self._balances(funding, self.accounts["factor_account_id"]), (-3200.0, -3200.0)
        )
        self.assertEqual(self._balances(funding, self.bank_journal.default_account_id)[0], 3200.0)
        with self.assertRaises(UserError):
            batch.action_cancel()
        # The contract's figures.
        contract = self.contract_usd
        self.assertEqual(contract.amount_outstanding, 4000.0)
        self.assertEqual(contract.amount_financed_open, 3200.0)
        self.assertEqual(contract.amount_retention_held, 800.0)
        self.assertEqual(contract.amount_fees_period, 63.0)
        # 10,000 approved, 4,000 assigned; 3,000 of open invoices not yet assigned.
        self._invoice(self.customer, 3000.0, due_days=30)
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_available, 2400.0)

    def test_vat_on_the_fee_posted_with_it(self):
        vat_account = self.env["account.account"].create(
            {"code": "445660", "name": "Deductible VAT", "account_type": "asset_current"}
        )
        vat = self.env["account.tax"].create(
            {"name": "VAT 20 % (services)", "amount": 20.0, "type_tax_use": "purchase"}
        )
        vat.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "tax"
        ).account_id = vat_account
        contract = self._contract(
            kind="confidential",
            advance_rate=90.0,
            retention_rate=10.0,
            fee_rate=0.55,
            financing_rate=0.0,
            fee_tax_id=vat.id,
        )
        self._approve(contract, self.customer, 5000.0)
        inv_a = self._invoice(self.customer, 1234.0, due_days=30)
        inv_b = self._invoice(self.customer, 766.5, due_days=60)
        batch = self._batch(contract, inv_a | inv_b)
        self.assertEqual(batch.amount_total, 2000.5)
        self.assertEqual(batch.amount_retention, 200.05)  # 10 % of 2,000.50
        self.assertEqual(batch.amount_fee, 11.0)  # 0.55 % of 2,000.50 = 11.00275
        self.assertEqual(batch.amount_fee_tax, 2.2)  # 20 % of 11.00
        self.assertEqual(batch.amount_fees, 11.0, "the fees before VAT")
        entry = batch.assignment_move_id
        self.assertEqual(self._balances(entry, vat_account), (2.2, 2.2))
        self.assertEqual(self._balances(entry, self.accounts["fee_account_id"]), (11.0, 11.0))
        # The factor is owed the fee with its VAT: 2,000.50 - 200.05 - 11.00 - 2.20.
        self.assertEqual(
            self._balances(entry, self.accounts["factor_account_id"]), (1787.25, 1787.25)
        )
        # A tax that is not a percentage cannot be the fee's.
        fixed = self.env["account.tax"].create(
            {"name": "Fixed", "amount": 2.0, "amount_type": "fixed", "type_tax_use": "purchase"}
        )
        with self.assertRaises(ValidationError):
            contract.fee_tax_id = fixed

    def test_reversed_while_not_funded(self):
        inv = self._invoice(self.customer, 1000.0, due_days=30, currency=self.eur)
        batch = self._batch(self.contract_eur, inv)
        entry = batch.assignment_move_id
        batch.with_user(self.manager).action_cancel()
        self.assertEqual(batch.state, "cancelled")
        reversal = self.env["account.move"].search([("reversed_entry_id", "=", entry.id)])
        self.assertEqual(reversal.state, "posted")
        factor_lines = (entry | reversal).line_ids.filtered(
            lambda line: line.account_id == self.accounts["factor_account_id"]
        )
        self.assertEqual(sum(factor_lines.mapped("balance")), 0.0)
        self.assertTrue(all(factor_lines.mapped("reconciled")))
        self.assertEqual(
            (inv.factoring_state, inv.factoring_batch_id, inv.factoring_contract_id),
            ("none", self.env["credit.factoring.batch"], self.env["credit.factoring.contract"]),
        )
        # Free again: a new batch takes it.
        self.assertEqual(self._batch(self.contract_eur, inv, validate=False).move_ids, inv)

    def test_each_invoice_assigned_once(self):
        inv = self._invoice(self.customer, 1000.0, due_days=30)
        other = self._invoice(self.customer_2, 500.0, due_days=30)
        first = self._batch(self.contract_usd, inv, validate=False)
        second = self.env["credit.factoring.batch"].create({"contract_id": self.contract_usd.id})
        with self.assertRaises(UserError):
            self.env["credit.factoring.batch.add"].create(
                {"batch_id": second.id, "move_ids": [Command.set(inv.ids)]}
            ).action_add()
        # The rules choose only what no batch has.
        second.action_select_invoices()
        self.assertEqual(second.move_ids, other)
        self.assertEqual(first.move_ids, inv)
        # Another currency than the contract's is refused.
        eur_invoice = self._invoice(self.customer, 10.0, currency=self.eur)
        with self.assertRaises(UserError):
            self._batch(self.contract_usd, eur_invoice, validate=False)
        # Nothing is posted without the contract's accounts.
        self.contract_usd.fee_account_id = False
        with self.assertRaises(UserError):
            first.action_validate()
        self.assertEqual(first.state, "draft")

    def test_rules_by_customer_and_dates(self):
        inv = self._invoice(self.customer, 1000.0, due_days=30)
        self._invoice(self.customer_2, 500.0, due_days=30)
        self._invoice(self.customer, 700.0, due_days=30, invoice_date="2026-05-01")
        batch = self.env["credit.factoring.batch"].create(
            {
                "contract_id": self.contract_usd.id,
                "partner_ids": [Command.set(self.customer.ids)],
                "date_from": "2026-06-01",
            }
        )
        batch.action_select_invoices()
        self.assertEqual(batch.move_ids, inv)

    def test_export_csv_and_xlsx(self):
        self._approve(self.contract_usd, self.customer, 5000.0, ref="ACH-0042")
        self.customer.company_registry = "73282932000074"
        inv = self._invoice(self.customer, 1234.5, due_days=30)
        batch = self._batch(self.contract_usd, inv)
        action = batch.action_export_csv()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3][:-14]))
        rows = list(
            csv.reader(
                io.StringIO(base64.b64decode(attachment.datas).decode("utf-8-sig")), delimiter=";"
            )
        )
        self.assertEqual(rows[0][0], "Factor's Buyer Id")
        self.assertEqual(
            rows[1],
            [
                "ACH-0042",
                "Boulangeries Martin SAS",
                "73282932000074",
                "",
                inv.name,
                "2026-06-15",
                "2026-07-15",
                "1234.5",
                "1234.5",
                "USD",
                "Yes",
            ],
        )
        action = batch.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3][:-14]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        sheet = book.worksheets[0]
        row = [cell.value for cell in sheet[2]]
        self.assertEqual(row[4], inv.name)
        self.assertEqual(row[6].date().isoformat(), "2026-07-15")
        self.assertEqual(row[8], 1234.5)
        # The printed batch.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("credit_factoring.action_report_credit_factoring_batch", batch.ids)[
                0
            ]
            .decode()
        )
        self.assertIn(inv.name, html)
        self.assertIn("73282932000074", html)
