"""The email channel of reminders: the level's template, queued in Odoo's mail queue.

The mail queue reports back through ``mail.mail`` (``_mail_result``): a refused email puts
the reminder in error with the server's reason.
"""

import logging

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    channel_email = fields.Boolean(related="level_id.channel_email", string="By Email")
    email_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To send"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("error", "Error"),
        ],
        string="Email",
        default="none",
        readonly=True,
        copy=False,
    )
    mail_message_id = fields.Many2one(
        comodel_name="mail.message", string="Email Sent", readonly=True, copy=False
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def _get_channels(self):
        return dict(super()._get_channels(), email=(10, _("email")))

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"email_state", "mail_message_id"}

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), email_state="none", mail_message_id=False)

    @api.depends("level_id", "line_ids", "partner_id")
    def _compute_preview(self):
        for reminder in self:
            template = reminder.level_id.mail_template_id
            if not (template and reminder.id and reminder.channel_email):
                reminder.preview = False
                continue
            try:
                rendered = template._render_field("body_html", reminder.ids, compute_lang=True)
                reminder.preview = rendered[reminder.id]
            except Exception as error:
                reminder.preview = Markup("<p class='text-danger'>%s</p>") % str(error)

    def _send_email(self):
        without_address = self.filtered(lambda r: not r._get_email_recipients())
        without_address._fail(
            "email",
            _(
                "The customer has no email address: add one, or an invoicing contact "
                "with an email address, then retry."
            ),
        )
        for template, reminders in (
            (self - without_address).grouped(lambda r: r.level_id.mail_template_id).items()
        ):
            try:
                with self.env.cr.savepoint():
                    reminders._post_email(template)
                continue
            except Exception:
                _logger.info("Dunning: emails of template %s failed, one by one", template.id)
            for reminder in reminders:
                try:
                    with self.env.cr.savepoint():
                        reminder._post_email(template)
                except Exception as error:
                    reminder._fail(
                        "email",
                        _(
                            "The email could not be prepared with template %(template)s: %(error)s",
                            template=template.display_name,
                            error=error,
                        ),
                    )

    def _post_email(self, template):
        """Render ``template`` for these reminders and queue the emails (one composer).

        The collector follows the reminder once it is sent (not before, so that he does not
        get a copy): the customer's reply lands in the reminder's chatter and reaches him.
        """
        composer = (
            self.env["mail.compose.message"]
            .with_context(
                default_composition_mode="comment",
                default_model=self._name,
                default_res_ids=self.ids,
                default_template_id=template.id,
                mail_notify_force_send=False,
            )
            .create(
                {
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "force_send": False,
                }
            )
        )
        _mails, messages = composer._action_send_mail()
        by_reminder = {message.res_id: message for message in messages}
        for reminder in self:
            reminder._workflow_write(
                {"email_state": "queued", "mail_message_id": by_reminder.get(reminder.id)}
            )
            if reminder.user_id.partner_id:
                reminder.message_subscribe(partner_ids=reminder.user_id.partner_id.ids)

    def _mail_result(self, success, reason=None):
        """Called when the mail queue sent (or failed to send) the email of these reminders."""
        if success:
            self.filtered(lambda r: r.email_state == "queued")._workflow_write(
                {"email_state": "sent"}
            )
            return
        for reminder in self:
            reminder._workflow_write(
                {
                    "email_state": "error",
                    "state": "error",
                    "error_message": _(
                        "The mail server refused the email: %(reason)s",
                        reason=html2plaintext(reason or "") or _("unknown"),
                    ),
                }
            )
