"""Dunning facts of customers: collector, scenario override, blocks, the next reminder."""

from odoo import api
from odoo import fields
from odoo import models

from .credit_field_rights import COLLECTOR
from .credit_field_rights import MANAGER


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    dunning_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        company_dependent=True,
        tracking=True,
        help="Collector in charge of this customer's receivable.",
    )

    dunning_scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        company_dependent=True,
        tracking=True,
        help="Scenario of this customer, instead of its payer profile's or the company's.",
    )
    dunning_block_until = fields.Date(
        string="No Reminders Until",
        company_dependent=True,
        tracking=True,
        help="No reminder for this customer before this date.",
    )
    dunning_next_date = fields.Date(
        string="Next Reminder",
        compute="_compute_dunning_next",
        help="Date of the next reminder, if nothing is paid by then.",
    )
    dunning_next_level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        string="Next Level",
        compute="_compute_dunning_next",
    )
    dunning_count = fields.Integer(string="Reminders", compute="_compute_dunning_count")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    def _compute_dunning_next(self):
        company = self.env.company
        commercials = self.commercial_partner_id
        plan = (
            self.env["credit.dunning"]
            .sudo()
            ._dunning_plan(company, fields.Date.context_today(self), commercial_ids=commercials.ids)
        )
        next_by_partner = {}
        for row in plan:
            if not row["next_level"] or row["pending"]:
                continue
            key = row["commercial_partner_id"]
            candidate = (row["eligible_date"], -row["next_level"].days, row["next_level"])
            if key not in next_by_partner or candidate[:2] < next_by_partner[key][:2]:
                next_by_partner[key] = candidate
        for partner in self:
            found = next_by_partner.get(partner.commercial_partner_id.id)
            partner.dunning_next_date = found[0] if found else False
            partner.dunning_next_level_id = found[2] if found else False

    def _compute_dunning_count(self):
        counts = dict(
            self.env["credit.dunning"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_count = counts.get(partner.commercial_partner_id, 0)

    # ------------------------------------------------------------
    # RIGHTS
    # ------------------------------------------------------------

    @api.model
    def _credit_field_rights(self):
        return {
            **super()._credit_field_rights(),
            "dunning_scenario_id": MANAGER,
            # Collectors take customers into their portfolio and pause their reminders.
            "dunning_responsible_id": COLLECTOR,
            "dunning_block_until": COLLECTOR,
        }

    def _credit_check_field_rights(self, vals):
        res = super()._credit_check_field_rights(vals)
        if vals.get("dunning_block_until") and not self._credit_is_manager():
            self.env.company._credit_check_dunning_pause(vals["dunning_block_until"])
        return res

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        # The first-run checklist: customers get their collectors.
        if vals.get("dunning_responsible_id"):
            self.env["onboarding.onboarding.step"]._credit_validate_steps("collectors")
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_dunnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dunning_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"create": False}
        return action

    def action_send_dunning(self):
        """Open the wizard that sends a reminder now, at a level the collector chooses."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dunning_send_action"
        )
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
