from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools.sql import index_exists


class CreditDunningLine(models.Model):
    _name = "credit.dunning.line"
    _description = "Reminder Line"
    _order = "dunning_id, line_type, date_due, id"
    _check_company_auto = True
    # Lines are written once, with their reminder, which keeps who and when.
    _log_access = False

    dunning_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Reminder",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="dunning_id.company_id")
    currency_id = fields.Many2one(related="dunning_id.currency_id")
    state = fields.Selection(related="dunning_id.state", store=True)
    partner_id = fields.Many2one(related="dunning_id.partner_id", string="Addressee")
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Document",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    line_type = fields.Selection(
        selection=[
            ("invoice", "Reminded"),
            ("open", "Open item"),
            ("credit", "Credit"),
        ],
        string="Type",
        required=True,
        default="invoice",
        help="- Reminded: the invoice reached the line's level with this reminder;\n"
        "- Open item: another open invoice of the customer, listed for information;\n"
        "- Credit: a credit note or an unallocated payment, netted in the balance due.",
    )
    level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        ondelete="restrict",
        help="Level the invoice reached with this reminder (reminded lines only).",
    )
    date_due = fields.Date(string="Due Date")
    days_overdue = fields.Integer(string="Days Late", help="Days late on the reminder's date.")
    amount_total = fields.Monetary(string="Amount", currency_field="currency_id")
    amount_residual = fields.Monetary(string="Balance", currency_field="currency_id")
    amount_residual_company = fields.Float(
        string="Balance (company currency)",
        digits=0,
    )

    def init(self):
        # Nothing sent twice: the database refuses a second live line for the same invoice
        # and level, whatever the number of workers or a rerun after a crash.
        if not index_exists(self.env.cr, "credit_dunning_line_live_uniq"):
            self.env.cr.execute(
                SQL(
                    """
                    CREATE UNIQUE INDEX credit_dunning_line_live_uniq
                        ON credit_dunning_line (move_id, level_id)
                     WHERE level_id IS NOT NULL AND state IS DISTINCT FROM 'cancelled'
                    """
                )
            )
