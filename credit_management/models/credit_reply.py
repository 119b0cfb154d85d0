"""A customer's reply to a reminder, read for the collector (``credit.reply``).

How it works: Odoo's mail gateway routes a reply to the reminder it answers (its
``In-Reply-To``); the reminder's ``_message_post_after_hook`` (``credit_dunning_reply``)
hands the message to ``_create_from_message``, which reads it with ``engine.reply.analyse``
against the customer's open invoices and keeps the result as a suggestion: "Promise of
5 040,00 € on 15/01/2027 — accept / ignore". The collector may correct the suggestion while
it is new, then ``action_accept`` applies it in one click: it creates the payment promise or
the dispute, schedules the activity, or sends the invoices' copy, as the intent says;
``action_ignore`` sets it aside. Nothing is applied without that click, except a promise read
with ``HIGH`` confidence when the company allows it (``credit_reply_auto_promise``).

Automatic replies (RFC 3834 headers or an out-of-office body) are kept, set aside at once:
they never count as an answer and never stop anything.

Every suggestion keeps what the analyser read (``suggested_*``) beside what the collector
accepted, so that accepted, corrected and ignored suggestions measure the analyser.
"""

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount
from odoo.tools import format_date
from odoo.tools import html2plaintext

from ..engine import reply as reply_engine

INTENTS = [
    ("promise", "Payment promise"),
    ("dispute", "Dispute"),
    ("paid", "Already paid"),
    ("copy", "Invoice copy requested"),
    ("out_of_office", "Out of office"),
    ("insolvency", "Insolvency notice"),
    ("other", "Other"),
]
# The dispute reasons of the analyser, by their records (data/credit_dispute_reason_data.xml).
REASONS = {
    "price": "credit_management.dispute_reason_price",
    "quantity": "credit_management.dispute_reason_quantity",
    "quality": "credit_management.dispute_reason_quality",
    "not_received": "credit_management.dispute_reason_not_received",
    "duplicate": "credit_management.dispute_reason_duplicate",
    "other": "credit_management.dispute_reason_other",
}


