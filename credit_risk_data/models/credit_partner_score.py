"""The latest rating in the behaviour score, when the company says so.

How it works: credit_management's nightly ``_score_update`` writes every customer's
behaviour score; then, for a company whose setting *Use the Latest Rating* is on, the
latest rating of the last 12 months of each customer (one query) takes its points off the
score (``engine/rating.py``: 2 points per percent of probability of default, at most 20),
the grade follows, and the rating and its points are kept among the score's factors. A rated
customer without any history gets a row from the neutral score. The rating's columns are
cleared everywhere else (the setting off, a rating grown old): with the setting off, the
scores are credit_management's own.
"""

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.engine import score as score_engine
from odoo.tools import SQL

from ..engine.rating import rated_score
from ..engine.rating import rating_penalty


class CreditPartnerScore(models.Model):
    _inherit = "credit.partner.score"

    rating_id = fields.Many2one(comodel_name="credit.risk.rating", ondelete="set null")
    rating_default_probability = fields.Float(
        string="Rating: Probability of Default (%)", digits=(16, 4)
    )
    rating_penalty = fields.Integer(
        string="Rating: Points Lost",
        help="Points the latest rating took off the behaviour score (2 per percent of "
        "probability of default, at most 20).",
    )

    @api.model
    def _score_update(self, company, date):
        count = super()._score_update(company, date)
        ratings = (
            self.env["credit.risk.rating"]._latest_in_force(company, date)
            if company.credit_risk_use_ratings
            else {}
        )
        # Whatever a rating did before is undone first; the scores are credit_management's.
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_partner_score
                   SET rating_id = NULL, rating_default_probability = 0, rating_penalty = 0
                 WHERE company_id = %(company)s AND rating_id IS NOT NULL
                """,
                company=company.id,
            )
        )
        if ratings:
            self._score_apply_ratings(company, date, ratings)
        self.invalidate_model()
        return count

    @api.model
    def _score_apply_ratings(self, company, date, ratings):
        """Take each rating's points off its customer's score (one read, one write)."""
        scores = dict(
            self.env.execute_query(
                SQL(
                    "SELECT partner_id, score FROM credit_partner_score "
                    "WHERE company_id = %(company)s AND partner_id = ANY(%(partners)s)",
                    company=company.id,
                    partners=list(ratings),
                )
            )
        )
        rows = []
        for partner_id, (rating_id, probability, _limit) in ratings.items():
            penalty = rating_penalty(probability)
            score = rated_score(scores.get(partner_id, score_engine.NEUTRAL), penalty)
            rows.append(
                (partner_id, rating_id, probability, penalty, score, self._score_grade(score))
            )
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO credit_partner_score AS s (
                    partner_id, company_id, date, score, grade, rating_id,
                    rating_default_probability, rating_penalty, avg_days_late, late_share,
                    invoice_count, promises_broken, disputes_rejected, overdue_ratio,
                    create_uid, create_date, write_uid, write_date)
                SELECT r.partner_id, %(company)s, %(date)s, r.score, r.grade, r.rating_id,
                       r.probability, r.penalty, 0, 0, 0, 0, 0, 0,
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(partner)s::int[], %(rating)s::int[], %(probability)s::numeric[],
                              %(penalty)s::int[], %(score)s::int[], %(grade)s::varchar[])
                       AS r(partner_id, rating_id, probability, penalty, score, grade)
                ON CONFLICT (partner_id, company_id) DO UPDATE SET
                    score = EXCLUDED.score, grade = EXCLUDED.grade,
                    rating_id = EXCLUDED.rating_id,
                    rating_default_probability = EXCLUDED.rating_default_probability,
                    rating_penalty = EXCLUDED.rating_penalty
                """,
                company=company.id,
                date=date,
                uid=self.env.uid,
                partner=list(columns[0]),
                rating=list(columns[1]),
                probability=list(columns[2]),
                penalty=list(columns[3]),
                score=list(columns[4]),
                grade=list(columns[5]),
            )
        )
