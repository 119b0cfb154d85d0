from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools import format_date

from .. import compat

DSO_DAYS = 90  # sales window of the DSO
CEI_DAYS = 30  # period of the collection effectiveness index
RATE_DAYS = 90  # window of the promise and dispute figures


BACKFILL_MONTHS = 12  # history taken on install: one snapshot per month end


class CreditKpiSnapshot(models.Model):
    """The credit KPIs of a company on a day, taken every night by
    ``_cron_snapshot()``: their history is the trend. On install (and from a button),
    ``_backfill()`` takes one per month end of the past 12 months from the ledger.

    Every figure is the ledger's as of the day of the snapshot (``credit.open.item`` as of
    that date), so that a snapshot of a past day is that day's. Each snapshot of a company
    (``user_id`` empty) comes with one per collector (``user_id``): the same figures on the
    collector's portfolio, the customers whose collector in the company's tree is that user
    (``dunning_responsible_id``, else the company's ``credit_responsible_id``, as the aged
    balance). ``is_latest`` marks the newest snapshot of each company and collector.

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
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        readonly=True,
        index="btree_not_null",
        help="The collector whose portfolio these figures are; empty: the whole company.",
    )
    is_latest = fields.Boolean(
        string="Latest",
        readonly=True,
        help="The most recent snapshot of its company and collector.",
    )
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

    _date_company_uniq = compat.Constraint(
        "UNIQUE NULLS NOT DISTINCT (date, company_id, user_id)",
        "The KPIs of a company, and of each of its collectors, are taken once a day.",
    )

    @api.depends("date", "user_id")
    def _compute_display_name(self):
        for snapshot in self:
            date = format_date(self.env, snapshot.date)
            snapshot.display_name = (
                f"{date} - {snapshot.user_id.name}" if snapshot.user_id else date
            )

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_snapshot(self, date=None):
        """Every night: today's KPIs of every company and its collectors (rewritten if taken
        again the same day)."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        snapshots = self.browse()
        for company in companies:
            snapshots |= self.sudo()._snapshot_take(company, date)
        self._update_latest()
        return snapshots

    @api.model
    def _backfill(self, months=BACKFILL_MONTHS):
        """The history of the KPIs: per company, one snapshot per month end of the past
        ``months`` months and today's, from the ledger as of each day. The days already
        taken are kept as they are. Returns the snapshots taken."""
        today = fields.Date.context_today(self)
        first_of_month = today.replace(day=1)
        dates = [
            first_of_month - relativedelta(months=n) - timedelta(days=1) for n in range(months)
        ]
        dates = [*sorted(dates), today]
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        taken = {
            (company.id, date)
            for company, date in self.sudo()._read_group(
                [("user_id", "=", False), ("date", "in", dates)], ["company_id", "date:day"]
            )
        }
        snapshots = self.browse()
        for company in companies:
            missing = [date for date in dates if (company.id, date) not in taken]
            if not missing:
                continue
            values = self.sudo()._snapshot_values_by_date(company, missing)
            for date in missing:
                snapshots |= self.sudo()._snapshot_take(company, date, values[date])
        self._update_latest()
        return snapshots

    def action_backfill(self):
        """The button of the KPI views: take the missing month ends of the past year."""
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            raise AccessError(_("Only credit managers can backfill the KPIs."))
        snapshots = self._backfill()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s snapshots taken.", count=len(snapshots)),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @api.model
    def _update_latest(self):
        """Mark the newest snapshot of each company and collector, in one statement."""
        self.flush_model(["date", "company_id", "user_id", "is_latest"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_kpi_snapshot s
                   SET is_latest = (s.id = latest.id)
                  FROM (SELECT DISTINCT ON (company_id, user_id) id, company_id, user_id
                          FROM credit_kpi_snapshot
                         ORDER BY company_id, user_id, date DESC) latest
                 WHERE latest.company_id = s.company_id
                   AND latest.user_id IS NOT DISTINCT FROM s.user_id
                   AND s.is_latest IS DISTINCT FROM (s.id = latest.id)
                """
            )
        )
        self.invalidate_model(["is_latest"])

    @api.model
    def _snapshot_take(self, company, date, values=None):
        """The KPIs of ``company`` and of its collectors on ``date`` (``values``: as
        ``_snapshot_values_by_user`` gives them, computed if not given), rewritten if
        taken."""
        if values is None:
            values = self._snapshot_values_by_user(company, date)
        existing = {
            snapshot.user_id.id: snapshot
            for snapshot in self.search([("company_id", "=", company.id), ("date", "=", date)])
        }
        snapshots = self.browse()
        to_create = []
        for user_id, user_values in values.items():
            if user_id in existing:
                existing[user_id].write(user_values)
                snapshots |= existing.pop(user_id)
            else:
                to_create.append(
                    dict(user_values, company_id=company.id, date=date, user_id=user_id)
                )
        # A collector with nothing left on the day has no row of that day any more.
        self.browse().union(*existing.values()).unlink()
        return snapshots | self.create(to_create)

    @api.model
    def _snapshot_values(self, company, date=None):
        """The KPIs of ``company`` on ``date`` (the context's ``credit_as_of``, else
        today), from the ledger as of that day."""
        if date is None:
            date = self.env.context.get("credit_as_of") or fields.Date.context_today(self)
        return self._snapshot_values_by_user(company, fields.Date.to_date(date))[False]

    @api.model
    def _snapshot_values_by_user(self, company, date):
        """The KPIs of ``company`` on ``date`` and of each of its collectors:
        ``{False or user id: values}``, ``False`` for the company."""
        return self._snapshot_values_by_date(company, [date])[date]

    @api.model
    def _snapshot_values_by_date(self, company, dates):
        """The KPIs of ``company`` and of each of its collectors on each of ``dates``:
        ``{date: {False or user id: values}}``.

        Each query is grouped by collector and in total (``GROUPING SETS``): per date, the
        open items as of that date, the promises and the disputes; for all dates at once,
        one scan of the receivable ledger (``_snapshot_read_ledger``)."""
        self.env.flush_all()
        OpenItem = self.env["credit.open.item"]
        root = company.sudo().root_id
        # The collector of a customer, as the aged balance's (``credit.aged.balance``).
        collector = SQL(
            "COALESCE((cp.dunning_responsible_id ->> %s)::int, %s::int)",
            str(root.id),
            root.credit_responsible_id.id or None,
        )
        today = fields.Date.context_today(self)
        figures = {date: {} for date in dates}

        def gather(date, query, names):
            for total, user_id, *values in self.env.execute_query(query):
                key = False if total else user_id
                if key is not None:  # customers without a collector: in the company's only
                    figures[date].setdefault(key, {}).update(zip(names, values, strict=True))

        for date in dates:
            since = date - timedelta(days=RATE_DAYS)
            # Today's figures read the open items as they stand; a past day's, as of then.
            open_items = OpenItem._query(company, as_of=date if date < today else None)
            gather(
                date,
                SQL(
                    """
                    SELECT GROUPING(%(collector)s) = 1, %(collector)s,
                           COALESCE(SUM(i.residual), 0),
                           COALESCE(SUM(i.residual) FILTER (WHERE i.date_due < %(date)s), 0),
                           COALESCE(SUM(i.residual) FILTER (WHERE i.date_due >= %(date)s), 0)
                      FROM (%(open_items)s) i
                      JOIN res_partner cp ON cp.id = i.commercial_partner_id
                     GROUP BY GROUPING SETS ((), (%(collector)s))
                    """,
                    collector=collector,
                    open_items=open_items,
                    date=date,
                ),
                ["open_amount", "overdue", "not_due"],
            )
            gather(
                date,
                SQL(
                    """
                    SELECT GROUPING(%(collector)s) = 1, %(collector)s,
                           COUNT(*) FILTER (WHERE pr.state = 'kept'),
                           COUNT(*) FILTER (WHERE pr.state = 'broken')
                      FROM credit_payment_promise pr
                      JOIN res_partner p ON p.id = pr.partner_id
                      JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     WHERE pr.company_id = %(company)s AND pr.date_closed > %(since)s
                       AND pr.date_closed <= %(date)s
                     GROUP BY GROUPING SETS ((), (%(collector)s))
                    """,
                    collector=collector,
                    company=company.id,
                    since=since,
                    date=date,
                ),
                ["kept", "broken"],
            )
            gather(
                date,
                SQL(
                    """
                    SELECT GROUPING(%(collector)s) = 1, %(collector)s,
                           COUNT(*), AVG(d.date_resolved - d.date_opened)
                      FROM credit_dispute d
                      JOIN res_partner p ON p.id = d.partner_id
                      JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     WHERE d.company_id = %(company)s AND d.state IN ('resolved', 'rejected')
                       AND d.date_resolved > %(since)s AND d.date_resolved <= %(date)s
                     GROUP BY GROUPING SETS ((), (%(collector)s))
                    """,
                    collector=collector,
                    company=company.id,
                    since=since,
                    date=date,
                ),
                ["disputes", "resolution_days"],
            )
        for date, by_key in self._snapshot_read_ledger(company, dates, collector).items():
            for key, values in by_key.items():
                figures[date].setdefault(key, {}).update(values)
        return {
            date: {
                key: self._snapshot_kpis(values) for key, values in {False: {}, **by_key}.items()
            }
            for date, by_key in figures.items()
        }

    @api.model
    def _snapshot_read_ledger(self, company, dates, collector):
        """The receivable balances and credit sales behind the DSO and the CEI of each of
        ``dates``, in one scan of the ledger: ``{date: {key: figures}}``.

        The lines are summed per collector between consecutive bounds (each date, 30 and 90
        days before it); each figure is then a sum of those intervals."""
        bounds = sorted(
            {
                bound
                for date in dates
                for bound in (
                    date,
                    date - timedelta(days=CEI_DAYS),
                    date - timedelta(days=DSO_DAYS),
                )
            }
        )
        # Interval i holds the lines dated after bounds[i - 1], up to bounds[i].
        interval = SQL(
            "width_bucket(l.date, %s::date[])", [bound + timedelta(days=1) for bound in bounds]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT GROUPING(%(collector)s) = 1, %(collector)s, %(interval)s,
                       SUM(l.balance),
                       COALESCE(SUM(l.balance) FILTER (
                           WHERE m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')), 0)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                                        AND a.account_type = 'asset_receivable'
                  JOIN account_move m ON m.id = l.move_id
                  LEFT JOIN res_partner p ON p.id = l.partner_id
                  LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                 WHERE l.company_id = ANY(%(companies)s) AND l.parent_state = 'posted'
                   AND l.date <= %(last)s
                 GROUP BY GROUPING SETS ((%(interval)s), (%(collector)s, %(interval)s))
                """,
                collector=collector,
                interval=interval,
                companies=self.env["credit.open.item"]._company_ids(company),
                last=bounds[-1],
            )
        )
        intervals = {}
        for total, user_id, index, balance, sales in rows:
            key = False if total else user_id
            if key is not None:
                intervals.setdefault(key, []).append((bounds[index], float(balance), float(sales)))

        def balance_on(key, day):
            return sum(amount for bound, amount, _sales in intervals[key] if bound <= day)

        def sales_between(key, since, day):
            return sum(amount for bound, _b, amount in intervals[key] if since < bound <= day)

        result = {}
        for date in dates:
            cei_start = date - timedelta(days=CEI_DAYS)
            dso_start = date - timedelta(days=DSO_DAYS)
            result[date] = {
                key: {
                    "balance_start": balance_on(key, cei_start),
                    "balance_end": balance_on(key, date),
                    "sales_cei": sales_between(key, cei_start, date),
                    "sales_dso": sales_between(key, dso_start, date),
                }
                for key in intervals
            }
        return result

    @api.model
    def _snapshot_kpis(self, figures):
        """The KPIs from the figures gathered by ``_snapshot_values_by_date``."""
        open_amount = float(figures.get("open_amount") or 0.0)
        overdue = float(figures.get("overdue") or 0.0)
        not_due = float(figures.get("not_due") or 0.0)
        balance_start = float(figures.get("balance_start") or 0.0)
        balance_end = float(figures.get("balance_end") or 0.0)
        sales_cei = float(figures.get("sales_cei") or 0.0)
        sales_dso = float(figures.get("sales_dso") or 0.0)
        kept = figures.get("kept") or 0
        broken = figures.get("broken") or 0
        collectible = balance_start + sales_cei - not_due
        return {
            "receivable": open_amount,
            "overdue": overdue,
            "overdue_rate": 100.0 * overdue / open_amount if open_amount > 0 else 0.0,
            "sales_90": sales_dso,
            "dso": open_amount / sales_dso * DSO_DAYS if sales_dso > 0 else 0.0,
            "cei": 100.0 * (balance_start + sales_cei - balance_end) / collectible
            if collectible > 0
            else 0.0,
            "promise_kept_rate": 100.0 * kept / (kept + broken) if kept + broken else 0.0,
            "promise_count": kept + broken,
            "dispute_resolution_days": float(figures.get("resolution_days") or 0.0),
            "dispute_count": figures.get("disputes") or 0,
        }
