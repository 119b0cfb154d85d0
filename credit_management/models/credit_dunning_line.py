from odoo import api
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

    late_fee_days = fields.Integer(
        compute="_compute_late_fees",
        string="Days Late for Fees",
        help="Days late of the unpaid part on the reminder's date.",
    )
    late_fee_interest = fields.Monetary(
        compute="_compute_late_fees",
        string="Late Interest",
        currency_field="currency_id",
        help="Interest on the amounts unpaid since the due date, payments deducted on their "
        "dates, at the company's late interest rate.",
    )
    late_fee_indemnity = fields.Monetary(
        compute="_compute_late_fees",
        string="Recovery Indemnity",
        currency_field="currency_id",
    )

    @api.depends(
        "dunning_id.date",
        "dunning_id.level_id.apply_late_fees",
        "dunning_id.company_id",
        "move_id",
        "line_type",
    )
    def _compute_late_fees(self):
        lines = self.filtered(
            lambda line: (
                line.line_type != "credit"
                and line.move_id
                and line.dunning_id.level_id.apply_late_fees
            )
        )
        (self - lines).update(
            {"late_fee_days": 0, "late_fee_interest": 0.0, "late_fee_indemnity": 0.0}
        )
        groups = lines.grouped(
            lambda line: (line.dunning_id.date, line.dunning_id.company_id, line.currency_id)
        )
        for (date, company, currency), group in groups.items():
            # Whoever may read the reminder sees its fees, computed from the payments of
            # its invoices even when he may not read them (a salesperson).
            fees = self._late_fees(group.move_id.sudo(), date, company, currency)
            for line in group:
                days, interest, indemnity = fees.get(line.move_id.id, (0, 0.0, 0.0))
                line.update(
                    {
                        "late_fee_days": days,
                        "late_fee_interest": interest,
                        "late_fee_indemnity": indemnity,
                    }
                )

    @api.model
    def _late_fees(self, moves, date, company, currency):
        """French late fees of ``moves`` on ``date``, in ``currency``.

        Interest runs from each due date on the part still unpaid, at the company's yearly
        rate on a 365-day year; every payment or credit note reconciled with the invoice
        lowers the base from its date on. The fixed recovery indemnity is owed once per
        invoice unpaid after its due date.

        :return: ``{move id: (days late, interest, indemnity)}``
        """
        rate = company._credit_late_interest_rate()
        indemnity = company.currency_id._convert(
            company.credit_late_fee_indemnity, currency, company, date
        )
        terms = moves.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and line.date_maturity
                and line.balance > 0
            )
        )
        fees = {}
        for move, move_terms in terms.grouped("move_id").items():
            days_late, interest = 0, 0.0
            for term in move_terms:
                in_currency = term.currency_id == currency
                outstanding = term.amount_currency if in_currency else term.balance
                since = term.date_maturity
                payments = sorted(
                    (
                        partial.max_date,
                        partial.debit_amount_currency if in_currency else partial.amount,
                    )
                    for partial in term.matched_credit_ids
                )
                for paid_on, paid in payments:
                    if paid_on >= date:
                        break
                    if paid_on > since and outstanding > 0:
                        interest += outstanding * rate / 100 * (paid_on - since).days / 365
                        since = paid_on
                    outstanding -= paid
                if currency.compare_amounts(outstanding, 0) > 0 and date > since:
                    interest += outstanding * rate / 100 * (date - since).days / 365
                    days_late = max(days_late, (date - term.date_maturity).days)
            if days_late > 0:
                fees[move.id] = (days_late, currency.round(interest), indemnity)
        return fees

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
