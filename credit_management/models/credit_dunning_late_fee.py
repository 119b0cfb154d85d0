"""Late fees of reminders: French statutory interest and recovery indemnity, and their invoice.

The rules are in ``engine/late_fees.py``; here each reminder line gathers its invoice's
receivable terms and their payments, and the reminder sums its lines. A level shows them when
``apply_late_fees`` is set; the collector may then draft an invoice of the fees.
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..engine import late_fees


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    late_fee_rate = fields.Float(
        compute="_compute_late_fees",
        string="Late Interest Rate (%)",
        digits=(16, 3),
        help="Yearly rate of the late interest on the reminder's date, from the company's "
        "settings: its fixed rate, or the ECB rate of the half-year plus the points. Earlier "
        "days late of the invoices take the rate of their own half-year.",
    )
    late_fee_interest = fields.Monetary(compute="_compute_late_fees", string="Late Interest")
    late_fee_indemnity = fields.Monetary(
        compute="_compute_late_fees", string="Recovery Indemnities"
    )
    late_fee_total = fields.Monetary(compute="_compute_late_fees", string="Late Fees")
    amount_due_with_fees = fields.Monetary(
        compute="_compute_late_fees", string="Balance Due with Late Fees"
    )
    late_fee_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Late Fees Invoice",
        readonly=True,
        copy=False,
        help="Draft invoice of the late fees of this reminder, created on request.",
    )

    @api.depends(
        "level_id.apply_late_fees",
        "company_id",
        "amount_due",
        "line_ids.late_fee_interest",
        "line_ids.late_fee_indemnity",
    )
    def _compute_late_fees(self):
        for reminder in self:
            applies = reminder.level_id.apply_late_fees
            interest = sum(reminder.line_ids.mapped("late_fee_interest"))
            indemnity = sum(reminder.line_ids.mapped("late_fee_indemnity"))
            reminder.late_fee_rate = (
                reminder.company_id._credit_late_interest_rate(reminder.date) if applies else 0.0
            )
            reminder.late_fee_interest = interest
            reminder.late_fee_indemnity = indemnity
            reminder.late_fee_total = interest + indemnity
            reminder.amount_due_with_fees = reminder.amount_due + interest + indemnity

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"late_fee_move_id"}

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), late_fee_move_id=False)

    def action_create_late_fee_invoice(self):
        """Draft invoice of the late fees of each reminder: interest and indemnity per late
        invoice. Never posted here: the collector checks it and posts it himself."""
        self._workflow_check()
        self.env["account.move"].check_access("create")
        invoices = self.env["account.move"]
        for reminder in self:
            if reminder.late_fee_move_id:
                raise UserError(
                    _(
                        "Reminder %(name)s already has its late-fees invoice %(invoice)s.",
                        name=reminder.name,
                        invoice=reminder.late_fee_move_id.display_name,
                    )
                )
            if reminder.currency_id.is_zero(reminder.late_fee_total):
                raise UserError(
                    _(
                        "Reminder %(name)s has no late fees: its level does not apply them "
                        "or no invoice is late.",
                        name=reminder.name,
                    )
                )
            invoice = (
                self.env["account.move"]
                .with_company(reminder.company_id)
                .create(reminder._late_fee_invoice_vals())
            )
            reminder._workflow_write({"late_fee_move_id": invoice.id})
            reminder._message_log(
                body=Markup("%s")
                % _(
                    "Draft late-fees invoice created: %(amount)s.",
                    amount=format_amount(self.env, reminder.late_fee_total, reminder.currency_id),
                )
            )
            invoices |= invoice
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(
                {
                    "views": [(self.env.ref("account.view_move_form").id, "form")],
                    "res_id": invoices.id,
                }
            )
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    def _late_fee_invoice_vals(self):
        self.ensure_one()
        product = self.company_id.credit_late_fee_product_id
        lines = []
        for line in self.line_ids.filtered(
            lambda line: line.late_fee_interest or line.late_fee_indemnity
        ):
            if not self.currency_id.is_zero(line.late_fee_interest):
                if "," in (line.late_fee_rates or ""):
                    name = _(
                        "Late-payment interest on %(invoice)s: %(days)s days at %(rates)s%% a "
                        "year, the rate of each half-year",
                        invoice=line.move_id.name,
                        days=line.late_fee_days,
                        rates=line.late_fee_rates,
                    )
                else:
                    name = _(
                        "Late-payment interest on %(invoice)s: %(days)s days at %(rate)s%% a year",
                        invoice=line.move_id.name,
                        days=line.late_fee_days,
                        rate=line.late_fee_rates,
                    )
                lines.append({"name": name, "price_unit": line.late_fee_interest})
            if not self.currency_id.is_zero(line.late_fee_indemnity):
                lines.append(
                    {
                        "name": _(
                            "Fixed recovery indemnity on %(invoice)s (article L441-10 of the "
                            "French Commercial Code)",
                            invoice=line.move_id.name,
                        ),
                        "price_unit": line.late_fee_indemnity,
                    }
                )
        return {
            "move_type": "out_invoice",
            "partner_id": self.commercial_partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "ref": _("Late fees of reminder %(name)s", name=self.name),
            "invoice_line_ids": [
                fields.Command.create(
                    dict(vals, product_id=product.id, quantity=1, tax_ids=[fields.Command.clear()])
                )
                for vals in lines
            ],
        }


class CreditDunningLine(models.Model):
    _inherit = "credit.dunning.line"  # pylint: disable=consider-merging-classes-inherited

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
    late_fee_rates = fields.Char(
        compute="_compute_late_fees",
        string="Late Interest Rates (%)",
        help="Yearly rates of the days late: one per half-year when the ECB rate changed.",
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
            {
                "late_fee_days": 0,
                "late_fee_interest": 0.0,
                "late_fee_indemnity": 0.0,
                "late_fee_rates": False,
            }
        )
        groups = lines.grouped(
            lambda line: (line.dunning_id.date, line.dunning_id.company_id, line.currency_id)
        )
        for (date, company, currency), group in groups.items():
            # Whoever may read the reminder sees its fees, computed from the payments of
            # its invoices even when he may not read them (a salesperson).
            fees = self._late_fees(group.move_id.sudo(), date, company, currency)
            for line in group:
                result = fees.get(line.move_id.id)
                line.update(
                    {
                        "late_fee_days": result.days_late if result else 0,
                        "late_fee_interest": result.interest if result else 0.0,
                        "late_fee_indemnity": result.indemnity if result else 0.0,
                        "late_fee_rates": ", ".join(f"{rate:.2f}" for rate in result.rates)
                        if result
                        else False,
                    }
                )

    @api.model
    def _late_fees(self, moves, date, company, currency):
        """French late fees of ``moves`` on ``date``, in ``currency`` (``engine.late_fees``):
        each receivable term with the payments and credit notes reconciled with it, each day
        late at the rate of its half-year (or the fixed rate).

        :return: ``{move id: engine.late_fees.LateFees}`` of the late invoices
        """
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
        late = terms.filtered(lambda line: line.date_maturity < date)
        if not late:
            return {}
        # One table of rates for every day late of these invoices.
        rates = company._credit_late_interest_rates(
            min(late.mapped("date_maturity")) + timedelta(days=1), date
        )
        fees = {}
        for move, move_terms in terms.grouped("move_id").items():
            result = late_fees.invoice_late_fees(
                [self._late_fee_term(term, currency) for term in move_terms],
                date,
                rates,
                indemnity,
                currency.rounding,
            )
            if result:
                fees[move.id] = result
        return fees

    @api.model
    def _late_fee_term(self, term, currency):
        """The ``engine.late_fees.Term`` of a receivable line, its amounts in ``currency``."""
        in_currency = term.currency_id == currency
        return late_fees.Term(
            date_due=term.date_maturity,
            amount=term.amount_currency if in_currency else term.balance,
            payments=tuple(
                late_fees.Payment(
                    partial.max_date,
                    partial.debit_amount_currency if in_currency else partial.amount,
                )
                for partial in term.matched_credit_ids
            ),
        )
