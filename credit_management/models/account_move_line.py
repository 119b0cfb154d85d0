from odoo import models
from odoo.tools.sql import SQL
from odoo.tools.sql import index_exists

OPEN_ITEMS_INDEX = "account_move_line_credit_open_items_idx"


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def init(self):
        res = super().init()
        # Credit exposure sums the open items of a customer. Odoo's own index of unreconciled
        # lines has the same keys; this one also holds every column the sum reads, so
        # PostgreSQL answers from the index alone and the check stays fast for customers with
        # thousands of open invoices.
        if not index_exists(self.env.cr, OPEN_ITEMS_INDEX):
            self.env.cr.execute(
                SQL(
                    """
                    CREATE INDEX %s ON account_move_line (account_id, partner_id)
                           INCLUDE (company_id, date_maturity, amount_residual, move_id)
                             WHERE reconciled IS NOT TRUE AND parent_state = 'posted'
                    """,
                    SQL.identifier(OPEN_ITEMS_INDEX),
                )
            )
        return res
