from datetime import timedelta

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

OPEN_STATES = ("new", "in_progress")


class CreditDispute(models.Model):
    _name = "credit.dispute"
    _description = "Invoice Dispute"
    _inherit = [
        "credit.invoices.mixin",
        "credit.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_opened desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, default="/", copy=False)
    move_ids = fields.Many2many(
        relation="credit_dispute_account_move_rel",
        column1="dispute_id",
        column2="move_id",
        domain="[('commercial_partner_id', '=', partner_id), ('state', '=', 'posted'), "
        "('move_type', 'in', ('out_invoice', 'out_receipt'))]",
    )
    amount = fields.Monetary(
        string="Disputed Amount",
        help="Part of the invoices the customer contests; by default their balance.",
    )
    reason_id = fields.Many2one(
        comodel_name="credit.dispute.reason",
        required=True,
        tracking=True,
        check_company=True,
    )
    description = fields.Html(string="Customer's Message")
    state = fields.Selection(
        selection=[
            ("new", "New"),
            ("in_progress", "In Progress"),
            ("resolved", "Resolved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    date_opened = fields.Date(
        string="Opened On", required=True, default=fields.Date.context_today, copy=False
    )
    date_deadline = fields.Date(
        string="Target Resolution",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    date_resolved = fields.Date(string="Closed On", readonly=True, copy=False)
    is_late = fields.Boolean(string="Late", compute="_compute_is_late", search="_search_is_late")
    deadline_notified = fields.Boolean(readonly=True, copy=False)
    refund_move_id = fields.Many2one(
        comodel_name="account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        check_company=True,
    )
    rejection_reason = fields.Text(readonly=True, copy=False, tracking=True)
    source = fields.Selection(
        selection=[
            ("invoice", "Invoice"),
            ("customer", "Customer"),
            ("reminder", "Reminder"),
            ("portal", "Customer Portal"),
        ],
        default="invoice",
        required=True,
        readonly=True,
    )
    dunning_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Reminder",
        readonly=True,
        check_company=True,
        help="Reminder the dispute was raised from.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("reason_id", "partner_id")
    def _compute_user_id(self):
        for dispute in self:
            partner = dispute.partner_id.with_company(dispute.company_id)
            dispute.user_id = (
                dispute.reason_id.user_id
                or partner.dunning_responsible_id
                or dispute.company_id.credit_responsible_id
                or dispute.user_id
            )

    @api.depends("reason_id", "date_opened")
    def _compute_date_deadline(self):
        for dispute in self:
            dispute.date_deadline = dispute.date_opened and dispute.date_opened + timedelta(
                days=dispute.reason_id.resolution_days
            )

    @api.depends("state", "date_deadline")
    @api.depends_context("date")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for dispute in self:
            dispute.is_late = bool(
                dispute.state in OPEN_STATES
                and dispute.date_deadline
                and dispute.date_deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported."))
        late = [
            ("state", "in", OPEN_STATES),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        return late if (operator == "=") == value else ["!", "&", *late]

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("move_ids", "partner_id")
    def _check_moves(self):
        for dispute in self:
            others = dispute._credit_foreign_invoices()
            if others:
                raise ValidationError(
                    _(
                        "Dispute %(name)s: the invoices %(invoices)s are not invoices of "
                        "%(customer)s.",
                        name=dispute.name,
                        invoices=", ".join(others.mapped("name")),
                        customer=dispute.partner_id.display_name,
                    )
                )
            if dispute.move_ids.filtered(
                lambda m: m.move_type not in ("out_invoice", "out_receipt") or m.state != "posted"
            ):
                raise ValidationError(_("Only posted customer invoices can be disputed."))

    @api.constrains("date_opened")
    def _check_date_opened(self):
        for dispute in self:
            if dispute.date_opened > fields.Date.context_today(dispute):
                raise ValidationError(_("A dispute cannot be opened in the future."))

    @api.constrains("amount")
    def _check_amount(self):
        for dispute in self:
            if dispute.currency_id.compare_amounts(dispute.amount, 0) < 0:
                raise ValidationError(_("The disputed amount cannot be negative."))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # The reference comes from the sequence unless a credit manager brings one in.
        may_name = self._workflow_may_set()
        for vals in vals_list:
            if not may_name or vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "credit.dispute", sequence_date=vals.get("date_opened")
                ) or _("Dispute")
        disputes = super().create(vals_list)
        disputes._dispute_assign()
        disputes._dispute_log_on_invoices(
            _("Dispute %(name)s opened (%(reason)s): reminders stop.")
        )
        return disputes

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_start(self):
        self._dispute_check_state(("new",), _("start"))
        self._workflow_write({"state": "in_progress"})

    def action_resolve(self):
        """Resolve with a credit note: Odoo's reversal wizard on the disputed invoices."""
        self.ensure_one()
        self._dispute_check_state(OPEN_STATES, _("resolve"))
        if not self.move_ids:
            raise UserError(
                _("Dispute %(name)s has no invoice to credit: reject or cancel it.", name=self.name)
            )
        return {
            "name": _("Credit Note"),
            "type": "ir.actions.act_window",
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": self.move_ids.ids,
                "default_credit_dispute_id": self.id,
                "default_reason": _(
                    "Dispute %(name)s: %(reason)s", name=self.name, reason=self.reason_id.name
                ),
            },
        }

    def action_reject(self):
        self.ensure_one()
        self._dispute_check_state(OPEN_STATES, _("reject"))
        return {
            "name": _("Reject the Dispute"),
            "type": "ir.actions.act_window",
            "res_model": "credit.dispute.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_id": self.id},
        }

    def action_cancel(self):
        self._dispute_check_state(OPEN_STATES, _("cancel"))
        self._workflow_write(
            {"state": "cancelled", "date_resolved": fields.Date.context_today(self)}
        )
        self._dispute_close_activities()
        self._dispute_log_on_invoices(_("Dispute %(name)s cancelled: reminders resume."))

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update({"domain": [("id", "in", self.move_ids.ids)], "context": {"create": False}})
        return action

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {
            "state",
            "date_resolved",
            "refund_move_id",
            "rejection_reason",
            "deadline_notified",
        }

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(),
            state="new",
            date_resolved=False,
            refund_move_id=False,
            rejection_reason=False,
            deadline_notified=False,
        )

    @api.model
    def _workflow_fixed_fields(self):
        # The reference too: from the sequence at creation (``create``), unless a credit
        # manager brings one in.
        return super()._workflow_fixed_fields() | {
            "name",
            "partner_id",
            "company_id",
            "date_opened",
            "source",
            "dunning_id",
        }

    @api.model
    def _workflow_linked_fields(self):
        return super()._workflow_linked_fields() | {"move_ids"}

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {
            "move_ids",
            "amount",
            "reason_id",
            "user_id",
            "date_deadline",
        }

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state not in OPEN_STATES

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _dispute_check_state(self, states, verb):
        self._workflow_check()
        wrong = self.filtered(lambda d: d.state not in states)
        if wrong:
            raise UserError(
                _(
                    "You cannot %(verb)s dispute %(name)s: it is %(state)s.",
                    verb=verb,
                    name=wrong[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        wrong[0].state
                    ],
                )
            )

    def _dispute_resolved(self, refunds):
        """The credit notes of the reversal wizard resolve the dispute."""
        self.ensure_one()
        self._dispute_check_state(OPEN_STATES, _("resolve"))
        self._workflow_write(
            {
                "state": "resolved",
                "refund_move_id": refunds[:1].id,
                "date_resolved": fields.Date.context_today(self),
            }
        )
        self._dispute_close_activities()
        self._dispute_log_on_invoices(_("Dispute %(name)s resolved with a credit note."))

    def _dispute_rejected(self, reason):
        self.ensure_one()
        self._dispute_check_state(OPEN_STATES, _("reject"))
        if not (reason or "").strip():
            raise UserError(_("Say why the dispute is rejected: the customer will ask."))
        self._workflow_write(
            {
                "state": "rejected",
                "rejection_reason": reason,
                "date_resolved": fields.Date.context_today(self),
            }
        )
        self._dispute_close_activities()
        self._dispute_log_on_invoices(_("Dispute %(name)s rejected: reminders resume."))

    def _dispute_assign(self):
        """A to-do for the responsible of each new dispute, due on its target date."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        # The activity is the responsible's, whoever opened the dispute (a salesperson).
        for dispute in self.sudo().filtered("user_id"):
            dispute.activity_schedule(
                activity_type_id=todo.id,
                user_id=dispute.user_id.id,
                date_deadline=dispute.date_deadline or fields.Date.context_today(dispute),
                summary=_("Handle dispute %(name)s", name=dispute.name),
                note=Markup("<p>%s</p>")
                % _(
                    "%(customer)s contests %(invoices)s (%(reason)s).",
                    customer=dispute.partner_id.display_name,
                    invoices=", ".join(dispute.move_ids.mapped("name")) or _("no invoice"),
                    reason=dispute.reason_id.name,
                ),
            )

    def _dispute_close_activities(self):
        self.sudo().activity_ids.action_feedback(feedback=_("Dispute closed."))

    def _dispute_log_on_invoices(self, message):
        """A note in the chatter of the disputed invoices (``message`` with the name and
        reason of the dispute)."""
        for dispute in self:
            body = message % {"name": dispute.name, "reason": dispute.reason_id.name}
            # Whoever may open a dispute on invoices he reads leaves a note on them.
            dispute.move_ids.sudo()._message_log_batch(
                bodies=dict.fromkeys(dispute.move_ids.ids, body)
            )

    @api.model
    def _cron_check_deadlines(self):
        """Disputes past their target date: an activity for the credit manager, once."""
        late = self.sudo().search([("is_late", "=", True), ("deadline_notified", "=", False)])
        for company, disputes in late.grouped("company_id").items():
            # The activities in the language of the company's users.
            company._credit_in_users_lang(disputes)._dispute_notify_late()
        late._workflow_write({"deadline_notified": True})

    def _dispute_notify_late(self):
        """An activity for the credit manager (else the responsible) of each late dispute."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        for dispute in self:
            manager = dispute.company_id.credit_manager_id or dispute.user_id
            if manager:
                dispute.activity_schedule(
                    activity_type_id=todo.id,
                    user_id=manager.id,
                    date_deadline=fields.Date.context_today(dispute),
                    summary=_("Dispute %(name)s is late", name=dispute.name),
                    note=Markup("<p>%s</p>")
                    % _(
                        "Target resolution date %(date)s passed; responsible: %(user)s.",
                        date=dispute.date_deadline,
                        user=dispute.user_id.name or _("nobody"),
                    ),
                )
