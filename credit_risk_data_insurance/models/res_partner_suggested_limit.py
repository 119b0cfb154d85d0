"""The latest rating caps the suggested credit limit, when the company says so.

How it works: credit_insurance suggests a limit from the sales on the terms, the behaviour
grade and the insured limit; with the company's setting *Use the Latest Rating*
(credit_risk_data), the recommended limit of the customer's latest rating of the last 12
months then caps it (``engine/rating.py`` of credit_risk_data: rounded down to the hundred;
a recommended limit of 0 caps nothing). The behaviour grade the suggestion uses already
counts the rating's probability of default (credit_risk_data's score). Each suggestion says
whether the rating capped it or left it within.
"""

import dataclasses

from odoo import _
from odoo import fields
from odoo import models
from odoo.addons.credit_risk_data.engine.rating import capped_limit
from odoo.tools import format_date
from odoo.tools import formatLang

RATING_CODES = ("rating", "within_rating")


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_suggested_limit_bound = fields.Selection(
        selection_add=[("rating", "Rating's Recommended Limit")]
    )

    def _credit_suggested_limits(self, company):
        result = super()._credit_suggested_limits(company)
        if not company.credit_risk_use_ratings or not result:
            return result
        today = fields.Date.context_today(self)
        ratings = self.env["credit.risk.rating"]._latest_in_force(company, today, list(result))
        Rating = self.env["credit.risk.rating"].sudo()
        for partner_id, (rating_id, _probability, recommended) in ratings.items():
            suggestion, facts = result[partner_id]
            if suggestion.amount is None or recommended <= 0:
                continue
            rating = Rating.browse(rating_id)
            figures = {"recommended": recommended, "date": rating.date, "provider": rating}
            amount = capped_limit(suggestion.amount, recommended)
            if amount < suggestion.amount:
                suggestion = dataclasses.replace(
                    suggestion,
                    amount=amount,
                    bound="rating",
                    reasons=(*suggestion.reasons, ("rating", figures)),
                )
            else:
                suggestion = dataclasses.replace(
                    suggestion, reasons=(*suggestion.reasons, ("within_rating", figures))
                )
            result[partner_id] = (suggestion, facts)
        return result

    def _credit_suggested_limit_reasons(self, suggestion, company):
        rating = [(code, figures) for code, figures in suggestion.reasons if code in RATING_CODES]
        if not rating:
            return super()._credit_suggested_limit_reasons(suggestion, company)
        # credit_insurance words its own steps; the rating's step comes before the rounding.
        own = dataclasses.replace(
            suggestion,
            bound=None if suggestion.bound == "rating" else suggestion.bound,
            reasons=tuple(r for r in suggestion.reasons if r[0] not in RATING_CODES),
        )
        lines = super()._credit_suggested_limit_reasons(own, company)
        code, figures = rating[0]
        values = {
            "limit": formatLang(self.env, figures["recommended"], currency_obj=company.currency_id),
            "provider": figures["provider"].provider_id.name or "-",
            "date": format_date(self.env, figures["date"]),
        }
        if code == "rating":
            line = _(
                "Capped at the limit of %(limit)s recommended by the rating of %(provider)s "
                "of %(date)s.",
                **values,
            )
        else:
            line = _(
                "Within the limit of %(limit)s recommended by the rating of %(provider)s of "
                "%(date)s.",
                **values,
            )
        # The last line is the rounding (there is always an amount here).
        lines.insert(len(lines) - 1, line)
        if suggestion.bound == "rating":
            lines.insert(0, _("Capped by the limit the customer's rating recommends."))
        return lines
