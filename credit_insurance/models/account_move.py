"""Customer invoices under the credit insurance policy.

An invoice's insured amount is fixed at its date, under the policy then in force:
``insured_amount`` (below, plain Python) applies the policy's rules to the invoice's amount
excluding taxes, the limit insured on the customer on that date and the invoice's credit
period. The overdue declaration deadline is the due date plus the policy's declaration delay.
"""

from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .credit_insurance_cover import GRANTING_STATES
from .workflow import check_workflow_write
from .workflow import is_manager

DECLARATION_STATES = [
    ("none", "Nothing to Declare"),
    ("to_declare", "To Declare"),
    ("declared", "Declared"),
    ("claim", "Claim Filed"),
    ("indemnified", "Indemnified"),
    ("closed", "Closed"),
]
# States set by the declaration and the claim: no longer recomputed.
DECLARED_STATES = ("declared", "claim", "indemnified", "closed")
# Computed from the policy, or set by the declaration and the claim only (workflow.py).
WORKFLOW_FIELDS = (
    "insurance_policy_id",
    "insurance_insured",
    "insurance_insured_amount",
    "insurance_declaration_deadline",
    "insurance_declaration_state",
    "insurance_declaration_date",
    "insurance_declaration_ref",
)


def insured_amount(amount, limit, rate, credit_days, max_credit_days):
    """The insured part of an invoice: ``min(amount, limit) x rate``, 0 beyond the period.

    >>> insured_amount(1000.0, 600.0, 90.0, 30, 60)
    540.0
    >>> insured_amount(1000.0, 5000.0, 90.0, 90, 60)
    0.0
    """
    if amount <= 0 or limit <= 0 or credit_days > max_credit_days:
        return 0.0
    return round(min(amount, limit) * rate / 100.0, 2)


