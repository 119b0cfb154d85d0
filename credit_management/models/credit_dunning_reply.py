"""The replies to a reminder: the mail gateway's reply becomes a suggestion
(``credit.reply``)."""

from odoo import api
from odoo import fields
from odoo import models

# Set by the mail gateway (``mail_thread._message_route_process``) when the email's headers
# mark an automatic reply (RFC 3834): it can only make a reply count for less.
AUTOMATIC_KEY = "credit_reply_automatic"


class CreditDunning(models.Model):
    _inherit = "credit.dunning"

    reply_ids = fields.One2many(
        comodel_name="credit.reply",
        inverse_name="dunning_id",
        string="Replies",
        readonly=True,
    )
    reply_new_count = fields.Integer(compute="_compute_reply_new_count", string="Replies to Read")

    @api.depends("reply_ids.state")
    def _compute_reply_new_count(self):
        for reminder in self:
            reminder.reply_new_count = len(
                reminder.reply_ids.filtered(lambda reply: reply.state == "new")
            )

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"reply_ids"}

    def _message_post_after_hook(self, message, msg_values):
        result = super()._message_post_after_hook(message, msg_values)
        if self._reply_is_customers(message):
            automatic = bool(self.env.context.get(AUTOMATIC_KEY))
            # The gateway posts as OdooBot; the suggestion is the reminder's, made by the
            # model itself (no user creates one).
            reply = (
                self.env["credit.reply"]
                .sudo()
                ._create_from_message(self.sudo(), message.sudo(), automatic=automatic)
            )
            if not reply.automatic:
                self._reply_collector_follows()
        return result

    def _reply_collector_follows(self):
        """The reminder's collector follows it from the customer's first answer, so that
        Odoo notifies him of this reply (called before the notification) and of the next
        ones, as he chose to be notified: reminders are made in batches without following
        (no subscription per reminder in the dunning run)."""
        partner = self.sudo().user_id.partner_id
        if partner and partner not in self.sudo().message_partner_ids:
            self.sudo().message_subscribe(partner_ids=partner.ids)

    def _reply_is_customers(self, message):
        """Whether ``message``, just posted on this reminder, is an email from outside (a
        reply through the mail gateway), not a note or a message of a user."""
        if len(self) != 1 or message.message_type != "email":
            return False
        author_users = message.sudo().author_id.user_ids
        return not any(not user.share for user in author_users)

    def action_view_replies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_reply_action"
        )
        action["domain"] = [("dunning_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
