"""A buyer's cover (agrément): the limit the insurer grants on one customer.

The cover's state, granted amount and dates follow its latest decision in force (by effective
date, then by order of entry); before any decision the cover is a draft, then requested.

A decision dated in the future (a reduction after the insurer's notice, a new amount from the
first of next month) is kept but held back: the cover follows it from its effective date, when
the daily scheduled action applies it (``date_next_decision`` says when). A new request on a
decided cover leaves the standing decision in force until the insurer answers
(``request_pending``).
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import formatLang

from .workflow import check_manager
from .workflow import check_workflow_write
from .workflow import workflow_create_vals

COVER_STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("granted", "Granted"),
    ("partial", "Partially Granted"),
    ("refused", "Refused"),
    ("reduced", "Reduced"),
    ("cancelled", "Cancelled"),
    ("expired", "Expired"),
]
# Decisions under which the cover insures deliveries, up to the amount granted.
GRANTING_STATES = ("granted", "partial", "reduced")
# Set by the insurer's decisions, the cover's request and its connector only (workflow.py),
# with their values on a new cover.
WORKFLOW_FIELDS = {
    "state": "draft",
    "amount_granted": 0.0,
    "date_start": False,
    "date_end": False,
    "date_next_decision": False,
    "requested": False,
    "request_pending": False,
    "date_requested": False,
    "insurer_job_ref": False,
    "insurer_cover_ref": False,
}
# What a cover is about: fixed once the insurer decided on it.
DECIDED_FIELDS = ("partner_id", "policy_id")


class CreditInsuranceCover(models.Model):
    _name = "credit.insurance.cover"
    _description = "Credit Insurance Cover"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy",
        required=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('parent_id', '=', False)]",
    )
    buyer_ref = fields.Char(string="Insurer's Buyer Id", tracking=True)
    amount_requested = fields.Monetary(tracking=True)
    amount_granted = fields.Monetary(compute="_compute_from_decisions", store=True, tracking=True)
    state = fields.Selection(
        selection=COVER_STATES,
        compute="_compute_from_decisions",
        store=True,
        readonly=True,
        default="draft",
        tracking=True,
        index=True,
    )
    date_start = fields.Date(
        compute="_compute_from_decisions", store=True, help="Effective date of the latest decision."
    )
    date_end = fields.Date(compute="_compute_from_decisions", store=True)
    decision_ids = fields.One2many(
        comodel_name="credit.insurance.decision", inverse_name="cover_id"
    )
    requested = fields.Boolean(readonly=True, copy=False, help="Sent to the insurer.")
    request_pending = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A request was sent to the insurer and awaits its decision; the latest decision "
        "stays in force meanwhile.",
    )
    date_requested = fields.Date(readonly=True, copy=False, string="Last Requested On")
    date_next_decision = fields.Date(
        compute="_compute_from_decisions",
        store=True,
        index=True,
        help="Effective date of a decision received but not yet in force.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("requested", "decision_ids.date", "decision_ids.state", "decision_ids.amount")
    def _compute_from_decisions(self):
        today = fields.Date.context_today(self)
        for cover in self:
            decisions = cover.decision_ids.sorted(lambda d: (d.date, d.id or 0))
            effective = decisions.filtered(lambda d: d.date <= today)
            latest = effective[-1:]
            cover.date_next_decision = min((d.date for d in decisions - effective), default=False)
            if latest:
                cover.state = latest.state
                cover.amount_granted = latest.amount if latest.state in GRANTING_STATES else 0.0
                cover.date_start = latest.date
                cover.date_end = latest.date_end
            else:
                cover.state = "requested" if cover.requested else "draft"
                cover.amount_granted = 0.0
                cover.date_start = False
                cover.date_end = False

    @api.depends("partner_id", "policy_id")
    def _compute_display_name(self):
        for cover in self:
            cover.display_name = f"{cover.partner_id.name or ''} / {cover.policy_id.name or ''}"

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("partner_id")
    def _check_partner(self):
        for cover in self:
            if cover.partner_id != cover.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "A cover is on the customer's company (%(company)s), not on a contact.",
                        company=cover.partner_id.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("amount_requested")
    def _check_amount(self):
        if any(cover.amount_requested < 0 for cover in self):
            raise ValidationError(_("The amount requested cannot be negative."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(workflow_create_vals(self, vals_list, WORKFLOW_FIELDS))

    def write(self, vals):
        # The company is the policy's.
        check_workflow_write(self, vals, (*WORKFLOW_FIELDS, "company_id"))
        if set(DECIDED_FIELDS).intersection(vals):
            decided = self.filtered("decision_ids")
            changed = decided.filtered(
                lambda cover: any(
                    cover[name].id != vals[name] for name in DECIDED_FIELDS if name in vals
                )
            )
            if changed:
                raise UserError(
                    _(
                        "The insurer decided on the cover %(cover)s: its customer and policy "
                        "stay. Request a new cover instead.",
                        cover=changed[0].display_name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_request(self):
        """Send the request to the policy's provider."""
        check_manager(self)
        for cover in self:
            if cover.policy_id.state != "active":
                raise UserError(
                    _("The policy %(policy)s is not active.", policy=cover.policy_id.name)
                )
            if cover.amount_requested <= 0:
                raise UserError(_("Enter the amount to request first."))
            if cover.policy_id.provider_code != "manual":
                # An insurer's API is asked only with identifiers python-stdnum accepts: a
                # typing error is reported here, before anything is sent.
                cover.partner_id._insurance_buyer_identifiers()
            # A decided cover keeps its decision in force until the insurer answers.
            cover.sudo().write(
                {
                    "requested": True,
                    "request_pending": True,
                    "date_requested": fields.Date.context_today(cover),
                }
            )
            cover.policy_id._insurer_request_cover(cover)
        return True

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_apply_due_decisions(self):
        """Put in force the decisions whose effective date has come (set-based)."""
        covers = self.search([("date_next_decision", "<=", fields.Date.context_today(self))])
        if covers:
            # Every field of the decisions' compute (state, amount, dates) is recomputed.
            for field in self.pool.field_computed[self._fields["state"]]:
                self.env.add_to_compute(field, covers)
            covers._recompute_recordset()
        return covers

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _format_amount(self, amount):
        self.ensure_one()
        return formatLang(self.env, amount, currency_obj=self.currency_id)
