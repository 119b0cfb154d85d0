from odoo import api
from odoo import models


class CreditStatementReport(models.AbstractModel):
    """The statement's values with what the customers are to pay to a factor."""

    _inherit = "report.credit_management.report_credit_statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data)
        values["factoring"] = values["docs"]._factoring_statement_blocks(values["statements"])
        return values
