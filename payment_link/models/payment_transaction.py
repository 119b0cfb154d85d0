"""Transactions paid through a payment link: once Odoo's post-processing has posted and
reconciled the payment, the link is checked (paid when all its invoices are) and the
customer gets the receipt. Which link a transaction pays and whether its receipt went are
set by the payment page and the post-processing only (billing users may write transactions:
they cannot make one count for a link)."""

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_field_rights import METHOD
from odoo.addons.credit_management.models.credit_field_rights import check_field_rights

FIELD_RIGHTS = {"payment_link_id": METHOD, "payment_link_receipt_sent": METHOD}


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    payment_link_id = fields.Many2one(
        comodel_name="credit.payment.link",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    payment_link_receipt_sent = fields.Boolean(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_field_rights(self, vals, FIELD_RIGHTS)
        return super().create(vals_list)

    def write(self, vals):
        check_field_rights(self, vals, FIELD_RIGHTS)
        return super().write(vals)

    def _post_process(self):
        super()._post_process()
        done = self.filtered(
            lambda tx: (
                tx.state == "done" and tx.payment_link_id and not tx.payment_link_receipt_sent
            )
        )
        if not done:
            return
        links = done.payment_link_id
        links._check_paid()
        # Post-processing may run again (status page, cron): one receipt per payment.
        # sudo: the flag is the post-processing's own.
        done.sudo().payment_link_receipt_sent = True
        links._send_receipt(done)
