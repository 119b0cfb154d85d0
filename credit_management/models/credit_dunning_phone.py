"""The phone channel of reminders: a call activity with a summary, for the customer's
collector, or else its salesperson, or else the company's default collector."""

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

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"phone_state"}

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), phone_state="none")

    def _send_phone(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        callers = {reminder: reminder._phone_user() for reminder in self}
        nobody = self.filtered(lambda r: not callers[r])
        nobody._fail(
            "phone",
            _(
                "Nobody to call the customer: it has no collector nor salesperson and the "
                "company has no default collector. Choose the reminder's collector (or the "
                "default collector in the settings), then retry."
            ),
        )
        reminders = self - nobody
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": reminder.id,
                    "activity_type_id": call_type.id,
                    "user_id": callers[reminder].id,
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
        reminders._workflow_write({"phone_state": "done"})

    def _phone_user(self):
        """Who calls the customer: the reminder's collector, unless it is only the
        company's default collector standing in for a customer without one; then the
        customer's salesperson; then the company's default collector (empty: nobody)."""
        self.ensure_one()
        company = self.company_id
        customer = self.commercial_partner_id.with_company(company)
        default = company.credit_responsible_id
        collector = self.user_id
        if collector and (collector != default or customer.dunning_responsible_id == collector):
            return collector
        salespeople = (self.partner_id.user_id | customer.user_id).filtered(
            lambda user: user.active and not user.share and company in user.company_ids
        )
        return salespeople[:1] or default

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