class CreditReply(models.Model):
    _name = "credit.reply"
    _description = "Reply to a Reminder"
    _inherit = ["credit.workflow.mixin"]
    _order = "date_received desc, id desc"
    _check_company_auto = True

    message_id = fields.Many2one(
        comodel_name="mail.message",
        string="Email",
        readonly=True,
        ondelete="set null",
        help="The customer's email, in the reminder's chatter.",
    )
    dunning_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Reminder",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(comodel_name="res.currency", required=True, readonly=True)
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        index=True,
        domain="[('share', '=', False)]",
        help="Who reads the reply: the reminder's collector.",
    )
    date_received = fields.Datetime(
        string="Received On", required=True, readonly=True, default=fields.Datetime.now
    )
    email_from = fields.Char(string="From", readonly=True)
    subject = fields.Char(readonly=True)
    text = fields.Text(string="Customer's Words", readonly=True)
    attachment_ids = fields.Many2many(
        related="message_id.attachment_ids",
        string="Attached Files",
        help="What the customer attached: a remittance advice, a proof of payment…",
    )
    # What the collector accepts (the analyser's reading, corrected while new).
    intent = fields.Selection(selection=INTENTS, required=True, default="other")
    date = fields.Date(help="The day promised, or the day the customer says he paid.")
    amount = fields.Monetary(help="The amount promised or paid (empty: the invoices' balance).")
    move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="credit_reply_account_move_rel",
        column1="reply_id",
        column2="move_id",
        string="Invoices",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('state', '=', 'posted'), "
        "('move_type', 'in', ('out_invoice', 'out_receipt'))]",
        help="The invoices the reply names (none: the reminder's).",
    )
    reason_id = fields.Many2one(
        comodel_name="credit.dispute.reason",
        string="Dispute Reason",
        check_company=True,
    )
    # What the analyser read, kept to measure it.
    confidence = fields.Float(readonly=True, digits=(3, 2))
    suggested_intent = fields.Selection(selection=INTENTS, readonly=True)
    suggested_date = fields.Date(readonly=True)
    suggested_amount = fields.Monetary(readonly=True)
    automatic = fields.Boolean(
        string="Automatic Reply",
        readonly=True,
        help="An auto-reply (RFC 3834 headers or an out-of-office message): never an answer.",
    )
    is_corrected = fields.Boolean(
        string="Corrected",
        compute="_compute_is_corrected",
        store=True,
        help="The collector changed what the analyser read before accepting it.",
    )
    state = fields.Selection(
        selection=[("new", "To Read"), ("accepted", "Accepted"), ("ignored", "Ignored")],
        default="new",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    auto_decided = fields.Boolean(
        string="Decided Automatically",
        readonly=True,
        help="Applied by the company's setting, or set aside as an automatic reply.",
    )
    date_decided = fields.Datetime(string="Decided On", readonly=True, copy=False)
    decided_uid = fields.Many2one(
        comodel_name="res.users", string="Decided By", readonly=True, copy=False
    )
    promise_id = fields.Many2one(comodel_name="credit.payment.promise", readonly=True, copy=False)
    dispute_id = fields.Many2one(comodel_name="credit.dispute", readonly=True, copy=False)
    summary = fields.Char(compute="_compute_summary", string="Suggestion")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("intent", "date", "amount", "currency_id", "move_ids", "reason_id")
    @api.depends_context("lang")
    def _compute_summary(self):
        labels = dict(self._fields["intent"]._description_selection(self.env))
        for reply in self:
            amount = (
                format_amount(self.env, reply.amount, reply.currency_id)
                if reply.amount and reply.currency_id
                else ""
            )
            day = format_date(self.env, reply.date) if reply.date else ""
            invoices = ", ".join(reply.move_ids.mapped("name"))
            if reply.intent == "promise":
                summary = _(
                    "Promise of %(amount)s on %(date)s",
                    amount=amount or _("the balance"),
                    date=day or _("a day to set"),
                )
            elif reply.intent == "paid":
                summary = _(
                    "Already paid: %(amount)s on %(date)s",
                    amount=amount or _("the balance"),
                    date=day or _("a day not given"),
                )
            elif reply.intent == "dispute":
                summary = _(
                    "Dispute (%(reason)s)",
                    reason=reply.reason_id.name or _("reason to set"),
                )
            else:
                summary = labels.get(reply.intent, "")
            reply.summary = f"{summary} — {invoices}" if invoices else summary

    def _compute_display_name(self):
        for reply in self:
            reply.display_name = _(
                "%(customer)s: %(summary)s",
                customer=reply.partner_id.display_name or "",
                summary=reply.summary,
            )

    @api.depends(
        "intent", "date", "amount", "suggested_intent", "suggested_date", "suggested_amount"
    )
    def _compute_is_corrected(self):
        for reply in self:
            reply.is_corrected = (reply.intent, reply.date, reply.amount or 0.0) != (
                reply.suggested_intent or reply.intent,
                reply.suggested_date,
                reply.suggested_amount or 0.0,
            )

    # ------------------------------------------------------------
    # CREATION FROM THE MAIL GATEWAY
    # ------------------------------------------------------------

    @api.model
    def _create_from_message(self, dunning, message, automatic=False):
        """The suggestion of ``message``, a reply to the reminder ``dunning``
        (``automatic``: its headers mark an auto-reply). Called by the gateway as superuser."""
        customer = dunning.commercial_partner_id
        open_invoices = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("company_id", "=", dunning.company_id.id),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_receipt")),
                    ("payment_state", "not in", ("paid", "in_payment", "reversed")),
                ]
            )
        )
        received = message.date or fields.Datetime.now()
        result = reply_engine.analyse(
            html2plaintext(message.body or ""),
            subject=message.subject or "",
            headers={"Auto-Submitted": "auto-replied"} if automatic else None,
            today=fields.Date.context_today(self.with_company(dunning.company_id), received),
            invoices=[
                reply_engine.OpenInvoice(move.id, move.name, move.amount_residual)
                for move in open_invoices
            ],
        )
        automatic = result.automatic
        reason = REASONS.get(result.reason) if result.intent == "dispute" else None
        reply = self.create(
            {
                "message_id": message.id,
                "dunning_id": dunning.id,
                "partner_id": customer.id,
                "company_id": dunning.company_id.id,
                "currency_id": dunning.currency_id.id,
                "user_id": dunning.user_id.id,
                "date_received": received,
                "email_from": message.email_from,
                "subject": message.subject,
                "text": result.text,
                "intent": result.intent,
                "date": result.date,
                "amount": result.amount or 0.0,
                "move_ids": [(6, 0, list(result.invoice_ids))],
                "reason_id": reason and self.env.ref(reason, raise_if_not_found=False).id,
                "confidence": result.confidence,
                "suggested_intent": result.intent,
                "suggested_date": result.date,
                "suggested_amount": result.amount or 0.0,
                "automatic": automatic,
                "state": "ignored" if automatic else "new",
                "auto_decided": automatic,
                "date_decided": fields.Datetime.now() if automatic else False,
            }
        )
        if (
            not automatic
            and result.intent == "promise"
            and result.confidence >= reply_engine.HIGH
            and reply.company_id.credit_reply_auto_promise
        ):
            reply._apply(auto=True)
        return reply

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_accept(self):
        """Apply the suggestion: the promise, the dispute, the activity or the copy."""
        self._workflow_check()
        self._check_new()
        for reply in self:
            reply._apply()
        return True

    def action_ignore(self):
        """Set the suggestion aside (the reply stays in the reminder's chatter)."""
        self._workflow_check()
        self._check_new()
        self._workflow_write(
            {
                "state": "ignored",
                "date_decided": fields.Datetime.now(),
                "decided_uid": self.env.uid,
            }
        )
        return True

    def action_open_result(self):
        """The promise or the dispute the suggestion made."""
        self.ensure_one()
        record = self.promise_id or self.dispute_id
        if not record:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # APPLYING A SUGGESTION
    # ------------------------------------------------------------

    def _check_new(self):
        decided = self.filtered(lambda reply: reply.state != "new")
        if decided:
            raise UserError(
                _(
                    "The reply %(reply)s is already decided: it cannot be applied or ignored "
                    "again.",
                    reply=decided[0].display_name,
                )
            )

    def _invoices(self):
        """The invoices the suggestion applies to: those named, else the reminder's, still
        open."""
        self.ensure_one()
        moves = (
            self.move_ids
            or self.dunning_id.line_ids.filtered(lambda line: line.line_type != "credit").move_id
        )
        return moves.filtered(
            lambda move: move.payment_state not in ("paid", "in_payment", "reversed")
        )

    def _apply(self, auto=False):
        """Apply one suggestion (its caller checked who applies it)."""
        self.ensure_one()
        apply = getattr(self, f"_apply_{self.intent}", None)
        if apply is None:
            raise UserError(
                _("An automatic reply has nothing to apply: ignore it.")
                if self.intent == "out_of_office"
                else _("This reply has nothing to apply.")
            )
        values = apply() or {}
        self._workflow_write(
            {
                **values,
                "state": "accepted",
                "auto_decided": auto,
                "date_decided": fields.Datetime.now(),
                "decided_uid": self.env.uid,
            }
        )
        self.dunning_id.sudo().message_post(
            body=_("Reply read: %(summary)s.", summary=self.summary),
            subtype_xmlid="mail.mt_note",
        )

    def _apply_promise(self):
        invoices = self._invoices()
        if not self.date:
            raise UserError(_("Set the day the customer promises to pay, then accept."))
        if not invoices:
            raise UserError(_("The reminder's invoices are paid: there is nothing to promise."))
        amount = self.amount or sum(invoices.mapped("amount_residual"))
        promise = (
            self.env["credit.payment.promise"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "move_ids": [(6, 0, invoices.ids)],
                    "amount": amount,
                    "currency_id": self.currency_id.id,
                    "date_made": fields.Date.context_today(self, self.date_received),
                    "date_promised": self.date,
                    "source": "reminder",
                    "dunning_id": self.dunning_id.id,
                    "note": self.text,
                }
            )
        )
        return {"promise_id": promise.id}

    def _apply_dispute(self):
        invoices = self._invoices()
        if not invoices:
            raise UserError(_("The reminder's invoices are paid: there is nothing to dispute."))
        reason = self.reason_id or self.env.ref(REASONS["other"])
        dispute = (
            self.env["credit.dispute"]
            .with_company(self.company_id)
            .create(
                {
                    "partner_id": self.partner_id.id,
                    "company_id": self.company_id.id,
                    "move_ids": [(6, 0, invoices.ids)],
                    "reason_id": reason.id,
                    "description": Markup("<p>%s</p>") % (self.text or ""),
                    "source": "reminder",
                    "dunning_id": self.dunning_id.id,
                }
            )
        )
        return {"dispute_id": dispute.id}

    def _apply_paid(self):
        note = _(
            "The customer says %(amount)s was paid on %(date)s: find the payment and reconcile it.",
            amount=format_amount(self.env, self.amount, self.currency_id)
            if self.amount
            else _("the balance"),
            date=format_date(self.env, self.date) if self.date else _("a day not given"),
        )
        files = self.sudo().attachment_ids
        if files:
            note += " " + _(
                "Attached to the reply: %(files)s.", files=", ".join(files.mapped("name"))
            )
        self._schedule(_("Find the payment of %(customer)s", customer=self.partner_id.name), note)

    def _apply_insolvency(self):
        self._schedule(
            _("Insolvency notice from %(customer)s", customer=self.partner_id.name),
            _("Declare the claim to the court's representative and stop the reminders."),
            user=self.company_id.credit_manager_id,
        )

    def _apply_other(self):
        self._schedule(
            _("Answer %(customer)s", customer=self.partner_id.name),
            self.text or "",
        )

    def _apply_copy(self):
        """Send the invoices' PDF to the customer, in the reminder's thread."""
        invoices = self._invoices()
        if not invoices:
            raise UserError(_("The reminder has no open invoice to send."))
        report = self.env["ir.actions.report"].sudo()
        attachments = self.env["ir.attachment"]
        for invoice in invoices:
            content, _type = report._render_qweb_pdf("account.account_invoices", invoice.ids)
            attachments |= (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"{invoice._get_report_base_filename()}.pdf",
                        "raw": content,
                        "res_model": self.dunning_id._name,
                        "res_id": self.dunning_id.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
        self.dunning_id.sudo().message_post(
            body=_("Please find attached the copy of the invoices you asked for."),
            partner_ids=self.partner_id.ids,
            attachment_ids=attachments.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def _schedule(self, summary, note, user=None):
        self.dunning_id.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.context_today(self),
            summary=summary,
            note=Markup("<p>%s</p>") % note,
            user_id=(user or self.user_id or self.env.user).id,
        )

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {
            "state",
            "confidence",
            "suggested_intent",
            "suggested_date",
            "suggested_amount",
            "automatic",
            "auto_decided",
            "date_decided",
            "decided_uid",
            "promise_id",
            "dispute_id",
            "is_corrected",
            "text",
            "email_from",
            "subject",
            "date_received",
        }

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(),
            state="new",
            auto_decided=False,
            date_decided=False,
            decided_uid=False,
            promise_id=False,
            dispute_id=False,
        )

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {
            "message_id",
            "dunning_id",
            "partner_id",
            "company_id",
            "currency_id",
        }

    @api.model
    def _workflow_linked_fields(self):
        return super()._workflow_linked_fields() | {"move_ids"}

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {
            "intent",
            "date",
            "amount",
            "move_ids",
            "reason_id",
        }

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state != "new"
