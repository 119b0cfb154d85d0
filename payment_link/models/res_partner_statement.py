"""The customer statement's online payment: a payment link per currency due, with its QR
code, and for euros an EPC (SEPA credit transfer) QR code of the balance.

credit_management's statement asks ``res.partner._credit_statement_payment`` for each
balance due and shows what it gets (``url``, ``qr``, ``epc_qr``); here it gets them."""

import base64

from odoo import models
from odoo.addons.credit_management import compat


# One concern of the partner per file: the statement's payment.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _credit_statement_payment(self, company, currency, amount, reference):
        payment = super()._credit_statement_payment(company, currency, amount, reference)
        self.ensure_one()
        # sudo: collectors print and send statements but do not manage links; the link is
        # the customer's, in the statement's company, for its open invoices.
        link = self.sudo()._payment_link_for_statement(currency=currency, company=company)
        if link.url:
            png = compat.qr_code(self.env, link.url, 180)
            payment["url"] = link.url
            payment["qr"] = "data:image/png;base64," + base64.b64encode(png).decode()
        epc_qr = self._credit_statement_epc_qr(company, currency, amount, reference)
        if epc_qr:
            payment["epc_qr"] = epc_qr
        return payment

    def _credit_statement_epc_qr(self, company, currency, amount, reference):
        """An EPC QR code of ``amount`` to the company's first IBAN account that can take
        one (``account_qr_code_sepa``), with the statement's reference; False otherwise."""
        self.ensure_one()
        if currency.name != "EUR" or currency.compare_amounts(amount, 0) <= 0:
            return False
        for bank in company.partner_id.bank_ids:
            if not bank._get_error_messages_for_qr("sct_qr", self, currency):
                return bank.build_qr_code_base64(
                    amount, reference[:140], None, currency, self, "sct_qr"
                )
        return False
