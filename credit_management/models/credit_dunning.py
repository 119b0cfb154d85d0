"""Reminders (``credit.dunning``) and the dunning engine that creates and sends them.

How a run works (``run_dunning``), for each company of the environment:

1. ``_dunning_plan`` reads, in one grouped query, every open receivable item of the company
   (posted, not reconciled, one row per document and currency) with the dunning facts of its
   document, then the customers' facts in one batched read. For each invoice it finds the
   scenario (invoice override, customer override, payer profile, company default), the next
   level and the date it becomes due for that level.
2. ``_dunning_groups`` keeps the invoices that reach their next level on the run's date, groups
   them by addressee and currency (customer, invoice address or third-party payer, per the
   scenario), adds the customer's other open items and credits, and drops what is under the
   minimum amounts.
3. Reminders are created and sent in batches: each batch in a savepoint, committed when the
   run comes from the scheduled action. The database refuses a second live line for the same
   invoice and level, so a rerun after a crash or a second worker never reminds twice.
"""

import csv
import io
import logging
import zipfile
from collections import defaultdict
from datetime import timedelta

import xlsxwriter
from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.sms.tools.sms_tools import sms_content_to_rendered_html
from odoo.exceptions import UserError
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.models import MAGIC_COLUMNS
from odoo.tools import SQL
from odoo.tools import format_amount
from odoo.tools import html2plaintext
from odoo.tools.pdf import merge_pdf

from .credit_dunning_level import CHANNELS

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
PENDING_STATES = ("draft", "to_validate", "error")
# Totals of a reminder, computed from its lines (``_dunning_amounts``).
AMOUNT_FIELDS = ("invoice_count", "amount_total", "amount_overdue", "amount_credit", "amount_due")
INVOICE_TYPES = ("out_invoice", "out_receipt")


