"""A claim to the credit insurer: declared unpaid invoices of one customer, to be indemnified.

A claim gathers invoices of one customer declared overdue under one policy. Its expected
indemnity is what the insurer owes on what is still unpaid: for each invoice, its insured
amount (coverage rate x the insured part, fixed at the invoice date) in the proportion of the
invoice still unpaid. Its pack is the hand-off pack of credit_management (invoices as CSV,
XLSX and PDF, and the reminder letters sent), built by the same method.

The invoices' declaration state follows the claim: ``claim`` once filed, ``indemnified`` once
the indemnity is received, ``closed`` when the claim is closed; a refused claim gives them back
their ``declared`` state.

Its state, dates, pack and indemnity are set by its actions only (see workflow.py); the
indemnity received is entered with ``action_indemnified``'s wizard. What is claimed (policy,
customer, invoices, amount) is fixed once the claim is filed.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .workflow import check_manager
from .workflow import check_workflow_write
from .workflow import workflow_create_vals

CLAIM_STATES = [
    ("draft", "Draft"),
    ("filed", "Filed"),
    ("indemnified", "Indemnified"),
    ("closed", "Closed"),
    ("refused", "Refused"),
]
# The invoices' declaration state under a claim in each of its states.
DECLARATION_BY_STATE = {
    "draft": "declared",
    "filed": "claim",
    "indemnified": "indemnified",
    "closed": "closed",
    "refused": "declared",
}
# Set by the claim's actions only, with their values on a new claim.
WORKFLOW_FIELDS = {
    "state": "draft",
    "date_filed": False,
    "date_indemnified": False,
    "date_closed": False,
    "amount_indemnified": 0.0,
    "pack_attachment_id": False,
}
# Figures of the claim's invoices, computed.
COMPUTED_FIELDS = ("amount_outstanding", "amount_expected")
# What is claimed: fixed once the claim is filed.
CLAIMED_FIELDS = ("policy_id", "partner_id", "company_id", "move_ids", "amount_claimed")


def expected_indemnity(insured_amount, amount_total, amount_residual):
    """The insured amount of an invoice in the proportion of it still unpaid.

    >>> expected_indemnity(900.0, 1200.0, 600.0)
    450.0
    >>> expected_indemnity(900.0, 1200.0, 0.0)
    0.0
    """
    if amount_total <= 0 or amount_residual <= 0:
        return 0.0
    return round(insured_amount * min(amount_residual / amount_total, 1.0), 2)


class CreditInsuranceClaim(models.Model):
    _name = "credit.insurance.claim"
    _description = "Credit Insurance Claim"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy",
        required=True,
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="credit_insurance_claim_account_move_rel",
        column1="claim_id",
        column2="move_id",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('insurance_policy_id', '=', policy_id), "
        "('commercial_partner_id', '=', partner_id), "
        "('insurance_declaration_state', '=', 'declared')]",
    )
    amount_outstanding = fields.Monetary(
        string="Unpaid",
        compute="_compute_amounts",
        store=True,
        help="What the customer still owes on the claim's invoices (company currency).",
    )
    amount_claimed = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        readonly=False,
        tracking=True,
        help="Amount claimed from the insurer: the unpaid amount of the invoices, unless changed.",
    )
    amount_expected = fields.Monetary(
        string="Expected Indemnity",
        compute="_compute_amounts",
        store=True,
        help="Coverage rate x the insured part still unpaid: each invoice's insured amount in "
        "the proportion of it still unpaid.",
    )
    amount_indemnified = fields.Monetary(
        string="Indemnity Received", readonly=True, tracking=True, copy=False
    )
    insurer_reference = fields.Char(string="Insurer's Claim Reference", tracking=True, copy=False)
    date_filed = fields.Date(string="Filed On", readonly=True, copy=False)
    date_indemnified = fields.Date(string="Indemnified On", readonly=True, copy=False)
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False)
    state = fields.Selection(
        selection=CLAIM_STATES,
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    note = fields.Html(string="Notes")
    pack_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Claim Pack", readonly=True, copy=False
    )
    pack_datas = fields.Binary(related="pack_attachment_id.datas", string="Pack")
    pack_name = fields.Char(related="pack_attachment_id.name")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "date_filed", "insurer_reference")
    def _compute_display_name(self):
        for claim in self:
            claim.display_name = _(
                "Claim %(reference)s - %(customer)s",
                reference=claim.insurer_reference
                or (claim._origin.id and f"#{claim._origin.id}")
                or "",
                customer=claim.partner_id.name or "",
            )

    @api.depends(
        "move_ids.amount_residual_signed",
        "move_ids.amount_total_signed",
        "move_ids.insurance_insured_amount",
    )
    def _compute_amounts(self):
        for claim in self:
            outstanding = sum(claim.move_ids.mapped("amount_residual_signed"))
            claim.amount_outstanding = outstanding
            if claim.state == "draft" or not claim.amount_claimed:
                claim.amount_claimed = outstanding
            claim.amount_expected = sum(
                expected_indemnity(
                    move.insurance_insured_amount,
                    move.amount_total_signed,
                    move.amount_residual_signed,
                )
                for move in claim.move_ids
            )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("move_ids", "policy_id", "partner_id")
    def _check_moves(self):
        for claim in self:
            wrong = claim.move_ids.filtered(
                lambda m, c=claim: (
                    m.insurance_policy_id != c.policy_id or m.commercial_partner_id != c.partner_id
                )
            )
            if wrong:
                raise ValidationError(
                    _(
                        "A claim holds invoices of its customer %(customer)s under its policy "
                        "%(policy)s only: %(invoices)s are not.",
                        customer=claim.partner_id.display_name,
                        policy=claim.policy_id.name,
                        invoices=", ".join(wrong.mapped("name")),
                    )
                )
            others = self.search(
                [
                    ("id", "!=", claim.id),
                    ("move_ids", "in", claim.move_ids.ids),
                    ("state", "!=", "refused"),
                ]
            )
            if others and claim.state != "refused":
                raise ValidationError(
                    _(
                        "These invoices are already claimed (%(claims)s).",
                        claims=", ".join(others.mapped("display_name")),
                    )
                )

    @api.constrains("amount_claimed", "amount_indemnified")
    def _check_amounts(self):
        for claim in self:
            if claim.amount_claimed < 0 or claim.amount_indemnified < 0:
                raise ValidationError(_("The amounts of a claim cannot be negative."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(workflow_create_vals(self, vals_list, WORKFLOW_FIELDS))
        for claim in claims:
            undeclared = claim.move_ids.filtered(
                lambda m: m.insurance_declaration_state != "declared"
            )
            if undeclared:
                raise ValidationError(
                    _(
                        "Only invoices declared overdue to the insurer can be claimed: "
                        "%(invoices)s are not.",
                        invoices=", ".join(undeclared.mapped("name")),
                    )
                )
        return claims

    def write(self, vals):
        check_workflow_write(self, vals, (*WORKFLOW_FIELDS, *COMPUTED_FIELDS))
        if set(CLAIMED_FIELDS).intersection(vals):
            filed = self.filtered(lambda claim: claim.state != "draft")
            if filed:
                raise UserError(
                    _(
                        "The claim %(claim)s is filed: what it claims (policy, customer, "
                        "invoices, amount) stays as filed.",
                        claim=filed[0].display_name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        if any(claim.state != "draft" for claim in self):
            raise UserError(_("Only a draft claim can be deleted."))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_build_pack(self):
        """(Re)build the claim's pack and attach it."""
        check_manager(self)
        for claim in self:
            claim._build_pack()
        return True

    def action_file(self):
        """The claim is sent to the insurer: its invoices are ``claim``."""
        check_manager(self)
        for claim in self:
            claim._check_state(("draft",), _("file"))
            if not claim.move_ids:
                raise UserError(_("Add the declared invoices to claim first."))
            if not claim.pack_attachment_id:
                claim._build_pack()
        self.sudo().write({"state": "filed", "date_filed": fields.Date.context_today(self)})
        self._sync_declaration_state()
        return True

    def action_indemnified(self):
        """The insurer paid: the wizard that records the amount received."""
        self.ensure_one()
        check_manager(self)
        self._check_state(("filed",), _("mark as indemnified"))
        return {
            "type": "ir.actions.act_window",
            "name": _("Indemnity Received"),
            "res_model": "credit.insurance.claim.indemnity",
            "view_mode": "form",
            "target": "new",
            "context": {"default_claim_id": self.id},
        }

    def action_close(self):
        check_manager(self)
        for claim in self:
            claim._check_state(("indemnified",), _("close"))
        self.sudo().write({"state": "closed", "date_closed": fields.Date.context_today(self)})
        self._sync_declaration_state()
        return True

    def action_refuse(self):
        check_manager(self)
        for claim in self:
            claim._check_state(("draft", "filed"), _("refuse"))
        self.sudo().write({"state": "refused", "date_closed": fields.Date.context_today(self)})
        self._sync_declaration_state()
        return True

    def _mark_indemnified(self, amount, date):
        """The insurer paid ``amount`` on ``date`` (the indemnity wizard)."""
        self.ensure_one()
        check_manager(self)
        self._check_state(("filed",), _("mark as indemnified"))
        if self.currency_id.compare_amounts(amount, 0.0) <= 0:
            raise UserError(_("Enter the indemnity received from the insurer before marking it."))
        self.sudo().write(
            {"state": "indemnified", "amount_indemnified": amount, "date_indemnified": date}
        )
        self._sync_declaration_state()
        return True

    @api.model
    def action_create_from_invoices(self):
        """From the invoice list: a draft claim of the selected declared invoices."""
        moves = self.env["account.move"].browse(self.env.context.get("active_ids", []))
        moves = moves.filtered(lambda m: m.insurance_declaration_state == "declared")
        if not moves:
            raise UserError(
                _("Select invoices declared overdue to the insurer and not claimed yet.")
            )
        if len(moves.insurance_policy_id) > 1 or len(moves.commercial_partner_id) > 1:
            raise UserError(
                _("A claim holds the invoices of one customer under one policy: select those.")
            )
        claim = self.create(
            {
                "policy_id": moves.insurance_policy_id.id,
                "partner_id": moves.commercial_partner_id.id,
                "company_id": moves.company_id.id,
                "move_ids": [fields.Command.set(moves.ids)],
            }
        )
        return claim._get_form_action()

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _check_state(self, states, action):
        self.ensure_one()
        if self.state not in states:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Cannot %(action)s the claim %(claim)s: it is %(state)s.",
                    action=action,
                    claim=self.display_name,
                    state=labels[self.state],
                )
            )

    def _sync_declaration_state(self):
        """The invoices' declaration state follows their claim."""
        for claim in self:
            claim.move_ids.sudo().write(
                {"insurance_declaration_state": DECLARATION_BY_STATE[claim.state]}
            )
            claim.move_ids.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    claim.move_ids.ids,
                    _(
                        "Credit insurance claim %(claim)s: %(state)s.",
                        claim=claim.display_name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            claim.state
                        ],
                    ),
                )
            )

    def _pack_rows(self):
        """One row per invoice of the claim, for the pack."""
        self.ensure_one()
        header = [
            _("Invoice"),
            _("Invoice Date"),
            _("Due Date"),
            _("Declared On"),
            _("Amount"),
            _("Balance"),
            _("Insured Amount"),
            _("Expected Indemnity"),
            _("Currency"),
        ]
        rows = [
            [
                move.name,
                fields.Date.to_string(move.invoice_date),
                fields.Date.to_string(move.invoice_date_due),
                fields.Date.to_string(move.insurance_declaration_date) or "",
                move.amount_total_signed,
                move.amount_residual_signed,
                move.insurance_insured_amount,
                expected_indemnity(
                    move.insurance_insured_amount,
                    move.amount_total_signed,
                    move.amount_residual_signed,
                ),
                self.currency_id.name,
            ]
            for move in self.move_ids.sorted(lambda m: (m.invoice_date_due, m.name))
        ]
        return header, rows

    def _pack_content(self):
        """The bytes of the claim's zip: the hand-off pack of credit_management for its
        invoices, as they are now."""
        self.ensure_one()
        header, rows = self._pack_rows()
        moves = self.move_ids.sudo()
        reminders = moves.dunning_line_ids.filtered(lambda ln: ln.state == "sent").dunning_id
        return self.env["credit.dunning"].sudo()._handoff_zip(header, rows, moves, reminders)

    def _build_pack(self):
        """The hand-off pack of credit_management for the claim's invoices, attached."""
        self.ensure_one()
        content = self._pack_content()
        name = _(
            "Claim %(customer)s - %(policy)s.zip",
            customer=self.partner_id.name,
            policy=self.policy_id.policy_number or self.policy_id.name,
        )
        self.pack_attachment_id.sudo().unlink()
        self.sudo().pack_attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name.replace("/", "-"),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/zip",
                }
            )
        )
        self.message_post(
            body=_("Claim pack built: %(count)s invoices.", count=len(self.move_ids)),
            attachment_ids=self.pack_attachment_id.ids,
        )
        return self.pack_attachment_id
