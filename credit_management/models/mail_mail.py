from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, *args, failure_reason=False, failure_type=None, **kwargs):
        # The successful recipients (partners; on 19.0 their emails too) pass through.
        # A reminder's email refused by the mail server puts the reminder in error, with the
        # server's reason, so that the collector sees it and retries it. Only the reminder's
        # own email counts (not, say, the collector's notification of a call activity).
        messages = self.mail_message_id.filtered(
            lambda message: message.model == "credit.dunning" and message.res_id
        )
        if messages:
            reminders = (
                self.env["credit.dunning"].sudo().search([("mail_message_id", "in", messages.ids)])
            )
            # The queue runs as a scheduled action: the reason in the users' language.
            for company, company_reminders in reminders.grouped("company_id").items():
                company._credit_in_users_lang(company_reminders)._mail_result(
                    not failure_type, failure_reason
                )
        return super()._postprocess_sent_message(
            *args, failure_reason=failure_reason, failure_type=failure_type, **kwargs
        )
