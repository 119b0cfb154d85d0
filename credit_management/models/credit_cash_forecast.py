from odoo import fields
from odoo import models
from odoo.tools import SQL


class CreditCashForecast(models.Model):
    """When the open invoices should be paid: one row per invoice with a balance, dated by
    what is known of the customer.

    - an open payment promise on the invoice: its promised date;
    - otherwise the late-payment prediction's expected date (``account.move``
      ``date_expected_payment``, with its spread and probability);
    - otherwise its due date plus the customer's average days late (behaviour score of the
      company), or the due date alone for a customer without history;
    - a date already past is expected today;
    - an invoice in dispute or handed off to litigation has no expected date.

    Amounts are the invoices' balances in the company currency; credit notes and
    unallocated payments are not cash to come and are left out. ``amount_weighted`` weighs
    each by the probability that it is paid on time (one minus the prediction's risk)."""

    _name = "credit.cash.forecast"
    _description = "Cash Forecast"
    _auto = False
    _order = "date_expected, move_id"
    _rec_name = "move_id"
    # What the query reads: Odoo flushes these fields before searching this model.
    _depends = {
        "account.move.line": [
            "account_id",
            "amount_residual",
            "company_id",
            "date",
            "date_maturity",
            "move_id",
            "parent_state",
            "partner_id",
            "reconciled",
        ],
        "account.move": ["dunning_handoff_date", "in_dispute", "move_type"],
        "credit.move.prediction": [
            "date_expected",
            "date_expected_from",
            "date_expected_to",
            "likely_late",
            "move_id",
            "probability",
        ],
        "account.account": ["account_type"],
        "credit.partner.score": ["avg_days_late", "company_id", "partner_id"],
        "credit.payment.promise": ["date_promised", "move_ids", "state"],
        "res.partner": ["commercial_partner_id", "dunning_responsible_id"],
        "res.company": ["currency_id", "credit_responsible_id"],
    }

    move_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Collector", readonly=True)
    amount = fields.Monetary(string="Amount Due", readonly=True)
    amount_weighted = fields.Monetary(
        string="Amount Weighted by the Risk",
        readonly=True,
        help="The amount due times the probability that it is paid on time (not later than "
        "the prediction's days late): what to count on when the risk is taken into account.",
    )
    late_probability = fields.Float(string="Risk of Paying Late", readonly=True, aggregator="avg")
    likely_late = fields.Boolean(readonly=True)
    date_due = fields.Date(string="Due Date", readonly=True)
    date_expected = fields.Date(string="Expected On", readonly=True)
    date_expected_from = fields.Date(string="Earliest Expected", readonly=True)
    date_expected_to = fields.Date(string="Latest Expected", readonly=True)
    basis = fields.Selection(
        selection=[
            ("promise", "Payment promise"),
            ("prediction", "Late-payment prediction"),
            ("behaviour", "Due date and days late"),
            ("due", "Due date"),
            ("disputed", "In dispute"),
            ("litigation", "Handed off"),
        ],
        string="Expected From",
        readonly=True,
    )

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        return SQL(
            """
            SELECT i.id, i.move_id, i.commercial_partner_id AS partner_id, i.company_id,
                   c.currency_id,
                   COALESCE((cp.dunning_responsible_id ->> i.company_id::text)::int,
                            c.credit_responsible_id) AS user_id,
                   i.residual AS amount,
                   i.residual * (1 - COALESCE(pred.probability, 0)) AS amount_weighted,
                   pred.probability AS late_probability,
                   COALESCE(pred.likely_late, FALSE) AS likely_late,
                   i.date_due,
                   CASE WHEN m.in_dispute OR m.dunning_handoff_date IS NOT NULL THEN NULL
                        ELSE GREATEST(%(today)s::date, COALESCE(
                            promise.date_promised,
                            pred.date_expected,
                            i.date_due + ROUND(COALESCE(s.avg_days_late, 0))::int))
                   END AS date_expected,
                   CASE WHEN m.in_dispute OR m.dunning_handoff_date IS NOT NULL
                          OR promise.date_promised IS NOT NULL THEN NULL
                        ELSE GREATEST(%(today)s::date, pred.date_expected_from)
                   END AS date_expected_from,
                   CASE WHEN m.in_dispute OR m.dunning_handoff_date IS NOT NULL
                          OR promise.date_promised IS NOT NULL THEN NULL
                        ELSE GREATEST(%(today)s::date, pred.date_expected_to)
                   END AS date_expected_to,
                   CASE WHEN m.dunning_handoff_date IS NOT NULL THEN 'litigation'
                        WHEN m.in_dispute THEN 'disputed'
                        WHEN promise.date_promised IS NOT NULL THEN 'promise'
                        WHEN pred.date_expected IS NOT NULL THEN 'prediction'
                        WHEN s.id IS NOT NULL THEN 'behaviour'
                        ELSE 'due'
                   END AS basis
              FROM (%(open_items)s) i
              JOIN account_move m ON m.id = i.move_id
              JOIN res_partner cp ON cp.id = i.commercial_partner_id
              JOIN res_company c ON c.id = i.company_id
              LEFT JOIN credit_move_prediction pred ON pred.move_id = i.move_id
              LEFT JOIN credit_partner_score s ON s.partner_id = i.commercial_partner_id
                                              AND s.company_id = i.company_id
              LEFT JOIN LATERAL (
                    SELECT MIN(pr.date_promised) AS date_promised
                      FROM credit_payment_promise_account_move_rel rel
                      JOIN credit_payment_promise pr ON pr.id = rel.promise_id
                                                    AND pr.state = 'open'
                     WHERE rel.move_id = i.move_id
              ) promise ON TRUE
             WHERE i.residual > 0
            """,
            today=today,
            open_items=self.env["credit.open.item"]._query(),
        )
