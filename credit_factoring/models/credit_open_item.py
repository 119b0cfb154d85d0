"""The open items without the invoices the factor holds, for the figures that ask.

With ``credit_without_factored`` in the context (a reading option, not a right: it only
narrows what the reader may already see), the open items leave out the invoices assigned to
a factor and not returned (``factoring_state`` assigned or funded): the aged balance and the
DSO of the company's own receivable, net of factoring. Without it, every figure reads them as
credit_management does (the customer still owes them).
"""

from odoo import api
from odoo import models
from odoo.tools import SQL

HELD_STATES = ("assigned", "funded")


class CreditOpenItem(models.AbstractModel):
    _inherit = "credit.open.item"

    @api.model
    def _query(self, company=None, partner_ids=None, branches=True, as_of=None):
        query = super()._query(company, partner_ids, branches=branches, as_of=as_of)
        if not self.env.context.get("credit_without_factored"):
            return query
        self.env["account.move"].flush_model(["factoring_state"])
        return SQL(
            """
            SELECT q.* FROM (%(query)s) q
             WHERE NOT EXISTS (SELECT 1 FROM account_move fm
                                WHERE fm.id = q.move_id AND fm.factoring_state IN %(held)s)
            """,
            query=query,
            held=HELD_STATES,
        )
