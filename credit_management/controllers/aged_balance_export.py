import json

import psycopg2

from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.http import content_disposition
from odoo.http import request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AgedBalanceExport(http.Controller):
    @http.route("/credit_management/aged_balance/xlsx", type="http", auth="user", methods=["POST"])
    def aged_balance_xlsx(self, data="{}", **kwargs):
        """The aged balance as shown, in XLSX: ``data`` is the list's domain, group-by and
        context (JSON). Read with the user's rights: no access, no file. Bad input (not
        JSON, a wrong type, an unknown field, a garbage date) gets a plain 400 page."""
        try:
            params = json.loads(data)
        except ValueError:
            return self._bad_request(request.env._("The export's parameters are not JSON."))
        if not isinstance(params, dict):
            return self._bad_request(request.env._("The export's parameters are not an object."))
        domain = params.get("domain") or []
        groupby = params.get("groupby") or []
        if not isinstance(domain, list) or not isinstance(groupby, list):
            return self._bad_request(
                request.env._("The export's domain or group-by is not a list.")
            )
        if not all(isinstance(spec, str) for spec in groupby):
            return self._bad_request(
                request.env._("The export's group-by is not a list of fields.")
            )
        report = request.env["report.credit_management.report_credit_aged_balance"]
        try:
            # A savepoint: a domain PostgreSQL refuses leaves the request's transaction usable.
            with request.env.cr.savepoint():
                report = report._export_env(params.get("export_context"))
                content = report._get_xlsx(domain, groupby)
        except AccessError:
            raise  # no right to read the aged balance: Odoo's 403
        except (
            UserError,
            ValueError,
            TypeError,
            IndexError,
            KeyError,
            psycopg2.DataError,
            psycopg2.ProgrammingError,
        ) as error:
            message = error.args[0] if isinstance(error, UserError) else None
            return self._bad_request(
                message or request.env._("The export's domain or group-by is not valid.")
            )
        filename = report.env._("Aged Balance %(date)s.xlsx", date=report._get_as_of())
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    def _bad_request(self, message):
        return request.make_response(
            message, headers=[("Content-Type", "text/plain; charset=utf-8")], status=400
        )
