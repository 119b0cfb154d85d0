"""The test run of the reminders shows the invoices the plan leaves to the factor (not
reminded: the factor collects them) and those reminded but to be paid to the factor, each
with its mark (``account.move.factoring_dunning_note``)."""

from odoo import fields
from odoo import models
from odoo.fields import Command


class CreditDunningPreview(models.TransientModel):
    _inherit = "credit.dunning.preview"

    factoring_move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="credit_dunning_preview_factoring_move_rel",
        string="Factored Invoices",
        readonly=True,
        help="The invoices of the plan assigned to a factor whose dunning the contract "
        "changes: not reminded (the factor collects them), or to be paid to the factor.",
    )

    def action_run(self):
        action = super().action_run()
        company = self.company_id
        Dunning = self.env["credit.dunning"].with_company(company)
        rows = Dunning._dunning_plan(company, self.date)
        self.write(
            {
                "factoring_move_ids": [
                    Command.set([row["move_id"] for row in rows if row["factoring_note"]])
                ]
            }
        )
        return action
