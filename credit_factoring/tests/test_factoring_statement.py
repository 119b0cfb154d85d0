import base64
import io

import xlsxwriter

from odoo.addons.credit_management.tests.common import TODAY
from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import FactoringCommon


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringStatement(FactoringCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._contract(
            kind="notified",
            collected_by="factor",
            advance_rate=80.0,
            retention_rate=20.0,
            fee_rate=1.0,
            financing_rate=0.0,
        )
        cls._approve(cls.contract, cls.customer, 10000.0)
        cls.inv_1 = cls._invoice(cls.customer, 1500.0, due_days=30)
        cls.inv_2 = cls._invoice(cls.customer, 2500.0, due_days=30)
        cls.inv_3 = cls._invoice(cls.customer, 1000.0, due_days=-10)
        cls.batch = cls._batch(cls.contract, cls.inv_1 | cls.inv_2 | cls.inv_3)

    def _csv(self, rows):
        header = "reference;date;operation;invoice;amount"
        return base64.b64encode("\n".join([header, *rows]).encode())

    def _statement(self, data, filename="releve.csv", name="Relevé juin"):
        statement = self.env["credit.factoring.statement"].create(
            {
                "name": name,
                "contract_id": self.contract.id,
                "date": TODAY,
                "file": data,
                "filename": filename,
            }
        )
        statement.with_user(self.manager).action_import()
        return statement

    def _rows(self):
        return [
            f"R1;2026-06-15;FIN;{self.batch.name};4000,00",
            f"R2;15/06/2026;ENC;{self.inv_1.name};1500.00",
            f"R3;2026-06-15;ENC;{self.inv_2.name};1 000,00",
            f"R4;2026-06-15;DEF;{self.inv_3.name};1000",
            "R5;2026-06-15;COM;;12.50",
            "R6;2026-06-15;XXX;;5",
            "R7;2026-06-15;ENC;FAC/0000/9999;100",
        ]

    def test_import_settle_return_and_import_twice(self):
        statement = self._statement(self._csv(self._rows()))
        lines = statement.line_ids
        self.assertEqual(len(lines), 7)
        self.assertEqual(
            lines.mapped("kind"),
            ["advance", "collection", "collection", "return", "fee", "unknown", "collection"],
        )
        self.assertEqual(lines.mapped("amount"), [4000.0, 1500.0, 1000.0, 1000.0, 12.5, 5.0, 100.0])
        self.assertEqual(
            lines.mapped("state"), ["matched"] * 5 + ["to_resolve"] * 2, lines.mapped("note")
        )
        self.assertEqual(statement.to_resolve_count, 2)
        entries_before = self.env["account.move"].search_count([])
        statement.with_user(self.manager).action_process()
        self.assertEqual(lines[:5].mapped("state"), ["done"] * 5)
        # The advance funded the batch.
        self.assertEqual(self.batch.state, "funded")
        self.assertEqual(self.batch.funding_move_id, lines[0].entry_move_id)
        # Collections settle their invoices by reconciliation.
        self.assertEqual(self.inv_1.payment_state, "paid")
        self.assertEqual(self.inv_1.factoring_state, "collected")
        self.assertEqual(self.inv_2.amount_residual, 1500.0)
        self.assertEqual(self.inv_2.payment_state, "partial")
        self.assertEqual(self.inv_2.factoring_state, "funded")
        # The returned invoice is the company's again: still owed by the customer.
        self.assertEqual(self.inv_3.factoring_state, "returned")
        self.assertEqual(self.inv_3.amount_residual, 1000.0)
        journal_entry = lines[1].entry_move_id
        self.assertEqual(
            self._balances(journal_entry, self.accounts["factor_account_id"])[0], -1000.0 - 12.5
        )
        self.assertEqual(
            self._balances(journal_entry, self.accounts["assignment_account_id"])[0],
            2500.0 + 1000.0,
        )
        self.assertEqual(self._balances(journal_entry, self.accounts["fee_account_id"])[0], 12.5)
        # Processed again: nothing doubled.
        created = self.env["account.move"].search_count([]) - entries_before
        self.assertEqual(created, 2)  # the advance, the statement's entry
        statement.with_user(self.manager).action_process()
        self.assertEqual(self.env["account.move"].search_count([]) - entries_before, 2)
        # Imported twice: every line already there.
        again = self._statement(self._csv(self._rows()), name="Relevé juin (bis)")
        self.assertFalse(again.line_ids)
        self.assertEqual(again.skipped_count, 7)
        # A line to resolve, given its invoice by hand.
        unknown_invoice = lines[6]
        unknown_invoice.with_user(self.manager).move_id = self.inv_2
        statement.with_user(self.manager).action_process()
        self.assertEqual(unknown_invoice.state, "done")
        self.assertEqual(self.inv_2.amount_residual, 1400.0)
        self.assertEqual(statement.state, "imported", "the unknown operation is left")
        self.assertEqual(lines[5].state, "to_resolve")

    def test_xlsx_statement_without_references(self):
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet()
        sheet.write_row(0, 0, ["Date", "Operation", "Invoice", "Amount"])
        sheet.write_row(1, 0, ["2026-06-15", "ENC", self.inv_1.name, 1500.0])
        sheet.write_row(2, 0, ["2026-06-15", "FDG", "", 300.0])
        book.close()
        data = base64.b64encode(buffer.getvalue())
        statement = self._statement(data, filename="releve.xlsx")
        self.assertEqual(statement.line_ids.mapped("kind"), ["collection", "release"])
        statement.action_process()
        self.assertEqual(statement.state, "done")
        self.assertEqual(self.inv_1.factoring_state, "collected")
        release = statement.line_ids[1].entry_move_id
        self.assertEqual(release.journal_id, self.bank_journal)
        self.assertEqual(self._balances(release, self.accounts["retention_account_id"])[0], -300.0)
        # Without the factor's references, the same lines are known by their content.
        again = self._statement(data, filename="releve.xlsx", name="again")
        self.assertEqual((len(again.line_ids), again.skipped_count), (0, 2))

    def test_bad_files(self):
        with self.assertRaises(UserError):
            self._statement(base64.b64encode(b"when;what\n2026-06-15;ENC"))
        with self.assertRaises(UserError):
            self._statement(self._csv(["R1;not a date;ENC;X;10"]))
        with self.assertRaises(UserError):
            self._statement(self._csv(["R1;2026-06-15;ENC;X;ten"]))
        self.assertFalse(self.env["credit.factoring.statement.line"].search([]))
