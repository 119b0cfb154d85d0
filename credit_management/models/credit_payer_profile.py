from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


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

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique nulls not distinct (code, company_id)",
            "The code of a payer profile must be unique per company.",
        ),
    ]

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
