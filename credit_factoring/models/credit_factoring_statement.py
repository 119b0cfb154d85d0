"""A factor's account statement (relevé de compte courant), imported and settled.

How it works:

1. ``action_import`` reads the file (CSV or XLSX, a header row) with the contract's mapping:
   the columns of the date, operation, invoice, amount and the factor's line reference, and
   the factor's code of each operation. Each line gets a key (the factor's reference, else
   its date, operation, invoice and amount); a line whose key the contract already has is
   skipped, and the database refuses a second one: nothing is imported twice.
2. Lines are matched in a few queries: collections and returns to the contract's invoices by
   number, advances to its batches by name; fees, interest and retention releases to the
   contract itself. What cannot be matched stays in the list to resolve (*To Resolve*), with
   the reason; a credit manager gives the invoice or batch by hand and processes it again.
3. ``action_process`` posts the matched lines: the customers' payments collected by the
   factor settle their invoices by reconciliation (the assigned receivables account against
   the customer's receivable); a returned invoice goes back to the company (recourse: the
   factor's account credited, the invoice's dunning resumes from its level); advances fund
   their batch; fees and interest are charged to the factor's account; released retention
   comes to the bank. Each line is processed once (``done``).
"""

import base64
import csv
import hashlib
import io
from datetime import date as date_type
from datetime import datetime

import openpyxl

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Command

STATEMENT_STATES = [("draft", "Draft"), ("imported", "Imported"), ("done", "Processed")]
WORKFLOW_FIELDS = {
    "state": "draft",
    "line_ids": False,
    "skipped_count": 0,
}
# The contract's field giving the factor's code of each operation.
KIND_CODE_FIELDS = {
    "collection": "statement_code_collection",
    "advance": "statement_code_advance",
    "fee": "statement_code_fee",
    "interest": "statement_code_interest",
    "release": "statement_code_release",
    "return": "statement_code_return",
}


