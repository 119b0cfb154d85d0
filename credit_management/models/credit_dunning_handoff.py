"""Hand-off to litigation: at a litigation level, the invoices leave the scenario.

When a reminder of a litigation level is sent, its invoices are marked handed off (they are
never reminded again, whatever their scenario becomes) and the pack a collection agency or a
lawyer needs is attached: the invoices as CSV, XLSX and PDF, and every reminder letter sent.
"""

import csv
import io
import zipfile

import xlsxwriter

from odoo import _
from odoo import api
from odoo import fields
from odoo import models


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    handoff_attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Hand-off Pack",
        readonly=True,
        copy=False,
        help="Zip of what a collection agency or a lawyer needs: the invoices (CSV, XLSX and "
        "PDF) and every reminder letter sent.",
    )

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"handoff_attachment_id"}

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), handoff_attachment_id=False)

    def _hand_off(self):
        """Hand-off to litigation: the invoices leave the scenario and the pack is attached."""
        for reminder in self:
            invoices = reminder.line_ids.filtered(lambda ln: ln.line_type != "credit").move_id
            invoices.sudo().write(
                {
                    "dunning_handoff_date": reminder.date,
                    "dunning_handoff_id": reminder.id,
                }
            )
            reminder._handoff_pack()

    def action_handoff_pack(self):
        """(Re)build the hand-off pack and download it."""
        self.ensure_one()
        self._check_state(("sent",), _("hand off"))
        attachment = self._handoff_pack()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _handoff_rows(self):
        """One row per invoice of the hand-off: amounts, dates, reminders and late fees."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda ln: ln.line_type != "credit")
        header = [
            _("Invoice"),
            _("Invoice Date"),
            _("Due Date"),
            _("Amount"),
            _("Balance"),
            _("Days Late"),
            _("Reminders Sent"),
            _("Late Interest"),
            _("Recovery Indemnity"),
            _("Currency"),
        ]
        rows = []
        for line in lines:
            move = line.move_id
            sent = move.dunning_line_ids.filtered(
                lambda ln: ln.state == "sent" and ln.dunning_id.date <= self.date
            ).dunning_id.sorted("date")
            rows.append(
                [
                    move.name,
                    fields.Date.to_string(move.invoice_date),
                    fields.Date.to_string(line.date_due),
                    line.amount_total,
                    line.amount_residual,
                    line.days_overdue,
                    "; ".join(
                        f"{fields.Date.to_string(r.date)} {r.level_id.name} ({r.name})"
                        for r in sent
                    ),
                    line.late_fee_interest,
                    line.late_fee_indemnity,
                    self.currency_id.name,
                ]
            )
        return header, rows

    def _handoff_content(self):
        """The bytes of the hand-off's zip: its invoices and letters as they are now."""
        self.ensure_one()
        header, rows = self._handoff_rows()
        invoices = self.line_ids.filtered(lambda ln: ln.line_type != "credit").move_id
        letters = invoices.dunning_line_ids.filtered(
            lambda ln: ln.state == "sent" or ln.dunning_id == self
        ).dunning_id
        return self._handoff_zip(header, rows, invoices, letters)

    def _handoff_pack(self):
        """The zip of the hand-off, attached to the reminder (replacing an older one)."""
        self.ensure_one()
        content = self._handoff_content()
        name = _(
            "Hand-off %(name)s - %(customer)s.zip", name=self.name, customer=self.partner_id.name
        )
        self.handoff_attachment_id.sudo().unlink()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name.replace("/", "-"),
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/zip",
                }
            )
        )
        self._workflow_write({"handoff_attachment_id": attachment.id})
        return attachment

    @api.model
    def _handoff_zip(self, header, rows, invoices, reminders):
        """The pack's zip: ``rows`` under ``header`` as CSV and XLSX, the PDF of each of
        ``invoices`` and of each reminder letter of ``reminders``.

        Also the pack of other files that hand invoices over (an insurance claim).
        """
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            csv_buffer = io.StringIO()
            writer = csv.writer(csv_buffer, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
            pack.writestr("invoices.csv", csv_buffer.getvalue().encode("utf-8-sig"))
            xlsx_buffer = io.BytesIO()
            workbook = xlsxwriter.Workbook(xlsx_buffer, {"in_memory": True})
            sheet = workbook.add_worksheet(_("Invoices"))
            bold = workbook.add_format({"bold": True})
            sheet.write_row(0, 0, header, bold)
            for index, row in enumerate(rows, start=1):
                sheet.write_row(index, 0, row)
            workbook.close()
            pack.writestr("invoices.xlsx", xlsx_buffer.getvalue())
            Report = self.env["ir.actions.report"].sudo()
            for invoice in invoices:
                pdf, _report_type = Report._render_qweb_pdf("account.account_invoices", invoice.ids)
                pack.writestr(f"invoices/{invoice.name.replace('/', '-')}.pdf", pdf)
            for reminder in reminders.sorted("date"):
                pdf = (
                    reminder.letter_attachment_id.raw
                    if reminder.letter_attachment_id
                    else reminder._letter_pdf()
                )
                pack.writestr(f"reminders/{reminder.name.replace('/', '-')}.pdf", pdf)
        return buffer.getvalue()
