"""The customer against its credit insurance: insured limit, status, uncovered exposure.

How it works: for a batch of customers and one company, ``_get_insurance_facts`` reads the
company's policy in force, the covers of those customers under it (one query) and their
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
from odoo.addons.credit_management.models.credit_open_item import FEW_CONTACTS
from odoo.tools import SQL
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

    def _get_insurance_facts(self, company, credit_facts=None, with_owing=False):
        """Insurance facts of the commercial entities of ``self`` for ``company``.

        :param credit_facts: their ``_get_credit_facts`` when the caller has them already.
        :param with_owing: also every customer owing something to ``company`` (a whole
            portfolio, with its unnamed buyers: see ``_get_credit_facts``).
        :return: ``{commercial_partner_id: {'limit', 'status', 'uncovered', 'exposure',
            'cover_state', 'cover_state_label', 'cover_id'}}``, amounts in the company currency
            (``cover_id``: the cover the customer's limit comes from, False for none).
        """
        # Only the column needed: a whole portfolio of customers is often asked at once.
        self.sudo().fetch(["commercial_partner_id"])
        partners = self.sudo().commercial_partner_id
        empty = {
            "limit": 0.0,
            "status": "no_policy",
            "uncovered": 0.0,
            "exposure": 0.0,
            "cover_state": False,
            "cover_state_label": "",
            "cover_id": False,
        }
        result = {partner_id: dict(empty) for partner_id in partners._ids}
        policy = self.env["credit.insurance.policy"]._get_active(company)
        if not policy or not (partners or with_owing):
            return result
        if credit_facts is None:
            credit_facts = partners._get_credit_facts(company, with_owing=with_owing)
        if with_owing:
            for partner_id in credit_facts:
                result.setdefault(partner_id, dict(empty))
        today = fields.Date.context_today(self)
        currency = company.currency_id
        Cover = self.env["credit.insurance.cover"].sudo()
        Cover.flush_model(
            ["policy_id", "partner_id", "state", "amount_granted", "date_start", "date_end"]
        )
        # The cover of each customer with the latest decision in force, in one query: a whole
        # portfolio is read at once (alerts, lists), so no record is built per customer.
        # Beyond a few customers, the policy's whole portfolio is read and filtered here: cheaper
        # than sending (and planning) a large array.
        few = len(result) <= FEW_CONTACTS
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (c.partner_id)
                       c.partner_id, c.id, c.state, c.amount_granted, c.date_start, c.date_end
                  FROM credit_insurance_cover c
                 WHERE c.policy_id = %(policy)s %(partners)s
                   AND c.date_start IS NOT NULL
                 ORDER BY c.partner_id, c.date_start DESC, c.id DESC
                """,
                policy=policy.id,
                partners=SQL("AND c.partner_id = ANY(%s)", list(result)) if few else SQL(),
            )
        )
        cover_by_partner = {row[0]: row[1:] for row in rows if row[0] in result}
        states = dict(Cover._fields["state"]._description_selection(self.env))
        rate = (
            1.0
            if policy.currency_id == currency
            else policy.currency_id._get_conversion_rate(
                policy.currency_id, currency, company, today
            )
        )
        digits = currency.decimal_places
        discretionary = currency.round(policy.discretionary_limit * rate)
        for partner_id, fact in result.items():
            exposure = (credit_facts.get(partner_id) or {}).get("exposure", 0.0)
            cover = cover_by_partner.get(partner_id)
            if cover:
                cover_id, state, granted, date_start, date_end = cover
                in_force = date_start <= today and (not date_end or date_end >= today)
                limit = round((granted or 0.0) * rate, digits) if in_force else 0.0
                fact.update(
                    cover_id=cover_id,
                    cover_state=state,
                    cover_state_label=states[state],
                )
            else:
                state = False
                limit = discretionary
            excess = round(exposure - limit, digits)
            if not round(limit, digits):
                status = "uncovered"
            elif excess > 0:
                status = "over_limit"
            elif state in ("partial", "reduced"):
                status = "partial"
            else:
                status = "covered"
            fact.update(
                limit=limit,
                status=status,
                exposure=exposure,
                uncovered=max(excess, 0.0),
            )
        return result
