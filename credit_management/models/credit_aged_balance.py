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

    Read from the open receivable items (``credit.open.item``) in one grouped query, per
    customer and company tree (a branch's items under its root, as ``partner.credit``), in
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
        "res.partner": [
            "commercial_partner_id",
            "dunning_responsible_id",
            "payer_profile_id",
            "credit_group_id",
        ],
        "res.company": ["currency_id", "credit_responsible_id", "parent_path"],
    }

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
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

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        late = SQL("(%s::date - i.date_due)", today)
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
        # one row per customer and company tree, under the root.
        return SQL(
            """
            SELECT MIN(i.id) AS id,
                   i.commercial_partner_id AS partner_id,
                   r.id AS company_id,
                   r.currency_id,
                   COALESCE(MIN((cp.dunning_responsible_id ->> r.id::text)::int),
                            MIN(r.credit_responsible_id)) AS user_id,
                   MIN(cp.payer_profile_id) AS payer_profile_id,
                   MIN(cp.credit_group_id) AS credit_group_id,
                   COALESCE(SUM(i.residual) FILTER (WHERE %(late)s <= 0), 0)
                       AS amount_not_due,
                   %(buckets)s,
                   COALESCE(SUM(i.residual) FILTER (WHERE %(late)s > 0), 0)
                       AS amount_overdue,
                   SUM(i.residual) AS amount_total,
                   MIN(i.date_due) FILTER (WHERE i.residual > 0) AS oldest_due_date
              FROM (%(open_items)s) i
              JOIN res_partner cp ON cp.id = i.commercial_partner_id
              JOIN res_company c ON c.id = i.company_id
              JOIN res_company r ON r.id = split_part(c.parent_path, '/', 1)::int
             GROUP BY i.commercial_partner_id, r.id, r.currency_id
            """,
            late=late,
            buckets=SQL(",\n").join(buckets),
            open_items=self.env["credit.open.item"]._query(),
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
                ("company_id", "child_of", self.company_id.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", "!=", 0),
            ],
            "context": {"create": False},
        }
