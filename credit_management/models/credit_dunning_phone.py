"""The phone channel of reminders: a call activity for the collector, with a summary."""

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import format_amount


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    channel_phone = fields.Boolean(related="level_id.channel_phone", string="By Phone")
    phone_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To schedule"),
            ("done", "Call scheduled"),
            ("error", "Error"),
        ],
        string="Phone Call",
        default="none",
        readonly=True,
        copy=False,
    )

    @api.model
    def _get_channels(self):
        return dict(super()._get_channels(), phone=(40, _("call")))

    def _send_phone(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        no_user = self.filtered(lambda r: not r.user_id)
        no_user._fail(
            "phone",
            _("No collector to call the customer: choose the reminder's collector, then retry."),
        )
        reminders = self - no_user
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": reminder.id,
                    "activity_type_id": call_type.id,
                    "user_id": reminder.user_id.id,
                    "date_deadline": max(reminder.date, fields.Date.context_today(self)),
                    "summary": _(
                        "Call %(partner)s: %(amount)s due",
                        partner=reminder.partner_id.name,
                        amount=format_amount(self.env, reminder.amount_due, reminder.currency_id),
                    ),
                    "note": reminder._summary_html(),
                }
                for reminder in reminders
            ]
        )
        reminders.phone_state = "done"

    def _summary_html(self):
        """Short summary of the reminder: level, phone numbers and the invoices reminded."""
        self.ensure_one()
        partner = self.partner_id
        phones = ", ".join(filter(None, [partner.phone, partner.mobile])) or _("no phone number")
        rows = Markup("").join(
            Markup("<li>%s — %s — %s</li>")
            % (
                line.move_id.name,
                _("%(days)s days late", days=line.days_overdue),
                format_amount(self.env, line.amount_residual, self.currency_id),
            )
            for line in self.line_ids
            if line.line_type != "credit"
        )
        return Markup("<p>%s</p><p>%s</p><ul>%s</ul><p>%s</p>") % (
            _("Reminder %(name)s, level %(level)s.", name=self.name, level=self.level_id.name),
            _("Phone: %(phones)s", phones=phones),
            rows,
            _(
                "Balance due: %(amount)s",
                amount=format_amount(self.env, self.amount_due, self.currency_id),
            ),
        )
