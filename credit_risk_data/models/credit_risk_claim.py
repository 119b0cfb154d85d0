"""Claim declarations: what the customer owed on the day of the judgment, to declare.

After an opening judgment, every creditor whose claim was born before it declares the claim
to the court-appointed representative (mandataire judiciaire, Code de commerce L622-24)
within two months of the publication of the judgment in the BODACC (R622-24; two months more
for creditors outside metropolitan France). The claim lists the customer's invoices dated
before the judgment and their residual on the day it was prepared; its letter (QWeb PDF, in
French) goes to the representative. The daily job raises an activity when the deadline
comes near.
"""

from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

CLAIM_STATES = [
    ("to_declare", "To Declare"),
    ("declared", "Declared"),
    ("admitted", "Admitted"),
    ("rejected", "Rejected"),
    ("closed", "Closed"),
]
WORKFLOW_FIELDS = {
    "state",
    "amount",
    "date_deadline",
    "date_declared",
    "deadline_alerted",
    "event_id",
    "partner_id",
    "company_id",
}


def claim_deadline(date_published, abroad=False):
    """The last day to declare: publication + two months (four from abroad).

    >>> from datetime import date
    >>> claim_deadline(date(2026, 12, 31))
    datetime.date(2027, 2, 28)
    >>> claim_deadline(date(2026, 12, 5), abroad=True)
    datetime.date(2027, 4, 5)
    """
    return date_published + relativedelta(months=4 if abroad else 2)


class CreditRiskClaim(models.Model):
    _name = "credit.risk.claim"
    _description = "Claim Declaration"
    _inherit = [
        "credit.risk.customer.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "credit.workflow.mixin",
    ]
    _order = "date_deadline, id"

    name = fields.Char(compute="_compute_name", store=True)
    # A claim is a record of the court: its customer is not deleted while it exists.
    partner_id = fields.Many2one(ondelete="restrict")
    event_id = fields.Many2one(
        comodel_name="credit.risk.event", string="Judgment", index=True, check_company=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    representative_id = fields.Many2one(
        comodel_name="res.partner",
        string="Court Representative",
        help="The mandataire judiciaire (or liquidator) the claim is declared to.",
    )
    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('commercial_partner_id', '=', partner_id)]",
    )
    amount = fields.Monetary(
        string="Amount Claimed",
        compute="_compute_amount",
        store=True,
        readonly=True,
        help="The residual of the invoices when the claim was prepared (company currency).",
    )
    date_judgment = fields.Date(related="event_id.date_judgment")
    date_published = fields.Date(related="event_id.date_published")
    court = fields.Char(related="event_id.court")
    date_deadline = fields.Date(
        string="Deadline", compute="_compute_date_deadline", store=True, readonly=True
    )
    date_declared = fields.Date(readonly=True)
    deadline_alerted = fields.Boolean(readonly=True, copy=False)
    state = fields.Selection(
        selection=CLAIM_STATES, default="to_declare", required=True, tracking=True, index=True
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # WORKFLOW (credit.workflow.mixin)
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | WORKFLOW_FIELDS

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(),
            state="to_declare",
            date_declared=False,
            deadline_alerted=False,
        )

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {"move_ids", "representative_id"}

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state != "to_declare"

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id.name", "event_id.date_judgment")
    def _compute_name(self):
        for claim in self:
            claim.name = _("Claim on %(partner)s", partner=claim.partner_id.name or "")

    @api.depends("move_ids")
    def _compute_amount(self):
        for claim in self:
            if claim.state == "to_declare" or not claim.amount:
                claim.amount = sum(claim.move_ids.mapped("amount_residual_signed"))

    @api.depends("event_id.date_published", "company_id")
    def _compute_date_deadline(self):
        for claim in self:
            published = claim.event_id.date_published
            abroad = claim.company_id.country_id.code not in (False, "FR")
            claim.date_deadline = published and claim_deadline(published, abroad)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _move_to(self, state, allowed, vals=None):
        self._workflow_check()
        if not self.env.su and not self.env.user.has_group(
            "credit_management.group_credit_manager"
        ):
            raise UserError(_("Only credit managers declare claims."))
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            raise UserError(
                _(
                    "The claim %(claim)s cannot go from this state to %(state)s.",
                    claim=wrong[0].display_name,
                    state=dict(CLAIM_STATES)[state],
                )
            )
        self._workflow_write(dict(vals or {}, state=state))
        return True

    def action_declare(self):
        return self._move_to(
            "declared", ("to_declare",), {"date_declared": fields.Date.context_today(self)}
        )

    def action_admit(self):
        return self._move_to("admitted", ("declared",))

    def action_reject(self):
        return self._move_to("rejected", ("declared",))

    def action_close(self):
        return self._move_to("closed", ("declared", "admitted", "rejected"))

    def action_print_letter(self):
        return self.env.ref("credit_risk_data.credit_risk_claim_letter_report").report_action(self)

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_deadline_alerts(self):
        """An activity for each claim to declare whose deadline comes near, once."""
        today = fields.Date.context_today(self)
        claims = self.sudo().search(
            [("state", "=", "to_declare"), ("deadline_alerted", "=", False)]
        )
        for claim in claims:
            days = claim.company_id.credit_risk_claim_alert_days
            if not claim.date_deadline or claim.date_deadline > today + relativedelta(days=days):
                continue
            claim = claim.company_id._credit_in_users_lang(claim)
            user = claim.company_id.credit_manager_id or claim.event_id._default_manager(
                claim.company_id
            )
            if user:
                claim.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=_("Declare the claim before %(date)s", date=claim.date_deadline),
                    user_id=user.id,
                    date_deadline=claim.date_deadline,
                )
            claim.deadline_alerted = True

    # ------------------------------------------------------------
    # LETTER
    # ------------------------------------------------------------

    def _letter_lines(self):
        """``[(invoice, date, due date, total, residual)]`` of the letter."""
        self.ensure_one()
        return [
            (
                move.name,
                move.invoice_date,
                move.invoice_date_due,
                move.amount_total_signed,
                move.amount_residual_signed,
            )
            for move in self.move_ids.sorted(lambda m: (m.invoice_date, m.id))
        ]
