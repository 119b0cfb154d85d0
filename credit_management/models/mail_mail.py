from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        # A reminder's email refused by the mail server puts the reminder in error, with the
        # server's reason, so that the collector sees it and retries it.
        reminder_ids = [
            mail.mail_message_id.res_id
            for mail in self
            if mail.mail_message_id.model == "credit.dunning" and mail.mail_message_id.res_id
        ]
        if reminder_ids:
            reminders = self.env["credit.dunning"].sudo().browse(reminder_ids).exists()
            reminders._dunning_mail_result(not failure_type, failure_reason)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
