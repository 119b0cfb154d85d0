from collections import defaultdict

from odoo import _
from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _handle_call_result_hook(self, results):
        # The gateway answered for these SMS (their state is written): a reminder's SMS
        # accepted marks its SMS channel sent; refused (or the gateway unreachable), it puts
        # the reminder in error with the reason, so that the collector sees it and retries.
        res = super()._handle_call_result_hook(results)
        # The SMS queue runs as a scheduled action: the reasons in the users' language.
        self.env.company._credit_in_users_lang(self)._dunning_report_results(results)
        return res

    def _dunning_report_results(self, results):
        messages = self.mail_message_id.filtered(
            lambda message: message.model == "credit.dunning" and message.res_id
        )
        if not messages:
            return
        reminders = (
            self.env["credit.dunning"].sudo().search([("sms_message_id", "in", messages.ids)])
        )
        reminder_of = {reminder.sms_message_id: reminder for reminder in reminders}
        result_of = {result.get("uuid"): result for result in results}
        sent = self.env["credit.dunning"].sudo()
        failed = defaultdict(lambda: self.env["credit.dunning"].sudo())
        for sms in self:
            reminder = reminder_of.get(sms.mail_message_id)
            if not reminder:
                continue
            if sms.state in ("pending", "sent"):
                sent |= reminder
            elif sms.state == "error":
                failed[sms._dunning_failure_reason(result_of.get(sms.uuid) or {})] |= reminder
            # 'process': the gateway still works on it; its delivery report says the rest.
        sent._sms_result(True)
        for reason, refused in failed.items():
            refused._sms_result(False, reason)

    def _dunning_failure_reason(self, result):
        """Readable reason of the gateway's refusal of this SMS (``result``: its answer)."""
        self.ensure_one()
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        label = labels.get(self.failure_type) or _("unknown")
        if self.failure_type == "unknown" and result.get("state"):
            label = f"{label} ({result['state']})"
        if result.get("failure_reason"):
            label = f"{label}: {result['failure_reason']}"
        return _("%(reason)s (number %(number)s)", reason=label, number=self.number or "")
