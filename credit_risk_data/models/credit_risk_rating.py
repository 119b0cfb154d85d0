"""Ratings of customers by financial-data providers, history kept.

A rating is imported from a provider's file (``credit.risk.rating.import``) or typed in. The
latest of a customer (by date, then by entry) is the customer's current rating, with its
trend against the one before. A rating whose score falls below the company's threshold, when
the previous one was not below it, raises a ``rating_drop`` event.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class CreditRiskRating(models.Model):
    _name = "credit.risk.rating"
    _description = "Credit Risk Rating"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider", index=True, check_company=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    score = fields.Float(digits=(16, 2))
    grade = fields.Char()
    default_probability = fields.Float(string="Probability of Default (%)", digits=(16, 4))
    recommended_limit = fields.Monetary()
    identifier = fields.Char(help="The SIREN, SIRET or VAT number as the file gave it.")

    @api.constrains("score", "default_probability", "recommended_limit")
    def _check_figures(self):
        for rating in self:
            if rating.default_probability < 0 or rating.default_probability > 100:
                raise ValidationError(_("A probability of default is between 0 and 100 %."))
            if rating.recommended_limit < 0 or rating.score < 0:
                raise ValidationError(_("A score and a recommended limit cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._raise_drop_events()
        return ratings

    def _raise_drop_events(self):
        """A ``rating_drop`` event for each rating that crosses the threshold downwards."""
        events = []
        for company in self.company_id:
            threshold = company.credit_risk_rating_threshold
            if not threshold:
                continue
            ratings = self.filtered(lambda r, c=company: r.company_id == c)
            below = ratings.filtered(lambda r, t=threshold: float_compare(r.score, t, 2) < 0)
            if not below:
                continue
            previous = self._latest_by_partner(company, below.partner_id, exclude=ratings)
            for rating in below:
                before = previous.get(rating.partner_id.id)
                if before and float_compare(before.score, threshold, 2) < 0:
                    continue
                events.append(
                    {
                        "partner_id": rating.partner_id.id,
                        "provider_id": rating.provider_id.id,
                        "company_id": company.id,
                        "event_type": "rating_drop",
                        "date_published": rating.date,
                        "rating_id": rating.id,
                        "text": _(
                            "Score %(score)s (grade %(grade)s) below the threshold of "
                            "%(threshold)s.",
                            score=rating.score,
                            grade=rating.grade or "-",
                            threshold=threshold,
                        ),
                    }
                )
        if events:
            self.env["credit.risk.event"].sudo().create(events)._apply_effects()

    @api.model
    def _latest_by_partner(self, company, partners, exclude=None):
        """``{partner id: latest rating}`` of ``partners`` in ``company`` (one query)."""
        domain = [("company_id", "=", company.id), ("partner_id", "in", partners.ids)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        latest = {}
        for rating in self.sudo().search(domain, order="date desc, id desc"):
            latest.setdefault(rating.partner_id.id, rating)
        return latest
