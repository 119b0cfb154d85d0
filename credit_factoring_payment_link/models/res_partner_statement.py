"""The statement's EPC QR code pays the company only what is the company's: the invoices the
customer is to pay to a factor are left out of its amount (credit_factoring's statement gives
the factor's bank account for them); the statement's payment link already leaves them out."""

from odoo import models


# One concern of the partner per file: the statement's payment.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _credit_statement_epc_qr(self, company, currency, amount, reference):
        amount -= self._factoring_statement_paid_residual(company, currency)
        return super()._credit_statement_epc_qr(company, currency, amount, reference)
