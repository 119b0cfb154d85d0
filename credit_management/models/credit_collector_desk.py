from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from .. import compat


class CreditCollectorDesk(models.Model):
    """What a collector does today, with a count each: one screen, each count opens its list.

    One desk per user, created the first time the menu opens it; it only remembers the
    scope, the counts are computed when it is read. Collectors see their portfolio (what is
    assigned to them); credit managers may switch to everything.
    """

    _name = "credit.collector.desk"
    _description = "Collector's Desk"

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        default=lambda self: self.env.user,
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    scope = fields.Selection(
        selection=[("mine", "My portfolio"), ("all", "Everything")],
        default="mine",
        required=True,
    )
    is_manager = fields.Boolean(compute="_compute_is_manager")
    reminder_to_validate_count = fields.Integer(
        compute="_compute_counts", string="Reminders to Validate"
    )
    reminder_error_count = fields.Integer(compute="_compute_counts", string="Reminders in Error")
    call_count = fields.Integer(compute="_compute_counts", string="Calls Due")
    dispute_count = fields.Integer(compute="_compute_counts", string="Open Disputes")
    dispute_late_count = fields.Integer(compute="_compute_counts", string="Late Disputes")
    promise_due_count = fields.Integer(compute="_compute_counts", string="Promises Due Today")
    promise_broken_count = fields.Integer(compute="_compute_counts", string="Broken Promises")
    customer_overdue_count = fields.Integer(compute="_compute_counts", string="Customers Overdue")
    reply_count = fields.Integer(compute="_compute_counts", string="Replies to Read")
    currency_id = fields.Many2one(comodel_name="res.currency", compute="_compute_overdue_amount")
    overdue_amount = fields.Monetary(
        compute="_compute_overdue_amount",
        string="Overdue",
        help="Past due receivable of the customers of the desk, in the current company.",
    )

    onboarding_steps = fields.Json(
        compute="_compute_onboarding_steps",
        help="The first-run checklist of credit managers, until they hide it.",
    )

    _user_uniq = compat.Constraint(
        "UNIQUE (user_id)",
        "A user has one collector's desk.",
    )

    @api.depends("user_id", "scope")
    def _compute_display_name(self):
        for desk in self:
            desk.display_name = (
                _("Collector's Desk: everything")
                if desk.scope == "all" and desk.is_manager
                else _("Collector's Desk: %(collector)s", collector=desk.user_id.name)
            )

    @api.depends_context("uid")
    def _compute_is_manager(self):
        is_manager = self.env.user.has_group("credit_management.group_credit_manager")
        self.is_manager = is_manager

    @api.depends_context("uid", "company", "lang")
    def _compute_onboarding_steps(self):
        onboarding = self._desk_onboarding()
        steps = False
        if onboarding and not onboarding.is_onboarding_closed:
            steps = [
                {
                    "id": step.id,
                    "title": step.title,
                    "description": step.description,
                    "done": step.current_step_state in ("just_done", "done"),
                }
                for step in onboarding.step_ids
            ]
        self.onboarding_steps = steps

    @api.depends("scope", "user_id")
    @api.depends_context("date")
    def _compute_counts(self):
        for desk in self:
            for fname, (model, domain) in desk._desk_domains().items():
                desk[fname] = self.env[model].search_count(domain)

    @api.depends("scope", "user_id")
    @api.depends_context("date", "company")
    def _compute_overdue_amount(self):
        for desk in self:
            model, domain = desk._desk_domains()["customer_overdue_count"]
            [(total,)] = self.env[model]._read_group(domain, [], ["amount_overdue:sum"])
            desk.overdue_amount = total
            desk.currency_id = self.env.company.currency_id

    def _desk_onboarding(self):
        """The first-run checklist, for credit managers only (as the administrator's records:
        Odoo's onboarding models are not readable by users)."""
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            return None
        onboarding = self.env.ref(
            "credit_management.onboarding_onboarding_credit", raise_if_not_found=False
        )
        return onboarding and onboarding.sudo()

    def _desk_mine(self):
        self.ensure_one()
        return self.scope == "mine" or not self.is_manager

    def _desk_domains(self):
        """``{count field: (model, domain)}`` of the desk, in the user's scope."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        mine = self._desk_mine()
        user = [("user_id", "=", self.user_id.id)] if mine else []
        broken_since = fields.Date.subtract(today, days=30)
        return {
            "reminder_to_validate_count": (
                "credit.dunning",
                [("state", "=", "to_validate"), *user],
            ),
            "reminder_error_count": ("credit.dunning", [("state", "=", "error"), *user]),
            "call_count": (
                "mail.activity",
                [
                    ("res_model", "=", "credit.dunning"),
                    ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
                    ("date_deadline", "<=", today),
                    *user,
                ],
            ),
            "dispute_count": (
                "credit.dispute",
                [("state", "in", ("new", "in_progress")), *user],
            ),
            "dispute_late_count": ("credit.dispute", [("is_late", "=", True), *user]),
            "promise_due_count": (
                "credit.payment.promise",
                [("state", "=", "open"), ("date_promised", "<=", today), *user],
            ),
            "promise_broken_count": (
                "credit.payment.promise",
                [("state", "=", "broken"), ("date_closed", ">=", broken_since), *user],
            ),
            "reply_count": ("credit.reply", [("state", "=", "new"), *user]),
            "customer_overdue_count": (
                "credit.aged.balance",
                [
                    ("amount_overdue", ">", 0),
                    ("company_id", "=", self.env.company.id),
                    *user,
                ],
            ),
        }

    @api.model
    def action_open_desk(self):
        """The menu: the desk of the current user, created the first time."""
        desk = self.search([("user_id", "=", self.env.uid)], limit=1) or self.create({})
        return desk.action_refresh()

    def action_refresh(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "main",
            "name": self.display_name,
        }

    def action_open_worklist(self):
        """Today's worklist, ranked now, in the desk's scope."""
        self.ensure_one()
        return self.env["credit.worklist"]._worklist_open(mine=self._desk_mine())

    def action_open(self):
        """Open the list behind one count (the button's ``count_field`` in context)."""
        self.ensure_one()
        fname = self.env.context.get("count_field")
        model, domain = self._desk_domains()[fname]
        titles = {
            "reminder_to_validate_count": _("Reminders to Validate"),
            "reminder_error_count": _("Reminders in Error"),
            "call_count": _("Calls Due"),
            "dispute_count": _("Open Disputes"),
            "dispute_late_count": _("Late Disputes"),
            "promise_due_count": _("Promises Due Today"),
            "promise_broken_count": _("Broken Promises"),
            "customer_overdue_count": _("Customers Overdue"),
            "reply_count": _("Replies to Read"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[fname],
            "res_model": model,
            "domain": domain,
            # The aged balance has no form: its rows open their items.
            "views": [
                (False, "list"),
                (False, "pivot" if model == "credit.aged.balance" else "form"),
            ],
            "context": {"create": False},
            "target": "current",
        }

    def action_open_onboarding_step(self, step_id):
        """The screen of a step of the checklist (a step of this checklist only)."""
        self.ensure_one()
        onboarding = self._desk_onboarding()
        step = onboarding.step_ids.filtered(lambda s: s.id == step_id) if onboarding else None
        if not step:
            raise UserError(_("This step is not in the credit checklist."))
        # The step's opening action, built for the user (it reads what he may read).
        return getattr(self.env["onboarding.onboarding.step"], step.panel_step_open_action_name)()

    def action_close_onboarding(self):
        """Hide the checklist (for the company, as Odoo's onboarding panels)."""
        onboarding = self._desk_onboarding()
        if onboarding:
            onboarding._search_or_create_progress().action_close()
        return True