class CreditFactoringStatement(models.Model):
    _name = "credit.factoring.statement"
    _description = "Factor Statement"
    _inherit = ["mail.thread", "credit.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    contract_id = fields.Many2one(
        comodel_name="credit.factoring.contract",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', '=', 'active')]",
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    file = fields.Binary(string="Statement File", attachment=True)
    filename = fields.Char()
    state = fields.Selection(
        selection=STATEMENT_STATES, default="draft", required=True, readonly=True, tracking=True
    )
    line_ids = fields.One2many(
        comodel_name="credit.factoring.statement.line",
        inverse_name="statement_id",
        string="Lines",
        readonly=True,
    )
    line_count = fields.Integer(compute="_compute_counts")
    to_resolve_count = fields.Integer(compute="_compute_counts", string="To Resolve")
    skipped_count = fields.Integer(
        string="Already Imported",
        readonly=True,
        help="Lines of the file the contract already had, left out.",
    )

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | set(WORKFLOW_FIELDS)

    @api.model
    def _workflow_initial_values(self):
        return {**super()._workflow_initial_values(), "state": "draft", "skipped_count": 0}

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {"contract_id"}

    @api.depends("line_ids.state")
    def _compute_counts(self):
        for statement in self:
            statement.line_count = len(statement.line_ids)
            statement.to_resolve_count = len(
                statement.line_ids.filtered(lambda line: line.state == "to_resolve")
            )

    def _workflow_check(self):
        """Statements are the credit manager's."""
        self.check_access("write")
        self.contract_id._check_manager()

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_import(self):
        """Read the file into lines, skipping those already imported, and match them."""
        self.ensure_one()
        self._workflow_check()
        if self.state != "draft":
            raise UserError(_("%(statement)s is already imported.", statement=self.name))
        if not self.file:
            raise UserError(_("Give the factor's statement file to import."))
        rows = self._read_rows(base64.b64decode(self.file), self.filename or "")
        vals_list = self._parse_rows(rows)
        known = set(
            self.env["credit.factoring.statement.line"]
            .sudo()
            .search([("contract_id", "=", self.contract_id.id)])
            .mapped("line_key")
        )
        new, seen = [], set()
        for vals in vals_list:
            if vals["line_key"] in known or vals["line_key"] in seen:
                continue
            seen.add(vals["line_key"])
            new.append(vals)
        self._workflow_write(
            {
                "state": "imported",
                "skipped_count": len(vals_list) - len(new),
                "line_ids": [Command.create(vals) for vals in new],
            }
        )
        self.line_ids._match()

    def action_process(self):
        """Post the matched lines."""
        self._workflow_check()
        for statement in self:
            if statement.state == "draft":
                raise UserError(_("Import %(statement)s first.", statement=statement.name))
            statement.line_ids.filtered(lambda line: line.state == "to_resolve")._match()
            statement.line_ids.filtered(lambda line: line.state == "matched")._process()
            if all(line.state == "done" for line in statement.line_ids):
                statement._workflow_write({"state": "done"})

    def action_view_to_resolve(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_factoring.credit_factoring_statement_line_action"
        )
        action["domain"] = [("statement_id", "in", self.ids), ("state", "=", "to_resolve")]
        return action

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _read_rows(self, data, filename):
        """The rows of the file as dicts by column header (CSV or XLSX)."""
        if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
            try:
                book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            except Exception as error:
                raise UserError(
                    _("The statement file cannot be read as XLSX: %(error)s", error=error)
                ) from error
            sheet = book.worksheets[0]
            values = list(sheet.iter_rows(values_only=True))
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            delimiter = self.contract_id.statement_delimiter or ";"
            values = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if not values:
            raise UserError(_("The statement file is empty."))
        header = [str(cell or "").strip().lower() for cell in values[0]]
        return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]

    def _parse_rows(self, rows):
        """The lines' values of ``rows``, read with the contract's mapping."""
        contract = self.contract_id
        columns = {
            "date": contract.statement_col_date,
            "kind": contract.statement_col_kind,
            "invoice": contract.statement_col_invoice,
            "amount": contract.statement_col_amount,
            "reference": contract.statement_col_reference,
        }
        columns = {key: (col or "").strip().lower() for key, col in columns.items()}
        header = set(rows[0]) if rows else set()
        missing = [col for key, col in columns.items() if key != "reference" and col not in header]
        if rows and missing:
            raise UserError(
                _(
                    "The statement file has no column %(columns)s (the contract's mapping).",
                    columns=", ".join(missing),
                )
            )
        codes = {
            (contract[fname] or "").strip().upper(): kind
            for kind, fname in KIND_CODE_FIELDS.items()
            if contract[fname]
        }
        vals_list = []
        for number, row in enumerate(rows, start=2):
            code = str(row.get(columns["kind"]) or "").strip().upper()
            invoice = str(row.get(columns["invoice"]) or "").strip()
            line_date = self._parse_date(row.get(columns["date"]), number)
            amount = self._parse_amount(row.get(columns["amount"]), number)
            reference = str(row.get(columns["reference"]) or "").strip()
            key = (
                reference
                or hashlib.sha1(f"{line_date}|{code}|{invoice}|{amount:.2f}".encode()).hexdigest()
            )
            vals_list.append(
                {
                    "date": line_date,
                    "kind": codes.get(code, "unknown"),
                    "code": code,
                    "invoice_ref": invoice,
                    "amount": amount,
                    "reference": reference,
                    "line_key": key,
                }
            )
        return vals_list

    def _parse_date(self, value, number):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date_type):
            return value
        text = str(value or "").strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise UserError(
            _("Line %(line)s of the statement: %(value)r is not a date.", line=number, value=text)
        )

    def _parse_amount(self, value, number):
        if isinstance(value, int | float):
            return float(value)
        text = str(value or "").strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise UserError(
                _(
                    "Line %(line)s of the statement: %(value)r is not an amount.",
                    line=number,
                    value=str(value),
                )
            ) from None
