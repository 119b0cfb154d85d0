from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CreditDunningScenario(models.Model):
    _name = "credit.dunning.scenario"
    _description = "Dunning Scenario"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        help="Leave empty to share the scenario between companies.",
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_currency_id",
        help="Currency of the minimum amount: the company's, or the current company's when "
        "the scenario is shared.",
    )
    level_ids = fields.One2many(
        comodel_name="credit.dunning.level",
        inverse_name="scenario_id",
        string="Levels",
        copy=True,
    )
    level_count = fields.Integer(compute="_compute_level_count", string="Levels Count")
    grouping = fields.Selection(
        selection=[
            ("commercial", "One reminder per customer"),
            ("invoice_address", "One reminder per invoice address"),
            ("invoice", "One reminder per invoice"),
            ("group", "One reminder per group, to the head office"),
        ],
        default="commercial",
        required=True,
        help="- One reminder per customer: all the open items of the company and its "
        "contacts, at the highest level reached (default);\n"
        "- One reminder per invoice address: for decentralised customers whose sites pay "
        "their own invoices;\n"
        "- One reminder per invoice: each invoice is reminded on its own;\n"
        "- One reminder per group, to the head office: centralised dunning, the invoices of "
        "every company of the group on one reminder to its head office (set on the head "
        "office's scenario).\n"
        "Invoices with a third-party payer are always reminded to the payer.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        currency_field="currency_id",
        help="No reminder when the balance due of the reminder is below this amount "
        "(company currency).",
    )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for scenario in self:
            scenario.currency_id = (scenario.company_id or self.env.company).currency_id

    @api.depends("level_ids")
    def _compute_level_count(self):
        for scenario in self:
            scenario.level_count = len(scenario.level_ids)

    @api.constrains("level_ids", "min_amount")
    def _check_levels(self):
        for scenario in self:
            if scenario.min_amount < 0:
                raise ValidationError(
                    _(
                        "The minimum amount of scenario %(scenario)s cannot be negative.",
                        scenario=scenario.display_name,
                    )
                )
            previous = None
            for level in scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.id)):
                if previous is not None and level.days <= previous.days:
                    raise ValidationError(
                        _(
                            "In scenario %(scenario)s, level %(level)s comes after level "
                            "%(previous)s, so its days (%(days)s) must be more than "
                            "%(previous_days)s.",
                            scenario=scenario.display_name,
                            level=level.name,
                            previous=previous.name,
                            days=level.days,
                            previous_days=previous.days,
                        )
                    )
                previous = level

    def write(self, vals):
        res = super().write(vals)
        # The first-run checklist: the company's default scenario reviewed and saved.
        if self.env.company.credit_dunning_scenario_id in self:
            self.env["onboarding.onboarding.step"]._credit_validate_steps("scenario")
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for scenario, vals in zip(self, vals_list, strict=True):
            if "name" not in (default or {}):
                vals["name"] = _("%s (copy)", scenario.name)
        return vals_list
