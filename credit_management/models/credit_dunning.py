"""Reminders (``credit.dunning``): the record, its totals, its trail and its actions.

A reminder is one message sent (or to send) to one addressee, at one level, in one currency,
with a line per open item. The other concerns of a reminder extend this model in their own
files: the run that creates reminders (``credit_dunning_run``), their bulk creation
(``credit_dunning_bulk``), the sending (``credit_dunning_channel``) and one file per channel
(``credit_dunning_email``, ``_sms``, ``_letter``, ``_phone``), the late fees
(``credit_dunning_late_fee``) and the hand-off to litigation (``credit_dunning_handoff``).
"""

from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import dunning

# Reminders not sent yet: their invoices wait for them.
PENDING_STATES = ("draft", "to_validate", "error")
# Totals of a reminder, computed from its lines (``engine.dunning.reminder_totals``).
AMOUNT_FIELDS = ("invoice_count", "amount_total", "amount_overdue", "amount_credit", "amount_due")


class CreditDunning(models.Model):
    _name = "credit.dunning"
    _description = "Reminder"
    _inherit = ["credit.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Addressee",
        required=True,
        index=True,
        readonly=True,
        help="Who receives the reminder: the customer, one of its invoice addresses, or the "
        "third party that pays its invoices.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(comodel_name="res.currency", required=True, readonly=True)
    scenario_id = fields.Many2one(
        comodel_name="credit.dunning.scenario",
        readonly=True,
        ondelete="restrict",
    )
    level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        required=True,
        readonly=True,
        ondelete="restrict",
        tracking=True,
    )
    date = fields.Date(required=True, readonly=True, default=fields.Date.context_today)
    date_sent = fields.Datetime(string="Sent On", readonly=True, copy=False)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
    )
    line_ids = fields.One2many(
        comodel_name="credit.dunning.line",
        inverse_name="dunning_id",
        string="Lines",
        readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_amounts", store=True, string="Reminded")
    amount_total = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        string="Open Invoices",
        help="Balance of the open invoices listed.",
    )
    amount_overdue = fields.Monetary(
        compute="_compute_amounts", store=True, string="Overdue", help="Part already overdue."
    )
    amount_credit = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        string="Credits",
        help="Credit notes and unallocated payments, netted.",
    )
    amount_due = fields.Monetary(
        compute="_compute_amounts", store=True, string="Balance Due", tracking=True
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("to_validate", "To Validate"),
            ("sent", "Sent"),
            ("error", "Error"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    error_message = fields.Text(string="Error", readonly=True, copy=False)
    is_manual = fields.Boolean(
        string="Sent by Hand", readonly=True, help="Created with 'Send a reminder now'."
    )
    date_due_oldest = fields.Date(
        string="Oldest Due Date",
        compute="_compute_date_due_oldest",
        help="Due date of the oldest invoice reminded (for the SMS templates).",
    )
    is_formal_notice = fields.Boolean(
        string="Sent as Formal Notice",
        readonly=True,
        copy=False,
        help="This reminder was sent as a formal notice to pay (mise en demeure).",
    )
    formal_notice_deadline = fields.Date(
        string="Payment Deadline",
        readonly=True,
        copy=False,
        help="Deadline of the formal notice: legal action may follow after it.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_ids.amount_residual", "line_ids.line_type", "line_ids.days_overdue")
    def _compute_amounts(self):
        for reminder in self:
            totals = dunning.reminder_totals(
                (line.line_type, line.amount_residual, line.days_overdue)
                for line in reminder.line_ids
            )
            reminder.update(totals.as_dict())

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        if missing:
            names = self._next_names(len(missing))
            for vals, name in zip(missing, names, strict=True):
                vals["name"] = name
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if any(reminder.state in ("sent", "error") for reminder in self):
            raise UserError(
                _(
                    "A reminder that was sent (or tried) is the proof of the collection: cancel "
                    "it instead of deleting it."
                )
            )

    def _next_names(self, count):
        """``count`` references of the reminder sequence, drawn in one query."""
        sequence = self.env.ref("credit_management.seq_credit_dunning", raise_if_not_found=False)
        if not sequence:
            return [_("Reminder")] * count
        sequence = sequence.sudo()
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        rows = self.env.execute_query(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        # get_next_char() interpolates the prefix and suffix again for each number.
        prefix, suffix = sequence._get_prefix_suffix()
        return [f"{prefix}{row[0]:0{sequence.padding}d}{suffix}" for row in rows]

    # ------------------------------------------------------------
    # MAIL THREAD
    # ------------------------------------------------------------

    def _message_get_default_recipients(self):
        return {
            reminder.id: {
                "partner_ids": reminder._get_email_recipients().ids,
                "email_to": False,
                "email_cc": False,
            }
            for reminder in self
        }

    def _get_email_recipients(self):
        """Who gets the email: the addressee, or its invoicing contacts when it has no email."""
        self.ensure_one()
        partner = self.partner_id
        if partner.email:
            return partner
        contacts = partner.child_ids.filtered(lambda child: child.type == "invoice" and child.email)
        return contacts or partner.child_ids.filtered("email")[:1]

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_validate(self):
        """Collector's validation: send the reminders waiting for it."""
        self._check_state(("draft", "to_validate"), _("validated"))
        self._send()
        return True

    def action_send(self):
        self._check_state(("draft", "to_validate"), _("sent"))
        self._send()
        return True

    def action_retry(self):
        """Send again the channels that failed."""
        self._check_state(("error",), _("retried"))
        self._send()
        return True

    def action_cancel(self):
        self._check_state(PENDING_STATES, _("cancelled"))
        self._workflow_write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_call"])
        return True

    def action_reset_to_validate(self):
        self._check_state(("cancelled",), _("reopened"))
        self._workflow_write({"state": "to_validate", "error_message": False})
        return True

    def _followup_context(self, source):
        self.ensure_one()
        reminded = self.line_ids.filtered(lambda line: line.line_type != "credit").move_id
        return {
            "default_partner_id": self.commercial_partner_id.id,
            "default_company_id": self.company_id.id,
            "default_move_ids": reminded.ids,
            "default_dunning_id": self.id,
            "default_source": source,
        }

    def action_open_dispute(self):
        """The customer answers the reminder by contesting some of its invoices."""
        self.ensure_one()
        return {
            "name": _("New Dispute"),
            "type": "ir.actions.act_window",
            "res_model": "credit.dispute",
            "view_mode": "form",
            "target": "new",
            "context": self._followup_context("reminder"),
        }

    def action_log_promise(self):
        """The customer answers the reminder (or the call) with a payment promise."""
        self.ensure_one()
        return {
            "name": _("New Payment Promise"),
            "type": "ir.actions.act_window",
            "res_model": "credit.payment.promise",
            "view_mode": "form",
            "target": "new",
            "context": self._followup_context("call" if self.channel_phone else "reminder"),
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action

    def _check_state(self, states, verb):
        self._workflow_check()
        wrong = self.filtered(lambda reminder: reminder.state not in states)
        if wrong:
            state_names = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Reminder %(reminder)s is %(state)s: it cannot be %(verb)s.",
                    reminder=wrong[0].name,
                    state=state_names[wrong[0].state].lower(),
                    verb=verb,
                )
            )

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        # What the run writes (addressee, level, lines and their totals) and what sending
        # records; each channel's file adds its own fields.
        return super()._workflow_protected_fields() | {
            "name",
            "partner_id",
            "commercial_partner_id",
            "company_id",
            "currency_id",
            "scenario_id",
            "level_id",
            "date",
            "line_ids",
            *AMOUNT_FIELDS,
            "state",
            "date_sent",
            "error_message",
            "is_manual",
            "is_formal_notice",
            "formal_notice_deadline",
        }

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(),
            state="draft",
            date_sent=False,
            error_message=False,
            is_manual=False,
            is_formal_notice=False,
            formal_notice_deadline=False,
        )

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {"user_id"}

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state in ("sent", "cancelled")

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _formal_notice_deadline(self):
        """Payment deadline of a formal notice: set when it is sent, printed on its letter."""
        self.ensure_one()
        return self.formal_notice_deadline or self.date + timedelta(
            days=self.company_id.credit_formal_notice_days
        )
