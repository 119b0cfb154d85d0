"""Every decision an insurer gave on a cover, kept as received.

A decision is recorded by a connector or typed in by a credit manager (from the insurer's
letter), then kept as it is: its cover, dates, state, amount and reference are never written
again, by anyone (a new decision follows; a mistyped one is deleted and typed again). Its
note and letter may be completed.

A reduction or a cancellation moves the customer to the company's watch profile (unless its
profile is pinned), so that its reminders follow that profile's scenario.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import format_date

# What the insurer decided (and the cover's policy and company): written at creation only.
DECIDED_FIELDS = (
    "cover_id",
    "policy_id",
    "company_id",
    "date",
    "date_end",
    "amount",
    "state",
    "reference",
)

DECISION_STATES = [
    ("granted", "Granted"),
    ("partial", "Partially Granted"),
    ("refused", "Refused"),
    ("reduced", "Reduced"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]


class CreditInsuranceDecision(models.Model):
    _name = "credit.insurance.decision"
    _description = "Credit Insurance Decision"
    _order = "date desc, id desc"
    _check_company_auto = True

    cover_id = fields.Many2one(
        comodel_name="credit.insurance.cover",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    policy_id = fields.Many2one(related="cover_id.policy_id", store=True, precompute=True)
    company_id = fields.Many2one(related="cover_id.company_id", store=True, precompute=True)
    partner_id = fields.Many2one(related="cover_id.partner_id", string="Customer")
    currency_id = fields.Many2one(related="cover_id.currency_id")
    date = fields.Date(string="Effective Date", required=True, default=fields.Date.context_today)
    date_end = fields.Date(string="Valid Until")
    amount = fields.Monetary(help="Amount granted by this decision (0 when refused).")
    state = fields.Selection(selection=DECISION_STATES, string="Decision", required=True)
    reference = fields.Char(required=True, help="The insurer's reference of the decision.")
    note = fields.Text()
    letter = fields.Binary(string="Insurer's Letter", attachment=True)
    letter_filename = fields.Char()

    _sql_constraints = [
        (
            "reference_policy_uniq",
            "unique (policy_id, reference)",
            "The reference of a decision must be unique per policy.",
        ),
    ]

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("amount", "state")
    def _check_amount(self):
        for decision in self:
            if decision.amount < 0:
                raise ValidationError(_("The amount of a decision cannot be negative."))
            if decision.state in ("refused", "cancelled", "expired") and decision.amount:
                raise ValidationError(_("A refused, cancelled or expired cover grants no amount."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        decisions = super().create(vals_list)
        # The insurer has answered: a pending request is settled.
        decisions.cover_id.filtered("request_pending").sudo().request_pending = False
        states = decisions._state_labels()
        for decision in decisions:
            decision.cover_id.message_post(
                body=_(
                    "Insurer's decision %(reference)s: %(state)s, %(amount)s from %(date)s.",
                    reference=decision.reference,
                    state=states[decision.state],
                    amount=decision.cover_id._format_amount(decision.amount),
                    date=format_date(self.env, decision.date),
                )
            )
        decisions.filtered(lambda d: d.state in ("reduced", "cancelled"))._move_to_watch()
        self.env["credit.insurance.alert"]._raise_on_decisions(decisions)
        return decisions

    def write(self, vals):
        if set(DECIDED_FIELDS).intersection(vals):
            raise UserError(
                _(
                    "The insurer's decision %(reference)s is kept as it was received: record a "
                    "new decision instead (or delete a mistyped one and type it again).",
                    reference=self[:1].reference,
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _state_labels(self):
        """The decisions' state labels in the user's language, for the chatter."""
        return dict(self._fields["state"]._description_selection(self.env))

    def _move_to_watch(self):
        """Move the customers of these decisions to their company's watch profile."""
        states = self._state_labels()
        for decision in self:
            profile = decision.company_id.credit_insurance_watch_profile_id
            partner = decision.partner_id
            if not profile or partner.payer_profile_pinned or partner.payer_profile_id == profile:
                continue
            previous = partner.payer_profile_id
            # Not a choice by hand: the profile stays unpinned and keeps following events.
            partner.sudo().with_context(credit_profile_auto=True).payer_profile_id = profile
            partner.message_post(
                body=_(
                    "Payer profile changed from %(old)s to %(new)s after the credit insurer's "
                    "decision %(reference)s (%(state)s).",
                    old=previous.name or _("none"),
                    new=profile.name,
                    state=states[decision.state],
                    reference=decision.reference,
                )
            )
