"""Dunning facts of customer invoices: their level, reminders, exclusions, hand-off and
third-party payer."""

from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools.sql import create_index

from .credit_field_rights import COLLECTOR
from .credit_field_rights import MANAGER
from .credit_field_rights import METHOD
from .credit_field_rights import check_field_rights

# Who writes the dunning fields of an invoice (credit_field_rights); the others are set by
# the dunning engine, disputes and promises.
FIELD_RIGHTS = {
    "dunning_scenario_id": MANAGER,
    "dunning_excluded": MANAGER,
    "dunning_block_until": COLLECTOR,
    "third_party_payer_id": COLLECTOR,
    "dunning_level_id": METHOD,
    "dunning_date": METHOD,
    "dunning_line_ids": METHOD,
    "dunning_handoff_date": METHOD,
    "dunning_handoff_id": METHOD,
    # Disputes and promises link their invoices from their side.
    "dispute_ids": METHOD,
    "promise_ids": METHOD,
    "in_dispute": METHOD,
}


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_line_ids = fields.One2many(
        comodel_name="credit.dunning.line",
        inverse_name="move_id",
        string="Reminders",
        readonly=True,
    )
    dunning_level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        compute="_compute_dunning_level",
        store=True,
        index="btree_not_null",
        help="Highest level reached by a reminder sent for this invoice.",
    )
    dunning_date = fields.Date(
        string="Last Reminder",
        compute="_compute_dunning_level",
        store=True,
        help="Date of the last reminder sent for this invoice.",
    )
    dunning_count = fields.Integer(compute="_compute_dunning_count", string="Reminders Sent")
    dunning_scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        copy=False,
        tracking=True,
        check_company=True,
        help="Scenario of this invoice, instead of the customer's.",
    )
    dunning_excluded = fields.Boolean(
        string="No Reminders",
        copy=False,
        tracking=True,
        help="Never remind this invoice.",
    )
    dunning_block_until = fields.Date(
        string="No Reminders Until",
        copy=False,
        tracking=True,
        help="No reminder for this invoice before this date.",
    )
    dunning_handoff_date = fields.Date(
        string="Handed Off On",
        copy=False,
        readonly=True,
        tracking=True,
        help="Day the invoice was handed off to a collection agency or a lawyer: it left the "
        "dunning scenario.",
    )
    dunning_handoff_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Hand-off Reminder",
        copy=False,
        readonly=True,
    )
    third_party_payer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Third-Party Payer",
        copy=False,
        tracking=True,
        help="Who pays this invoice for the customer (a factor, a parent company, an "
        "insurer…): reminders go to the payer.",
    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._credit_check_field_rights(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._credit_check_field_rights(vals)
        return super().write(vals)

    def _credit_check_field_rights(self, vals):
        check_field_rights(self, vals, FIELD_RIGHTS)
        if vals.get("dunning_block_until") and not self.env.su:
            if not self.env.user.has_group(MANAGER):
                self.env.company._credit_check_dunning_pause(vals["dunning_block_until"])

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("dunning_line_ids.state", "dunning_line_ids.level_id")
    def _compute_dunning_level(self):
        # One search for all the invoices: a dunning run recomputes thousands of them, and
        # most have no sent reminder yet.
        sent = defaultdict(list)
        moves = self._origin.filtered("id")
        if moves:
            lines = self.env["credit.dunning.line"].search_fetch(
                [("move_id", "in", moves.ids), ("state", "=", "sent"), ("level_id", "!=", False)],
                ["move_id", "level_id", "dunning_id"],
            )
            for line in lines:
                sent[line.move_id.id].append(line)
        never = self.filtered(lambda move: move._origin.id not in sent)
        never.update({"dunning_level_id": False, "dunning_date": False})
        for move in self - never:
            lines = sent[move._origin.id]
            last = max(lines, key=lambda line: (line.level_id.days, line.id))
            move.dunning_level_id = last.level_id
            move.dunning_date = max(line.dunning_id.date for line in lines)

    def _compute_dunning_count(self):
        counts = dict(
            self.env["credit.dunning.line"]._read_group(
                [("move_id", "in", self.ids), ("state", "=", "sent")], ["move_id"], ["__count"]
            )
        )
        for move in self:
            move.dunning_count = counts.get(move, 0)

    def action_view_dunnings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dunning_action"
        )
        action["domain"] = [("line_ids.move_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def init(self):
        res = super().init()
        # Credit exposure reads the draft customer invoices of a customer: a small partial
        # index keeps that lookup independent of the number of posted moves.
        create_index(
            self.env.cr,
            indexname="account_move_credit_draft_partner_idx",
            tablename="account_move",
            expressions=["commercial_partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
        )
        return res
