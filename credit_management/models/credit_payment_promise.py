from datetime import timedelta

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import format_amount


class CreditPaymentPromise(models.Model):
    _name = "credit.payment.promise"
    _description = "Payment Promise"
    _inherit = [
        "credit.invoices.mixin",
        "credit.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_promised desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["partner_id", "move_ids"]

    move_ids = fields.Many2many(
        relation="credit_payment_promise_account_move_rel",
        column1="promise_id",
        column2="move_id",
        domain="[('commercial_partner_id', '=', partner_id), ('state', '=', 'posted'), "
        "('move_type', 'in', ('out_invoice', 'out_receipt')), "
        "('payment_state', 'not in', ('paid', 'in_payment', 'reversed'))]",
    )
    amount = fields.Monetary(
        string="Promised Amount",
        help="What the customer promised to pay; by default the balance of the invoices.",
    )
    date_made = fields.Date(
        string="Promised On",
        required=True,
        default=fields.Date.context_today,
        help="Payments on the invoices from this day on count for the promise.",
    )
    date_promised = fields.Date(
        string="Payment Date", required=True, tracking=True, help="Day the customer will pay."
    )
    date_grace = fields.Date(
        string="Grace Until",
        compute="_compute_date_grace",
        store=True,
        help="Reminders of the invoices are suspended until this day; the promise is broken "
        "if the amount is not paid by then.",
    )
    state = fields.Selection(
        selection=[
            ("open", "Open"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    amount_paid = fields.Monetary(
        string="Paid Since",
        readonly=True,
        copy=False,
        help="Payments and credit notes reconciled with the invoices since the promise, at "
        "the last evaluation.",
    )
    date_closed = fields.Date(string="Closed On", readonly=True, copy=False)
    source = fields.Selection(
        selection=[
            ("customer", "Customer"),
            ("invoice", "Invoice"),
            ("reminder", "Reminder"),
            ("call", "Phone Call"),
            ("portal", "Customer Portal"),
        ],
        default="customer",
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Collector",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    dunning_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Reminder",
        readonly=True,
        check_company=True,
        help="Reminder the promise answers.",
    )
    note = fields.Text()

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "move_ids", "amount", "date_promised", "state")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = _(
                "%(customer)s: %(amount)s on %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=format_amount(self.env, promise.amount, promise.currency_id)
                if promise.currency_id
                else "",
                date=promise.date_promised or "",
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        for promise in self:
            partner = promise.partner_id.with_company(promise.company_id)
            promise.user_id = (
                partner.dunning_responsible_id
                or promise.company_id.credit_responsible_id
                or promise.user_id
                or self.env.user
            )

    @api.depends("date_promised", "company_id.credit_promise_grace_days")
    def _compute_date_grace(self):
        for promise in self:
            promise.date_grace = promise.date_promised and promise.date_promised + timedelta(
                days=promise.company_id.credit_promise_grace_days
            )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("move_ids", "partner_id", "amount", "date_promised", "date_made")
    def _check_promise(self):
        for promise in self:
            others = promise._credit_foreign_invoices()
            if others:
                raise ValidationError(
                    _(
                        "The invoices %(invoices)s are not invoices of %(customer)s.",
                        invoices=", ".join(others.mapped("name")),
                        customer=promise.partner_id.display_name,
                    )
                )
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(_("A payment promise is for an amount above zero."))
            if promise.date_promised < promise.date_made:
                raise ValidationError(
                    _("The payment date of a promise cannot be before the day it was made.")
                )

    @api.constrains("date_promised", "date_made")
    def _check_dates(self):
        """A promise is made by today, for a payment within the company's longest delay: the
        portal, the screens and the API meet the same rule."""
        for promise in self:
            if promise.date_made > fields.Date.context_today(promise):
                raise ValidationError(_("A payment promise cannot be made in the future."))
            latest = self._promise_latest_date(promise.company_id, promise.date_made)
            if promise.date_promised > latest:
                raise ValidationError(
                    _(
                        "A payment can be promised at most %(days)s days after the promise "
                        "is made (%(date)s at the latest).",
                        days=promise.company_id.credit_promise_max_days,
                        date=latest,
                    )
                )

    @api.constrains("move_ids")
    def _check_invoices(self):
        for promise in self:
            wrong = promise.move_ids.filtered(
                lambda move: (
                    move.state != "posted" or move.move_type not in ("out_invoice", "out_receipt")
                )
            )
            if wrong:
                raise ValidationError(
                    _(
                        "A payment promise is for posted customer invoices: not %(invoices)s.",
                        invoices=", ".join(wrong.mapped("display_name")),
                    )
                )
            paid = promise.move_ids.filtered(
                lambda move: move.payment_state in ("paid", "in_payment", "reversed")
            )
            if paid and promise.state == "open":
                raise ValidationError(
                    _(
                        "The invoices %(invoices)s are paid: there is nothing to promise.",
                        invoices=", ".join(paid.mapped("name")),
                    )
                )

    @api.model
    def _promise_latest_date(self, company, date_made):
        """The latest payment date of a promise of ``company`` made on ``date_made``."""
        return date_made + timedelta(days=company.credit_promise_max_days)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            promise.move_ids.sudo()._message_log_batch(
                bodies=dict.fromkeys(
                    promise.move_ids.ids,
                    _(
                        "Payment promise: %(amount)s on %(date)s; reminders suspended until "
                        "%(grace)s.",
                        amount=format_amount(self.env, promise.amount, promise.currency_id),
                        date=promise.date_promised,
                        grace=promise.date_grace,
                    ),
                )
            )
        return promises

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_cancel(self):
        self._workflow_check()
        if self.filtered(lambda p: p.state != "open"):
            raise UserError(_("Only open promises can be cancelled."))
        self._workflow_write({"state": "cancelled", "date_closed": fields.Date.context_today(self)})

    def action_evaluate(self):
        self._workflow_check()
        self._promise_evaluate()

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {
            "state",
            "amount_paid",
            "date_closed",
            "date_grace",
        }

    @api.model
    def _workflow_initial_values(self):
        return dict(
            super()._workflow_initial_values(), state="open", amount_paid=0.0, date_closed=False
        )

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {
            "partner_id",
            "company_id",
            "date_made",
            "source",
            "dunning_id",
        }

    @api.model
    def _workflow_linked_fields(self):
        return super()._workflow_linked_fields() | {"move_ids"}

    @api.model
    def _workflow_closed_fields(self):
        return super()._workflow_closed_fields() | {"move_ids", "amount", "date_promised"}

    def _workflow_is_closed(self):
        self.ensure_one()
        return self.state != "open"

    # ------------------------------------------------------------
    # EVALUATION
    # ------------------------------------------------------------

    def _promise_paid(self):
        """Payments and credits reconciled with the promises' invoices since each promise was
        made: ``{promise id: amount in the promise's currency}``, in one query."""
        if not self:
            return {}
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id,
                       SUM(CASE WHEN l.currency_id = p.currency_id
                                THEN apr.debit_amount_currency ELSE apr.amount END)
                  FROM credit_payment_promise p
                  JOIN credit_payment_promise_account_move_rel r ON r.promise_id = p.id
                  JOIN account_move_line l ON l.move_id = r.move_id
                  JOIN account_account a ON a.id = l.account_id
                                        AND a.account_type = 'asset_receivable'
                  JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                 WHERE p.id = ANY(%s) AND apr.max_date >= p.date_made
                 GROUP BY p.id
                """,
                self.ids,
            )
        )
        return dict(rows)

    def _promise_evaluate(self, date=None):
        """Kept when the payments since the promise reach the amount (or the company's share
        of it); broken when they do not by the end of the grace period."""
        date = date or fields.Date.context_today(self)
        promises = self.filtered(lambda p: p.state == "open")
        paid = promises._promise_paid()
        kept, broken = self.browse(), self.browse()
        for promise in promises:
            amount_paid = paid.get(promise.id, 0.0)
            if promise.currency_id.compare_amounts(amount_paid, promise.amount_paid):
                promise._workflow_write({"amount_paid": amount_paid})
            if promise._promise_is_kept(amount_paid):
                kept |= promise
            elif date > promise.date_grace:
                broken |= promise
        kept._workflow_write({"state": "kept", "date_closed": date})
        broken._workflow_write({"state": "broken", "date_closed": date})
        broken._promise_notify_broken()
        return kept, broken

    def _promise_is_kept(self, amount_paid):
        self.ensure_one()
        company = self.company_id
        needed = self.amount
        if company.credit_promise_partial_rule == "share":
            needed = self.amount * company.credit_promise_kept_share / 100
        return self.currency_id.compare_amounts(amount_paid, needed) >= 0

    def _promise_notify_broken(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        for promise in self.sudo():
            promise.activity_schedule(
                activity_type_id=todo.id,
                user_id=promise.user_id.id or self.env.user.id,
                date_deadline=fields.Date.context_today(promise),
                summary=_("Broken promise of %(customer)s", customer=promise.partner_id.name),
                note=Markup("<p>%s</p>")
                % _(
                    "%(amount)s promised for %(date)s, %(paid)s paid: reminders resume at "
                    "the next level.",
                    amount=format_amount(self.env, promise.amount, promise.currency_id),
                    date=promise.date_promised,
                    paid=format_amount(self.env, promise.amount_paid, promise.currency_id),
                ),
            )

    @api.model
    def _cron_evaluate(self):
        """Daily: every open promise of every company."""
        promises = self.sudo().search([("state", "=", "open")])  # pylint: disable=no-search-all
        for company, company_promises in promises.grouped("company_id").items():
            # The activities of broken promises in the language of the company's users.
            company._credit_in_users_lang(
                company_promises.with_company(company)
            )._promise_evaluate()

    @api.model
    def _promise_suspensions(self, company, date):
        """Invoices of ``company`` under an open promise on ``date``: ``{move id: the day
        their reminders resume}``."""
        self.env["credit.payment.promise"].flush_model(["state", "date_grace", "company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT r.move_id, MAX(p.date_grace)
                  FROM credit_payment_promise p
                  JOIN credit_payment_promise_account_move_rel r ON r.promise_id = p.id
                 WHERE p.company_id = %s AND p.state = 'open' AND p.date_grace >= %s
                 GROUP BY r.move_id
                """,
                company.id,
                date,
            )
        )
        return {move_id: day + timedelta(days=1) for move_id, day in rows}
