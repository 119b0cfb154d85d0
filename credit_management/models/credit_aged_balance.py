from odoo import _
from odoo import fields
from odoo import models
from odoo.tools import SQL

# The buckets of days past due: (field, first day, last day); not due is its own column.
BUCKETS = (
    ("amount_1_30", 1, 30),
    ("amount_31_60", 31, 60),
    ("amount_61_90", 61, 90),
    ("amount_91_120", 91, 120),
    ("amount_over_120", 121, None),
)


class CreditAgedBalance(models.Model):
    """The aged balance: what each customer owes in each company today, by days past due.

    Read from the open receivable items (posted, not reconciled) in one grouped query, in
    the company currency: invoices, credit notes and unallocated payments, each in the
    bucket of its due date (its date when it has none). The totals are Odoo's own receivable
    balance of the customer in the company."""

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
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "dunning_responsible_id", "payer_profile_id"],
        "res.company": ["currency_id", "credit_responsible_id"],
    }

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
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

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        due = SQL("COALESCE(l.date_maturity, l.date)")
        late = SQL("(%s::date - %s)", today, due)
        buckets = [
            SQL(
                "COALESCE(SUM(l.amount_residual) FILTER (WHERE %s), 0) AS %s",
                SQL("%s BETWEEN %s AND %s", late, first, last)
                if last
                else SQL("%s >= %s", late, first),
                SQL.identifier(name),
            )
            for name, first, last in BUCKETS
        ]
        return SQL(
            """
            SELECT MIN(l.id) AS id,
                   p.commercial_partner_id AS partner_id,
                   l.company_id,
                   c.currency_id,
                   COALESCE(MIN((cp.dunning_responsible_id ->> l.company_id::text)::int),
                            MIN(c.credit_responsible_id)) AS user_id,
                   MIN(cp.payer_profile_id) AS payer_profile_id,
                   COALESCE(SUM(l.amount_residual) FILTER (WHERE %(late)s <= 0), 0)
                       AS amount_not_due,
                   %(buckets)s,
                   COALESCE(SUM(l.amount_residual) FILTER (WHERE %(late)s > 0), 0)
                       AS amount_overdue,
                   SUM(l.amount_residual) AS amount_total,
                   MIN(%(due)s) FILTER (WHERE l.amount_residual > 0) AS oldest_due_date
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
                                    AND a.account_type = 'asset_receivable'
              JOIN res_partner p ON p.id = l.partner_id
              JOIN res_partner cp ON cp.id = p.commercial_partner_id
              JOIN res_company c ON c.id = l.company_id
             WHERE l.reconciled IS NOT TRUE AND l.parent_state = 'posted'
               AND l.amount_residual != 0
             GROUP BY p.commercial_partner_id, l.company_id, c.currency_id
            """,
            late=late,
            due=due,
            buckets=SQL(",\n").join(buckets),
        )

    def action_open_items(self):
        """The open receivable items behind a row."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Open Items of %(customer)s", customer=self.partner_id.display_name),
            "res_model": "account.move.line",
            "view_mode": "list",
            "views": [(self.env.ref("account.view_move_line_tree").id, "list")],
            "domain": [
                ("partner_id", "child_of", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ],
            "context": {"create": False},
        }
