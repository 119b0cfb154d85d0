"""A line of a factor's statement: matched to an invoice, a batch or the contract, then
processed once (see ``credit_factoring_statement`` for how a statement works)."""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat
from odoo.tools import SQL

from .credit_factoring_batch import OPEN_STATES

LINE_KINDS = [
    ("collection", "Collection"),
    ("advance", "Advance"),
    ("fee", "Fee"),
    ("interest", "Interest"),
    ("release", "Retention Released"),
    ("return", "Returned Invoice"),
    ("unknown", "Unknown Operation"),
]
LINE_STATES = [("to_resolve", "To Resolve"), ("matched", "Matched"), ("done", "Processed")]
WORKFLOW_FIELDS = {"state": "to_resolve", "note": False, "entry_move_id": False}
# What the file gave: fixed once imported.
FILE_FIELDS = {"statement_id", "date", "kind", "code", "invoice_ref", "amount", "reference"}


class CreditFactoringStatementLine(models.Model):
    _name = "credit.factoring.statement.line"
    _description = "Factor Statement Line"
    _inherit = ["credit.workflow.mixin"]
    _order = "statement_id, id"
    _check_company_auto = True

    statement_id = fields.Many2one(
        comodel_name="credit.factoring.statement", required=True, ondelete="cascade", index=True
    )
    contract_id = fields.Many2one(
        related="statement_id.contract_id", store=True, precompute=True, index=True
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="statement_id.currency_id")
    date = fields.Date(required=True)
    kind = fields.Selection(selection=LINE_KINDS, string="Operation", required=True)
    code = fields.Char(string="Factor's Code")
    invoice_ref = fields.Char(string="Invoice Number")
    reference = fields.Char(string="Factor's Reference")
    amount = fields.Monetary()
    line_key = fields.Char(required=True, readonly=True, copy=False)
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        check_company=True,
        domain="[('factoring_contract_id', '=', contract_id)]",
    )
    batch_id = fields.Many2one(
        comodel_name="credit.factoring.batch",
        check_company=True,
        domain="[('contract_id', '=', contract_id)]",
    )
    state = fields.Selection(
        selection=LINE_STATES, default="to_resolve", required=True, readonly=True, index=True
    )
    note = fields.Char(string="To Resolve Because", readonly=True)
    entry_move_id = fields.Many2one(
        comodel_name="account.move", string="Entry", readonly=True, copy=False
    )

    _line_key_unique = compat.Constraint(
        "UNIQUE(contract_id, line_key)",
        "This line of the factor's statement is already imported.",
    )

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | set(WORKFLOW_FIELDS) | {"line_key"}

    @api.model
    def _workflow_initial_values(self):
        return {**super()._workflow_initial_values(), **WORKFLOW_FIELDS}

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | FILE_FIELDS

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {"move_id", "batch_id"}

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state == "done"

    # ------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------

    def _match(self):
        """Match the lines (a few queries for all): invoices by number among the
        contract's, batches by name; what cannot be matched stays to resolve, with why."""
        todo = self.filtered(lambda line: line.state != "done")
        moves_by_name = {}
        batches_by_name = {}
        for contract, lines in todo.grouped("contract_id").items():
            refs = {line.invoice_ref for line in lines if line.invoice_ref and not line.move_id}
            if refs:
                self.env["account.move"].flush_model(["name", "factoring_contract_id"])
                rows = self.env.execute_query(
                    SQL(
                        """
                        SELECT name, id FROM account_move
                         WHERE factoring_contract_id = %(contract)s AND name = ANY(%(refs)s)
                        """,
                        contract=contract.id,
                        refs=list(refs),
                    )
                )
                moves_by_name[contract.id] = dict(rows)
            batches = (
                self.env["credit.factoring.batch"]
                .sudo()
                .search([("contract_id", "=", contract.id)])
            )
            batches_by_name[contract.id] = {batch.name: batch for batch in batches}
        # The invoices of every line in one recordset: their facts read together.
        moves = self.env["account.move"].browse(
            {
                *todo.move_id.ids,
                *(move_id for names in moves_by_name.values() for move_id in names.values()),
            }
        )
        moves.fetch(["name", "factoring_contract_id", "factoring_state", "amount_residual"])
        moves = {move.id: move for move in moves}
        Move = self.env["account.move"]
        values = []  # (line id, state, note, move id, batch id)
        for line in todo:
            move = line.move_id
            batch = line.batch_id
            note = False
            if line.kind in ("collection", "return"):
                if not move and line.invoice_ref:
                    move_id = moves_by_name.get(line.contract_id.id, {}).get(line.invoice_ref)
                    move = moves.get(move_id, Move)
                else:
                    move = moves.get(move.id, Move)
                note = line._match_invoice_note(move)
            elif line.kind == "advance":
                batch = batch or batches_by_name[line.contract_id.id].get(line.invoice_ref)
                if not batch:
                    note = _("No batch %(name)s in the contract.", name=line.invoice_ref or "")
                elif batch.state != "sent":
                    note = _("Batch %(name)s is not awaiting funding.", name=batch.name)
            elif line.kind == "unknown":
                note = _("Unknown operation code %(code)s.", code=line.code or "")
            state = "to_resolve" if note else "matched"
            values.append((line.id, state, note or None, move.id or None, batch.id or None))
        if values:
            # One UPDATE for every line (the matching's own fields, set by this method).
            self.flush_model()
            self.env.execute_query(
                SQL(
                    """
                    UPDATE credit_factoring_statement_line l
                       SET state = v.state, note = v.note, move_id = v.move_id,
                           batch_id = v.batch_id
                      FROM (SELECT * FROM unnest(%(ids)s::int[], %(states)s::varchar[],
                                                 %(notes)s::varchar[], %(moves)s::int[],
                                                 %(batches)s::int[]))
                           AS v(id, state, note, move_id, batch_id)
                     WHERE l.id = v.id
                    """,
                    ids=[v[0] for v in values],
                    states=[v[1] for v in values],
                    notes=[v[2] for v in values],
                    moves=[v[3] for v in values],
                    batches=[v[4] for v in values],
                )
            )
            self.invalidate_model(["state", "note", "move_id", "batch_id"])

    def _match_invoice_note(self, move):
        """Why this collection or return cannot settle ``move`` (False when it can)."""
        if not move:
            return _("No invoice %(ref)s assigned under the contract.", ref=self.invoice_ref or "")
        if move.factoring_contract_id != self.contract_id:
            return _("Invoice %(ref)s is not assigned under the contract.", ref=move.name)
        if move.factoring_state not in OPEN_STATES:
            return _("Invoice %(ref)s is no longer with the factor.", ref=move.name)
        if (
            self.kind == "collection"
            and move.currency_id.compare_amounts(self.amount, move.amount_residual) > 0
        ):
            return _("The collection is more than the balance of invoice %(ref)s.", ref=move.name)
        return False

    # ------------------------------------------------------------
    # PROCESSING
    # ------------------------------------------------------------

    def _process(self):
        """Post the matched lines, statement by statement, each line once."""
        for statement, lines in (
            self.filtered(lambda line: line.state == "matched").grouped("statement_id").items()
        ):
            contract = statement.contract_id
            contract._check_accounting()
            lines._process_advances()
            journal_lines = lines.filtered(
                lambda line: line.kind in ("collection", "return", "fee", "interest")
            )
            if journal_lines:
                journal_lines._process_journal(statement, contract)
            releases = lines.filtered(lambda line: line.kind == "release")
            if releases:
                bank_account = contract.bank_journal_id.default_account_id
                amount = sum(releases.mapped("amount"))
                ref = _("Retention released, %(statement)s", statement=statement.name)
                entry = contract._post_entry(
                    contract.bank_journal_id,
                    statement.date,
                    ref,
                    [
                        (bank_account, amount, contract.factor_id.id, ref),
                        (contract.retention_account_id, -amount, contract.factor_id.id, ref),
                    ],
                )
                releases._workflow_write({"state": "done", "entry_move_id": entry.id})

    def _process_advances(self):
        for line in self.filtered(lambda line: line.kind == "advance"):
            entry = line.batch_id._fund(line.amount, line.date)
            line._workflow_write({"state": "done", "entry_move_id": entry.id})

    def _process_journal(self, statement, contract):
        """Collections, returns, fees and interest of ``statement``: one entry in the
        contract's journal; the collections reconciled with their invoices."""
        factor = contract.factor_id.id
        ref = _("Factor statement %(statement)s", statement=statement.name)
        collections = self.filtered(lambda line: line.kind == "collection")
        returns = self.filtered(lambda line: line.kind == "return")
        fees = self.filtered(lambda line: line.kind == "fee")
        interest = self.filtered(lambda line: line.kind == "interest")
        entry_lines = []
        receivables = {}
        if collections:
            entry_lines.append(
                (
                    contract.assignment_account_id,
                    sum(collections.mapped("amount")),
                    False,
                    _("Collected by the factor"),
                )
            )
            collections.move_id.fetch(["line_ids", "commercial_partner_id"])
            for line in collections:
                receivable = line.move_id.line_ids.filtered(
                    lambda aml: (
                        aml.account_id.account_type == "asset_receivable" and not aml.reconciled
                    )
                )[:1]
                receivables[line.id] = receivable
                entry_lines.append(
                    (
                        receivable.account_id,
                        -line.amount,
                        line.move_id.commercial_partner_id.id,
                        _("Paid to the factor: %(invoice)s", invoice=line.move_id.name),
                    )
                )
        if returns:
            amount = sum(returns.mapped("amount"))
            label = _("Returned by the factor")
            entry_lines += [
                (contract.assignment_account_id, amount, False, label),
                (contract.factor_account_id, -amount, factor, label),
            ]
        for lines, account, label in (
            (fees, contract.fee_account_id, _("Factoring fee")),
            (interest, contract.interest_account_id, _("Financing interest")),
        ):
            if lines:
                amount = sum(lines.mapped("amount"))
                entry_lines += [
                    (account, amount, factor, label),
                    (contract.factor_account_id, -amount, factor, label),
                ]
        entry = contract._post_entry(contract.journal_id, statement.date, ref, entry_lines)
        if collections:
            # The entry's customer lines, in the order of the collections.
            credit_lines = entry.line_ids.filtered(
                lambda aml: aml.account_id.account_type == "asset_receivable"
            ).sorted("id")
            plan = [
                receivables[line.id] | credit
                for line, credit in zip(collections, credit_lines, strict=True)
            ]
            # sudo: as the entry, the reconciliation is the factoring's, not an accountant's.
            self.env["account.move.line"].sudo()._reconcile_plan(plan)
            paid = collections.move_id.filtered(lambda m: m.payment_state in ("paid", "in_payment"))
            paid._factoring_set_state("collected")
        if returns:
            returns.move_id._factoring_set_state("returned")
        self._workflow_write({"state": "done", "entry_move_id": entry.id})
