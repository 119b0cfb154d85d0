from collections import defaultdict

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .. import compat


class CreditPayerProfile(models.Model):
    _name = "credit.payer.profile"
    _description = "Payer Profile"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code used by imports and integrations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the profile between companies.",
    )
    dunning_scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        check_company=True,
        help="Scenario of the customers of this profile, unless they have their own.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")
    auto_assign = fields.Boolean(
        string="Follows the Score",
        help="Customers whose behaviour score falls within the bounds get this profile every "
        "night, unless a manager pinned their profile.",
    )
    score_min = fields.Integer(string="Score From", default=0)
    score_max = fields.Integer(string="Score To", default=100)
    avg_days_late_max = fields.Float(
        string="Average Days Late At Most",
        help="Also required to get the profile automatically; 0: no bound.",
    )

    _code_company_uniq = compat.Constraint(
        "unique nulls not distinct (code, company_id)",
        "The code of a payer profile must be unique per company.",
    )

    @api.constrains("score_min", "score_max", "avg_days_late_max")
    def _check_bounds(self):
        for profile in self:
            if not 0 <= profile.score_min <= profile.score_max <= 100:
                raise ValidationError(
                    _(
                        "Payer profile %(name)s: the score bounds are between 0 and 100, the "
                        "lower one first.",
                        name=profile.name,
                    )
                )
            if profile.avg_days_late_max < 0:
                raise ValidationError(_("The average days late cannot be negative."))

    def _matches(self, score, avg_days_late):
        self.ensure_one()
        return self.score_min <= score <= self.score_max and (
            not self.avg_days_late_max or avg_days_late <= self.avg_days_late_max
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _assign_by_score(self, company):
        """The customers of ``company`` (and the shared ones) get the first automatic
        profile whose bounds hold their behaviour score, unless their profile is pinned.
        Called every night after the scores (``res.partner._cron_update_credit_score``).

        One write per profile, without Odoo's field tracking (it posts one message per
        customer); each change is logged instead in one batch of chatter notes, with the
        previous profile and the score."""
        profiles = self.search(
            [("auto_assign", "=", True), ("company_id", "in", [False, company.id])]
        )
        if not profiles:
            return
        scores = self.env["credit.partner.score"].search_fetch(
            [("company_id", "=", company.id)], ["partner_id", "score", "avg_days_late"]
        )
        scores.partner_id.fetch(["payer_profile_pinned", "company_id", "payer_profile_id"])
        moves = defaultdict(list)  # profile: [(partner, previous profile, score)]
        for score in scores:
            partner = score.partner_id
            # A customer of one company follows its score there; a shared one, its score in
            # each company with a history (the companies in order: the last one decides).
            if partner.payer_profile_pinned or partner.company_id not in (
                company,
                company.browse(),
            ):
                continue
            target = next(
                (p for p in profiles if p._matches(score.score, score.avg_days_late)), None
            )
            if target and partner.payer_profile_id != target:
                moves[target].append((partner.id, partner.payer_profile_id, score.score))
        for profile, changes in moves.items():
            partners = self.env["res.partner"].browse(
                [partner_id for partner_id, _old, _score in changes]
            )
            partners.with_context(credit_profile_auto=True, tracking_disable=True).write(
                {"payer_profile_id": profile.id}
            )
            bodies = {}
            for partner_id, previous, score in changes:
                if previous:
                    bodies[partner_id] = self.env._(
                        "Payer profile changed from %(previous)s to %(profile)s by the "
                        "behaviour score (%(score)s).",
                        previous=previous.name,
                        profile=profile.name,
                        score=score,
                    )
                else:
                    bodies[partner_id] = self.env._(
                        "Payer profile set to %(profile)s by the behaviour score (%(score)s).",
                        profile=profile.name,
                        score=score,
                    )
            partners._message_log_batch(bodies=bodies)

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("payer_profile_id", "in", self.ids)], ["payer_profile_id"], ["__count"]
            )
        )
        for profile in self:
            profile.partner_count = counts.get(profile, 0)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.res_partner_credit_action"
        )
        action["domain"] = [("payer_profile_id", "=", self.id)]
        action["context"] = {"default_payer_profile_id": self.id}
        return action
