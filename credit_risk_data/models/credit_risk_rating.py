"""Ratings of customers by financial-data providers, history kept.

A rating is imported from a provider's file (``credit.risk.rating.import``) or typed in. The
latest of a customer (by date, then by entry) is the customer's current rating, with its
trend against the one before. A rating whose score falls below the company's threshold, when
the previous one was not below it, raises a ``rating_drop`` event. With the company's setting
*Use the Latest Rating*, the latest rating of the last 12 months weighs in the behaviour score
(``credit_partner_score.py``) and caps the suggested limit (credit_risk_data_insurance), as
``engine/rating.py`` says.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import float_compare

from ..engine.rating import RATING_DAYS


class CreditRiskRating(models.Model):
    _name = "credit.risk.rating"
    _description = "Credit Risk Rating"
    _inherit = ["credit.risk.customer.mixin"]
    _order = "date desc, id desc"

    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider", index=True, check_company=True
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

    @api.model
    def _create_imported(self, vals_list):
        """Create the ratings of a file at once: ``create``'s outcome in a few statements.

        The ORM converts a monetary value row by row (a new record per row to find its
        currency) and checks the companies and the figures record by record; here the rows
        go in with one ``INSERT`` (the figures rounded as their fields are: the limit to its
        company's currency), then one query finds the rows whose companies or figures are
        wrong, and only those go through the model's own checks (which raise). Rights and
        record rules are checked as ``create`` checks them, and the drop events raised.
        """
        if not vals_list:
            return self.browse()
        self.check_access("create")
        self.flush_model()
        self.env["res.partner"].flush_model(["company_id"])
        self.env["credit.risk.provider"].flush_model(["company_id"])

        def column(name, default=None):
            return [vals.get(name) or default for vals in vals_list]

        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO credit_risk_rating (
                        partner_id, provider_id, company_id, identifier, date, score, grade,
                        default_probability, recommended_limit,
                        create_uid, create_date, write_uid, write_date)
                    SELECT r.partner_id, r.provider_id, r.company_id, r.identifier, r.date,
                           ROUND(r.score, 2), r.grade, ROUND(r.probability, 4),
                           ROUND(r.recommended, cur.decimal_places),
                           %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                      FROM unnest(%(partner)s::int[], %(provider)s::int[], %(company)s::int[],
                                  %(identifier)s::varchar[], %(date)s::date[],
                                  %(score)s::numeric[], %(grade)s::varchar[],
                                  %(probability)s::numeric[], %(recommended)s::numeric[])
                           WITH ORDINALITY AS r(partner_id, provider_id, company_id, identifier,
                                                date, score, grade, probability, recommended,
                                                line)
                      JOIN res_company co ON co.id = r.company_id
                      JOIN res_currency cur ON cur.id = co.currency_id
                     ORDER BY r.line
                    RETURNING id
                    """,
                    uid=self.env.uid,
                    partner=column("partner_id"),
                    provider=column("provider_id"),
                    company=column("company_id"),
                    identifier=column("identifier"),
                    date=column("date"),
                    score=column("score", 0.0),
                    grade=column("grade"),
                    probability=column("default_probability", 0.0),
                    recommended=column("recommended_limit", 0.0),
                )
            )
        ]
        ratings = self.browse(ids)
        ratings.check_access("create")
        # The rows a company or a figure makes suspect, checked by the model's own rules.
        suspect = self.browse(
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    SELECT r.id
                      FROM credit_risk_rating r
                      JOIN res_partner p ON p.id = r.partner_id
                      LEFT JOIN credit_risk_provider v ON v.id = r.provider_id
                     WHERE r.id = ANY(%(ids)s)
                       AND (p.company_id != r.company_id OR v.company_id != r.company_id
                            OR r.score < 0 OR r.recommended_limit < 0
                            OR r.default_probability NOT BETWEEN 0 AND 100)
                    """,
                    ids=ids,
                )
            )
        )
        if suspect:
            suspect._check_company()
            suspect._check_figures()
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

    @api.model
    def _latest_in_force(self, company, date, partner_ids=None):
        """``{commercial partner id: (rating id, probability of default, recommended
        limit)}``: the latest rating of each customer of ``company`` dated within the
        ``RATING_DAYS`` up to ``date`` (one query; ``partner_ids``: only those customers)."""
        self.env["credit.risk.rating"].flush_model()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (p.commercial_partner_id)
                       p.commercial_partner_id, r.id, r.default_probability, r.recommended_limit
                  FROM credit_risk_rating r
                  JOIN res_partner p ON p.id = r.partner_id
                 WHERE r.company_id = %(company)s
                   AND r.date > %(since)s AND r.date <= %(date)s
                   %(partners)s
                 ORDER BY p.commercial_partner_id, r.date DESC, r.id DESC
                """,
                company=company.id,
                since=fields.Date.subtract(date, days=RATING_DAYS),
                date=date,
                partners=SQL("AND p.commercial_partner_id = ANY(%s)", list(partner_ids))
                if partner_ids is not None
                else SQL(),
            )
        )
        return {
            partner_id: (rating_id, probability or 0.0, limit or 0.0)
            for partner_id, rating_id, probability, limit in rows
        }