class AccountMove(models.Model):
    _inherit = "account.move"

    insurance_policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy",
        string="Credit Insurance Policy",
        compute="_compute_insurance",
        store=True,
        readonly=True,
        copy=False,
    )
    insurance_insured = fields.Boolean(
        string="Insured",
        compute="_compute_insurance",
        store=True,
        copy=False,
        help="Insured by the credit insurance policy in force at the invoice date.",
    )
    insurance_insured_amount = fields.Monetary(
        string="Insured Amount",
        compute="_compute_insurance",
        store=True,
        copy=False,
        currency_field="company_currency_id",
        help="Coverage rate times the part of the invoice, excluding taxes, within the limit "
        "insured on the customer at the invoice date (company currency). An invoice whose "
        "terms exceed the policy's maximum credit period is not insured.",
    )
    insurance_declaration_deadline = fields.Date(
        string="Declaration Deadline",
        compute="_compute_insurance",
        store=True,
        copy=False,
        help="Declare the invoice to the insurer by this date if it is still unpaid.",
    )
    insurance_declaration_state = fields.Selection(
        selection=DECLARATION_STATES,
        string="Declaration",
        compute="_compute_insurance_declaration_state",
        store=True,
        readonly=True,
        copy=False,
        index=True,
    )
    insurance_declaration_date = fields.Date(string="Declared On", readonly=True, copy=False)
    insurance_declaration_ref = fields.Char(
        string="Insurer's Declaration Reference",
        readonly=True,
        copy=False,
        tracking=True,
        help="The insurer's id of the overdue declaration of this invoice, as its web service "
        "answered it; empty when the invoice was declared with an export.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends(
        "state",
        "move_type",
        "invoice_date",
        "invoice_date_due",
        "amount_untaxed_signed",
        "commercial_partner_id",
        "company_id",
    )
    def _compute_insurance(self):
        Policy = self.env["credit.insurance.policy"]
        for move in self:
            policy = Policy
            amount = 0.0
            if move.move_type == "out_invoice" and move.state != "cancel" and move.invoice_date:
                policy = Policy._get_active(move.company_id, move.invoice_date)
            if policy:
                limit, rate = move._insurance_limit_at_date(policy)
                due = move.invoice_date_due or move.invoice_date
                amount = insured_amount(
                    move.amount_untaxed_signed,
                    limit,
                    rate,
                    (due - move.invoice_date).days,
                    policy.max_credit_days,
                )
            move.insurance_policy_id = policy
            move.insurance_insured_amount = amount
            move.insurance_insured = bool(amount)
            move.insurance_declaration_deadline = (
                move.invoice_date_due + timedelta(days=policy.declaration_days)
                if amount and move.invoice_date_due
                else False
            )

    @api.depends("insurance_insured", "payment_state", "invoice_date_due", "state")
    def _compute_insurance_declaration_state(self):
        today = fields.Date.context_today(self)
        for move in self:
            if move.insurance_declaration_state in DECLARED_STATES:
                # Declared by hand or by a provider: kept whatever happens next.
                move.insurance_declaration_state = move.insurance_declaration_state
                continue
            overdue = (
                move.insurance_insured
                and move.state == "posted"
                and move.payment_state in ("not_paid", "partial")
                and move.invoice_date_due
                and move.invoice_date_due < today
            )
            move.insurance_declaration_state = "to_declare" if overdue else "none"

    def init(self):
        res = super().init()
        # The insured invoices whose declaration is to follow (the daily actions read them
        # among every invoice of the ledger): a small index of the insured ones only.
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS account_move_insurance_declaration_idx "
                "ON account_move (insurance_declaration_state, invoice_date_due) "
                "WHERE insurance_insured"
            )
        )
        return res

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not is_manager(self.env):
            # Computed on the new invoice, whatever its author sends.
            vals_list = [
                {key: value for key, value in vals.items() if key not in WORKFLOW_FIELDS}
                for vals in vals_list
            ]
        return super().create(vals_list)

    def write(self, vals):
        check_workflow_write(self, vals, WORKFLOW_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_insurance_declare(self):
        """Declare the selected overdue insured invoices to their insurer.

        Each policy's invoices go through its provider (``_insurer_declare_overdue``), which
        keeps every buyer the insurer accepted even when another fails; a policy whose
        insurer accepts none of them is rolled back alone. What is left to declare is named
        in one sticky warning (the reason posted on each invoice too); when nothing at all
        could be declared, the reason is raised.
        """
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            raise AccessError(_("Only a credit manager declares overdue invoices to the insurer."))
        self._cron_update_declaration_state()
        moves = self.filtered(lambda m: m.insurance_declaration_state == "to_declare")
        if not moves:
            raise UserError(_("None of the selected invoices is an insured invoice to declare."))
        policies = moves.insurance_policy_id
        attachments = self.env["ir.attachment"]
        warnings = []
        failures = []
        for policy in policies:
            policy_moves = moves.filtered(lambda m, p=policy: m.insurance_policy_id == p)
            try:
                with policy._insurer_savepoint():
                    result = policy._insurer_declare_overdue(policy_moves)
            except UserError as error:
                if len(policies) == 1:
                    raise
                failures.append((policy, policy_moves, error))
                continue
            if isinstance(result, models.BaseModel) and result._name == "ir.attachment":
                attachments |= result
            elif isinstance(result, dict) and result.get("tag") == "display_notification":
                warnings.append(result["params"]["message"])
        if len(failures) == len(policies):
            # Nothing declared under any policy: nothing to keep.
            raise UserError("\n\n".join(str(error) for __, __, error in failures))
        for policy, policy_moves, error in failures:
            warning = policy._declaration_warning(self.browse(), [(policy_moves, error)])
            warnings.append(warning["params"]["message"])
        download = None
        if len(attachments) == 1:
            download = {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{attachments.id}?download=true",
                "target": "download",
            }
        if warnings:
            return self.env["credit.insurance.policy"]._declaration_notification(
                "\n\n".join(warnings), download
            )
        return download or True

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_update_declaration_state(self):
        """Insured invoices that fell due (or got paid) since: their declaration state."""
        today = fields.Date.context_today(self)
        moves = self.search(
            [
                ("insurance_insured", "=", True),
                ("insurance_declaration_state", "in", ("none", "to_declare")),
                "|",
                "&",
                ("insurance_declaration_state", "=", "none"),
                ("invoice_date_due", "<", today),
                ("insurance_declaration_state", "=", "to_declare"),
            ]
        )
        self.env.add_to_compute(self._fields["insurance_declaration_state"], moves)
        moves._recompute_recordset(["insurance_declaration_state"])

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _insurance_limit_at_date(self, policy):
        """(limit in company currency, coverage rate) insured on the customer at the date."""
        self.ensure_one()
        date = self.invoice_date
        decisions = (
            self.env["credit.insurance.decision"]
            .sudo()
            .search(
                [
                    ("policy_id", "=", policy.id),
                    ("cover_id.partner_id", "=", self.commercial_partner_id.id),
                ],
                order="date desc, id desc",
            )
        )
        if decisions:
            # A named buyer: the latest decision in force at the date, if any.
            latest = decisions.filtered(lambda d: d.date <= date)[:1]
            if not latest or latest.state not in GRANTING_STATES:
                return 0.0, policy.coverage_rate
            if latest.date_end and latest.date_end < date:
                return 0.0, policy.coverage_rate
            amount, rate = latest.amount, policy.coverage_rate
        else:
            amount, rate = policy.discretionary_limit, policy.discretionary_coverage_rate
        company = self.company_id
        return policy.currency_id._convert(amount, company.currency_id, company, date), rate
