from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .. import compat


class CreditDunningLevel(models.Model):
    _name = "credit.dunning.level"
    _description = "Dunning Level"
    _order = "scenario_id, sequence, days, id"
    _check_company_auto = True

    scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="scenario_id.company_id", store=True)
    currency_id = fields.Many2one(related="scenario_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date when this level is reached; a negative number is a "
        "courtesy reminder before the due date.",
    )
    min_interval_days = fields.Integer(
        string="Days Since Previous Reminder",
        default=0,
        help="Never reach this level sooner than this number of days after the previous "
        "reminder of the invoice.",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount",
        currency_field="currency_id",
        help="No reminder at this level when the balance due of the reminder is below this "
        "amount (company currency).",
    )
    channel_email = fields.Boolean(string="Email", default=True)
    channel_phone = fields.Boolean(
        string="Phone Call",
        help="Create a call activity for the collector, with the reminder's summary.",
    )
    channel_sms = fields.Boolean(
        string="SMS",
        help="Send a short text message to the customer's mobile through Odoo's SMS gateway.",
    )
    channel_letter = fields.Boolean(
        string="Letter",
        help="Print a letter (PDF for a window envelope), attached to the reminder.",
    )
    mail_template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email Template",
        domain="[('model', '=', 'credit.dunning')]",
        ondelete="restrict",
    )
    sms_template_id = fields.Many2one(
        comodel_name="sms.template",
        string="SMS Template",
        domain="[('model', '=', 'credit.dunning')]",
        ondelete="restrict",
    )
    message = fields.Html(
        translate=True,
        sanitize=True,
        help="Text of this level, in the tone of the level: the email template and the "
        "letter include it.",
    )
    requires_validation = fields.Boolean(
        help="Reminders of this level wait for a collector's validation before they are sent.",
    )
    apply_late_fees = fields.Boolean(
        string="Late Fees",
        help="Show the statutory late fees on the reminders of this level.",
    )
    is_formal_notice = fields.Boolean(
        string="Formal Notice",
        help="Reminders of this level are formal notices (mise en demeure).",
    )
    only_likely_late = fields.Boolean(
        string="Only Likely Late Invoices",
        help="A courtesy level (before the due date): remind only the invoices the "
        "late-payment prediction flags as likely to be paid late.",
    )
    is_litigation = fields.Boolean(
        string="Hand-off to Litigation",
        help="At this level the invoices leave the normal scenario and are handed off to a "
        "collection agency or a lawyer.",
    )

    _min_interval_positive = compat.Constraint(
        "CHECK (min_interval_days >= 0)",
        "The days since the previous reminder cannot be negative.",
    )

    @api.depends("scenario_id", "name", "days")
    def _compute_display_name(self):
        for level in self:
            level.display_name = _(
                "%(name)s (%(days)+d days)", name=level.name or "", days=level.days or 0
            )

    @api.constrains(
        "channel_email",
        "channel_sms",
        "channel_letter",
        "channel_phone",
        "mail_template_id",
        "sms_template_id",
    )
    def _check_channels(self):
        for level in self:
            if not level._dunning_channels():
                raise ValidationError(
                    _(
                        "Level %(level)s of scenario %(scenario)s has no channel: choose at "
                        "least one way to remind the customer.",
                        level=level.name,
                        scenario=level.scenario_id.display_name,
                    )
                )
            if level.channel_email and not level.mail_template_id:
                raise ValidationError(
                    _(
                        "Level %(level)s of scenario %(scenario)s sends an email: choose its "
                        "email template.",
                        level=level.name,
                        scenario=level.scenario_id.display_name,
                    )
                )
            if level.channel_sms and not level.sms_template_id:
                raise ValidationError(
                    _(
                        "Level %(level)s of scenario %(scenario)s sends an SMS: choose its SMS "
                        "template.",
                        level=level.name,
                        scenario=level.scenario_id.display_name,
                    )
                )
            if level.sms_template_id and level.sms_template_id.model != "credit.dunning":
                raise ValidationError(
                    _(
                        "The SMS template %(template)s of level %(level)s is not a reminder "
                        "template (it is for %(model)s).",
                        template=level.sms_template_id.display_name,
                        level=level.name,
                        model=level.sms_template_id.model,
                    )
                )
            if level.mail_template_id and level.mail_template_id.model != "credit.dunning":
                raise ValidationError(
                    _(
                        "The email template %(template)s of level %(level)s is not a reminder "
                        "template (it is for %(model)s).",
                        template=level.mail_template_id.display_name,
                        level=level.name,
                        model=level.mail_template_id.model,
                    )
                )

    @api.constrains("days", "sequence", "scenario_id")
    def _check_days(self):
        self.scenario_id._check_levels()

    @api.constrains("days", "only_likely_late")
    def _check_only_likely_late(self):
        for level in self:
            if level.only_likely_late and level.days >= 0:
                raise ValidationError(
                    _(
                        "%(level)s: only a courtesy level, sent before the due date (negative "
                        "days), can be kept for the invoices likely to be paid late.",
                        level=level.display_name,
                    )
                )

    def _dunning_channels(self):
        """Codes of the channels of this level, in the order they are run (each channel
        adds its ``channel_<code>`` here and plugs into ``credit.dunning._get_channels``)."""
        self.ensure_one()
        return [
            code for code in self.env["credit.dunning"]._channel_codes() if self[f"channel_{code}"]
        ]
