"""The open receivable items: the one source every credit figure reads.

An open item is a journal item of a customer on a receivable account, in a posted entry, not
fully reconciled and with a residual: an invoice's unpaid part, a credit note or a payment not
allocated yet. ``credit.open.item._query()`` returns them as an ``SQL`` select that the credit
check, the dunning plan, the aged balance, the cash forecast, the KPIs, the score and the
promises wrap in their own grouped query, so that the condition is written once.

How it works:

- **Company scope** is Odoo's own for ``partner.credit``: a company and all the companies of
  its tree (its root and the root's branches), whichever of them is given. A caller that works
  per legal sender (a reminder is sent by one company) asks for ``branches=False``.
- **Amounts**: ``residual`` is in the company currency of the item (branches share their
  root's currency, so every amount of a scope adds up), ``residual_currency`` in the currency
  of its document (``currency_id``, the company currency when the item has none). Converting
  is nowhere else: Odoo converts each item at its own rate when it posts it and keeps the
  company-currency residual up to date through reconciliations.
- **As of a past date** (``as_of``): an item counts as open on day D when it is posted, dated
  on or before D and not yet settled by the reconciliations dated on or before D (a partial
  reconciliation is dated by its ``max_date``). Its residual on D is its balance less those
  partials, which is its residual now plus the partials dated after D: only those are read,
  grouped once by journal item, so that a recent date reads few of them. The candidates are
  the items unreconciled now (through Odoo's partial index) and the items settled after D.
- **Plan**: the receivable accounts, the companies and (when the caller names customers)
  their contacts are resolved first and inlined as literal arrays, so that PostgreSQL reads
  through Odoo's partial index of unreconciled lines and visits receivable lines only.

Columns: ``id`` (the journal item), ``move_id``, ``partner_id`` (the item's partner),
``commercial_partner_id`` (the customer), ``company_id``, ``account_id``, ``currency_id``,
``date``, ``date_maturity``, ``date_due`` (the due date, or the date when there is none),
``residual``, ``residual_currency``.
"""

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# Up to this many contacts, their customer is looked up in the inlined arrays (a credit
# check); beyond, they are joined as a set (a batch).
FEW_CONTACTS = 64
# What the query reads: flushed before it runs.
LINE_FIELDS = [
    "account_id",
    "amount_residual",
    "amount_residual_currency",
    "company_id",
    "currency_id",
    "date",
    "date_maturity",
    "move_id",
    "parent_state",
    "partner_id",
    "reconciled",
]
# What the query reads of the partial reconciliations, as of a past date.
PARTIAL_FIELDS = [
    "amount",
    "credit_amount_currency",
    "credit_move_id",
    "debit_amount_currency",
    "debit_move_id",
    "max_date",
]


