from odoo import models
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        res = super().init()
        # Credit exposure reads the draft customer invoices of a customer: a small partial
        # index keeps that lookup independent of the number of posted moves.
        create_index(
            self.env.cr,
            indexname="account_move_credit_draft_partner_idx",
            tablename="account_move",
            expressions=["commercial_partner_id"],
            where="state = 'draft' AND move_type IN ('out_invoice', 'out_refund')",
        )
        return res
