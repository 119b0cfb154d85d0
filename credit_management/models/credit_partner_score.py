from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# Behaviour score: 100 minus penalties, each capped (documented in the readme).
SCORE_DAYS_LATE_MAX = 40  # one point per day late on average (weighted by amount), at most 40
SCORE_LATE_SHARE = 20  # share of the invoices paid late, times 20
SCORE_BROKEN_PROMISE, SCORE_BROKEN_MAX = 10, 20  # per promise broken, at most 20
SCORE_REJECTED_DISPUTE, SCORE_REJECTED_MAX = 5, 10  # per dispute rejected, at most 10
SCORE_OVERDUE_RATIO = 10  # share of the open receivable that is overdue, times 10
SCORE_NEUTRAL = 60  # no history: neither good nor bad
GRADES = ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (0, "E"))
WINDOW_DAYS = 365


class CreditPartnerScore(models.Model):
    """The behaviour of a customer in a company over the last 12 months: its score, its
    grade and the factors behind them. One row per customer and company, rewritten by
    ``res.partner._cron_update_credit_score()``."""

    _name = "credit.partner.score"
    _description = "Customer Behaviour Score"
    _order = "company_id, partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True, ondelete="cascade")
    date = fields.Date(string="Computed On", required=True)
    score = fields.Integer(required=True)
    grade = fields.Selection(selection=[(grade, grade) for _bound, grade in GRADES], required=True)
    avg_days_late = fields.Float(
        string="Average Days Late", digits=(16, 1), help="Weighted by the invoices' amounts."
    )
    late_share = fields.Float(string="Paid Late (%)", digits=(16, 1))
    invoice_count = fields.Integer(string="Invoices Paid")
    promises_broken = fields.Integer()
    disputes_rejected = fields.Integer()
    overdue_ratio = fields.Float(string="Overdue Now (%)", digits=(16, 1))

    _sql_constraints = [
        (
            "partner_company_uniq",
            "UNIQUE (partner_id, company_id)",
            "A customer has one behaviour score per company.",
        ),
    ]

    @api.model
    def _score_grade(self, score):
        return next(grade for bound, grade in GRADES if score >= bound)

    @api.model
    def _score_from_factors(self, factors):
        """The score of a customer from its factors (a dict of the SQL below)."""
        if not factors.get("invoice_count") and not factors.get("open_amount"):
            if not factors.get("promises_broken") and not factors.get("disputes_rejected"):
                return SCORE_NEUTRAL
        penalty = (
            min(SCORE_DAYS_LATE_MAX, factors.get("avg_days_late") or 0.0)
            + SCORE_LATE_SHARE * (factors.get("late_share") or 0.0)
            + min(SCORE_BROKEN_MAX, SCORE_BROKEN_PROMISE * (factors.get("promises_broken") or 0))
            + min(
                SCORE_REJECTED_MAX, SCORE_REJECTED_DISPUTE * (factors.get("disputes_rejected") or 0)
            )
            + SCORE_OVERDUE_RATIO * (factors.get("overdue_ratio") or 0.0)
        )
        return max(0, min(100, round(100 - penalty)))

    @api.model
    def _score_factors(self, company, date):
        """Factors of every customer of ``company`` on ``date``, in a few queries:
        ``{commercial partner id: {factor: value}}``."""
        self.env.flush_all()
        since = date - timedelta(days=WINDOW_DAYS)
        factors = {}

        def merge(rows):
            for row in rows:
                factors.setdefault(row.pop("partner_id"), {}).update(row)

        merge(
            self.env.execute_query_dict(
                SQL(
                    """
                    WITH paid AS (
                        SELECT p.commercial_partner_id AS partner_id, l.balance AS amount,
                               GREATEST(MAX(apr.max_date) - l.date_maturity, 0) AS days_late
                          FROM account_move_line l
                          JOIN account_account a ON a.id = l.account_id
                                                AND a.account_type = 'asset_receivable'
                          JOIN res_partner p ON p.id = l.partner_id
                          JOIN account_move m ON m.id = l.move_id
                                             AND m.move_type IN ('out_invoice', 'out_receipt')
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                         WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
                           AND l.reconciled AND l.balance > 0 AND l.date_maturity IS NOT NULL
                         GROUP BY p.commercial_partner_id, l.id
                        HAVING MAX(apr.max_date) BETWEEN %(since)s AND %(date)s
                    )
                    SELECT partner_id, COUNT(*) AS invoice_count,
                           SUM(amount * days_late) / NULLIF(SUM(amount), 0) AS avg_days_late,
                           COUNT(*) FILTER (WHERE days_late > 0)::float / COUNT(*) AS late_share
                      FROM paid GROUP BY partner_id
                    """,
                    company=company.id,
                    since=since,
                    date=date,
                )
            )
        )
        merge(
            self.env.execute_query_dict(
                SQL(
                    """
                    SELECT p.commercial_partner_id AS partner_id,
                           SUM(l.amount_residual) AS open_amount,
                           COALESCE(SUM(l.amount_residual) FILTER (
                               WHERE l.date_maturity < %(date)s), 0)
                             / NULLIF(SUM(l.amount_residual), 0) AS overdue_ratio
                      FROM account_move_line l
                      JOIN account_account a ON a.id = l.account_id
                                            AND a.account_type = 'asset_receivable'
                      JOIN res_partner p ON p.id = l.partner_id
                     WHERE l.company_id = %(company)s AND l.parent_state = 'posted'
                       AND NOT l.reconciled AND l.amount_residual > 0
                     GROUP BY p.commercial_partner_id
                    """,
                    company=company.id,
                    date=date,
                )
            )
        )
        merge(
            self.env.execute_query_dict(
                SQL(
                    """
                    SELECT partner_id, COUNT(*) AS promises_broken
                      FROM credit_payment_promise
                     WHERE company_id = %(company)s AND state = 'broken'
                       AND date_closed BETWEEN %(since)s AND %(date)s
                     GROUP BY partner_id
                    """,
                    company=company.id,
                    since=since,
                    date=date,
                )
            )
        )
        merge(
            self.env.execute_query_dict(
                SQL(
                    """
                    SELECT partner_id, COUNT(*) AS disputes_rejected
                      FROM credit_dispute
                     WHERE company_id = %(company)s AND state = 'rejected'
                       AND date_resolved BETWEEN %(since)s AND %(date)s
                     GROUP BY partner_id
                    """,
                    company=company.id,
                    since=since,
                    date=date,
                )
            )
        )
        return factors

    @api.model
    def _score_update(self, company, date):
        """Rewrite the scores of every customer of ``company`` with some history."""
        factors = self._score_factors(company, date)
        rows = []
        for partner_id, values in factors.items():
            score = self._score_from_factors(values)
            rows.append(
                (
                    partner_id,
                    company.id,
                    date,
                    score,
                    self._score_grade(score),
                    round(float(values.get("avg_days_late") or 0.0), 1),
                    round(100.0 * float(values.get("late_share") or 0.0), 1),
                    int(values.get("invoice_count") or 0),
                    int(values.get("promises_broken") or 0),
                    int(values.get("disputes_rejected") or 0),
                    round(100.0 * float(values.get("overdue_ratio") or 0.0), 1),
                )
            )
        if rows:
            columns = [
                "partner_id",
                "company_id",
                "date",
                "score",
                "grade",
                "avg_days_late",
                "late_share",
                "invoice_count",
                "promises_broken",
                "disputes_rejected",
                "overdue_ratio",
            ]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO credit_partner_score (%(names)s, create_uid, create_date,
                                                      write_uid, write_date)
                    SELECT *, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                           NOW() AT TIME ZONE 'UTC'
                      FROM unnest(%(partner)s::int[], %(company)s::int[], %(date)s::date[],
                                  %(score)s::int[], %(grade)s::varchar[], %(avg)s::numeric[],
                                  %(share)s::numeric[], %(count)s::int[], %(broken)s::int[],
                                  %(rejected)s::int[], %(overdue)s::numeric[])
                    ON CONFLICT (partner_id, company_id) DO UPDATE SET
                        date = EXCLUDED.date, score = EXCLUDED.score, grade = EXCLUDED.grade,
                        avg_days_late = EXCLUDED.avg_days_late,
                        late_share = EXCLUDED.late_share,
                        invoice_count = EXCLUDED.invoice_count,
                        promises_broken = EXCLUDED.promises_broken,
                        disputes_rejected = EXCLUDED.disputes_rejected,
                        overdue_ratio = EXCLUDED.overdue_ratio,
                        write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                    """,
                    names=SQL(", ").join(map(SQL.identifier, columns)),
                    uid=self.env.uid,
                    **{
                        key: [row[index] for row in rows]
                        for index, key in enumerate(
                            (
                                "partner",
                                "company",
                                "date",
                                "score",
                                "grade",
                                "avg",
                                "share",
                                "count",
                                "broken",
                                "rejected",
                                "overdue",
                            )
                        )
                    },
                )
            )
        # Customers whose history left the window: no factor any more, a neutral score.
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_partner_score
                   SET score = %(neutral)s, grade = %(grade)s, date = %(date)s,
                       avg_days_late = 0, late_share = 0, invoice_count = 0,
                       promises_broken = 0, disputes_rejected = 0, overdue_ratio = 0
                 WHERE company_id = %(company)s AND NOT (partner_id = ANY(%(partners)s))
                """,
                neutral=SCORE_NEUTRAL,
                grade=self._score_grade(SCORE_NEUTRAL),
                date=date,
                company=company.id,
                partners=list(factors),
            )
        )
        self.invalidate_model()
        return len(rows)
