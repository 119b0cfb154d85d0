"""Transactions paid through a payment link: once Odoo's post-processing has posted and
reconciled the payment, the link is checked (paid when all its invoices are) and the
customer gets the receipt."""

from odoo import fields
from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    payment_link_id = fields.Many2one(
        comodel_name="credit.payment.link",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    payment_link_receipt_sent = fields.Boolean(readonly=True, copy=False)

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
        done.payment_link_receipt_sent = True
        links._send_receipt(done)
