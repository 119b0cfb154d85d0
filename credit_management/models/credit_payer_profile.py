from odoo import fields
from odoo import models


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

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique nulls not distinct (code, company_id)",
            "The code of a payer profile must be unique per company.",
        ),
    ]

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
