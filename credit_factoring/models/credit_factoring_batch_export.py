"""The batch file sent to the factor (bordereau de cession), in CSV and XLSX.

One row per invoice, in the layout factors take: the customer's identifiers (the factor's
buyer reference from its approval, SIREN/SIRET, VAT number), the invoice number, dates,
amounts and currency, and whether the factor approved it. The file is attached to the batch
and downloaded.
"""

import base64
import csv
import io

import xlsxwriter

from odoo import _
from odoo import models


class CreditFactoringBatch(models.Model):
    _inherit = "credit.factoring.batch"

    def action_export_csv(self):
        self.ensure_one()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=self.contract_id.statement_delimiter or ";")
        writer.writerow(self._export_header())
        writer.writerows(self._export_rows())
        return self._export_download(buffer.getvalue().encode("utf-8-sig"), "csv", "text/csv")

    def action_export_xlsx(self):
        self.ensure_one()
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        sheet = book.add_worksheet(self.name[:31])
        bold = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, self._export_header(), bold)
        for row_number, row in enumerate(self._export_rows(raw=True), start=1):
            for col, value in enumerate(row):
                if hasattr(value, "isoformat"):
                    sheet.write_datetime(row_number, col, value, date_format)
                else:
                    sheet.write(row_number, col, value)
        book.close()
        return self._export_download(
            buffer.getvalue(),
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def _export_header(self):
        return [
            _("Factor's Buyer Id"),
            _("Customer"),
            _("SIREN/SIRET"),
            _("VAT Number"),
            _("Invoice"),
            _("Invoice Date"),
            _("Due Date"),
            _("Invoice Total"),
            _("Amount Assigned"),
            _("Currency"),
            _("Approved"),
        ]

    def _export_rows(self, raw=False):
        """The rows of the file: the batch's invoices by customer and number. Dates as
        dates when ``raw`` (XLSX), else ISO text."""
        approvals = self.env["credit.factoring.approval"].search(
            [("contract_id", "=", self.contract_id.id), ("reference", "!=", False)],
            order="date, id",
        )
        buyer_refs = {approval.partner_id.id: approval.reference for approval in approvals}
        moves = self.move_ids.sorted(lambda m: (m.commercial_partner_id.name or "", m.name))
        moves.fetch(["name", "invoice_date", "invoice_date_due", "amount_total"])
        rows = []
        for move in moves:
            partner = move.commercial_partner_id
            dates = [move.invoice_date, move.invoice_date_due or move.invoice_date]
            rows.append(
                [
                    buyer_refs.get(partner.id, ""),
                    partner.name or "",
                    partner.company_registry or "",
                    partner.vat or "",
                    move.name,
                    *(dates if raw else [d.isoformat() for d in dates]),
                    move.amount_total,
                    move.factoring_amount,
                    move.currency_id.name,
                    _("Yes") if move.factoring_approved else _("No"),
                ]
            )
        return rows

    def _export_download(self, data, extension, mimetype):
        # sudo: the file is the batch's, which the caller may read.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}.{extension}",
                    "datas": base64.b64encode(data),
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
