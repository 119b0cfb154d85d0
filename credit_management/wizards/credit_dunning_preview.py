"""The test run: the reminders the dunning run would create on a date, with nothing created
or sent. It plans and groups as the run does (``credit.dunning._dunning_plan`` and
``_dunning_groups``) and keeps the result in transient lines."""

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Command


class CreditDunningPreview(models.TransientModel):
    _name = "credit.dunning.preview"
    _description = "Test Run of the Reminders"

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many(
        comodel_name="credit.dunning.preview.line", inverse_name="preview_id", readonly=True
    )
    is_done = fields.Boolean(readonly=True)
    reminder_count = fields.Integer(compute="_compute_reminder_count", string="Reminders")

    @api.depends("line_ids")
    def _compute_reminder_count(self):
        for preview in self:
            preview.reminder_count = len(preview.line_ids)

    def action_run(self):
        """Plan the reminders of the date, create nothing, and show them."""
        self.ensure_one()
        company = self.company_id
        Dunning = self.env["credit.dunning"].with_company(company)
        groups = Dunning._dunning_groups(Dunning._dunning_plan(company, self.date), self.date)
        self.write(
            {
                "line_ids": [Command.clear()]
                + [Command.create(self._prepare_line_vals(group)) for group in groups],
                "is_done": True,
            }
        )
        self.env["onboarding.onboarding.step"].with_company(company)._credit_validate_steps(
            "test_run"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Test Run of Today's Reminders"),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
        }

    def _prepare_line_vals(self, group):
        level = group["level"]
        channels = self.env["credit.dunning"]._get_channels()
        codes = self.env["credit.dunning"]._channel_codes()
        lines = group["lines"]
        return {
            "partner_id": group["partner_id"],
            "currency_id": group["currency_id"],
            "level_id": level.id,
            "user_id": group["user_id"],
            "invoice_count": sum(1 for line_type, _item in lines if line_type == "invoice"),
            "amount_due": sum(item["residual_currency"] for _line_type, item in lines),
            "channels": ", ".join(channels[code][1] for code in codes if level[f"channel_{code}"]),
            "requires_validation": level.requires_validation,
        }


class CreditDunningPreviewLine(models.TransientModel):
    _name = "credit.dunning.preview.line"
    _description = "Reminder of a Test Run"
    _order = "partner_id, id"

    preview_id = fields.Many2one(
        comodel_name="credit.dunning.preview", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    level_id = fields.Many2one(comodel_name="credit.dunning.level", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Collector", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    amount_due = fields.Monetary(string="Balance Due", readonly=True)
    channels = fields.Char(readonly=True)
    requires_validation = fields.Boolean(string="To Validate", readonly=True)
