"""The letter channel of reminders: a PDF for a window envelope, attached to the reminder.

Collectors print the letters of several reminders at once (``action_print_letters``).
"""

import logging

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    channel_letter = fields.Boolean(related="level_id.channel_letter", string="By Letter")
    letter_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To print"),
            ("done", "Printed"),
            ("error", "Error"),
        ],
        string="Letter",
        default="none",
        readonly=True,
        copy=False,
    )
    letter_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Letter PDF", readonly=True, copy=False
    )

    @api.model
    def _get_channels(self):
        return dict(super()._get_channels(), letter=(30, _("letter")))

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"letter_state", "letter_attachment_id"}

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(), letter_state="none", letter_attachment_id=False
        )

    def _letter_pdf(self):
        """The letter of this reminder, as PDF bytes."""
        self.ensure_one()
        report = self.env.ref("credit_management.action_report_credit_dunning_letter")
        pdf, _report_type = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        return pdf

    def _send_letter(self):
        """Render each letter and attach it to its reminder, ready to print and post."""
        for reminder in self:
            try:
                with self.env.cr.savepoint():
                    pdf = reminder._letter_pdf()
                    attachment = self.env["ir.attachment"].create(
                        {
                            "name": f"{reminder.name} - {reminder.partner_id.name}.pdf".replace(
                                "/", "-"
                            ),
                            "raw": pdf,
                            "res_model": self._name,
                            "res_id": reminder.id,
                            "mimetype": "application/pdf",
                        }
                    )
                    reminder._workflow_write(
                        {"letter_attachment_id": attachment.id, "letter_state": "done"}
                    )
            except Exception as error:  # any rendering failure is reported on the reminder
                _logger.info("Dunning: letter of %s failed: %s", reminder.name, error)
                reminder._fail(
                    "letter",
                    _("The letter could not be printed: %(error)s", error=error),
                )

    def action_print_letters(self):
        """One PDF of the letters of the selected reminders, to print and post in a batch:
        the letters attached when they were sent, or printed now."""
        self.check_access("read")
        if not self:
            raise UserError(_("Select the reminders whose letters you want to print."))
        letters = [
            reminder.letter_attachment_id.raw
            if reminder.letter_attachment_id
            else reminder._letter_pdf()
            for reminder in self.sorted(lambda r: (r.partner_id.name or "", r.id))
        ]
        merged = merge_pdf(letters) if len(letters) > 1 else letters[0]
        # Readable by its creator only (no document): the collector who prints.
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("Reminder letters (%(count)s).pdf", count=len(letters)),
                "raw": merged,
                "mimetype": "application/pdf",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_print_letter(self):
        self.check_access("read")
        return self.env.ref("credit_management.action_report_credit_dunning_letter").report_action(
            self
        )