class CreditOpenItem(models.AbstractModel):
    _name = "credit.open.item"
    _description = "Open Receivable Items"

    @api.model
    def _company_ids(self, company, branches=True):
        """The companies of ``company``'s scope: its whole tree, as ``partner.credit``."""
        if not branches:
            return company.ids
        return self.env.execute_query(SQL("SELECT %s", self._company_ids_sql(company)))[0][0]

    @api.model
    def _company_ids_sql(self, company, branches=True):
        """``_company_ids`` as an SQL array, for a query that needs the scope itself."""
        if not branches:
            return SQL("ARRAY[%s]::int[]", company.id)
        self.env["res.company"].flush_model(["parent_path"])
        root = company.sudo().parent_path.split("/")[0]
        return SQL(
            "ARRAY(SELECT id FROM res_company WHERE parent_path LIKE %s ORDER BY id)", f"{root}/%"
        )

    @api.model
    def _query(self, company=None, partner_ids=None, branches=True, as_of=None):
        """The open receivable items as an ``SQL`` select (columns: see the module docstring).

        :param company: the scope's company (its tree, see ``branches``); None: every company.
        :param partner_ids: only these customers (commercial entities); None: every customer.
        :param branches: False to keep ``company`` alone, without the rest of its tree.
        :param as_of: a date: the items open on that day, with their residual of that day;
            None: the items open now.
        """
        self.env["account.move.line"].flush_model(LINE_FIELDS)
        self.env["account.account"].flush_model(["account_type"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # The arrays to inline, in one round trip: the receivable accounts, the companies and,
        # for named customers, their contacts with the customer of each.
        [(accounts, companies, contacts, commercials)] = self.env.execute_query(
            SQL(
                """
                SELECT ARRAY(SELECT id FROM account_account
                              WHERE account_type = 'asset_receivable' ORDER BY id),
                       %s, %s, %s
                """,
                SQL("NULL::int[]")
                if company is None
                else self._company_ids_sql(company, branches=branches),
                *(
                    (SQL("NULL::int[]"), SQL("NULL::int[]"))
                    if partner_ids is None
                    else (
                        SQL(
                            "ARRAY(SELECT %s FROM res_partner "
                            "WHERE commercial_partner_id = ANY(%s) ORDER BY id)",
                            SQL.identifier(column),
                            list(partner_ids),
                        )
                        for column in ("id", "commercial_partner_id")
                    )
                ),
            )
        )
        conditions = [
            SQL("l.account_id = ANY(%s)", accounts),
            SQL("l.parent_state = 'posted'"),
        ]
        if companies is not None:
            conditions.append(SQL("l.company_id = ANY(%s)", companies))
        if contacts is None:
            customers = SQL("JOIN res_partner p ON p.id = l.partner_id")
            commercial = SQL("p.commercial_partner_id")
        else:
            conditions.append(SQL("l.partner_id = ANY(%s)", contacts))
            if len(contacts) <= FEW_CONTACTS:
                # A customer's credit check: its customer read from the inlined arrays, no join.
                customers = SQL()
                commercial = SQL(
                    "(%s::int[])[array_position(%s::int[], l.partner_id)]", commercials, contacts
                )
            else:
                # A batch of customers: a hash of the contacts named, not the partners' table.
                customers = SQL(
                    "JOIN unnest(%s::int[], %s::int[]) AS p(id, commercial_partner_id) "
                    "ON p.id = l.partner_id",
                    contacts,
                    commercials,
                )
                commercial = SQL("p.commercial_partner_id")
        if as_of is not None:
            return self._query_as_of(as_of, conditions, customers, commercial)
        conditions += [SQL("l.reconciled IS NOT TRUE"), SQL("l.amount_residual != 0")]
        return SQL(
            """
            SELECT l.id, l.move_id, l.partner_id, %s AS commercial_partner_id, l.company_id,
                   l.account_id, COALESCE(l.currency_id, l.company_currency_id) AS currency_id,
                   l.date, l.date_maturity, COALESCE(l.date_maturity, l.date) AS date_due,
                   l.amount_residual AS residual,
                   l.amount_residual_currency AS residual_currency
              FROM account_move_line l
              %s
             WHERE %s
            """,
            commercial,
            customers,
            SQL(" AND ").join(conditions),
        )

    @api.model
    def _query_as_of(self, as_of, conditions, customers, commercial):
        """The items open on ``as_of`` (see the module docstring): ``_query``'s select."""
        self.env["account.partial.reconcile"].flush_model(PARTIAL_FIELDS)
        as_of = fields.Date.to_date(as_of)
        conditions = [*conditions, SQL("l.date <= %s", as_of)]
        # What the reconciliations dated after the day took from each item, to give back:
        # a debit item was lowered by its partials, a credit item raised. An item is on one
        # side of all its partials (a debit item on the debit side), so each side is summed
        # on its own, grouped by item.
        later = [
            SQL(
                """
                SELECT %(side)s AS line_id, SUM(amount) AS amount,
                       SUM(%(amount_currency)s) AS amount_currency
                  FROM account_partial_reconcile
                 WHERE max_date > %(as_of)s
                 GROUP BY %(side)s
                """,
                side=SQL.identifier(side),
                amount_currency=SQL.identifier(amount_currency),
                as_of=as_of,
            )
            for side, amount_currency in (
                ("debit_move_id", "debit_amount_currency"),
                ("credit_move_id", "credit_amount_currency"),
            )
        ]
        given_back = SQL("COALESCE(ld.amount, 0) - COALESCE(lc.amount, 0)")
        # One pass over the items dated by then: those unreconciled now, and those reconciled
        # now but settled only after the day.
        return SQL(
            """
            SELECT l.id, l.move_id, l.partner_id, %(commercial)s AS commercial_partner_id,
                   l.company_id, l.account_id,
                   COALESCE(l.currency_id, l.company_currency_id) AS currency_id,
                   l.date, l.date_maturity, COALESCE(l.date_maturity, l.date) AS date_due,
                   l.amount_residual + %(given_back)s AS residual,
                   l.amount_residual_currency + COALESCE(ld.amount_currency, 0)
                       - COALESCE(lc.amount_currency, 0) AS residual_currency
              FROM account_move_line l
              LEFT JOIN (%(later_debit)s) ld ON ld.line_id = l.id
              LEFT JOIN (%(later_credit)s) lc ON lc.line_id = l.id
              %(customers)s
             WHERE %(conditions)s
               AND (l.reconciled IS NOT TRUE OR ld.line_id IS NOT NULL OR lc.line_id IS NOT NULL)
               AND l.amount_residual + %(given_back)s != 0
            """,
            commercial=commercial,
            given_back=given_back,
            later_debit=later[0],
            later_credit=later[1],
            customers=customers,
            conditions=SQL(" AND ").join(conditions),
        )
