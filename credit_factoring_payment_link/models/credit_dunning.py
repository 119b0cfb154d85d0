"""A reminder paid to a factor shows no EPC QR code of the company's account: credit_factoring's
letter shows the factor's."""

from odoo import models


class CreditDunning(models.Model):
    _inherit = "credit.dunning"

    def _ensure_payment_links(self):
        # The factoring facts of the whole batch read at once, before its links are prepared
        # reminder by reminder.
        self._factoring_prefetch()
        return super()._ensure_payment_links()

    def _epc_bank_account(self):
        if self._factoring_contracts():
            return self.env["res.partner.bank"]
        return super()._epc_bank_account()
