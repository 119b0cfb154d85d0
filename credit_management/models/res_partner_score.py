"""The behaviour score of customers and the payer profile that follows it (unless pinned)."""

from odoo import api
from odoo import fields
from odoo import models

from ..engine import score as score_engine
from .credit_field_rights import MANAGER


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    payer_profile_id = fields.Many2one(
        comodel_name="credit.payer.profile",
        tracking=True,
        ondelete="restrict",
    )
    payer_profile_pinned = fields.Boolean(
        string="Profile Pinned",
        tracking=True,
        help="Set when a manager chooses the profile by hand: it no longer follows the score.",
    )
    credit_score = fields.Integer(
        string="Behaviour Score",
        compute="_compute_credit_score",
        help="0 to 100, from the last 12 months: days late, invoices paid late, promises "
        "broken, disputes rejected and what is overdue now. Updated every night.",
    )
    credit_grade = fields.Selection(
        selection=[("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("E", "E")],
        string="Grade",
        compute="_compute_credit_score",
    )
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_credit_score",
        help="Over the last 12 months, weighted by the invoices' amounts.",
    )
    credit_score_id = fields.Many2one(
        comodel_name="credit.partner.score",
        string="Score Factors",
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    # The factors behind the score, shown on the customer's Credit page to managers.
    credit_score_invoice_count = fields.Integer(
        string="Invoices Paid",
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    credit_score_late_share = fields.Float(
        string="Paid Late (%)",
        digits=(16, 1),
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    credit_score_promises_broken = fields.Integer(
        string="Promises Broken",
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    credit_score_disputes_rejected = fields.Integer(
        string="Disputes Rejected",
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    credit_score_overdue_ratio = fields.Float(
        string="Overdue Now (%)",
        digits=(16, 1),
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )
    credit_score_date = fields.Date(
        string="Computed On",
        compute="_compute_credit_score",
        groups="credit_management.group_credit_manager",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_credit_score(self):
        Score = self.env["credit.partner.score"]
        # Everyone who reads a customer reads its score; the factors are for managers.
        scores = {
            score.partner_id.id: score
            for score in Score.sudo().search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        }
        neutral = score_engine.NEUTRAL
        for partner in self:
            score = scores.get(partner.commercial_partner_id.id)
            partner.credit_score = score.score if score else neutral
            partner.credit_grade = score.grade if score else Score._score_grade(neutral)
            partner.avg_days_late = score.avg_days_late if score else 0.0
            partner.credit_score_id = score.id if score else False
            partner.credit_score_invoice_count = score.invoice_count if score else 0
            partner.credit_score_late_share = score.late_share if score else 0.0
            partner.credit_score_promises_broken = score.promises_broken if score else 0
            partner.credit_score_disputes_rejected = score.disputes_rejected if score else 0
            partner.credit_score_overdue_ratio = score.overdue_ratio if score else 0.0
            partner.credit_score_date = score.date if score else False

    @api.model
    def _cron_update_credit_score(self, date=None):
        """Every night: the behaviour score of every customer of every company, set-based."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        Score = self.env["credit.partner.score"].sudo()
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        Profile = self.env["credit.payer.profile"].sudo()
        for company in companies:
            Score.with_company(company)._score_update(company, date)
            # The notes of the profiles changed, in the language of the company's users.
            company._credit_in_users_lang(Profile)._assign_by_score(company)

    # ------------------------------------------------------------
    # RIGHTS
    # ------------------------------------------------------------

    @api.model
    def _credit_field_rights(self):
        return {
            **super()._credit_field_rights(),
            "payer_profile_id": MANAGER,
            "payer_profile_pinned": MANAGER,
        }

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        # A profile chosen by hand is pinned: it no longer follows the score.
        if (
            "payer_profile_id" in vals
            and "payer_profile_pinned" not in vals
            and not self.env.context.get("credit_profile_auto")
        ):
            vals = dict(vals, payer_profile_pinned=bool(vals["payer_profile_id"]))
        return super().write(vals)
