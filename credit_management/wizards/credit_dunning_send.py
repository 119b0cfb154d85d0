from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

from ..models.credit_workflow_mixin import COLLECTOR_GROUP


class CreditDunningSend(models.TransientModel):
    _name = "credit.dunning.send"
    _description = "Send a Reminder Now"

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        compute="_compute_scenario_id",
        help="The customer's scenario.",
    )
    level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        required=True,
        compute="_compute_level_id",
        store=True,
        readonly=False,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Tone and channels of the reminder.",
    )
    overdue_only = fields.Boolean(
        string="Remind Overdue Invoices Only",
        default=True,
        help="Remind the overdue invoices; the invoices not yet due are listed for "
        "information. Untick to remind every open invoice.",
    )

    @api.depends("partner_id", "company_id")
    def _compute_scenario_id(self):
        for wizard in self:
            partner = wizard.partner_id.with_company(wizard.company_id)
            wizard.scenario_id = (
                partner.dunning_scenario_id
                or partner.payer_profile_id.dunning_scenario_id
                or wizard.company_id.credit_dunning_scenario_id
            )

    @api.depends("partner_id", "company_id")
    def _compute_level_id(self):
        for wizard in self:
            partner = wizard.partner_id.with_company(wizard.company_id)
            wizard.level_id = partner.dunning_next_level_id or wizard.scenario_id.level_ids[:1]

    def _check_sender(self):
        """Collectors send a reminder by hand, at any level of the scenario (formal notices
        included, as they validate those of the run), to a customer they read, for a company
        of theirs."""
        if not self.env.su:
            user = self.env.user
            if not user.has_group(COLLECTOR_GROUP):
                raise AccessError(_("Only collectors and credit managers can send reminders."))
            if self.company_id not in user.company_ids:
                raise AccessError(
                    _("You cannot send reminders for %(company)s.", company=self.company_id.name)
                )
            self.partner_id.check_access("read")
        if self.level_id.company_id not in (self.company_id, self.company_id.browse()):
            raise UserError(
                _(
                    "Level %(level)s is not a level of %(company)s.",
                    level=self.level_id.name,
                    company=self.company_id.name,
                )
            )

    def action_send(self):
        self.ensure_one()
        self._check_sender()
        Dunning = self.env["credit.dunning"].with_company(self.company_id)
        date = fields.Date.context_today(self)
        plan = Dunning.sudo()._dunning_plan(
            self.company_id, date, commercial_ids=self.partner_id.commercial_partner_id.ids
        )
        live = {
            line.move_id.id
            for line in self.env["credit.dunning.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", [row["move_id"] for row in plan]),
                    ("level_id", "=", self.level_id.id),
                    ("state", "!=", "cancelled"),
                ]
            )
        }
        # The run's grouping, with the chosen level for the invoices to remind: all to the
        # customer (its third-party payers get their own reminders), no minimum amount.
        rows = []
        for row in plan:
            if not row["listed"] or row["third_party_payer_id"]:
                continue
            escalates = (
                row["kind"] == "invoice"
                and row["move_id"] not in live
                and (row["days_overdue"] > 0 or not self.overdue_only)
            )
            row.update(
                next_level=self.level_id if escalates else self.level_id.browse(),
                eligible_date=date if escalates else None,
                pending=False,
            )
            rows.append(row)
        groups = Dunning._dunning_groups(rows, date, grouping="commercial", apply_minimums=False)
        user = self.partner_id.with_company(self.company_id).dunning_responsible_id or self.env.user
        vals_list = []
        for group in groups:
            vals = Dunning._dunning_prepare_vals(dict(group, user_id=user.id, is_manual=True))
            vals["state"] = "draft"
            vals_list.append(vals)
        if not vals_list:
            raise UserError(
                _(
                    "%(partner)s has no invoice to remind at level %(level)s: nothing is "
                    "overdue, or its invoices are excluded, disputed, blocked or were already "
                    "reminded at this level.",
                    partner=self.partner_id.display_name,
                    level=self.level_id.name,
                )
            )
        # sudo: reminders are the engine's records, created once the sender was checked; sent
        # as the sender.
        reminders = Dunning.sudo().create(vals_list).sudo(False)
        reminders._send()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dunning_action"
        )
        if len(reminders) == 1:
            action.update({"res_id": reminders.id, "view_mode": "form", "views": [(False, "form")]})
        else:
            action["domain"] = [("id", "in", reminders.ids)]
        return action
