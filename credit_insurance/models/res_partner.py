"""The customer against its credit insurance: insured limit, status, uncovered exposure.

How it works: for a batch of customers and one company, ``_get_insurance_facts`` reads the
company's policy in force, the covers of those customers under it (one search) and their
exposure (``_get_credit_facts``, the one source of open items), all in the company currency:

- a customer with a cover decision is insured up to the cover's granted amount while the
  latest decision is in force (0 once refused, cancelled or expired);
- a customer without any decision is insured up to the policy's discretionary limit;
- the uncovered exposure is the exposure above the insured limit.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import formatLang

INSURANCE_STATUSES = [
    ("covered", "Covered"),
    ("partial", "Partially Covered"),
    ("uncovered", "Not Covered"),
    ("over_limit", "Over the Insured Limit"),
    ("no_policy", "No Policy"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    insured_limit = fields.Monetary(
        compute="_compute_insurance",
        compute_sudo=True,
        help="Limit insured by the company's credit insurance policy, in the company currency: "
        "the cover granted on the customer or, without any decision, the discretionary limit.",
    )
    insurance_status = fields.Selection(
        selection=INSURANCE_STATUSES,
        compute="_compute_insurance",
        compute_sudo=True,
    )
    uncovered_exposure = fields.Monetary(
        compute="_compute_insurance",
        compute_sudo=True,
        help="Exposure above the insured limit, in the company currency.",
    )
    insurance_cover_ids = fields.One2many(
        comodel_name="credit.insurance.cover",
        inverse_name="partner_id",
        string="Insurance Covers",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_insurance(self):
        facts = self._get_insurance_facts(self.env.company)
        for partner in self:
            fact = facts[partner.commercial_partner_id.id]
            partner.insured_limit = fact["limit"]
            partner.insurance_status = fact["status"]
            partner.uncovered_exposure = fact["uncovered"]

    # ------------------------------------------------------------
    # HOLD REASONS
    # ------------------------------------------------------------

    def _credit_hold_reasons(self, facts, limit, amount, company):
        reasons = super()._credit_hold_reasons(facts, limit, amount, company)
        if company.credit_hold_mode == "none":
            return reasons
        insurance = self._get_insurance_facts(company, credit_facts={self.id: facts})[self.id]
        if insurance["status"] == "no_policy":
            return reasons
        currency = company.currency_id
        exposure = facts["exposure"] + amount
        insured = insurance["limit"]
        if (
            company.credit_insurance_hold_refused
            and insurance["cover_state"] in ("refused", "cancelled")
            and currency.compare_amounts(exposure, 0.0) > 0
        ):
            reasons.append(
                (
                    "insurer",
                    _(
                        "Credit insurer: the cover of this customer is %(state)s; exposure "
                        "%(exposure)s is not insured.",
                        state=insurance["cover_state_label"],
                        exposure=formatLang(self.env, exposure, currency_obj=currency),
                    ),
                )
            )
        elif company.credit_insurance_hold_excess and insured > 0:
            allowed = insured * (1 + company.credit_insurance_hold_excess / 100.0)
            if currency.compare_amounts(exposure, allowed) > 0:
                reasons.append(
                    (
                        "insurer",
                        _(
                            "Credit insurer: exposure %(exposure)s is over the insured limit "
                            "of %(limit)s by more than %(share)s %%.",
                            exposure=formatLang(self.env, exposure, currency_obj=currency),
                            limit=formatLang(self.env, insured, currency_obj=currency),
                            share=formatLang(
                                self.env,
                                company.credit_insurance_hold_excess,
                                digits=0 if company.credit_insurance_hold_excess % 1 == 0 else 2,
                            ),
                        ),
                    )
                )
        return reasons

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _get_insurance_facts(self, company, credit_facts=None):
        """Insurance facts of the commercial entities of ``self`` for ``company``.

        :param credit_facts: their ``_get_credit_facts`` when the caller has them already.
        :return: ``{commercial_partner_id: {'limit', 'status', 'uncovered', 'exposure',
            'cover_state', 'cover_state_label', 'cover'}}``, amounts in the company currency.
        """
        partners = self.sudo().commercial_partner_id
        empty = {
            "limit": 0.0,
            "status": "no_policy",
            "uncovered": 0.0,
            "exposure": 0.0,
            "cover_state": False,
            "cover_state_label": "",
            "cover": self.env["credit.insurance.cover"],
        }
        result = {partner.id: dict(empty) for partner in partners}
        policy = self.env["credit.insurance.policy"]._get_active(company)
        if not policy or not partners:
            return result
        if credit_facts is None:
            credit_facts = partners._get_credit_facts(company)
        today = fields.Date.context_today(self)
        currency = company.currency_id
        covers = (
            self.env["credit.insurance.cover"]
            .sudo()
            .search(
                [
                    ("policy_id", "=", policy.id),
                    ("partner_id", "in", partners.ids),
                    ("decision_ids", "!=", False),
                ],
                order="date_start desc, id desc",
            )
        )
        cover_by_partner = {}
        for cover in covers:
            cover_by_partner.setdefault(cover.partner_id.id, cover)
        states = dict(
            self.env["credit.insurance.cover"]._fields["state"]._description_selection(self.env)
        )
        for partner in partners:
            fact = result[partner.id]
            exposure = (credit_facts.get(partner.id) or {}).get("exposure", 0.0)
            cover = cover_by_partner.get(partner.id)
            if cover:
                in_force = cover.date_start <= today and (
                    not cover.date_end or cover.date_end >= today
                )
                amount = cover.amount_granted if in_force else 0.0
                fact.update(
                    cover=cover, cover_state=cover.state, cover_state_label=states[cover.state]
                )
            else:
                amount = policy.discretionary_limit
            limit = policy.currency_id._convert(amount, currency, company, today)
            if currency.is_zero(limit):
                status = "uncovered"
            elif currency.compare_amounts(exposure, limit) > 0:
                status = "over_limit"
            elif cover and cover.state in ("partial", "reduced"):
                status = "partial"
            else:
                status = "covered"
            fact.update(
                limit=limit,
                status=status,
                exposure=exposure,
                uncovered=max(exposure - limit, 0.0),
            )
        return result
