"""Who may do what with factoring (readme/CONFIGURE.md, "Rights")."""

from odoo.addons.credit_management.tests.access_matrix import MANAGED
from odoo.addons.credit_management.tests.access_matrix import MANAGER_WIZARD
from odoo.addons.credit_management.tests.access_matrix import THREAD_FIELDS
from odoo.addons.credit_management.tests.access_matrix import AccessMatrixCase
from odoo.addons.credit_management.tests.access_matrix import fixed
from odoo.addons.credit_management.tests.access_matrix import free
from odoo.addons.credit_management.tests.access_matrix import method
from odoo.addons.credit_management.tests.common import TODAY
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import FactoringCommon

CONTRACT = "credit.factoring.contract"
BATCH = "credit.factoring.batch"
STATEMENT = "credit.factoring.statement"
LINE = "credit.factoring.statement.line"


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringAccess(FactoringCommon):
    def test_collector_reads_manager_acts(self):
        contract = self._contract()
        invoice = self._invoice(self.customer, 1000.0)
        batch = self._batch(contract, invoice, validate=False)
        self.assertEqual(batch.with_user(self.collector).amount_total, 1000.0)
        for action in ("action_validate", "action_cancel", "action_select_invoices"):
            with self.assertRaises(AccessError):
                getattr(batch.with_user(self.collector), action)()
        with self.assertRaises(AccessError):
            batch.with_user(self.sales_user).read(["name"])
        # Nobody sets a batch's state or an invoice's factoring state by a write.
        with self.assertRaises(AccessError):
            batch.with_user(self.manager).state = "funded"
        with self.assertRaises(AccessError):
            invoice.write({"factoring_state": "collected"})
        with self.assertRaises(AccessError):
            contract.with_user(self.collector).action_close()
        # The credit manager validates and posts in the factoring journal.
        batch.with_user(self.manager).action_validate()
        self.assertEqual(batch.assignment_move_id.state, "posted")

    def test_companies_kept_apart(self):
        company_2 = self.setup_other_company()["company"]
        contract = self._contract()
        contract_2 = self.env["credit.factoring.contract"].create(
            {
                "name": "Factor filiale",
                "factor_id": self.factor.id,
                "company_id": company_2.id,
                "currency_id": company_2.currency_id.id,
            }
        )
        approval_2 = self._approve(contract_2, self.customer, 500.0)
        self.assertEqual(approval_2.company_id, company_2)
        manager = self.env["credit.factoring.contract"].with_user(self.manager)
        self.assertEqual(manager.search([]), contract)
        self.assertFalse(
            self.env["credit.factoring.approval"]
            .with_user(self.manager)
            .search([("contract_id", "=", contract_2.id)])
        )
        with self.assertRaises(AccessError):
            contract_2.with_user(self.manager).read(["name"])
        # A batch of the other company's contract takes none of this company's invoices.
        invoice = self._invoice(self.customer, 100.0)
        batch_2 = self.env["credit.factoring.batch"].create({"contract_id": contract_2.id})
        self.assertEqual(batch_2.company_id, company_2)
        self.assertNotIn(invoice, self.env["account.move"].search(batch_2._eligible_domain()))
        self.manager.company_ids = [Command.link(company_2.id)]
        self.assertEqual(
            manager.with_context(allowed_company_ids=[self.company.id, company_2.id]).search([]),
            contract | contract_2,
        )


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringAccessMatrix(AccessMatrixCase, FactoringCommon):
    MODULE = "credit_factoring"
    MODEL_ACCESS = {
        CONTRACT: MANAGED,
        "credit.factoring.approval": MANAGED,
        BATCH: MANAGED,
        STATEMENT: MANAGED,
        LINE: MANAGED,
        "credit.factoring.batch.add": MANAGER_WIZARD,
    }
    FIELD_ACCESS = {
        # Contracts: the credit manager's; the state moves by the contract's actions.
        **free(
            CONTRACT,
            *THREAD_FIELDS,
            "name",
            "reference",
            "factor_id",
            "company_id",
            "currency_id",
            "kind",
            "collected_by",
            "advance_rate",
            "retention_rate",
            "fee_rate",
            "fee_tax_id",
            "financing_rate",
            "bank_account_id",
            "journal_id",
            "bank_journal_id",
            "factor_account_id",
            "assignment_account_id",
            "retention_account_id",
            "fee_account_id",
            "interest_account_id",
            "date_start",
            "date_end",
            "notify_level_id",
            "subrogation_mention",
            "approval_ids",
            "batch_ids",
            "statement_delimiter",
            "statement_col_date",
            "statement_col_kind",
            "statement_col_invoice",
            "statement_col_amount",
            "statement_col_reference",
            "statement_code_collection",
            "statement_code_advance",
            "statement_code_fee",
            "statement_code_interest",
            "statement_code_release",
            "statement_code_return",
        ),
        **method(CONTRACT, "state"),
        # Approvals: the factor's decisions, entered by the credit manager.
        **free(
            "credit.factoring.approval",
            "contract_id",
            "company_id",
            "partner_id",
            "amount",
            "date",
            "state",
            "reference",
        ),
        # Batches: the rules are the credit manager's; the invoices, amounts, entries and
        # state are set by the batch's actions; the contract is fixed at creation.
        **free(
            BATCH,
            *THREAD_FIELDS,
            "name",
            "company_id",
            "date",
            "partner_ids",
            "date_from",
            "date_to",
        ),
        **method(
            BATCH,
            "state",
            "move_ids",
            "amount_total",
            "amount_financed",
            "amount_advance",
            "amount_retention",
            "amount_fee",
            "amount_interest",
            "amount_fees",
            "amount_fee_tax",
            "assignment_move_id",
            "funding_move_id",
            "date_funded",
        ),
        **fixed(BATCH, "contract_id"),
        # Statements: the file and its name are the credit manager's; the lines and state
        # come from the import and the processing.
        **free(STATEMENT, *THREAD_FIELDS, "name", "company_id", "date", "file", "filename"),
        **method(STATEMENT, "state", "line_ids", "skipped_count"),
        **fixed(STATEMENT, "contract_id"),
        # Statement lines: what the file said is fixed; the invoice or batch of a line to
        # resolve is given by hand; the rest is the matching's and the processing's.
        **free(LINE, "contract_id", "company_id", "move_id", "batch_id"),
        **fixed(LINE, "statement_id", "date", "kind", "code", "invoice_ref", "amount", "reference"),
        **method(LINE, "state", "note", "entry_move_id", "line_key"),
        **free("credit.factoring.batch.add", "batch_id", "move_ids"),
        # The test run's result (a wizard of each user's own): what its run found.
        **free("credit.dunning.preview", "factoring_move_ids"),
        # Invoices: their factoring facts are set by batches and statements only.
        **method(
            "account.move",
            "factoring_contract_id",
            "factoring_batch_id",
            "factoring_state",
            "factoring_approved",
            "factoring_amount",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contract = cls._contract()
        other_contract = cls._contract(kind="confidential")
        approval = cls._approve(contract, cls.customer, 1000.0)
        invoice = cls._invoice(cls.customer, 800.0)
        cls._invoice(cls.customer, 200.0)
        batch = cls._batch(contract, invoice, validate=False)
        cls.env["credit.factoring.batch"].create({"contract_id": other_contract.id})
        statements = cls.env["credit.factoring.statement"].create(
            [{"name": name, "contract_id": contract.id} for name in ("Relevé 1", "Relevé 2")]
        )
        line = cls.env["credit.factoring.statement.line"].create(
            {
                "statement_id": statements[0].id,
                "date": TODAY,
                "kind": "collection",
                "invoice_ref": invoice.name,
                "amount": 100.0,
                "line_key": "K1",
            }
        )
        cls.records = {
            CONTRACT: contract,
            "credit.factoring.approval": approval,
            BATCH: batch,
            STATEMENT: statements[0],
            LINE: line,
            "account.move": invoice,
        }

    def _matrix_record(self, model):
        return self.records.get(model)

    def _matrix_create_vals(self, model):
        if model == "account.move":
            return {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-06-15",
                "invoice_line_ids": [
                    Command.create({"name": "Livraison", "quantity": 1, "price_unit": 100.0})
                ],
            }
        return None

    def _matrix_value(self, model, field, record):
        if field == "statement_delimiter":
            return ","
        return super()._matrix_value(model, field, record)
