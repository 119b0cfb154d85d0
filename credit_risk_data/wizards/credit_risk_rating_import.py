"""Import ratings from a provider's file (CSV or XLSX), with the provider's saved columns.

How it works: the file's rows are read into dicts by the header row; each row's identifier
(SIREN, SIRET or French VAT number, checked with python-stdnum) gives a SIREN, matched to the
company's customers in one query (each distinct identifier and date converted once); the
ratings are created in batches of one statement each (``_create_imported``). Rows that
cannot be read (no customer with that SIREN, an invalid identifier, a date or a figure that
is not one, a figure out of bounds) are not imported and are listed, with their line
number, in the result: nothing is lost silently.
"""

import base64
import csv
import io
from datetime import date as Date
from datetime import datetime

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..engine.bodacc import siren_from_identifier

BATCH = 5000


def read_rows(content, filename):
    """The rows of a CSV (``;`` or ``,``, UTF-8) or XLSX file as dicts by header."""
    if (filename or "").lower().endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415 (only for XLSX files)

        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = book.active.iter_rows(values_only=True)
        header = [str(cell or "").strip() for cell in next(rows, [])]
        return [dict(zip(header, row, strict=False)) for row in rows if any(row)]
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,\t")
    return list(csv.DictReader(io.StringIO(text), dialect=dialect))


def to_float(value):
    """A figure of a file: ``12,5``, ``12.5``, ``1 200`` or a number.

    >>> to_float("1 200,50"), to_float(3), to_float(""), to_float(None)
    (1200.5, 3.0, 0.0, 0.0)
    """
    if value is None or value == "":
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    return float(str(value).replace("\xa0", "").replace(" ", "").replace(",", "."))


def to_date(value):
    """A date of a file: ISO, ``dd/mm/yyyy`` or a spreadsheet date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, Date):
        return value
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


class CreditRiskRatingImport(models.TransientModel):
    _name = "credit.risk.rating.import"
    _description = "Import Ratings"

    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider",
        required=True,
        domain="[('provider_code', '=', 'manual'), ('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    file = fields.Binary(required=True)
    filename = fields.Char()
    result = fields.Text(readonly=True)
    imported_count = fields.Integer(readonly=True)

    def action_import(self):
        self.ensure_one()
        self.env["credit.risk.rating"].check_access("create")
        provider = self.provider_id
        try:
            rows = read_rows(base64.b64decode(self.file), self.filename)
        except (ValueError, UnicodeDecodeError, csv.Error, KeyError, OSError) as error:
            raise UserError(
                _("The file cannot be read as CSV or XLSX: %(error)s", error=error)
            ) from error
        columns = {
            "identifier": provider.column_identifier,
            "date": provider.column_date,
            "score": provider.column_score,
            "grade": provider.column_grade,
            "default_probability": provider.column_default_probability,
            "recommended_limit": provider.column_recommended_limit,
        }
        if rows and columns["identifier"] not in rows[0]:
            raise UserError(
                _(
                    "The file has no column %(column)s (its columns: %(columns)s): set the "
                    "provider's columns.",
                    column=columns["identifier"],
                    columns=", ".join(str(c) for c in rows[0]),
                )
            )
        # One conversion per distinct identifier and date: a file repeats them.
        sirens = {}
        for row in rows:
            identifier = row.get(columns["identifier"])
            if identifier not in sirens:
                sirens[identifier] = siren_from_identifier(identifier)
        partners = self.env["res.partner"]._credit_risk_by_siren(
            set(filter(None, sirens.values())), self.company_id
        )
        dates = {}
        vals_list, problems = [], []
        for line, row in enumerate(rows, start=2):
            identifier = row.get(columns["identifier"])
            siren = sirens[identifier]
            if not siren:
                problems.append(
                    _(
                        "line %(line)s: %(id)s is not a valid SIREN, SIRET or VAT number",
                        line=line,
                        id=identifier,
                    )
                )
                continue
            partner = partners.get(siren)
            if not partner:
                problems.append(
                    _("line %(line)s: no customer with the SIREN %(siren)s", line=line, siren=siren)
                )
                continue
            try:
                value = row.get(columns["date"])
                key = value if isinstance(value, str) else repr(value)
                if key not in dates:
                    dates[key] = to_date(value)
                vals = {
                    "partner_id": partner.id,
                    "provider_id": provider.id,
                    "company_id": self.company_id.id,
                    "identifier": str(identifier),
                    "date": dates[key],
                    "score": to_float(row.get(columns["score"])),
                    "grade": str(row.get(columns["grade"]) or "").strip() or False,
                    "default_probability": to_float(row.get(columns["default_probability"])),
                    "recommended_limit": to_float(row.get(columns["recommended_limit"])),
                }
            except ValueError as error:
                problems.append(
                    _("line %(line)s: not a date or a figure: %(value)s", line=line, value=error)
                )
                continue
            # The model's constraint, said per line rather than refusing the whole file.
            if not 0 <= vals["default_probability"] <= 100:
                problems.append(
                    _("line %(line)s: a probability of default is between 0 and 100", line=line)
                )
            elif vals["score"] < 0 or vals["recommended_limit"] < 0:
                problems.append(
                    _("line %(line)s: a score or a recommended limit is negative", line=line)
                )
            else:
                vals_list.append(vals)
        Rating = self.env["credit.risk.rating"]
        for start in range(0, len(vals_list), BATCH):
            Rating._create_imported(vals_list[start : start + BATCH])
        self.imported_count = len(vals_list)
        summary = _("%(count)s ratings imported.", count=len(vals_list))
        self.result = "\n".join([summary, *problems])
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _import_file(self, provider, content, filename):
        """Import ``content`` (bytes) for ``provider``: the wizard, without a screen."""
        wizard = self.create(
            {
                "provider_id": provider.id,
                "company_id": provider.company_id.id,
                "file": base64.b64encode(content),
                "filename": filename,
            }
        )
        wizard.action_import()
        return wizard
