"""The credit limit suggested for a customer, and applying it in one click.

How it works: for a batch of customers and the current company, the model gathers the facts
of ``engine.suggested_limit`` set-based: the posted customer invoices less credit notes of the
last 12 months (one ``_read_group``, the company and its branches, company currency), the
days of each customer's payment terms, its behaviour grade (credit_management's score) and
the limit its credit insurer insures (``_get_insurance_facts``). The engine decides; this
file words the reasons in the user's language. A credit manager applies the suggestion as
the customer's credit limit (Odoo's own ``credit_limit``, protected by credit_management),
logged in the chatter with the old and new limits and the reasons.
"""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import formatLang

from ..engine.suggested_limit import LimitFacts
from ..engine.suggested_limit import suggest

SALES_MONTHS = 12


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    credit_suggested_limit = fields.Monetary(
        string="Suggested Credit Limit",
        compute="_compute_credit_suggested_limit",
        compute_sudo=True,
        help="From the average monthly sales over the payment terms, the behaviour score and "
        "the insured limit, in the company currency (see the reasons).",
    )
    credit_suggested_limit_bound = fields.Selection(
        selection=[
            ("sales", "Sales on the Terms"),
            ("score", "Behaviour Score"),
            ("insured", "Insured Limit"),
        ],
        string="Suggestion Set By",
        compute="_compute_credit_suggested_limit",
        compute_sudo=True,
    )
    credit_suggested_limit_reasons = fields.Text(
        string="Why This Limit",
        compute="_compute_credit_suggested_limit",
        compute_sudo=True,
    )
    credit_monthly_sales = fields.Monetary(
        string="Average Monthly Sales",
        compute="_compute_credit_suggested_limit",
        compute_sudo=True,
        help="Posted customer invoices less credit notes of the last 12 months, taxes "
        "included, divided by 12 (company currency).",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_credit_suggested_limit(self):
        company = self.env.company
        suggestions = self._credit_suggested_limits(company)
        nothing = (suggest(LimitFacts()), LimitFacts())
        for partner in self:
            # A customer not saved yet has no sales, score nor cover.
            suggestion, facts = suggestions.get(partner.commercial_partner_id.id, nothing)
            partner.credit_suggested_limit = suggestion.amount or 0.0
            partner.credit_suggested_limit_bound = suggestion.bound or False
            partner.credit_suggested_limit_reasons = "\n".join(
                self._credit_suggested_limit_reasons(suggestion, company)
            )
            partner.credit_monthly_sales = facts.monthly_sales

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_apply_suggested_limit(self):
        """Make the suggestion the customer's credit limit (credit managers), logged."""
        self.ensure_one()
        if not self._credit_is_manager():
            raise AccessError(_("Only credit managers can apply the suggested credit limit."))
        company = self.env.company
        partner = self.commercial_partner_id.with_company(company)
        suggestion, _facts = self._credit_suggested_limits(company)[partner.id]
        if suggestion.amount is None:
            raise UserError(
                _(
                    "There is no suggested credit limit for %(partner)s: it has no sales in "
                    "the last 12 months and the company no credit insurance policy.",
                    partner=partner.display_name,
                )
            )
        currency = company.currency_id
        old = partner.credit_limit
        partner.credit_limit = suggestion.amount
        reasons = self._credit_suggested_limit_reasons(suggestion, company)
        partner.message_post(
            body=Markup("%s<ul>%s</ul>")
            % (
                _(
                    "Credit limit changed from %(old)s to %(new)s, the suggested limit "
                    "(%(company)s):",
                    old=formatLang(self.env, old, currency_obj=currency),
                    new=formatLang(self.env, suggestion.amount, currency_obj=currency),
                    company=company.display_name,
                ),
                Markup().join(Markup("<li>%s</li>") % reason for reason in reasons),
            )
        )
        return True

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _credit_suggested_limits(self, company):
        """``{commercial_partner_id: (Suggestion, LimitFacts)}`` for ``company``."""
        partners = self.sudo().commercial_partner_id.filtered("id").with_company(company)
        sales = partners._credit_monthly_sales(company)
        insurance = partners._get_insurance_facts(company)
        today = fields.Date.context_today(self)
        result = {}
        for partner in partners:
            fact = insurance[partner.id]
            facts = LimitFacts(
                monthly_sales=sales.get(partner.id, 0.0),
                term_days=partner._credit_term_days(today),
                grade=partner.credit_grade or "C",
                insured_limit=None if fact["status"] == "no_policy" else fact["limit"],
            )
            result[partner.id] = (suggest(facts), facts)
        return result

    def _credit_monthly_sales(self, company):
        """``{commercial_partner_id: average monthly sales}`` of the last 12 months: posted
        customer invoices less credit notes, taxes included, company currency."""
        today = fields.Date.context_today(self)
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", self.ids),
                    ("company_id", "in", self.env["credit.open.item"]._company_ids(company)),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                    ("invoice_date", ">", today - relativedelta(months=SALES_MONTHS)),
                    ("invoice_date", "<=", today),
                ],
                ["commercial_partner_id"],
                ["amount_total_signed:sum"],
            )
        )
        return {
            partner.id: max(total, 0.0) / SALES_MONTHS
            for partner, total in groups
            if company.currency_id.round(total) > 0
        }

    def _credit_term_days(self, date):
        """Days from an invoice dated ``date`` to its last due date under the customer's
        payment terms in the current company (0: none, due at once)."""
        self.ensure_one()
        term = self.property_payment_term_id
        if not term.line_ids:
            return 0
        return max((line._get_due_date(date) - date).days for line in term.line_ids)

    def _credit_suggested_limit_reasons(self, suggestion, company):
        """The reasons of ``suggestion``, worded in the user's language: first the factor
        that set it, then each step."""
        currency = company.currency_id

        def money(amount):
            return formatLang(self.env, amount, currency_obj=currency)

        lines = []
        bounds = {
            "sales": _("Set by the customer's sales on its payment terms."),
            "score": _("Reduced by the customer's behaviour score."),
            "insured": _("Capped by the limit the credit insurer insures."),
        }
        if suggestion.bound:
            lines.append(bounds[suggestion.bound])
        for code, figures in suggestion.reasons:
            if code == "sales":
                lines.append(
                    _(
                        "Average monthly sales of the last 12 months: %(sales)s; on %(days)s "
                        "days of payment terms plus %(margin)s days of margin, a need of "
                        "%(need)s.",
                        sales=money(figures["monthly_sales"]),
                        days=figures["term_days"],
                        margin=figures["margin_days"],
                        need=money(figures["need"]),
                    )
                )
            elif code == "no_sales":
                lines.append(
                    _(
                        "No sales in the last 12 months: the insured limit of %(limit)s is the "
                        "starting point.",
                        limit=money(figures["insured_limit"]),
                    )
                )
            elif code == "no_sales_no_policy":
                lines.append(
                    _(
                        "No sales in the last 12 months and no credit insurance policy in "
                        "force: nothing to suggest."
                    )
                )
            elif code == "score":
                lines.append(
                    _(
                        "Behaviour grade %(grade)s: %(share)s %% of it, %(amount)s.",
                        grade=figures["grade"],
                        share=formatLang(self.env, figures["share"], digits=0),
                        amount=money(figures["amount"]),
                    )
                )
            elif code == "insured":
                lines.append(
                    _(
                        "Capped at the insured limit of %(limit)s: above it the risk is not "
                        "insured.",
                        limit=money(figures["insured_limit"]),
                    )
                )
            elif code == "within_insured":
                lines.append(
                    _(
                        "Within the insured limit of %(limit)s.",
                        limit=money(figures["insured_limit"]),
                    )
                )
            elif code == "no_policy":
                lines.append(_("No credit insurance policy in force: no insured limit to respect."))
        if suggestion.amount is not None:
            lines.append(
                _("Rounded down to the hundred: %(amount)s.", amount=money(suggestion.amount))
            )
        return lines
