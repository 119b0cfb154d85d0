from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_date

# The buckets of days past due: (field, first day, last day); not due is its own column.
BUCKETS = (
    ("amount_1_30", 1, 30),
    ("amount_31_60", 31, 60),
    ("amount_61_90", 61, 90),
    ("amount_91_120", 91, 120),
    ("amount_over_120", 121, None),
)
# The aging bases (context key ``credit_aging_basis``): the date each item is aged from.
AGING_BASES = {"due": "date_due", "invoice": "date"}
DSO_DAYS = 90  # sales window of a customer's DSO, as the company's (credit.kpi.snapshot)


class CreditAgedBalance(models.Model):
    """The aged balance: what each customer owes in each company today, by days past due.

    Read from the open receivable items (``credit.open.item``) in one grouped query, per
    customer and company tree (a branch's items under its root, as ``partner.credit``), in
    the company currency: invoices, credit notes and unallocated payments, each in the
    bucket of its due date (its date when it has none). The totals are Odoo's own receivable
    balance of the customer in the company.

    Context keys: ``credit_as_of`` (a date) gives the balance as it stood at the end of that
    day, aged from it; ``credit_aging_basis`` ages the items by due date (``due``, the
    default) or by invoice date (``invoice``).

    Per customer, its DSO on the day (receivable / credit sales of the 90 days up to it x 90)
    and its average days late, from its behaviour score (``credit.partner.score``: the
    invoices paid in the last 12 months, weighted by their amounts)."""

    _name = "credit.aged.balance"
    _description = "Aged Balance"
    _auto = False
    _order = "amount_total desc, partner_id"
    _rec_name = "partner_id"
    # What the query reads: Odoo flushes these fields before searching this model.
    _depends = {
        "account.move.line": [
            "account_id",
            "amount_residual",
            "company_id",
            "date",
            "date_maturity",
            "parent_state",
            "partner_id",
            "reconciled",
        ],
        "account.partial.reconcile": [
            "amount",
            "credit_move_id",
            "debit_move_id",
            "max_date",
        ],
        "account.move": [
            "amount_total_signed",
            "commercial_partner_id",
            "date",
            "move_type",
            "state",
        ],
        "account.account": ["account_type"],
        "credit.partner.score": ["avg_days_late", "company_id", "partner_id"],
        "res.partner": [
            "commercial_partner_id",
            "complete_name",
            "dunning_responsible_id",
            "payer_profile_id",
            "credit_group_id",
        ],
        "res.company": ["currency_id", "credit_responsible_id", "parent_path"],
    }

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    partner_name = fields.Char(
        string="Customer Name",
        readonly=True,
        help="The customer's full name (its stored complete name), for the exports.",
    )
    credit_group_id = fields.Many2one(comodel_name="res.partner", string="Group", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Collector", readonly=True)
    payer_profile_id = fields.Many2one(comodel_name="credit.payer.profile", readonly=True)
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    amount_91_120 = fields.Monetary(string="91-120 Days", readonly=True)
    amount_over_120 = fields.Monetary(string="Over 120 Days", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)
    oldest_due_date = fields.Date(readonly=True, help="Due date of the oldest unpaid invoice.")
    sales_90 = fields.Monetary(
        string="Sales (90 days)",
        readonly=True,
        help="Customer invoices less credit notes of the 90 days up to the day, taxes included.",
    )
    dso = fields.Float(
        string="DSO (days)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Days sales outstanding of the customer: its receivable / its sales of the last "
        "90 days x 90 (0 without sales).",
    )
    avg_days_late = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Of the customer's invoices paid in the last 12 months, weighted by their "
        "amounts (from its behaviour score).",
    )

    @api.model
    def _as_of(self):
        """The day of the figures: the context's ``credit_as_of``, else None (today)."""
        as_of = self.env.context.get("credit_as_of")
        return fields.Date.to_date(as_of) if as_of else None

    @api.model
    def _aging_basis(self):
        return self.env.context.get("credit_aging_basis") or "due"

    @property
    def _table_query(self):
        as_of = self._as_of()
        today = as_of or fields.Date.context_today(self)
        aged_from = SQL.identifier("i", AGING_BASES.get(self._aging_basis(), "date_due"))
        late = SQL("(%s::date - %s)", today, aged_from)
        buckets = [
            SQL(
                "COALESCE(SUM(i.residual) FILTER (WHERE %s), 0) AS %s",
                SQL("%s BETWEEN %s AND %s", late, first, last)
                if last
                else SQL("%s >= %s", late, first),
                SQL.identifier(name),
            )
            for name, first, last in BUCKETS
        ]
        # A branch's items are its root company's receivable, as in Odoo's ``partner.credit``:
        # one row per customer and company tree, under the root. The items are summed alone;
        # the customer's own fields are joined once per row, after.
        balance = SQL(
            """
            SELECT MIN(i.id) AS id,
                   i.commercial_partner_id AS partner_id,
                   r.id AS company_id,
                   r.currency_id,
                   MIN(r.credit_responsible_id) AS company_responsible_id,
                   COALESCE(SUM(i.residual) FILTER (WHERE %(late)s <= 0), 0)
                       AS amount_not_due,
                   %(buckets)s,
                   COALESCE(SUM(i.residual) FILTER (WHERE %(late)s > 0), 0)
                       AS amount_overdue,
                   SUM(i.residual) AS amount_total,
                   MIN(i.date_due) FILTER (WHERE i.residual > 0) AS oldest_due_date
              FROM (%(open_items)s) i
              JOIN res_company c ON c.id = i.company_id
              JOIN res_company r ON r.id = split_part(c.parent_path, '/', 1)::int
             GROUP BY i.commercial_partner_id, r.id, r.currency_id
            """,
            late=late,
            buckets=SQL(",\n").join(buckets),
            open_items=self.env["credit.open.item"]._query(as_of=as_of),
        )
        # Each customer's credit sales of the DSO window, per company tree: the signed totals
        # of its posted invoices and credit notes (their receivable, in company currency),
        # read from the entries, not from their lines.
        sales = SQL(
            """
            SELECT m.commercial_partner_id AS partner_id,
                   split_part(c.parent_path, '/', 1)::int AS company_id,
                   SUM(m.amount_total_signed) AS amount
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
             WHERE m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund', 'out_receipt')
               AND m.date > %(since)s AND m.date <= %(today)s
             GROUP BY 1, 2
            """,
            since=today - timedelta(days=DSO_DAYS),
            today=today,
        )
        return SQL(
            """
            SELECT b.*,
                   customer.complete_name AS partner_name,
                   COALESCE((customer.dunning_responsible_id ->> b.company_id::text)::int,
                            b.company_responsible_id) AS user_id,
                   customer.payer_profile_id,
                   customer.credit_group_id,
                   COALESCE(s.amount, 0) AS sales_90,
                   CASE WHEN s.amount > 0 THEN b.amount_total / s.amount * %(days)s
                        ELSE 0 END AS dso,
                   COALESCE(ps.avg_days_late, 0) AS avg_days_late
              FROM (%(balance)s) b
              JOIN res_partner customer ON customer.id = b.partner_id
              LEFT JOIN (%(sales)s) s ON s.partner_id = b.partner_id
                                     AND s.company_id = b.company_id
              LEFT JOIN credit_partner_score ps ON ps.partner_id = b.partner_id
                                               AND ps.company_id = b.company_id
            """,
            balance=balance,
            sales=sales,
            days=DSO_DAYS,
        )

    def action_open_items(self):
        """The open receivable items behind a row."""
        self.ensure_one()
        as_of = self._as_of()
        if as_of:
            return self._action_open_items_as_of(as_of)
        return {
            "type": "ir.actions.act_window",
            "name": _("Open Items of %(customer)s", customer=self.partner_id.display_name),
            "res_model": "account.move.line",
            "view_mode": "list",
            "views": [(self.env.ref("account.view_move_line_tree").id, "list")],
            "domain": [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "child_of", self.company_id.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ],
            "context": {"create": False},
        }

    def _action_open_items_as_of(self, as_of):
        """The journal items behind a row as of a past day: those open then."""
        rows = self.env.execute_query(
            SQL(
                "SELECT i.id FROM (%s) i",
                self.env["credit.open.item"]._query(
                    self.company_id, [self.partner_id.id], as_of=as_of
                ),
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": _(
                "Open Items of %(customer)s on %(date)s",
                customer=self.partner_id.display_name,
                date=format_date(self.env, as_of),
            ),
            "res_model": "account.move.line",
            "view_mode": "list",
            "views": [(self.env.ref("account.view_move_line_tree").id, "list")],
            "domain": [("id", "in", [row[0] for row in rows])],
            "context": {"create": False},
        }
