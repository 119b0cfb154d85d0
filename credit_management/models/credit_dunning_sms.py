"""The SMS channel of reminders: the level's SMS template, queued in Odoo's SMS queue.

The SMS goes to the first valid mobile (or phone) number of the addressee or of its invoicing
contacts. The gateway's answer, and its later delivery report, come back through ``sms.sms``
and ``sms.tracker`` (``_sms_result``).
"""

import logging

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    channel_sms = fields.Boolean(related="level_id.channel_sms", string="By SMS")
    sms_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To send"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("error", "Error"),
        ],
        string="SMS",
        default="none",
        readonly=True,
        copy=False,
    )
    # The SMS's log in the chatter: the SMS queue finds its reminder through it.
    sms_message_id = fields.Many2one(
        comodel_name="mail.message",
        string="SMS Sent",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    sms_preview = fields.Text(string="SMS Preview", compute="_compute_sms_preview")
    date_due_oldest = fields.Date(
        string="Oldest Due Date",
        compute="_compute_date_due_oldest",
        help="Due date of the oldest invoice reminded (for the SMS templates).",
    )

    @api.model
    def _get_channels(self):
        return dict(super()._get_channels(), sms=(20, _("SMS")))

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"sms_state", "sms_message_id"}

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), sms_state="none", sms_message_id=False)

    @api.depends("level_id", "line_ids", "partner_id")
    def _compute_sms_preview(self):
        for reminder in self:
            template = reminder.level_id.sms_template_id
            if not (template and reminder.id and reminder.channel_sms):
                reminder.sms_preview = False
                continue
            try:
                rendered = template._render_field("body", reminder.ids, compute_lang=True)
                reminder.sms_preview = rendered[reminder.id]
            except Exception as error:
                reminder.sms_preview = str(error)

    @api.depends("line_ids.date_due", "line_ids.line_type")
    def _compute_date_due_oldest(self):
        for reminder in self:
            reminder.date_due_oldest = min(
                (
                    line.date_due
                    for line in reminder.line_ids
                    if line.line_type == "invoice" and line.date_due
                ),
                default=False,
            )

    def _send_sms(self):
        """Log the SMS of each reminder in its chatter and queue it for Odoo's SMS queue.

        The queue (``sms.sms``, its scheduled action) sends it through the SMS gateway set up
        in Odoo; the gateway's answer comes back through ``_sms_result``.
        """
        recipients = {reminder.id: reminder._sms_number() for reminder in self}
        without_number = self.filtered(lambda r: not recipients[r.id][1])
        for reminder in without_number:
            reminder._fail("sms", reminder._sms_missing_reason())
        queued = self.browse()
        for template, reminders in (
            (self - without_number).grouped(lambda r: r.level_id.sms_template_id).items()
        ):
            try:
                with self.env.cr.savepoint():
                    reminders._post_sms(template, recipients)
                queued |= reminders
                continue
            except Exception:
                _logger.info("Dunning: SMS of template %s failed, one by one", template.id)
            for reminder in reminders:
                try:
                    with self.env.cr.savepoint():
                        reminder._post_sms(template, recipients)
                    queued |= reminder
                except Exception as error:
                    reminder._fail(
                        "sms",
                        _(
                            "The SMS could not be prepared with template %(template)s: %(error)s",
                            template=template.display_name,
                            error=error,
                        ),
                    )
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action", raise_if_not_found=False)
        if queued and cron:
            # The SMS queue runs every hour: wake it up so that the SMS leave now. sudo: the
            # collector who validates a reminder does not manage scheduled actions.
            cron.sudo()._trigger()

    def _sms_candidates(self):
        """Numbers the SMS may go to, in order: ``[(contact, number), …]``: the addressee's
        mobile and phone, then those of its invoicing contacts."""
        self.ensure_one()
        partner = self.partner_id
        contacts = partner | partner.child_ids.filtered(lambda child: child.type == "invoice")
        return [
            (contact, number)
            for contact in contacts
            for number in (contact.mobile, contact.phone)
            if number and number.strip()
        ]

    def _sms_number(self):
        """``(contact, number)`` the SMS goes to: the first candidate number that is a valid
        phone number, formatted for the gateway (E.164); ``(addressee, False)`` if none is."""
        self.ensure_one()
        for contact, number in self._sms_candidates():
            formatted = contact._phone_format(number=number)
            if formatted:
                return contact, formatted
        return self.partner_id, False

    def _sms_missing_reason(self):
        self.ensure_one()
        invalid = [number for _contact, number in self._sms_candidates()]
        if invalid:
            return _(
                "No valid phone number for the SMS: %(numbers)s cannot be used. Correct the "
                "customer's mobile number, or its invoicing contact's, then retry.",
                numbers=", ".join(invalid),
            )
        return _(
            "The customer has no mobile or phone number for the SMS: add one, or an invoicing "
            "contact with a mobile number, then retry."
        )

    def _post_sms(self, template, recipients):
        """Render ``template`` for these reminders, log each SMS in its reminder's chatter and
        queue it, with its notification, as Odoo's SMS notifications do (``_message_sms``)
        but in a few batched creates instead of one message post per reminder.

        ``recipients`` maps each reminder's id to ``(contact, number)``.
        """
        bodies = template._render_field("body", self.ids, compute_lang=True)
        empty = self.filtered(lambda r: not (bodies[r.id] or "").strip())
        if empty:
            raise UserError(_("The SMS of reminder %(name)s would be empty.", name=empty[0].name))
        by_reminder = {}
        for company, reminders in self.grouped("company_id").items():
            messages = reminders._message_log_batch(
                bodies={r.id: sms_content_to_rendered_html(bodies[r.id]) for r in reminders},
                message_type="sms",
            )
            # The SMS queue sends through the account of the message's company.
            messages.record_company_id = company
            by_reminder.update((message.res_id, message) for message in messages)
        # sudo: the SMS queue and the notifications are technical records only the system
        # writes; access to the reminders was checked by the caller.
        sms_records = (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "body": bodies[reminder.id],
                        "number": recipients[reminder.id][1],
                        "partner_id": recipients[reminder.id][0].id,
                        "mail_message_id": by_reminder[reminder.id].id,
                        "state": "outgoing",
                    }
                    for reminder in self
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": sms.mail_message_id.author_id.id,
                    "mail_message_id": sms.mail_message_id.id,
                    "res_partner_id": sms.partner_id.id,
                    "sms_number": sms.number,
                    "notification_type": "sms",
                    "sms_id_int": sms.id,
                    "sms_tracker_ids": [fields.Command.create({"sms_uuid": sms.uuid})],
                    "is_read": True,
                    "notification_status": "ready",
                }
                for sms in sms_records
            ]
        )
        for reminder in self:
            reminder._workflow_write(
                {"sms_state": "queued", "sms_message_id": by_reminder[reminder.id].id}
            )

    def _sms_result(self, success, reason=None):
        """Called when the SMS gateway accepted (or refused) the SMS of these reminders, or
        reported later that it never reached the customer."""
        if success:
            self.filtered(lambda r: r.sms_state == "queued")._workflow_write({"sms_state": "sent"})
            return
        self._workflow_write({"sms_state": "error"})
        # A delivery report can come days later: a reminder cancelled meanwhile stays so.
        self.filtered(lambda r: r.state != "cancelled")._workflow_write(
            {
                "state": "error",
                "error_message": _(
                    "The SMS could not be sent: %(reason)s",
                    reason=html2plaintext(reason or "").strip() or _("unknown"),
                ),
            }
        )
