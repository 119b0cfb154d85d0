import json

from odoo import http
from odoo.http import content_disposition
from odoo.http import request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AgedBalanceExport(http.Controller):
    @http.route("/credit_management/aged_balance/xlsx", type="http", auth="user", methods=["POST"])
    def aged_balance_xlsx(self, data="{}", **kwargs):
        """The aged balance as shown, in XLSX: ``data`` is the list's domain, group-by and
        context (JSON). Read with the user's rights: no access, no file."""
        params = json.loads(data)
        report = request.env["report.credit_management.report_credit_aged_balance"]
        report = report._export_env(params.get("export_context"))
        content = report._get_xlsx(params.get("domain") or [], params.get("groupby") or [])
        filename = report.env._("Aged Balance %(date)s.xlsx", date=report._get_as_of())
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
