"""The figures of a factoring contract, read in a few grouped queries for all contracts.

- **Outstanding assigned**: the balance of the invoices with the factor (assigned or
  funded, not yet collected nor returned).
- **Financed**: the advance rate of the balance of the approved invoices of funded batches.
- **Retention held**: the retention rate of the outstanding assigned.
- **Fees of the period**: the fees and interest of the batches sent this month and those the
  factor's statements charged this month.
- **Available financing**: what a new batch would bring now: for each approved customer, its
  open invoices not yet assigned, within what its approval leaves, at the advance rate.
- **DSO with and without factored invoices**: the company's receivable (its open items, in
  its currency) over its credit sales of the last 90 days, times 90, with the invoices the
  factors hold and without them (``credit.open.item`` with ``credit_without_factored``).
"""

from collections import defaultdict
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_aged_balance import DSO_DAYS
from odoo.tools import SQL


class CreditFactoringContract(models.Model):
    _inherit = "credit.factoring.contract"

    amount_outstanding = fields.Monetary(string="Outstanding Assigned", compute="_compute_figures")
    amount_financed_open = fields.Monetary(string="Financed", compute="_compute_figures")
    amount_retention_held = fields.Monetary(string="Retention Held", compute="_compute_figures")
    amount_fees_period = fields.Monetary(string="Fees of the Month", compute="_compute_figures")
    amount_available = fields.Monetary(string="Available Financing", compute="_compute_figures")

    dso_with_factored = fields.Float(
        string="DSO with Factored Invoices",
        digits=(16, 1),
        compute="_compute_dso",
        help="The company's days sales outstanding, counting the invoices the factors hold.",
    )
    dso_without_factored = fields.Float(
        string="DSO without Factored Invoices",
        digits=(16, 1),
        compute="_compute_dso",
        help="The company's days sales outstanding on what it still finances itself.",
    )

    def _compute_dso(self):
        for company, contracts in self.grouped("company_id").items():
            contracts.dso_with_factored = self._company_dso(company, False)
            contracts.dso_without_factored = self._company_dso(company, True)

    @api.model
    def _company_dso(self, company, without_factored):
        """The DSO of ``company`` today (see the module), with or without factored invoices."""
        if not company:
            return 0.0
        today = fields.Date.context_today(self)
        OpenItem = self.env["credit.open.item"].with_context(
            credit_without_factored=without_factored
        )
        [(receivable, sales)] = self.env.execute_query(
            SQL(
                """
                SELECT (SELECT COALESCE(SUM(i.residual), 0) FROM (%(open_items)s) i),
                       (SELECT COALESCE(SUM(m.amount_total_signed), 0)
                          FROM account_move m
                         WHERE m.company_id = ANY(%(companies)s) AND m.state = 'posted'
                           AND m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                           AND m.date > %(since)s AND m.date <= %(today)s)
                """,
                open_items=OpenItem._query(company),
                companies=OpenItem._company_ids(company),
                since=today - timedelta(days=DSO_DAYS),
                today=today,
            )
        )
        return round(receivable / sales * DSO_DAYS, 1) if sales > 0 else 0.0

    @api.depends_context("company")
    def _compute_figures(self):
        ids = [contract.id for contract in self if contract.id]
        self.env["account.move"].flush_model()
        self.env["credit.factoring.batch"].flush_model()
        self.env["credit.factoring.statement.line"].flush_model()
        assigned = defaultdict(float)
        financed = defaultdict(float)
        approved_by_partner = defaultdict(float)
        fees = defaultdict(float)
        available = defaultdict(float)
        if ids:
            for contract_id, partner_id, state, approved, residual in self.env.execute_query(
                SQL(
                    """
                    SELECT factoring_contract_id, commercial_partner_id, factoring_state,
                           factoring_approved, SUM(amount_residual)
                      FROM account_move
                     WHERE factoring_contract_id = ANY(%(ids)s)
                       AND factoring_state IN ('assigned', 'funded')
                     GROUP BY 1, 2, 3, 4
                    """,
                    ids=ids,
                )
            ):
                assigned[contract_id] += residual
                if approved:
                    approved_by_partner[(contract_id, partner_id)] += residual
                    if state == "funded":
                        financed[contract_id] += residual
            today = fields.Date.context_today(self)
            month_start = today.replace(day=1)
            for contract_id, amount in self.env.execute_query(
                SQL(
                    """
                    SELECT contract_id, SUM(amount) FROM (
                        SELECT contract_id, amount_fees AS amount
                          FROM credit_factoring_batch
                         WHERE contract_id = ANY(%(ids)s) AND state IN ('sent', 'funded')
                           AND date >= %(start)s AND date <= %(today)s
                        UNION ALL
                        SELECT contract_id, amount
                          FROM credit_factoring_statement_line
                         WHERE contract_id = ANY(%(ids)s) AND state = 'done'
                           AND kind IN ('fee', 'interest')
                           AND date >= %(start)s AND date <= %(today)s
                    ) f GROUP BY contract_id
                    """,
                    ids=ids,
                    start=month_start,
                    today=today,
                )
            ):
                fees[contract_id] = amount
            for contract in self.filtered("id"):
                limits = contract._approved_limits()
                if not limits:
                    continue
                unassigned = dict(
                    self.env.execute_query(
                        SQL(
                            """
                            SELECT commercial_partner_id, SUM(amount_residual)
                              FROM account_move
                             WHERE company_id = %(company)s AND currency_id = %(currency)s
                               AND move_type = 'out_invoice' AND state = 'posted'
                               AND payment_state IN ('not_paid', 'partial')
                               AND factoring_batch_id IS NULL
                               AND commercial_partner_id = ANY(%(partners)s)
                             GROUP BY commercial_partner_id
                            """,
                            company=contract.company_id.id,
                            currency=contract.currency_id.id,
                            partners=list(limits),
                        )
                    )
                )
                for partner_id, limit in limits.items():
                    room = max(limit - approved_by_partner[(contract.id, partner_id)], 0.0)
                    available[contract.id] += min(room, unassigned.get(partner_id, 0.0))
        for contract in self:
            rounding = contract.currency_id.round
            contract.amount_outstanding = rounding(assigned[contract.id])
            contract.amount_financed_open = rounding(
                financed[contract.id] * contract.advance_rate / 100.0
            )
            contract.amount_retention_held = rounding(
                assigned[contract.id] * contract.retention_rate / 100.0
            )
            contract.amount_fees_period = rounding(fees[contract.id])
            contract.amount_available = rounding(
                available[contract.id] * contract.advance_rate / 100.0
            )