class CreditDunning(models.Model):
    _name = "credit.dunning"
    _description = "Reminder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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
    channel_email = fields.Boolean(related="level_id.channel_email", string="By Email")
    channel_sms = fields.Boolean(related="level_id.channel_sms", string="By SMS")
    channel_letter = fields.Boolean(related="level_id.channel_letter", string="By Letter")
    channel_phone = fields.Boolean(related="level_id.channel_phone", string="By Phone")
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
    sms_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To send"),
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("error", "Error"),
        ],
        string="SMS",
        default="none",
        readonly=True,
        copy=False,
    )
    letter_state = fields.Selection(
        selection=[
            ("none", "Not used"),
            ("pending", "To print"),
            ("done", "Printed"),
            ("error", "Error"),
        ],
        string="Letter",
        default="none",
        readonly=True,
        copy=False,
    )
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
    mail_message_id = fields.Many2one(
        comodel_name="mail.message", string="Email Sent", readonly=True, copy=False
    )
    # The SMS's log in the chatter: the SMS queue finds its reminder through it.
    sms_message_id = fields.Many2one(
        comodel_name="mail.message",
        string="SMS Sent",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    error_message = fields.Text(string="Error", readonly=True, copy=False)
    is_manual = fields.Boolean(
        string="Sent by Hand", readonly=True, help="Created with 'Send a reminder now'."
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)
    sms_preview = fields.Text(string="SMS Preview", compute="_compute_sms_preview")
    date_due_oldest = fields.Date(
        string="Oldest Due Date",
        compute="_compute_date_due_oldest",
        help="Due date of the oldest invoice reminded (for the SMS templates).",
    )
    late_fee_rate = fields.Float(
        compute="_compute_late_fees",
        string="Late Interest Rate (%)",
        digits=(16, 3),
        help="Yearly rate of the late interest, from the company's settings.",
    )
    late_fee_interest = fields.Monetary(compute="_compute_late_fees", string="Late Interest")
    late_fee_indemnity = fields.Monetary(
        compute="_compute_late_fees", string="Recovery Indemnities"
    )
    late_fee_total = fields.Monetary(compute="_compute_late_fees", string="Late Fees")
    amount_due_with_fees = fields.Monetary(
        compute="_compute_late_fees", string="Balance Due with Late Fees"
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
    letter_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Letter PDF", readonly=True, copy=False
    )
    handoff_attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Hand-off Pack",
        readonly=True,
        copy=False,
        help="Zip of what a collection agency or a lawyer needs: the invoices (CSV, XLSX and "
        "PDF) and every reminder letter sent.",
    )
    late_fee_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Late Fees Invoice",
        readonly=True,
        copy=False,
        help="Draft invoice of the late fees of this reminder, created on request.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("line_ids.amount_residual", "line_ids.line_type", "line_ids.days_overdue")
    def _compute_amounts(self):
        for reminder in self:
            reminder.update(
                self._dunning_amounts(
                    (line.line_type, line.amount_residual, line.days_overdue)
                    for line in reminder.line_ids
                )
            )

    @api.model
    def _dunning_amounts(self, lines):
        """Totals of a reminder from its lines' ``(line_type, amount_residual, days_overdue)``."""
        totals = dict.fromkeys(AMOUNT_FIELDS, 0)
        for line_type, residual, days_overdue in lines:
            if line_type == "credit":
                totals["amount_credit"] += residual
                continue
            totals["invoice_count"] += line_type == "invoice"
            totals["amount_total"] += residual
            if days_overdue > 0:
                totals["amount_overdue"] += residual
        totals["amount_due"] = totals["amount_total"] + totals["amount_credit"]
        return totals

    @api.depends(
        "level_id.apply_late_fees",
        "company_id",
        "amount_due",
        "line_ids.late_fee_interest",
        "line_ids.late_fee_indemnity",
    )
    def _compute_late_fees(self):
        for reminder in self:
            applies = reminder.level_id.apply_late_fees
            interest = sum(reminder.line_ids.mapped("late_fee_interest"))
            indemnity = sum(reminder.line_ids.mapped("late_fee_indemnity"))
            reminder.late_fee_rate = (
                reminder.company_id._credit_late_interest_rate() if applies else 0.0
            )
            reminder.late_fee_interest = interest
            reminder.late_fee_indemnity = indemnity
            reminder.late_fee_total = interest + indemnity
            reminder.amount_due_with_fees = reminder.amount_due + interest + indemnity

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

    @api.depends("level_id", "line_ids", "partner_id")
    def _compute_sms_preview(self):
        for reminder in self:
            template = reminder.level_id.sms_template_id
            if not (template and reminder.id and reminder.channel_sms):
                reminder.sms_preview = False
                continue
            try:
                rendered = template._render_field("body", reminder.ids, compute_lang=True)
                reminder.sms_preview = rendered[reminder.id]
            except Exception as error:
                reminder.sms_preview = str(error)

    @api.depends("line_ids.date_due", "line_ids.line_type")
    def _compute_date_due_oldest(self):
        for reminder in self:
            reminder.date_due_oldest = min(
                (
                    line.date_due
                    for line in reminder.line_ids
                    if line.line_type == "invoice" and line.date_due
                ),
                default=False,
            )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals for vals in vals_list if vals.get("name", "/") == "/"]
        if missing:
            names = self._dunning_next_names(len(missing))
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

    def _dunning_next_names(self, count):
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
                "partner_ids": reminder._dunning_recipients().ids,
                "email_to": False,
                "email_cc": False,
            }
            for reminder in self
        }

    def _dunning_recipients(self):
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
        self._dunning_check_state(("draft", "to_validate"), _("validated"))
        self._dunning_send()
        return True

    def action_send(self):
        self._dunning_check_state(("draft", "to_validate"), _("sent"))
        self._dunning_send()
        return True

    def action_retry(self):
        """Send again the channels that failed."""
        self._dunning_check_state(("error",), _("retried"))
        self._dunning_send()
        return True

    def action_cancel(self):
        self._dunning_check_state(PENDING_STATES, _("cancelled"))
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_call"])
        return True

    def action_reset_to_validate(self):
        self._dunning_check_state(("cancelled",), _("reopened"))
        self.write({"state": "to_validate", "error_message": False})
        return True

    def _dunning_followup_context(self, source):
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
            "context": self._dunning_followup_context("reminder"),
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
            "context": self._dunning_followup_context("call" if self.channel_phone else "reminder"),
        }

    def action_create_late_fee_invoice(self):
        """Draft invoice of the late fees of each reminder: interest and indemnity per late
        invoice. Never posted here: the collector checks it and posts it himself."""
        self.check_access("write")
        self.env["account.move"].check_access("create")
        invoices = self.env["account.move"]
        for reminder in self:
            if reminder.late_fee_move_id:
                raise UserError(
                    _(
                        "Reminder %(name)s already has its late-fees invoice %(invoice)s.",
                        name=reminder.name,
                        invoice=reminder.late_fee_move_id.display_name,
                    )
                )
            if reminder.currency_id.is_zero(reminder.late_fee_total):
                raise UserError(
                    _(
                        "Reminder %(name)s has no late fees: its level does not apply them "
                        "or no invoice is late.",
                        name=reminder.name,
                    )
                )
            invoice = (
                self.env["account.move"]
                .with_company(reminder.company_id)
                .create(reminder._late_fee_invoice_vals())
            )
            reminder.late_fee_move_id = invoice
            reminder._message_log(
                body=Markup("%s")
                % _(
                    "Draft late-fees invoice created: %(amount)s.",
                    amount=format_amount(self.env, reminder.late_fee_total, reminder.currency_id),
                )
            )
            invoices |= invoice
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(
                {
                    "views": [(self.env.ref("account.view_move_form").id, "form")],
                    "res_id": invoices.id,
                }
            )
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    def _late_fee_invoice_vals(self):
        self.ensure_one()
        product = self.company_id.credit_late_fee_product_id
        rate = f"{self.late_fee_rate:.2f}"
        lines = []
        for line in self.line_ids.filtered(
            lambda line: line.late_fee_interest or line.late_fee_indemnity
        ):
            if not self.currency_id.is_zero(line.late_fee_interest):
                lines.append(
                    {
                        "name": _(
                            "Late-payment interest on %(invoice)s: %(days)s days at %(rate)s%% "
                            "a year",
                            invoice=line.move_id.name,
                            days=line.late_fee_days,
                            rate=rate,
                        ),
                        "price_unit": line.late_fee_interest,
                    }
                )
            if not self.currency_id.is_zero(line.late_fee_indemnity):
                lines.append(
                    {
                        "name": _(
                            "Fixed recovery indemnity on %(invoice)s (article L441-10 of the "
                            "French Commercial Code)",
                            invoice=line.move_id.name,
                        ),
                        "price_unit": line.late_fee_indemnity,
                    }
                )
        return {
            "move_type": "out_invoice",
            "partner_id": self.commercial_partner_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "ref": _("Late fees of reminder %(name)s", name=self.name),
            "invoice_line_ids": [
                fields.Command.create(
                    dict(vals, product_id=product.id, quantity=1, tax_ids=[fields.Command.clear()])
                )
                for vals in lines
            ],
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action

    @api.model
    def action_run_dunning_today(self):
        """Managers' menu entry: run today's reminders now and show what was created."""
        reminders = self.run_dunning()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reminders Created Today"),
            "res_model": self._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", reminders.ids)],
            "context": {"create": False},
        }

    def _dunning_check_state(self, states, verb):
        self.check_access("write")
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
    # ENGINE: ENTRY POINTS
    # ------------------------------------------------------------

    @api.model
    @api.returns("self")
    def run_dunning(self, date=None):
        """Create (and send, when no validation is needed) the reminders due on ``date``.

        Runs for the companies of the environment and returns the reminders created.
        """
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        created = self.browse()
        for company in self.env.companies:
            created |= self.with_company(company)._dunning_run_company(date)
        return created

    @api.model
    def _cron_run_dunning(self):
        """Daily scheduled action: every company, a commit per batch."""
        # Every company, however many: the scheduled action reminds them all.
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        for company in companies:
            self.sudo().with_context(
                allowed_company_ids=company.ids, credit_dunning_commit=True
            ).run_dunning()

    def _dunning_run_company(self, date):
        company = self.env.company
        plan = self._dunning_plan(company, date)
        groups = self._dunning_groups(plan, date)
        batch_size = self.env.context.get("credit_dunning_batch_size") or BATCH_SIZE
        created = self.browse()
        total = len(groups)
        _logger.info("Dunning %s on %s: %d reminders to create", company.name, date, total)
        for start in range(0, total, batch_size):
            batch = groups[start : start + batch_size]
            reminders = self._dunning_create_batch(batch)
            reminders.filtered(lambda r: r.state == "draft")._dunning_send()
            created |= reminders
            self._dunning_batch_done(done=min(start + batch_size, total), total=total)
        return created

    def _dunning_batch_done(self, done, total):
        """End of a batch: commit when the scheduled action runs, report the progress."""
        if self.env.context.get("credit_dunning_commit"):
            # Safe to interrupt: what is committed is never redone (unique live lines).
            self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)

    def _dunning_create_batch(self, groups):
        """Create the reminders of ``groups``; skip those another run created meanwhile."""
        vals_list = [self._dunning_prepare_vals(group) for group in groups]
        try:
            with self.env.cr.savepoint():
                return self._dunning_insert(vals_list)
        except pg_errors.UniqueViolation:
            _logger.info("Dunning: another run created some of these reminders, one by one now")
        reminders = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    reminders |= self._dunning_insert([vals])
            except pg_errors.UniqueViolation:
                _logger.info("Dunning: reminder for partner %s already created", vals["partner_id"])
        return reminders

    def _dunning_insert(self, vals_list):
        """Create the reminders of ``vals_list`` (``_dunning_prepare_vals``) and their lines
        with one INSERT per model, then do what the ORM does after its own INSERT: fields to
        compute and their dependents (amounts, the invoices' dunning level) marked, Python
        constraints and access rules checked.

        A run creates a reminder per customer with a line per open item: ``create()`` spends
        most of its time per line (one2many commands, related fields, defaults), ten times
        the INSERT's. No "created" note nor follower either: the trail of a reminder is what
        it sends, and the collector follows it once it is sent (see ``_dunning_post_email``).
        """
        self.check_access("create")
        names = self._dunning_next_names(len(vals_list))
        partners = self.env["res.partner"].browse({vals["partner_id"] for vals in vals_list})
        commercial = {partner.id: partner.commercial_partner_id.id for partner in partners}
        reminder_rows, line_rows = [], []
        for vals, name in zip(vals_list, names, strict=True):
            lines = [command[2] for command in vals["line_ids"]]
            row = {key: value for key, value in vals.items() if key != "line_ids"}
            row["name"] = name
            row["commercial_partner_id"] = commercial[row["partner_id"]]
            row.update(
                self._dunning_amounts(
                    (line["line_type"], line["amount_residual"], line["days_overdue"])
                    for line in lines
                )
            )
            line_rows.append(lines)
            reminder_rows.append(row)
        # The invoices' dunning level is recomputed below (new lines): with their current
        # values in cache, only the values that change are written back.
        self.env["account.move"].browse(
            {line["move_id"] for lines in line_rows for line in lines}
        ).fetch(["dunning_level_id", "dunning_date"])
        reminders = self._dunning_insert_rows(self, reminder_rows)
        # As after create(): the amounts computed next are initial values, not changes.
        reminders._track_discard()
        lines = [
            dict(line, dunning_id=reminder.id, state=row["state"], currency_id=row["currency_id"])
            for reminder, row, rows in zip(reminders, reminder_rows, line_rows, strict=True)
            for line in rows
        ]
        if lines:
            # The reminders' totals were inserted with them.
            totals = [self._fields[fname] for fname in AMOUNT_FIELDS]
            with self.env.protecting(totals, reminders):
                self._dunning_insert_rows(self.env["credit.dunning.line"], lines)
        return reminders

    @api.model
    def _dunning_column_converter(self, model, field):
        """``(value, row) -> column value`` of ``field``, as the ORM converts it.

        Amounts are rounded to their row's currency directly: the ORM's conversion of a
        monetary value builds a new record for each value, the largest cost of an insert.
        """
        if field.type != "monetary":
            return lambda value, row: field.convert_to_column_insert(value, model, row)
        currency_field = field.get_currency_field(model)
        digits = {
            currency.id: currency.decimal_places
            for currency in self.env["res.currency"].with_context(active_test=False).search([])
        }

        def convert(value, row):
            if row.get(currency_field) not in digits:
                return field.convert_to_column_insert(value, model, row)
            return round(float(value or 0.0), digits[row[currency_field]])

        return convert

    @api.model
    def _dunning_insert_rows(self, model, rows):
        """INSERT ``rows`` (dicts of field values) of ``model`` with the model's defaults for
        the other stored fields; return the records, ready for the ORM."""
        stored = [
            name for name, field in model._fields.items() if field.store and field.column_type
        ]
        defaults = model.default_get([name for name in stored if name not in MAGIC_COLUMNS])
        rows = [dict(defaults, **row) for row in rows]
        # Values of fields without a column (related ones) only serve the conversion, such
        # as the currency that rounds amounts.
        fnames = sorted(
            fname
            for fname in set().union(*rows)
            if model._fields[fname].store and model._fields[fname].column_type
        )
        now, uid = self.env.cr.now(), self.env.uid
        log_columns = LOG_ACCESS_COLUMNS if model._log_access else []
        converters = {
            fname: self._dunning_column_converter(model, model._fields[fname]) for fname in fnames
        }
        # One array per column, unnested in order: the arrays are adapted in C, where a
        # VALUES list of tuples is quoted value by value in Python.
        columns = SQL(", ").join(
            SQL(
                "%s::%s[]",
                [converters[fname](row.get(fname), row) for row in rows],
                SQL(model._fields[fname].column_type[1]),
            )
            for fname in fnames
        )
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO %(table)s (%(names)s)
                    SELECT %(values)s %(log_values)s
                      FROM unnest(%(columns)s) WITH ORDINALITY AS u(%(values)s, ordinality)
                     ORDER BY u.ordinality
                    RETURNING id
                    """,
                    table=SQL.identifier(model._table),
                    names=SQL(", ").join(map(SQL.identifier, [*fnames, *log_columns])),
                    values=SQL(", ").join(map(SQL.identifier, fnames)),
                    log_values=SQL(", %s, %s, %s, %s", uid, now, uid, now)
                    if log_columns
                    else SQL(),
                    columns=columns,
                )
            )
        ]
        records = model.browse(ids)
        # The references in cache, as after create(): marking what depends on them (below)
        # reads them.
        for fname in fnames:
            field = model._fields[fname]
            if field.type == "many2one":
                self.env.cache.update(records, field, [row.get(fname) or None for row in rows])
        for field in model._fields.values():
            if field.store and field.compute and field.name not in fnames:
                self.env.add_to_compute(field, records)
            # The comodels' one2many caches do not know the new records yet.
            if field.type == "many2one" and field.name in fnames:
                for inverse in self.env.registry.field_inverses[field]:
                    self.env[inverse.model_name].invalidate_model([inverse.name])
        # As create() does: what was inserted is protected from being recomputed.
        with self.env.protecting([model._fields[fname] for fname in fnames], records):
            records.modified(fnames, create=True)
        records._validate_fields(fnames)
        records.check_access("create")
        return records

    def _dunning_prepare_vals(self, group):
        level = group["level"]
        return {
            "partner_id": group["partner_id"],
            "company_id": self.env.company.id,
            "currency_id": group["currency_id"],
            "scenario_id": level.scenario_id.id,
            "level_id": level.id,
            "date": group["date"],
            "user_id": group["user_id"],
            "is_manual": group.get("is_manual", False),
            "state": "to_validate" if level.requires_validation else "draft",
            "line_ids": [
                fields.Command.create(
                    {
                        "move_id": item["move_id"],
                        "line_type": line_type,
                        "level_id": item["next_level"].id if line_type == "invoice" else False,
                        "date_due": item["date_due"],
                        "days_overdue": item["days_overdue"],
                        "amount_total": item["amount_total"],
                        "amount_residual": item["residual_currency"],
                        "amount_residual_company": item["residual"],
                    }
                )
                for line_type, item in group["lines"]
            ],
        }

    # ------------------------------------------------------------
    # ENGINE: SELECTION
    # ------------------------------------------------------------

    @api.model
    def _dunning_open_items(self, company, commercial_ids=None):
        """Open receivable items of ``company``: one row per document and currency."""
        self.env.flush_all()
        accounts = self.env.execute_query(
            SQL(
                """
                SELECT a.id FROM account_account a
                  JOIN account_account_res_company_rel r ON r.account_account_id = a.id
                 WHERE a.account_type = 'asset_receivable' AND r.res_company_id = %s
                """,
                company.id,
            )
        )
        partner_filter = (
            SQL(
                "AND l.partner_id = ANY(ARRAY(SELECT id FROM res_partner "
                "WHERE commercial_partner_id = ANY(%s)))",
                list(commercial_ids),
            )
            if commercial_ids is not None
            else SQL()
        )
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT l.move_id, m.move_type, m.partner_id AS address_id,
                       p.commercial_partner_id, m.third_party_payer_id,
                       COALESCE(l.currency_id, %(currency)s) AS currency_id,
                       SUM(l.amount_residual) AS residual,
                       SUM(l.amount_residual_currency) AS residual_currency,
                       MIN(COALESCE(l.date_maturity, m.invoice_date_due, l.date)) AS date_due,
                       m.amount_total_in_currency_signed AS amount_total,
                       m.dunning_level_id, m.dunning_date, m.dunning_excluded, m.in_dispute,
                       m.dunning_block_until, m.dunning_scenario_id, m.dunning_handoff_date
                  FROM account_move_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.account_id = ANY(%(accounts)s)
                   AND l.reconciled IS NOT TRUE AND l.parent_state = 'posted'
                   AND l.company_id = %(company)s AND l.amount_residual != 0
                   %(partner_filter)s
                 GROUP BY l.move_id, m.id, p.commercial_partner_id, l.currency_id
                """,
                currency=company.currency_id.id,
                accounts=[row[0] for row in accounts],
                company=company.id,
                partner_filter=partner_filter,
            )
        )
        return rows

    @api.model
    def _dunning_plan(self, company, date, commercial_ids=None):
        """Open items of ``company`` with their scenario, next level and the date it is due.

        Returns a list of dicts (one per document and currency) with the row of
        ``_dunning_open_items`` and: ``kind`` (invoice, debit, credit), ``listed`` (shown on a
        reminder), ``blocked`` (no reminder for now), ``scenario``, ``next_level``,
        ``eligible_date`` and ``days_overdue`` on ``date``.
        """
        rows = self._dunning_open_items(company, commercial_ids)
        if not rows:
            return []
        Partner = self.env["res.partner"].with_company(company)
        partner_ids = {row["commercial_partner_id"] for row in rows}
        partner_ids |= {row["third_party_payer_id"] for row in rows if row["third_party_payer_id"]}
        partner_facts = {
            values["id"]: values
            for values in Partner.browse(partner_ids).read(
                [
                    "dunning_scenario_id",
                    "dunning_block_until",
                    "payer_profile_id",
                    "dunning_responsible_id",
                    "commercial_partner_id",
                ],
                load=None,
            )
        }
        profiles = (
            self.env["credit.payer.profile"]
            .sudo()
            .search_read([("dunning_scenario_id", "!=", False)], ["dunning_scenario_id"], load=None)
        )
        profile_scenario = {p["id"]: p["dunning_scenario_id"] for p in profiles}
        scenarios = (
            self.env["credit.dunning.scenario"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )
        # Plain tuples (days, min_interval_days, level): the loop below runs once per invoice.
        scenario_levels = {
            scenario.id: [
                (level.days, level.min_interval_days, level)
                for level in scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.days, lvl.id))
            ]
            for scenario in scenarios
        }
        level_days = {
            level.id: level.days
            for level in self.env["credit.dunning.level"]
            .sudo()
            .with_context(active_test=False)
            .search([])
        }
        default_scenario = company.credit_dunning_scenario_id.id
        pending_moves = self._dunning_pending_moves(company)
        # An open payment promise suspends the reminders of its invoices until its grace end.
        promised = self.env["credit.payment.promise"]._promise_suspensions(company, date)
        Level = self.env["credit.dunning.level"].sudo()
        for row in rows:
            customer = partner_facts[row["commercial_partner_id"]]
            payer = partner_facts.get(row["third_party_payer_id"]) or {}
            residual = row["residual"]
            row["kind"] = (
                "credit"
                if residual < 0
                else "invoice"
                if row["move_type"] in INVOICE_TYPES
                else "debit"
            )
            row["days_overdue"] = (date - row["date_due"]).days if row["date_due"] else 0
            blocked_until = max(
                (
                    d
                    for d in (
                        row["dunning_block_until"],
                        customer["dunning_block_until"],
                        payer.get("dunning_block_until"),
                        promised.get(row["move_id"]),
                    )
                    if d
                ),
                default=None,
            )
            row["blocked"] = bool(blocked_until and blocked_until > date)
            # Handed off to litigation: out of the scenario, on no reminder.
            row["listed"] = not (
                row["dunning_excluded"]
                or row["in_dispute"]
                or row["blocked"]
                or row["dunning_handoff_date"]
            )
            row["pending"] = row["move_id"] in pending_moves
            row["user_id"] = customer["dunning_responsible_id"]
            scenario_id = (
                row["dunning_scenario_id"]
                or customer["dunning_scenario_id"]
                or profile_scenario.get(customer["payer_profile_id"])
                or default_scenario
            )
            row["scenario_id"] = scenario_id if scenario_id in scenario_levels else False
            row["next_level"] = Level
            row["eligible_date"] = None
            if row["kind"] == "invoice" and row["listed"] and row["scenario_id"]:
                current_days = level_days.get(row["dunning_level_id"])
                self._dunning_next_level(
                    row, scenario_levels[row["scenario_id"]], current_days, date
                )
        return rows

    @api.model
    def _dunning_next_level(self, row, levels, current_days, date):
        """Set the next level of an invoice and the date it becomes due for it.

        ``levels`` are the scenario's ``(days, min_interval_days, level)`` in order and
        ``current_days`` the days of the level the invoice reached (None if never reminded).
        """
        date_due = row["date_due"]
        overdue = date >= date_due
        for days, min_interval, level in levels:
            if current_days is not None and days <= current_days:
                continue
            if overdue and days < 0:
                continue
            eligible = date_due + timedelta(days=days)
            if row["dunning_date"] and min_interval:
                eligible = max(eligible, row["dunning_date"] + timedelta(days=min_interval))
            if days < 0 and eligible >= date_due:
                continue  # a courtesy reminder is only sent before the due date
            row["next_level"] = level
            row["eligible_date"] = eligible
            return

    @api.model
    def _dunning_pending_moves(self, company):
        """Invoices on a reminder not sent yet (draft, to validate, in error)."""
        self.env["credit.dunning.line"].flush_model(["state", "move_id", "dunning_id"])
        self.env["credit.dunning"].flush_model(["company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT l.move_id FROM credit_dunning_line l
                  JOIN credit_dunning d ON d.id = l.dunning_id
                 WHERE d.company_id = %s AND l.state = ANY(%s)
                """,
                company.id,
                list(PENDING_STATES),
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _dunning_groups(self, plan, date):
        """Reminders to create on ``date``: addressee, currency, level and lines."""
        company = self.env.company
        scenarios = (
            self.env["credit.dunning.scenario"]
            .sudo()
            .browse({row["scenario_id"] for row in plan if row["scenario_id"]})
        )
        grouping = {scenario.id: scenario.grouping for scenario in scenarios}
        default_grouping = company.credit_dunning_scenario_id.grouping or "commercial"
        groups = defaultdict(lambda: {"lines": [], "escalated": []})
        for row in plan:
            if not row["listed"]:
                continue
            mode = grouping.get(row["scenario_id"], default_grouping)
            if row["third_party_payer_id"]:
                addressee = row["third_party_payer_id"]
            elif mode == "invoice_address":
                addressee = row["address_id"] or row["commercial_partner_id"]
            else:
                addressee = row["commercial_partner_id"]
            key = (addressee, row["currency_id"])
            if mode == "invoice" and row["kind"] == "invoice":
                key += (row["move_id"],)
            group = groups[key]
            group.setdefault("partner_id", addressee)
            group.setdefault("currency_id", row["currency_id"])
            group.setdefault("user_id", row["user_id"] or company.credit_responsible_id.id)
            escalates = (
                row["kind"] == "invoice"
                and row["next_level"]
                and not row["pending"]
                and row["eligible_date"] <= date
            )
            if escalates:
                group["escalated"].append(row)
                group["lines"].append(("invoice", row))
            else:
                group["lines"].append(("credit" if row["kind"] == "credit" else "open", row))
        # Credits of a customer reminded per invoice are listed on none of its reminders.
        result = []
        for key, group in groups.items():
            if not group["escalated"]:
                continue
            level = max(
                (row["next_level"] for row in group["escalated"]),
                key=lambda lvl: (lvl.days, lvl.sequence),
            )
            scenario = level.scenario_id
            lines = group["lines"]
            if len(key) == 3:  # one reminder per invoice
                lines = [line for line in lines if line[1]["move_id"] == key[2]]
            claimed = sum(row["residual"] for line_type, row in lines if line_type != "open")
            minimum = max(scenario.min_amount, level.min_amount)
            if company.currency_id.compare_amounts(claimed, minimum) < 0 or claimed <= 0:
                continue
            result.append(dict(group, lines=lines, level=level, date=date))
        result.sort(key=lambda group: (group["partner_id"], group["currency_id"]))
        return result

    # ------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------

    def _dunning_send(self):
        """Run the channels of each reminder; failures leave the reminder in error."""
        reminders = self.filtered(lambda r: r.state in PENDING_STATES)
        if not reminders:
            return
        # A channel that already worked (on a first try, before a retry) is not run again.
        done_states = {"queued", "sent", "done"}
        for reminder in reminders:
            for channel in CHANNELS:
                state = reminder[f"{channel}_state"]
                if state not in done_states:
                    reminder[f"{channel}_state"] = (
                        "pending" if reminder[f"channel_{channel}"] else "none"
                    )
        reminders.error_message = False
        for reminder in reminders.filtered(lambda r: r.level_id.is_formal_notice):
            reminder.formal_notice_deadline = reminder._dunning_formal_notice_deadline()
        for channel in CHANNELS:
            pending = reminders.filtered(lambda r, c=channel: r[f"{c}_state"] == "pending")
            if pending:
                getattr(pending, f"_dunning_send_{channel}")()
        failed = reminders.filtered(
            lambda r: "error" in (r[f"{channel}_state"] for channel in CHANNELS)
        )
        done = reminders - failed
        failed.state = "error"
        done.write({"state": "sent", "date_sent": fields.Datetime.now()})
        done.filtered(lambda r: r.level_id.is_formal_notice).is_formal_notice = True
        done.filtered(lambda r: r.level_id.is_litigation)._dunning_hand_off()
        done._dunning_log_on_customers()

    def _dunning_formal_notice_deadline(self):
        self.ensure_one()
        return self.formal_notice_deadline or self.date + timedelta(
            days=self.company_id.credit_formal_notice_days
        )

    def _dunning_fail(self, channel, message):
        self.write({f"{channel}_state": "error", "error_message": message})

    def _dunning_send_email(self):
        without_address = self.filtered(lambda r: not r._dunning_recipients())
        without_address._dunning_fail(
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
                    reminders._dunning_post_email(template)
                continue
            except Exception:
                _logger.info("Dunning: emails of template %s failed, one by one", template.id)
            for reminder in reminders:
                try:
                    with self.env.cr.savepoint():
                        reminder._dunning_post_email(template)
                except Exception as error:
                    reminder._dunning_fail(
                        "email",
                        _(
                            "The email could not be prepared with template %(template)s: %(error)s",
                            template=template.display_name,
                            error=error,
                        ),
                    )

    def _dunning_post_email(self, template):
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
            reminder.write(
                {"email_state": "queued", "mail_message_id": by_reminder.get(reminder.id)}
            )
            if reminder.user_id.partner_id:
                reminder.message_subscribe(partner_ids=reminder.user_id.partner_id.ids)

    def _dunning_letter_pdf(self):
        """The letter of this reminder, as PDF bytes."""
        self.ensure_one()
        report = self.env.ref("credit_management.action_report_credit_dunning_letter")
        pdf, _report_type = self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        return pdf

    def _dunning_send_letter(self):
        """Render each letter and attach it to its reminder, ready to print and post."""
        for reminder in self:
            try:
                with self.env.cr.savepoint():
                    pdf = reminder._dunning_letter_pdf()
                    attachment = self.env["ir.attachment"].create(
                        {
                            "name": f"{reminder.name} - {reminder.partner_id.name}.pdf".replace(
                                "/", "-"
                            ),
                            "raw": pdf,
                            "res_model": self._name,
                            "res_id": reminder.id,
                            "mimetype": "application/pdf",
                        }
                    )
                    reminder.write({"letter_attachment_id": attachment.id, "letter_state": "done"})
            except Exception as error:  # any rendering failure is reported on the reminder
                _logger.info("Dunning: letter of %s failed: %s", reminder.name, error)
                reminder._dunning_fail(
                    "letter",
                    _("The letter could not be printed: %(error)s", error=error),
                )

    def action_print_letters(self):
        """One PDF of the letters of the selected reminders, to print and post in a batch:
        the letters attached when they were sent, or printed now."""
        self.check_access("read")
        if not self:
            raise UserError(_("Select the reminders whose letters you want to print."))
        letters = [
            reminder.letter_attachment_id.raw
            if reminder.letter_attachment_id
            else reminder._dunning_letter_pdf()
            for reminder in self.sorted(lambda r: (r.partner_id.name or "", r.id))
        ]
        merged = merge_pdf(letters) if len(letters) > 1 else letters[0]
        # Readable by its creator only (no document): the collector who prints.
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("Reminder letters (%(count)s).pdf", count=len(letters)),
                "raw": merged,
                "mimetype": "application/pdf",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_print_letter(self):
        self.check_access("read")
        return self.env.ref("credit_management.action_report_credit_dunning_letter").report_action(
            self
        )

    def _dunning_hand_off(self):
        """Hand-off to litigation: the invoices leave the scenario and the pack is attached."""
        for reminder in self:
            invoices = reminder.line_ids.filtered(lambda ln: ln.line_type != "credit").move_id
            invoices.sudo().write(
                {
                    "dunning_handoff_date": reminder.date,
                    "dunning_handoff_id": reminder.id,
                }
            )
            reminder._dunning_handoff_pack()

    def action_handoff_pack(self):
        """(Re)build the hand-off pack and download it."""
        self.ensure_one()
        self._dunning_check_state(("sent",), _("hand off"))
        attachment = self._dunning_handoff_pack()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _dunning_handoff_rows(self):
        """One row per invoice of the hand-off: amounts, dates, reminders and late fees."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda ln: ln.line_type != "credit")
        header = [
            _("Invoice"),
            _("Invoice Date"),
            _("Due Date"),
            _("Amount"),
            _("Balance"),
            _("Days Late"),
            _("Reminders Sent"),
            _("Late Interest"),
            _("Recovery Indemnity"),
            _("Currency"),
        ]
        rows = []
        for line in lines:
            move = line.move_id
            sent = move.dunning_line_ids.filtered(
                lambda ln: ln.state == "sent" and ln.dunning_id.date <= self.date
            ).dunning_id.sorted("date")
            rows.append(
                [
                    move.name,
                    fields.Date.to_string(move.invoice_date),
                    fields.Date.to_string(line.date_due),
                    line.amount_total,
                    line.amount_residual,
                    line.days_overdue,
                    "; ".join(
                        f"{fields.Date.to_string(r.date)} {r.level_id.name} ({r.name})"
                        for r in sent
                    ),
                    line.late_fee_interest,
                    line.late_fee_indemnity,
                    self.currency_id.name,
                ]
            )
        return header, rows

    def _dunning_handoff_pack(self):
        """The zip of the hand-off, attached to the reminder (replacing an older one)."""
        self.ensure_one()
        header, rows = self._dunning_handoff_rows()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
            csv_buffer = io.StringIO()
            writer = csv.writer(csv_buffer, delimiter=";")
            writer.writerow(header)
            writer.writerows(rows)
            pack.writestr("invoices.csv", csv_buffer.getvalue().encode("utf-8-sig"))
            xlsx_buffer = io.BytesIO()
            workbook = xlsxwriter.Workbook(xlsx_buffer, {"in_memory": True})
            sheet = workbook.add_worksheet(_("Invoices"))
            bold = workbook.add_format({"bold": True})
            sheet.write_row(0, 0, header, bold)
            for index, row in enumerate(rows, start=1):
                sheet.write_row(index, 0, row)
            workbook.close()
            pack.writestr("invoices.xlsx", xlsx_buffer.getvalue())
            invoices = self.line_ids.filtered(lambda ln: ln.line_type != "credit").move_id
            Report = self.env["ir.actions.report"].sudo()
            for invoice in invoices:
                pdf, _report_type = Report._render_qweb_pdf("account.account_invoices", invoice.ids)
                pack.writestr(f"invoices/{invoice.name.replace('/', '-')}.pdf", pdf)
            letters = invoices.dunning_line_ids.filtered(
                lambda ln: ln.state == "sent" or ln.dunning_id == self
            ).dunning_id
            for reminder in letters.sorted("date"):
                pdf = (
                    reminder.letter_attachment_id.raw
                    if reminder.letter_attachment_id
                    else reminder._dunning_letter_pdf()
                )
                pack.writestr(f"reminders/{reminder.name.replace('/', '-')}.pdf", pdf)
        name = _(
            "Hand-off %(name)s - %(customer)s.zip", name=self.name, customer=self.partner_id.name
        )
        self.handoff_attachment_id.sudo().unlink()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": name.replace("/", "-"),
                    "raw": buffer.getvalue(),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/zip",
                }
            )
        )
        self.handoff_attachment_id = attachment
        return attachment

    def _dunning_send_phone(self):
        call_type = self.env.ref("mail.mail_activity_data_call")
        no_user = self.filtered(lambda r: not r.user_id)
        no_user._dunning_fail(
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
                    "note": reminder._dunning_summary_html(),
                }
                for reminder in reminders
            ]
        )
        reminders.phone_state = "done"

    def _dunning_send_sms(self):
        """Log the SMS of each reminder in its chatter and queue it for Odoo's SMS queue.

        The queue (``sms.sms``, its scheduled action) sends it through the SMS gateway set up
        in Odoo; the gateway's answer comes back through ``_dunning_sms_result``.
        """
        recipients = {reminder.id: reminder._dunning_sms_number() for reminder in self}
        without_number = self.filtered(lambda r: not recipients[r.id][1])
        for reminder in without_number:
            reminder._dunning_fail("sms", reminder._dunning_sms_missing_reason())
        queued = self.browse()
        for template, reminders in (
            (self - without_number).grouped(lambda r: r.level_id.sms_template_id).items()
        ):
            try:
                with self.env.cr.savepoint():
                    reminders._dunning_post_sms(template, recipients)
                queued |= reminders
                continue
            except Exception:
                _logger.info("Dunning: SMS of template %s failed, one by one", template.id)
            for reminder in reminders:
                try:
                    with self.env.cr.savepoint():
                        reminder._dunning_post_sms(template, recipients)
                    queued |= reminder
                except Exception as error:
                    reminder._dunning_fail(
                        "sms",
                        _(
                            "The SMS could not be prepared with template %(template)s: %(error)s",
                            template=template.display_name,
                            error=error,
                        ),
                    )
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action", raise_if_not_found=False)
        if queued and cron:
            # The SMS queue runs every hour: wake it up so that the SMS leave now. sudo: the
            # collector who validates a reminder does not manage scheduled actions.
            cron.sudo()._trigger()

    def _dunning_sms_candidates(self):
        """Numbers the SMS may go to, in order: ``[(contact, number), …]``: the addressee's
        mobile and phone, then those of its invoicing contacts."""
        self.ensure_one()
        partner = self.partner_id
        contacts = partner | partner.child_ids.filtered(lambda child: child.type == "invoice")
        return [
            (contact, number)
            for contact in contacts
            for number in (contact.mobile, contact.phone)
            if number and number.strip()
        ]

    def _dunning_sms_number(self):
        """``(contact, number)`` the SMS goes to: the first candidate number that is a valid
        phone number, formatted for the gateway (E.164); ``(addressee, False)`` if none is."""
        self.ensure_one()
        for contact, number in self._dunning_sms_candidates():
            formatted = contact._phone_format(number=number)
            if formatted:
                return contact, formatted
        return self.partner_id, False

    def _dunning_sms_missing_reason(self):
        self.ensure_one()
        invalid = [number for _contact, number in self._dunning_sms_candidates()]
        if invalid:
            return _(
                "No valid phone number for the SMS: %(numbers)s cannot be used. Correct the "
                "customer's mobile number, or its invoicing contact's, then retry.",
                numbers=", ".join(invalid),
            )
        return _(
            "The customer has no mobile or phone number for the SMS: add one, or an invoicing "
            "contact with a mobile number, then retry."
        )

    def _dunning_post_sms(self, template, recipients):
        """Render ``template`` for these reminders, log each SMS in its reminder's chatter and
        queue it, with its notification, as Odoo's SMS notifications do (``_message_sms``)
        but in a few batched creates instead of one message post per reminder.

        ``recipients`` maps each reminder's id to ``(contact, number)``.
        """
        bodies = template._render_field("body", self.ids, compute_lang=True)
        empty = self.filtered(lambda r: not (bodies[r.id] or "").strip())
        if empty:
            raise UserError(_("The SMS of reminder %(name)s would be empty.", name=empty[0].name))
        by_reminder = {}
        for company, reminders in self.grouped("company_id").items():
            messages = reminders._message_log_batch(
                bodies={r.id: sms_content_to_rendered_html(bodies[r.id]) for r in reminders},
                message_type="sms",
            )
            # The SMS queue sends through the account of the message's company.
            messages.record_company_id = company
            by_reminder.update((message.res_id, message) for message in messages)
        # sudo: the SMS queue and the notifications are technical records only the system
        # writes; access to the reminders was checked by the caller.
        sms_records = (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "body": bodies[reminder.id],
                        "number": recipients[reminder.id][1],
                        "partner_id": recipients[reminder.id][0].id,
                        "mail_message_id": by_reminder[reminder.id].id,
                        "state": "outgoing",
                    }
                    for reminder in self
                ]
            )
        )
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": sms.mail_message_id.author_id.id,
                    "mail_message_id": sms.mail_message_id.id,
                    "res_partner_id": sms.partner_id.id,
                    "sms_number": sms.number,
                    "notification_type": "sms",
                    "sms_id_int": sms.id,
                    "sms_tracker_ids": [fields.Command.create({"sms_uuid": sms.uuid})],
                    "is_read": True,
                    "notification_status": "ready",
                }
                for sms in sms_records
            ]
        )
        for reminder in self:
            reminder.write({"sms_state": "queued", "sms_message_id": by_reminder[reminder.id].id})

    def _dunning_summary_html(self):
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

    def _dunning_log_on_customers(self):
        """Trace of each sent reminder in its customer's chatter (a note, no email)."""
        bodies = defaultdict(list)
        for reminder in self:
            channels = ", ".join(
                label
                for label, used in (
                    (_("email"), reminder.email_state in ("queued", "sent")),
                    (_("SMS"), reminder.sms_state in ("queued", "sent")),
                    (_("letter"), reminder.letter_state == "done"),
                    (_("call"), reminder.phone_state == "done"),
                )
                if used
            )
            bodies[reminder.commercial_partner_id].append(
                Markup("<p>%s</p>")
                % _(
                    "Reminder %(name)s sent (%(channels)s) at level %(level)s: %(count)s "
                    "invoices, balance due %(amount)s.",
                    name=reminder.name,
                    channels=channels,
                    level=reminder.level_id.name,
                    count=reminder.invoice_count,
                    amount=format_amount(self.env, reminder.amount_due, reminder.currency_id),
                )
            )
        partners = self.env["res.partner"].browse([p.id for p in bodies])
        partners._message_log_batch(
            bodies={partner.id: Markup("").join(bodies[partner]) for partner in partners}
        )

    def _dunning_mail_result(self, success, reason=None):
        """Called when the mail queue sent (or failed to send) the email of these reminders."""
        if success:
            self.filtered(lambda r: r.email_state == "queued").email_state = "sent"
            return
        for reminder in self:
            reminder.write(
                {
                    "email_state": "error",
                    "state": "error",
                    "error_message": _(
                        "The mail server refused the email: %(reason)s",
                        reason=html2plaintext(reason or "") or _("unknown"),
                    ),
                }
            )

    def _dunning_sms_result(self, success, reason=None):
        """Called when the SMS gateway accepted (or refused) the SMS of these reminders, or
        reported later that it never reached the customer."""
        if success:
            self.filtered(lambda r: r.sms_state == "queued").sms_state = "sent"
            return
        self.sms_state = "error"
        # A delivery report can come days later: a reminder cancelled meanwhile stays so.
        self.filtered(lambda r: r.state != "cancelled").write(
            {
                "state": "error",
                "error_message": _(
                    "The SMS could not be sent: %(reason)s",
                    reason=html2plaintext(reason or "").strip() or _("unknown"),
                ),
            }
        )
