from odoo import api
from odoo import fields
from odoo import models


class CreditStatementReport(models.AbstractModel):
    """The values of the customer statement report: the figures of every customer printed,
    read at once (``res.partner._credit_statement_data``)."""

    _name = "report.credit_management.report_credit_statement"
    _description = "Customer Statement Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        company = self.env.company
        date = fields.Date.context_today(self)
        docs = self.env["res.partner"].browse(docids).commercial_partner_id
        docs._credit_statement_check_access()
        return {
            "doc_ids": docs.ids,
            "doc_model": "res.partner",
            "docs": docs,
            "company": company,
            "statement_date": date,
            "statements": docs._credit_statement_data(company, date),
        }
