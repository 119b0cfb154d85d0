from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_date

from .. import compat
from ..engine import score as score_engine

WINDOW_DAYS = 365  # the behaviour of the last 12 months
# Factors that count records closed in the window: (factor, model, state, closing date).
CLOSED_COUNTS = (
    ("promises_broken", "credit.payment.promise", "broken", "date_closed"),
    ("disputes_rejected", "credit.dispute", "rejected", "date_resolved"),
)


class CreditPartnerScore(models.Model):
    """The behaviour of a customer in a company over the last 12 months: its score, its
    grade and the factors behind them. One row per customer and company, rewritten by
    ``res.partner._cron_update_credit_score()``.

    The formula and the grades are the pure core's (``engine/score.py``); this model reads
    the facts of every customer at once (``_score_factors``: the paid invoices and the open
    items in one SQL query each, ``_score_read_paid_invoices`` and
    ``_score_read_open_items``, plus two grouped counts) and writes the results in one
    statement."""

    _name = "credit.partner.score"
    _description = "Customer Behaviour Score"
    _order = "company_id, partner_id"

    partner_id = fields.Many2one(
        comodel_name="res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(comodel_name="res.company", required=True, ondelete="cascade")
    date = fields.Date(string="Computed On", required=True)
    score = fields.Integer(required=True)
    grade = fields.Selection(
        selection=[(grade, grade) for _bound, grade in score_engine.GRADES], required=True
    )
    avg_days_late = fields.Float(
        string="Average Days Late", digits=(16, 1), help="Weighted by the invoices' amounts."
    )
    late_share = fields.Float(string="Paid Late (%)", digits=(16, 1))
    invoice_count = fields.Integer(string="Invoices Paid")
    promises_broken = fields.Integer()
    disputes_rejected = fields.Integer()
    overdue_ratio = fields.Float(string="Overdue Now (%)", digits=(16, 1))

    _partner_company_uniq = compat.Constraint(
        "UNIQUE (partner_id, company_id)",
        "A customer has one behaviour score per company.",
    )

    @api.depends("score", "grade", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for record in self:
            record.display_name = _(
                "Score %(score)s (%(grade)s) on %(date)s",
                score=record.score,
                grade=record.grade,
                date=format_date(self.env, record.date),
            )

    @api.model
    def _score_grade(self, score):
        return score_engine.grade(score)

    @api.model
    def _score_facts(self, values):
        """The ``ScoreFacts`` of a customer from its factors (see ``_score_factors``)."""
        return score_engine.ScoreFacts(
            invoice_count=int(values.get("invoice_count") or 0),
            avg_days_late=float(values.get("avg_days_late") or 0.0),
            late_share=float(values.get("late_share") or 0.0),
            promises_broken=int(values.get("promises_broken") or 0),
            disputes_rejected=int(values.get("disputes_rejected") or 0),
            open_amount=float(values.get("open_amount") or 0.0),
            overdue_ratio=float(values.get("overdue_ratio") or 0.0),
        )

    @api.model
    def _score_factors(self, company, date):
        """Factors of every customer of ``company`` on ``date``, in four grouped queries:
        ``{commercial partner id: {factor: value}}``."""
        self.env.flush_all()
        since = date - timedelta(days=WINDOW_DAYS)
        rows = [
            *self._score_read_paid_invoices(company, since, date),
            *self._score_read_open_items(company, date),
        ]
        for key, model, state, date_field in CLOSED_COUNTS:
            rows += self._score_count_closed(key, model, state, date_field, company, since, date)
        factors = {}
        for row in rows:
            factors.setdefault(row.pop("partner_id"), {}).update(row)
        return factors

    @api.model
    def _score_read_paid_invoices(self, company, since, date):
        """Per customer, its invoices paid in full between ``since`` and ``date``:
        ``[{partner_id, invoice_count, avg_days_late, late_share}]``.

        An invoice is paid on the date of its last reconciliation; its days late are from its
        due date to that day (0 when paid early), averaged weighted by the amounts."""
        return self.env.execute_query_dict(
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
                     WHERE l.company_id = ANY(%(companies)s) AND l.parent_state = 'posted'
                       AND l.reconciled AND l.balance > 0 AND l.date_maturity IS NOT NULL
                     GROUP BY p.commercial_partner_id, l.id
                    HAVING MAX(apr.max_date) BETWEEN %(since)s AND %(date)s
                )
                SELECT partner_id, COUNT(*) AS invoice_count,
                       SUM(amount * days_late) / NULLIF(SUM(amount), 0) AS avg_days_late,
                       COUNT(*) FILTER (WHERE days_late > 0)::float / COUNT(*) AS late_share
                  FROM paid GROUP BY partner_id
                """,
                # The company's tree, as its open items (``credit.open.item``).
                companies=self.env["credit.open.item"]._company_ids_sql(company),
                since=since,
                date=date,
            )
        )

    @api.model
    def _score_read_open_items(self, company, date):
        """Per customer, its open receivable on ``date`` and the share of it overdue:
        ``[{partner_id, open_amount, overdue_ratio}]``."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT i.commercial_partner_id AS partner_id,
                       SUM(i.residual) AS open_amount,
                       COALESCE(SUM(i.residual) FILTER (WHERE i.date_maturity < %(date)s), 0)
                         / NULLIF(SUM(i.residual), 0) AS overdue_ratio
                  FROM (%(open_items)s) i
                 WHERE i.residual > 0
                 GROUP BY i.commercial_partner_id
                """,
                open_items=self.env["credit.open.item"]._query(company),
                date=date,
            )
        )

    @api.model
    def _score_count_closed(self, key, model, state, date_field, company, since, date):
        """Per customer, its records of ``model`` closed in ``state`` between ``since`` and
        ``date``: ``[{partner_id, key: count}]`` (one grouped query)."""
        # The nightly score counts every customer's history, whoever runs it.
        groups = (
            self.env[model]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", state),
                    (date_field, ">=", since),
                    (date_field, "<=", date),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        return [{"partner_id": partner.id, key: count} for partner, count in groups]

    @api.model
    def _score_update(self, company, date):
        """Rewrite the scores of every customer of ``company`` with some history."""
        factors = self._score_factors(company, date)
        rows = []
        for partner_id, values in factors.items():
            facts = self._score_facts(values)
            score = score_engine.score(facts)
            rows.append(
                (
                    partner_id,
                    company.id,
                    date,
                    score,
                    score_engine.grade(score),
                    round(facts.avg_days_late, 1),
                    round(100.0 * facts.late_share, 1),
                    facts.invoice_count,
                    facts.promises_broken,
                    facts.disputes_rejected,
                    round(100.0 * facts.overdue_ratio, 1),
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
                neutral=score_engine.NEUTRAL,
                grade=score_engine.grade(score_engine.NEUTRAL),
                date=date,
                company=company.id,
                partners=list(factors),
            )
        )
        self.invalidate_model()
        return len(rows)
