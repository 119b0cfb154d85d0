from odoo import api
from odoo import models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A payment reconciled with a promised invoice may keep the promise at once.
        moves = partials.debit_move_id.move_id
        promises = (
            self.env["credit.payment.promise"]
            .sudo()
            .search([("move_ids", "in", moves.ids), ("state", "=", "open")])
        )
        if promises:
            promises._promise_evaluate()
        return partials
