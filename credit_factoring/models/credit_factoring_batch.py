"""An assignment batch (bordereau de cession): invoices assigned to the factor at once.

How it works:

1. A draft batch takes the invoices its rules choose (``action_select_invoices``: the
   contract's company and currency, posted customer invoices still open, of the batch's
   customers and dates) or those chosen by hand (the *Add Invoices* wizard). ``_assign``
   links them in one ``UPDATE`` that takes only invoices in no batch: an invoice is assigned
   once, even by two users at the same time.
2. Validating it (``action_validate``, draft to sent) works out its amounts
   (``engine.amounts``: the approved part against the factor's approvals, the advance, the
   retention, the fee and the interest) and posts, in the contract's journal, the entry that
   moves the receivables to the factor's account and records the retention and the fees.
3. The factor funds it (``action_fund``, sent to funded, or the advance line of its
   statement): the advance is posted in the contract's bank journal.
4. Until it is funded, cancelling it (``action_cancel``) reverses its entry and frees its
   invoices.

The invoices keep their receivable on the customer's account until the factor reports the
customer's payment (``credit.factoring.statement``): reminders, the aged balance and the
customer's statement keep reading them, as the contract says.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import amounts as amounts_engine

BATCH_STATES = [
    ("draft", "Draft"),
    ("sent", "Sent"),
    ("funded", "Funded"),
    ("cancelled", "Cancelled"),
]
# Set by the batch's actions only, with their values on a new batch.
WORKFLOW_FIELDS = {
    "state": "draft",
    "amount_total": 0.0,
    "amount_financed": 0.0,
    "amount_advance": 0.0,
    "amount_retention": 0.0,
    "amount_fee": 0.0,
    "amount_interest": 0.0,
    "amount_fees": 0.0,
    "amount_fee_tax": 0.0,
    "assignment_move_id": False,
    "funding_move_id": False,
    "date_funded": False,
}
# Invoices still with the factor (assigned, not yet collected nor returned).
OPEN_STATES = ("assigned", "funded")


class CreditFactoringBatch(models.Model):
    _name = "credit.factoring.batch"
    _description = "Factoring Assignment Batch"
    _inherit = ["mail.thread", "credit.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    contract_id = fields.Many2one(
        comodel_name="credit.factoring.contract",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('state', '=', 'active')]",
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    state = fields.Selection(
        selection=BATCH_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    move_ids = fields.One2many(
        comodel_name="account.move",
        inverse_name="factoring_batch_id",
        string="Invoices",
        readonly=True,
    )
    move_count = fields.Integer(compute="_compute_move_count", string="Invoice Count")
    # The rules of the invoices chosen.
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        domain="[('parent_id', '=', False)]",
        help="Only the invoices of these customers (all when empty).",
    )
    date_from = fields.Date(string="Invoices From")
    date_to = fields.Date(string="Invoices To")
    amount_total = fields.Monetary(string="Assigned", readonly=True, tracking=True)
    amount_financed = fields.Monetary(
        string="Approved", readonly=True, help="The part of the batch within the approvals."
    )
    amount_advance = fields.Monetary(string="Advance", readonly=True, tracking=True)
    amount_retention = fields.Monetary(string="Retention", readonly=True)
    amount_fee = fields.Monetary(string="Factoring Fee", readonly=True)
    amount_interest = fields.Monetary(string="Financing Interest", readonly=True)
    amount_fees = fields.Monetary(string="Fees", readonly=True)
    amount_fee_tax = fields.Monetary(
        string="VAT on the Fee",
        readonly=True,
        help="The VAT the factor charges on the factoring fee (the contract's tax).",
    )
    assignment_move_id = fields.Many2one(
        comodel_name="account.move", string="Assignment Entry", readonly=True, copy=False
    )
    funding_move_id = fields.Many2one(
        comodel_name="account.move", string="Advance Entry", readonly=True, copy=False
    )
    date_funded = fields.Date(string="Funded On", readonly=True, copy=False)

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | set(WORKFLOW_FIELDS)

    @api.model
    def _workflow_initial_values(self):
        return {**super()._workflow_initial_values(), **WORKFLOW_FIELDS}

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {"contract_id"}

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {"date", "partner_ids", "date_from", "date_to"}

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state != "draft"

    def _workflow_check(self):
        """Batches are the credit manager's."""
        self.env["credit.factoring.contract"].browse()._check_manager()
        self.check_access("write")

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        batches = super().create(vals_list)
        for batch in batches.filtered(lambda b: b.name == "/"):
            # sudo: the sequence is shared by the company's batches.
            batch.sudo().name = self.env["ir.sequence"].sudo().with_company(
                batch.company_id
            ).next_by_code("credit.factoring.batch") or _("Batch %(id)s", id=batch.id)
        return batches

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(batch.state != "draft" for batch in self):
            raise UserError(_("Only a draft batch can be deleted; cancel the others."))

    def unlink(self):
        self._unassign(self.move_ids)
        return super().unlink()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("move_ids")
    def _compute_move_count(self):
        for batch in self:
            batch.move_count = len(batch.move_ids)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_select_invoices(self):
        """Assign the invoices the batch's rules choose."""
        self.ensure_one()
        self._workflow_check()
        self._check_draft()
        moves = self.env["account.move"].search(self._eligible_domain(with_rules=True))
        if not moves:
            raise UserError(_("No open invoice of the contract matches the batch's rules."))
        self._assign(moves)

    def action_validate(self):
        """Sent to the factor: amounts worked out, assignment entry posted."""
        self._workflow_check()
        for batch in self:
            batch._check_draft()
            contract = batch.contract_id
            if contract.state != "active":
                raise UserError(_("%(contract)s is not active.", contract=contract.display_name))
            if not batch.move_ids:
                raise UserError(_("Add invoices to %(batch)s first.", batch=batch.name))
            contract._check_accounting()
            closed = batch.move_ids.filtered(
                lambda m: m.state != "posted" or m.payment_state in ("paid", "in_payment")
            )
            if closed:
                raise UserError(
                    _(
                        "These invoices are no longer open: %(moves)s.",
                        moves=", ".join(closed.mapped("name")),
                    )
                )
            result = batch._compute_batch_amounts()
            batch._set_invoices_assigned(result.approved)
            entry = batch._post_assignment_entry(result)
            batch._workflow_write(
                {
                    "state": "sent",
                    "amount_total": result.amount_total,
                    "amount_financed": result.amount_financed,
                    "amount_advance": result.amount_advance,
                    "amount_retention": result.amount_retention,
                    "amount_fee": result.amount_fee,
                    "amount_interest": result.amount_interest,
                    "amount_fees": result.amount_fees,
                    "amount_fee_tax": result.amount_fee_tax,
                    "assignment_move_id": entry.id,
                }
            )

    def action_fund(self):
        """The factor paid the advance: posted in the contract's bank journal."""
        self._workflow_check()
        for batch in self:
            batch._fund(batch.amount_advance, fields.Date.context_today(batch))

    def action_cancel(self):
        """Cancelled before the factor funds it: its entry reversed, its invoices freed."""
        self._workflow_check()
        for batch in self:
            if batch.state == "funded":
                raise UserError(
                    _(
                        "The factor has funded %(batch)s: it cannot be cancelled; return its "
                        "invoices through the factor's statement.",
                        batch=batch.name,
                    )
                )
            if batch.state == "cancelled":
                continue
            if batch.assignment_move_id:
                # sudo: credit managers post the factoring entries without being accountants.
                batch.assignment_move_id.sudo()._reverse_moves(
                    default_values_list=[
                        {
                            "date": fields.Date.context_today(batch),
                            "ref": _("Cancellation of %(batch)s", batch=batch.name),
                        }
                    ],
                    cancel=True,
                )
            batch._unassign(batch.move_ids)
            batch._workflow_write({"state": "cancelled"})

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Invoices of %(batch)s", batch=self.name),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("factoring_batch_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _check_draft(self):
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    _("%(batch)s is no longer a draft: its invoices are fixed.", batch=batch.name)
                )

    def _eligible_domain(self, with_rules=False):
        """The invoices the batch may take: its contract's company and currency, posted
        customer invoices still open and in no batch (and, ``with_rules``, the batch's
        customers and dates)."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("currency_id", "=", self.currency_id.id),
            ("payment_state", "in", ("not_paid", "partial")),
            ("factoring_batch_id", "=", False),
            ("factoring_state", "=", "none"),
        ]
        if with_rules:
            if self.partner_ids:
                domain.append(("commercial_partner_id", "in", self.partner_ids.ids))
            if self.date_from:
                domain.append(("invoice_date", ">=", self.date_from))
            if self.date_to:
                domain.append(("invoice_date", "<=", self.date_to))
        return domain

    def _assign(self, moves):
        """Link ``moves`` to this draft batch, each invoice once: one ``UPDATE`` takes only
        those still in no batch, so that two batches never share one."""
        self.ensure_one()
        self._workflow_check()
        self._check_draft()
        wrong = moves - moves.filtered_domain(self._eligible_domain())
        if wrong:
            raise UserError(
                _(
                    "These invoices cannot be assigned by %(batch)s (another company or "
                    "currency, not open, or already assigned): %(moves)s.",
                    batch=self.name,
                    moves=", ".join(wrong[:20].mapped("display_name")),
                )
            )
        self.env["account.move"].flush_model(["factoring_batch_id", "factoring_state"])
        taken = self.env.execute_query(
            SQL(
                """
                UPDATE account_move
                   SET factoring_batch_id = %(batch)s,
                       factoring_contract_id = %(contract)s,
                       factoring_amount = amount_residual
                 WHERE id = ANY(%(ids)s) AND factoring_batch_id IS NULL
                RETURNING id
                """,
                batch=self.id,
                contract=self.contract_id.id,
                ids=moves.ids,
            )
        )
        self.env["account.move"].invalidate_model(
            ["factoring_batch_id", "factoring_contract_id", "factoring_amount"]
        )
        self.invalidate_recordset(["move_ids"])
        if len(taken) != len(moves):
            raise UserError(_("Some of these invoices were assigned meanwhile by another batch."))
        self._workflow_write(self._draft_amounts())

    def _unassign(self, moves):
        """Free ``moves`` from their batch: they may be assigned again."""
        if not moves:
            return
        self.env["account.move"].flush_model()
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move
                   SET factoring_batch_id = NULL, factoring_contract_id = NULL,
                       factoring_state = 'none', factoring_approved = FALSE,
                       factoring_amount = 0
                 WHERE id = ANY(%(ids)s)
                """,
                ids=moves.ids,
            )
        )
        self.env["account.move"].invalidate_model(
            [
                "factoring_batch_id",
                "factoring_contract_id",
                "factoring_state",
                "factoring_approved",
                "factoring_amount",
            ]
        )
        self.invalidate_model(["move_ids"])

    def _draft_amounts(self):
        """The amounts of the draft batch as it stands (fixed again at validation)."""
        result = self._compute_batch_amounts()
        return {
            "amount_total": result.amount_total,
            "amount_financed": result.amount_financed,
            "amount_advance": result.amount_advance,
            "amount_retention": result.amount_retention,
            "amount_fee": result.amount_fee,
            "amount_interest": result.amount_interest,
            "amount_fees": result.amount_fees,
            "amount_fee_tax": result.amount_fee_tax,
        }

    def _compute_batch_amounts(self):
        """The engine's amounts of the batch, against the approvals in force at its date and
        what the contract has assigned and not yet collected per customer."""
        self.ensure_one()
        contract = self.contract_id
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.factoring_amount,
                       COALESCE(m.invoice_date_due, m.invoice_date)
                  FROM account_move m
                 WHERE m.factoring_batch_id = %(batch)s
                """,
                batch=self.id,
            )
        )
        items = [amounts_engine.Item(*row) for row in rows]
        outstanding = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT m.commercial_partner_id, SUM(m.amount_residual)
                      FROM account_move m
                     WHERE m.factoring_contract_id = %(contract)s
                       AND m.factoring_state IN %(open)s AND m.factoring_approved
                     GROUP BY m.commercial_partner_id
                    """,
                    contract=contract.id,
                    open=OPEN_STATES,
                )
            )
        )
        rates = amounts_engine.Rates(
            advance=contract.advance_rate,
            retention=contract.retention_rate,
            fee=contract.fee_rate,
            financing=contract.financing_rate,
            fee_tax=contract.fee_tax_id.amount if contract.fee_tax_id else 0.0,
        )
        return amounts_engine.batch_amounts(
            items,
            self.date,
            rates,
            contract._approved_limits(self.date),
            outstanding,
            digits=self.currency_id.decimal_places,
        )

    def _set_invoices_assigned(self, approved):
        """The invoices are the factor's: assigned, approved or not as the engine says."""
        approved_ids = [move_id for move_id, ok in approved.items() if ok]
        self.env["account.move"].flush_model()
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move
                   SET factoring_state = 'assigned',
                       factoring_approved = (id = ANY(%(approved)s))
                 WHERE factoring_batch_id = %(batch)s
                """,
                approved=approved_ids,
                batch=self.id,
            )
        )
        self.env["account.move"].invalidate_model(["factoring_state", "factoring_approved"])

    def _post_assignment_entry(self, result):
        """The entry of the batch's validation: the receivables to the factor's account
        against the assigned receivables account, the retention and the fees charged."""
        contract = self.contract_id
        factor = contract.factor_id.id
        ref = _("Assignment batch %(batch)s", batch=self.name)
        lines = [
            (contract.factor_account_id, result.amount_total, factor, ref),
            (contract.assignment_account_id, -result.amount_total, False, ref),
            (contract.retention_account_id, result.amount_retention, factor, _("Retention")),
            (contract.factor_account_id, -result.amount_retention, factor, _("Retention")),
            (contract.fee_account_id, result.amount_fee, factor, _("Factoring fee")),
            (contract.factor_account_id, -result.amount_fee, factor, _("Factoring fee")),
            (
                contract.interest_account_id,
                result.amount_interest,
                factor,
                _("Financing interest"),
            ),
            (contract.factor_account_id, -result.amount_interest, factor, _("Financing interest")),
        ]
        if contract.fee_tax_id:
            label = _("VAT on the factoring fee")
            lines += [
                (contract._fee_tax_account(), result.amount_fee_tax, factor, label),
                (contract.factor_account_id, -result.amount_fee_tax, factor, label),
            ]
        return contract._post_entry(contract.journal_id, self.date, ref, lines)

    def _fund(self, amount, date):
        """The factor paid ``amount`` of advance on ``date``: posted, the batch funded."""
        self.ensure_one()
        if self.state != "sent":
            raise UserError(
                _("Only a batch sent to the factor can be funded (%(batch)s).", batch=self.name)
            )
        contract = self.contract_id
        contract._check_accounting()
        bank_account = contract.bank_journal_id.default_account_id
        ref = _("Advance on %(batch)s", batch=self.name)
        factor = contract.factor_id.id
        entry = contract._post_entry(
            contract.bank_journal_id,
            date,
            ref,
            [
                (bank_account, amount, factor, ref),
                (contract.factor_account_id, -amount, factor, ref),
            ],
        )
        self.env["account.move"].flush_model()
        self.env.execute_query(
            SQL(
                """
                UPDATE account_move SET factoring_state = 'funded'
                 WHERE factoring_batch_id = %(batch)s AND factoring_state = 'assigned'
                """,
                batch=self.id,
            )
        )
        self.env["account.move"].invalidate_model(["factoring_state"])
        self._workflow_write({"state": "funded", "funding_move_id": entry.id, "date_funded": date})
        return entry
