import io

import pytz

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import date_utils
from odoo.tools import format_date
from odoo.tools.misc import xlsxwriter

from ..models.credit_aged_balance import AGING_BASES

# The columns of the aged balance list, as printed: the text columns, then the amounts.
TEXT_COLUMNS = ("partner_id", "user_id")
AMOUNT_COLUMNS = (
    "amount_not_due",
    "amount_1_30",
    "amount_31_60",
    "amount_61_90",
    "amount_91_120",
    "amount_over_120",
    "amount_total",
)
# The context keys of the aged balance that an export carries over from the screen.
EXPORT_CONTEXT_KEYS = ("credit_as_of", "credit_aging_basis", "allowed_company_ids", "lang", "tz")
DATE_GROUP_FORMATS = {
    "day": "dd MMM yyyy",
    "week": "'W'w YYYY",
    "month": "MMMM yyyy",
    "quarter": "QQQ yyyy",
    "year": "yyyy",
}


class CreditAgedBalanceReport(models.AbstractModel):
    """The aged balance as shown on screen, for its PDF and XLSX exports.

    The rows are read with the user's rights (``credit.aged.balance`` search, no sudo), with
    the list's domain, group-by (any depth, ``field`` or ``date_field:interval``) and its
    ``credit_as_of`` / ``credit_aging_basis`` context. ``_get_table`` gives one list of
    lines, in the order of the screen: a group line (label and subtotals) before the rows of
    the group, then the grand total."""

    _name = "report.credit_management.report_credit_aged_balance"
    _description = "Aged Balance Export"

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @api.model
    def _export_env(self, context):
        """This model in the export's context: only the keys that shape the figures, each
        checked (a client sends them: a bad one is a clear ``UserError``)."""
        context = context or {}
        if not isinstance(context, dict):
            raise UserError(self.env._("The export's context is not an object."))
        values = {key: context[key] for key in EXPORT_CONTEXT_KEYS if context.get(key)}
        if "credit_as_of" in values:
            values["credit_as_of"] = fields.Date.to_string(
                self._parse_as_of(values["credit_as_of"])
            )
        if values.get("credit_aging_basis", "due") not in AGING_BASES:
            raise UserError(
                self.env._("Unknown aging basis %(basis)r.", basis=values["credit_aging_basis"])
            )
        companies = values.get("allowed_company_ids", [])
        if not isinstance(companies, list) or not all(
            isinstance(company, int) and not isinstance(company, bool) for company in companies
        ):
            raise UserError(self.env._("The export's companies are not a list of ids."))
        if not set(companies) <= set(self.env.user._get_company_ids()):
            raise UserError(self.env._("The export names a company you have no access to."))
        if "lang" in values and values["lang"] not in dict(self.env["res.lang"].get_installed()):
            del values["lang"]
        if "tz" in values and values["tz"] not in pytz.all_timezones_set:
            del values["tz"]
        return self.with_context(**values)

    @api.model
    def _parse_as_of(self, value):
        """The as-of date a client sent, or a clear error (not in the future, as the
        as-of wizard allows)."""
        try:
            as_of = fields.Date.to_date(value) if isinstance(value, str) else None
        except ValueError:
            as_of = None
        if not as_of or as_of > fields.Date.context_today(self) or as_of.year < 1900:
            raise UserError(
                self.env._("%(value)r is not a past date to show the aged balance at.", value=value)
            )
        return as_of

    @api.model
    def _get_as_of(self):
        as_of = fields.Date.to_date(self.env.context.get("credit_as_of"))
        return as_of or fields.Date.context_today(self)

    @api.model
    def _get_table(self, domain=None, groupby=None):
        Aged = self.env["credit.aged.balance"]
        Aged.check_access("read")
        groupby = [spec for spec in (groupby or []) if spec]
        # An unknown field is refused before any work.
        group_fields = [self._group_field(spec)[0].name for spec in groupby]
        # Every row read in one query: the view is a grouped query over the open items,
        # which a row-by-row prefetch would run again for each batch of rows.
        records = Aged.search_fetch(
            domain or [],
            ["partner_name", "currency_id", *TEXT_COLUMNS, *AMOUNT_COLUMNS, *group_fields],
        )
        fields_get = Aged.fields_get(TEXT_COLUMNS + AMOUNT_COLUMNS, ["string"])
        as_of = self._get_as_of()
        basis = self.env.context.get("credit_aging_basis") or "due"
        currency = records[:1].currency_id or self.env.company.currency_id
        return {
            "title": self.env._("Aged Balance at %(date)s", date=format_date(self.env, as_of)),
            "basis": self.env._("By invoice date")
            if basis == "invoice"
            else self.env._("By due date"),
            "as_of": as_of,
            "currency": currency,
            "text_headers": [fields_get[name]["string"] for name in TEXT_COLUMNS],
            "amount_headers": [fields_get[name]["string"] for name in AMOUNT_COLUMNS],
            "lines": self._group_lines(records, groupby, 0),
            "total": self._sums(records),
            "count": len(records),
        }

    @api.model
    def _group_field(self, spec):
        name, _sep, interval = spec.partition(":")
        field = self.env["credit.aged.balance"]._fields.get(name)
        if not field:
            raise ValueError(f"Unknown group-by field {name!r} on credit.aged.balance")
        return field, interval or "month"

    @api.model
    def _group_label(self, record, spec):
        field, interval = self._group_field(spec)
        value = record[field.name]
        if not value:
            return self.env._("None")
        if field.type == "many2one":
            return value.display_name
        if field.type in ("date", "datetime"):
            return format_date(self.env, value, date_format=DATE_GROUP_FORMATS[interval])
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        return str(value)

    @api.model
    def _group_key(self, record, spec):
        """How groups are sorted: as the list sorts them (dates in time, others by name)."""
        field, interval = self._group_field(spec)
        value = record[field.name]
        if field.type in ("date", "datetime") and value:
            return (0, date_utils.start_of(value, interval))
        if not value:
            return (1, "")
        return (0, self._group_label(record, spec).lower())

    @api.model
    def _group_lines(self, records, groupby, level):
        if not groupby:
            return [
                {
                    "type": "row",
                    "level": level,
                    "texts": [
                        record.partner_name or record.partner_id.display_name,
                        record.user_id.name or "",
                    ],
                    "amounts": [record[name] for name in AMOUNT_COLUMNS],
                }
                for record in records
            ]
        spec, rest = groupby[0], groupby[1:]
        groups = {}
        for record in records:
            key = self._group_key(record, spec)
            groups.setdefault(key, [self._group_label(record, spec), []])[1].append(record.id)
        lines = []
        for key in sorted(groups):
            label, ids = groups[key]
            members = records.browse(ids)
            lines.append(
                {
                    "type": "group",
                    "level": level,
                    "label": label,
                    "count": len(members),
                    "amounts": self._sums(members),
                }
            )
            lines += self._group_lines(members, rest, level + 1)
        return lines

    @api.model
    def _sums(self, records):
        currency = records[:1].currency_id or self.env.company.currency_id
        return [currency.round(sum(records.mapped(name))) for name in AMOUNT_COLUMNS]

    # ------------------------------------------------------------
    # EXPORTS
    # ------------------------------------------------------------

    @api.model
    def _get_report_values(self, docids, data=None):
        """The PDF: ``data`` holds the screen's domain, group-by and context (as
        ``export_context``: the report route keeps ``context`` for its own)."""
        data = data or {}
        report = self._export_env(data.get("export_context"))
        domain = data.get("domain")
        if domain is None and docids:
            domain = [("id", "in", list(docids))]
        table = report._get_table(domain, data.get("groupby"))
        return {
            "doc_ids": docids,
            "doc_model": "credit.aged.balance",
            "docs": self.env["credit.aged.balance"].browse(docids or []),
            "company": self.env.company,
            "table": table,
        }

    @api.model
    def _get_xlsx(self, domain=None, groupby=None):
        """The XLSX workbook (bytes) of the aged balance as shown."""
        table = self._get_table(domain, groupby)
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        sheet = workbook.add_worksheet(self.env._("Aged Balance")[:31])
        digits = table["currency"].decimal_places
        money = "#,##0" + ("." + "0" * digits if digits else "")
        styles = {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#E9ECEF"}),
            "row": workbook.add_format({}),
            "row_amount": workbook.add_format({"num_format": money}),
            "group": workbook.add_format({"bold": True, "bg_color": "#F8F9FA"}),
            "group_amount": workbook.add_format(
                {"bold": True, "bg_color": "#F8F9FA", "num_format": money}
            ),
            "total": workbook.add_format({"bold": True, "top": 1}),
            "total_amount": workbook.add_format({"bold": True, "top": 1, "num_format": money}),
        }
        sheet.write(0, 0, table["title"], styles["title"])
        sheet.write(
            1,
            0,
            self.env._(
                "%(basis)s, in %(currency)s",
                basis=table["basis"],
                currency=table["currency"].name,
            ),
        )
        headers = table["text_headers"] + table["amount_headers"]
        first_amount = len(table["text_headers"])
        for col, header in enumerate(headers):
            sheet.write(3, col, header, styles["header"])
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 22)
        sheet.set_column(first_amount, len(headers) - 1, 14)
        row = 4
        for line in table["lines"]:
            indent = "    " * line["level"]
            if line["type"] == "group":
                style = "group"
                texts = [f"{indent}{line['label']} ({line['count']})", ""]
            else:
                style = "row"
                texts = [indent + line["texts"][0], line["texts"][1]]
            for col, text in enumerate(texts):
                sheet.write(row, col, text, styles[style])
            for col, amount in enumerate(line["amounts"], start=first_amount):
                sheet.write_number(row, col, amount, styles[f"{style}_amount"])
            row += 1
        sheet.write(row, 0, self.env._("Total"), styles["total"])
        sheet.write(row, 1, "", styles["total"])
        for col, amount in enumerate(table["total"], start=first_amount):
            sheet.write_number(row, col, amount, styles["total_amount"])
        sheet.freeze_panes(4, 1)
        workbook.close()
        return stream.getvalue()
