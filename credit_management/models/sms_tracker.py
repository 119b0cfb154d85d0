from collections import defaultdict

from odoo import _
from odoo import models


class SmsTracker(models.Model):
    _inherit = "sms.tracker"

    def _action_update_from_provider_error(self, provider_error):
        # The gateway's delivery report (``/sms/status``) says a reminder's SMS never reached
        # the customer (expired, rejected, invalid destination...): the reminder goes back in
        # error with the reason, for the collector to see and retry.
        error_status, failure_type, failure_reason = super()._action_update_from_provider_error(
            provider_error
        )
        # The gateway calls without a user: the reasons in the language of the users.
        self.env.company._credit_in_users_lang(self)._dunning_report_failure(
            provider_error, failure_type, failure_reason
        )
        return error_status, failure_type, failure_reason

    def _dunning_report_failure(self, provider_error, failure_type, failure_reason):
        notifications = self.mail_notification_id.filtered(
            lambda notification: notification.mail_message_id.model == "credit.dunning"
        )
        if not notifications:
            return
        reminders = (
            self.env["credit.dunning"]
            .sudo()
            .search([("sms_message_id", "in", notifications.mail_message_id.ids)])
        )
        reminder_of = {reminder.sms_message_id: reminder for reminder in reminders}
        labels = dict(
            self.env["mail.notification"]._fields["failure_type"]._description_selection(self.env)
        )
        label = labels.get(failure_type) or provider_error
        if failure_type == "unknown":
            label = f"{label} ({provider_error})"
        if failure_reason and failure_reason != provider_error:
            label = f"{label}: {failure_reason}"
        failed = defaultdict(lambda: self.env["credit.dunning"].sudo())
        for notification in notifications:
            reminder = reminder_of.get(notification.mail_message_id)
            if reminder:
                reason = _(
                    "%(reason)s (number %(number)s)",
                    reason=label,
                    number=notification.sudo().sms_number or "",
                )
                failed[reason] |= reminder
        for reason, reminders_failed in failed.items():
            reminders_failed._sms_result(False, reason)
