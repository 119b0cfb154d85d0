from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_date

DSO_DAYS = 90  # sales window of the DSO
CEI_DAYS = 30  # period of the collection effectiveness index
RATE_DAYS = 90  # window of the promise and dispute figures


class CreditKpiSnapshot(models.Model):
    """The credit KPIs of a company on a day, taken every night by
    ``_cron_snapshot()``: their history is the trend.

    All amounts in the company currency, receivable items including taxes:

    - receivable and overdue: the open receivable items (``credit.open.item``) of the
      company's tree (the company and its branches, as Odoo's ``partner.credit``);
    - DSO = receivable / sales of the last 90 days x 90 (customer invoices, credit notes
      and receipts, taxes included);
    - CEI, over the last 30 days = (receivable at the start + sales - receivable at the end)
      / (receivable at the start + sales - receivable not yet due at the end) x 100;
    - promises kept: kept / (kept + broken) among the promises closed in the last 90 days;
    - dispute resolution: average days from opening to closing of the disputes resolved or
      rejected in the last 90 days.
    """

    _name = "credit.kpi.snapshot"
    _description = "Credit KPIs of a Day"
    _order = "date desc, company_id"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    receivable = fields.Monetary(readonly=True, help="Open receivable, taxes included.")
    overdue = fields.Monetary(readonly=True, help="Part of the open receivable past due.")
    overdue_rate = fields.Float(
        string="Overdue (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    sales_90 = fields.Monetary(
        string="Sales (90 days)", readonly=True, help="Customer invoices less credit notes."
    )
    dso = fields.Float(
        string="DSO (days)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Days sales outstanding: receivable / sales of the last 90 days x 90.",
    )
    cei = fields.Float(
        string="CEI (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Collection effectiveness index over the last 30 days: the share of what could "
        "be collected that was collected (0 when nothing was due).",
    )
    promise_kept_rate = fields.Float(
        string="Promises Kept (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Among the promises kept or broken in the last 90 days.",
    )
    promise_count = fields.Integer(string="Promises Closed (90 days)", readonly=True)
    dispute_resolution_days = fields.Float(
        string="Dispute Resolution (days)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Average days from opening to closing, disputes closed in the last 90 days.",
    )
    dispute_count = fields.Integer(string="Disputes Closed (90 days)", readonly=True)

    _sql_constraints = [
        (
            "date_company_uniq",
            "UNIQUE (date, company_id)",
            "The KPIs of a company are taken once a day.",
        ),
    ]

    @api.depends("date")
    def _compute_display_name(self):
        for snapshot in self:
            snapshot.display_name = format_date(self.env, snapshot.date)

    @api.model
    def _cron_snapshot(self, date=None):
        """Every night: today's KPIs of every company (rewritten if taken again the same
        day). The open receivable is read as it stands when they are taken: run it on the
        day, not for a past date."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        snapshots = self.browse()
        for company in companies:
            snapshots |= self.sudo()._snapshot_take(company, date)
        return snapshots

    @api.model
    def _snapshot_take(self, company, date):
        values = self._snapshot_values(company, date)
        snapshot = self.search([("company_id", "=", company.id), ("date", "=", date)])
        if snapshot:
            snapshot.write(values)
            return snapshot
        return self.create(dict(values, company_id=company.id, date=date))

    @api.model
    def _snapshot_values(self, company, date):
        """The KPIs of ``company`` on ``date``, in four queries."""
        self.env.flush_all()
        receivable = SQL(
            """account_move_line l
               JOIN account_account a ON a.id = l.account_id
                                     AND a.account_type = 'asset_receivable'"""
        )
        OpenItem = self.env["credit.open.item"]
        companies = OpenItem._company_ids(company)
        [(open_amount, overdue, not_due)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(i.residual), 0),
                       COALESCE(SUM(i.residual) FILTER (WHERE i.date_due < %(date)s), 0),
                       COALESCE(SUM(i.residual) FILTER (WHERE i.date_due >= %(date)s), 0)
                  FROM (%(open_items)s) i
                """,
                open_items=OpenItem._query(company),
                date=date,
            )
        )
        cei_start = date - timedelta(days=CEI_DAYS)
        [(balance_start, balance_end, sales_cei, sales_dso)] = self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(l.balance) FILTER (WHERE l.date <= %(cei_start)s), 0),
                       COALESCE(SUM(l.balance), 0),
                       COALESCE(SUM(l.balance) FILTER (
                           WHERE m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                             AND l.date > %(cei_start)s), 0),
                       COALESCE(SUM(l.balance) FILTER (
                           WHERE m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
                             AND l.date > %(dso_start)s), 0)
                  FROM %(receivable)s
                  JOIN account_move m ON m.id = l.move_id
                 WHERE l.company_id = ANY(%(companies)s) AND l.parent_state = 'posted'
                   AND l.date <= %(date)s
                """,
                receivable=receivable,
                companies=companies,
                date=date,
                cei_start=cei_start,
                dso_start=date - timedelta(days=DSO_DAYS),
            )
        )
        since = date - timedelta(days=RATE_DAYS)
        [(kept, broken)] = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE state = 'kept'),
                       COUNT(*) FILTER (WHERE state = 'broken')
                  FROM credit_payment_promise
                 WHERE company_id = %(company)s AND date_closed > %(since)s
                   AND date_closed <= %(date)s
                """,
                company=company.id,
                since=since,
                date=date,
            )
        )
        [(disputes, resolution_days)] = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*), AVG(date_resolved - date_opened)
                  FROM credit_dispute
                 WHERE company_id = %(company)s AND state IN ('resolved', 'rejected')
                   AND date_resolved > %(since)s AND date_resolved <= %(date)s
                """,
                company=company.id,
                since=since,
                date=date,
            )
        )
        collectible = float(balance_start + sales_cei - not_due)
        return {
            "receivable": open_amount,
            "overdue": overdue,
            "overdue_rate": 100.0 * float(overdue) / float(open_amount) if open_amount > 0 else 0.0,
            "sales_90": sales_dso,
            "dso": float(open_amount) / float(sales_dso) * DSO_DAYS if sales_dso > 0 else 0.0,
            "cei": 100.0 * float(balance_start + sales_cei - balance_end) / collectible
            if collectible > 0
            else 0.0,
            "promise_kept_rate": 100.0 * kept / (kept + broken) if kept + broken else 0.0,
            "promise_count": kept + broken,
            "dispute_resolution_days": float(resolution_days or 0.0),
            "dispute_count": disputes,
        }
