"""The payment links' figures in the credit KPIs of a day, over the window of the promise and
dispute figures (the last 90 days up to the snapshot's date), per company:

- links opened: the links first opened in the window;
- invoices paid through a link: the invoices of the link payments confirmed in the window;
- amount collected through links: those payments, in the company's currency (the posted
  payments' amounts);
- median time from reminder to payment: for each reminder's link first paid in the window,
  the time from the link's creation (when its reminder was sent) to its first confirmed
  payment; the median of these, in days.

One query, grouped in SQL (``percentile_cont`` for the median).
"""

from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_kpi_snapshot import RATE_DAYS
from odoo.tools import SQL


class CreditKpiSnapshot(models.Model):
    _inherit = "credit.kpi.snapshot"

    payment_link_opened_count = fields.Integer(
        string="Links Opened (90 days)",
        readonly=True,
        help="Payment links opened for the first time in the last 90 days.",
    )
    payment_link_paid_move_count = fields.Integer(
        string="Invoices Paid by Link (90 days)",
        readonly=True,
        help="Invoices paid through a payment link in the last 90 days.",
    )
    payment_link_amount = fields.Monetary(
        string="Collected by Link (90 days)",
        readonly=True,
        help="Payments confirmed through payment links in the last 90 days.",
    )
    payment_link_median_days = fields.Float(
        string="Reminder to Payment by Link (days)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="Median time from a reminder to its first payment through its link (from the "
        "link's creation with the reminder to the confirmed payment), links first paid in the "
        "last 90 days; 0.5 is half a day.",
    )

    @api.model
    def _snapshot_values_by_date(self, company, dates):
        """The figures of the links on the company's rows (not per collector)."""
        values = super()._snapshot_values_by_date(company, dates)
        for date, by_user in values.items():
            by_user[False].update(
                self._payment_link_values(company, date - timedelta(days=RATE_DAYS), date)
            )
        return values

    @api.model
    def _payment_link_values(self, company, date_from, date_to):
        """The figures of the links of ``company`` after ``date_from`` through ``date_to``
        (dates, excluded and included: the window of the KPIs)."""
        self.env["credit.payment.link"].flush_model()
        self.env["payment.transaction"].flush_model()
        self.env["account.payment"].flush_model(["amount_company_currency_signed"])
        # Datetimes in UTC, compared with the day after the window's ends.
        start = fields.Datetime.to_datetime(date_from + timedelta(days=1))
        end = fields.Datetime.to_datetime(date_to + timedelta(days=1))
        [(opened, paid_moves, amount, median)] = self.env.execute_query(
            SQL(
                """
                WITH done AS (
                    SELECT tx.id, tx.payment_link_id, tx.payment_id, tx.last_state_change
                      FROM payment_transaction tx
                      JOIN credit_payment_link l ON l.id = tx.payment_link_id
                     WHERE l.company_id = %(company)s AND tx.state = 'done'
                ), first_paid AS (
                    SELECT l.id, l.create_date, MIN(done.last_state_change) AS date_paid
                      FROM credit_payment_link l
                      JOIN done ON done.payment_link_id = l.id
                     WHERE l.dunning_id IS NOT NULL
                  GROUP BY l.id
                )
                SELECT (SELECT COUNT(*)
                          FROM credit_payment_link
                         WHERE company_id = %(company)s
                           AND date_first_opened >= %(start)s AND date_first_opened < %(end)s),
                       (SELECT COUNT(DISTINCT rel.invoice_id)
                          FROM done
                          JOIN account_invoice_transaction_rel rel ON rel.transaction_id = done.id
                         WHERE done.last_state_change >= %(start)s
                           AND done.last_state_change < %(end)s),
                       (SELECT COALESCE(SUM(p.amount_company_currency_signed), 0)
                          FROM done
                          JOIN account_payment p ON p.id = done.payment_id
                         WHERE done.last_state_change >= %(start)s
                           AND done.last_state_change < %(end)s),
                       (SELECT percentile_cont(0.5) WITHIN GROUP (
                                   ORDER BY EXTRACT(EPOCH FROM date_paid - create_date))
                          FROM first_paid
                         WHERE date_paid >= %(start)s AND date_paid < %(end)s)
                """,
                company=company.id,
                start=start,
                end=end,
            )
        )
        return {
            "payment_link_opened_count": opened,
            "payment_link_paid_move_count": paid_moves,
            "payment_link_amount": amount,
            "payment_link_median_days": float(median) / 86400 if median is not None else 0.0,
        }
