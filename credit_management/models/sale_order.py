"""The credit hold on sales orders.

How it works: ``action_confirm`` runs the credit check of the orders' customers; a blocked
order is refused (a sales user) or leads to the override wizard (a credit manager), whose
``_credit_confirm_overridden`` records the reason and confirms. The check is enforced where
an order becomes confirmed, ``write`` and ``create`` with ``state = 'sale'``, so that no RPC
call gets around it; orders cleared by the check or the override in this transaction are
kept in the cursor's cache (``CLEARED``, out of a client's reach, unlike the context) so
that the check runs once per confirmation. Only the superuser (an online payment confirming
its order) is not held back.
"""

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import formatLang

from .credit_field_rights import MANAGER
from .credit_field_rights import METHOD
from .credit_field_rights import check_field_rights

# The override trail is written by the override itself, never by hand.
FIELD_RIGHTS = dict.fromkeys(
    ("credit_override_reason", "credit_override_user_id", "credit_override_date"), METHOD
)
# Key of the cursor's cache holding the ids of the orders cleared in this transaction.
CLEARED = "credit_management.hold_cleared"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_credit_hold = fields.Boolean(
        related="partner_id.commercial_partner_id.credit_hold",
        string="Customer on Credit Hold",
    )
    credit_check_message = fields.Text(
        string="Credit Check",
        compute="_compute_credit_check",
        help="Why the customer is on credit hold, and the credit still available.",
    )
    credit_check_blocked = fields.Boolean(compute="_compute_credit_check")
    credit_override_reason = fields.Text(readonly=True, copy=False, tracking=True)
    credit_override_user_id = fields.Many2one(
        comodel_name="res.users", string="Credit Override By", readonly=True, copy=False
    )
    credit_override_date = fields.Datetime(string="Credit Override On", readonly=True, copy=False)

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id", "amount_total", "currency_id", "state")
    def _compute_credit_check(self):
        for order in self:
            order.credit_check_message = False
            order.credit_check_blocked = False
            if order.state not in ("draft", "sent") or not order.partner_id:
                continue
            check = order._credit_check_details()
            if not check["reasons"]:
                continue
            order.credit_check_blocked = check["blocked"]
            order.credit_check_message = order._credit_check_text(check)

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        for vals in vals_list:
            check_field_rights(self.browse(), vals, FIELD_RIGHTS)
        # An order created confirmed is confirmed by a write, where the hold is checked.
        confirmed = [vals.get("state") == "sale" for vals in vals_list]
        orders = super().create(
            [
                dict(vals, state="draft") if sale else vals
                for vals, sale in zip(vals_list, confirmed, strict=True)
            ]
        )
        to_confirm = self.browse(
            [order.id for order, sale in zip(orders, confirmed, strict=True) if sale]
        )
        if to_confirm:
            to_confirm.write({"state": "sale"})
        return orders

    def write(self, vals):
        if not self.env.su:
            check_field_rights(self, vals, FIELD_RIGHTS)
            if vals.get("state") == "sale":
                self._credit_check_hold()
                # Each confirmation is cleared anew: this one is done.
                res = super().write(vals)
                self._credit_cleared().difference_update(self.ids)
                return res
        return super().write(vals)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _credit_cleared(self):
        """Ids of the orders cleared by the credit check or an override in this
        transaction."""
        return self.env.cr.cache.setdefault(CLEARED, set())

    def _credit_check_hold(self):
        """Refuse to confirm the orders held by the credit check (not cleared yet)."""
        cleared = self._credit_cleared()
        for order in self:
            if order.id in cleared or order.state not in ("draft", "sent"):
                continue
            if not order.partner_id:
                continue
            check = order._credit_check_details()
            if check["blocked"]:
                raise UserError(order._credit_block_message(check))
            cleared.add(order.id)

    def _credit_amount_company_currency(self):
        """Amount of the order in the company currency, at the order's rate."""
        self.ensure_one()
        return self.amount_total / (self.currency_rate or 1.0)

    def _credit_check_details(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        return partner._credit_check_details(
            self._credit_amount_company_currency(), company=self.company_id
        )

    def _credit_check_text(self, check):
        """The reasons of the hold, then the figures a sales rep needs."""
        currency = check["company"].currency_id
        lines = [message for _code, message in check["reasons"]]
        if check["limit"] > 0:
            lines.append(
                _(
                    "Credit limit: %(limit)s. Exposure: %(exposure)s. This order: %(amount)s. "
                    "Available credit: %(available)s.",
                    limit=formatLang(self.env, check["limit"], currency_obj=currency),
                    exposure=formatLang(self.env, check["exposure"], currency_obj=currency),
                    amount=formatLang(self.env, check["amount"], currency_obj=currency),
                    available=formatLang(
                        self.env, max(check["available"], 0.0), currency_obj=currency
                    ),
                )
            )
        else:
            lines.append(
                _(
                    "No credit limit. Exposure: %(exposure)s. This order: %(amount)s.",
                    exposure=formatLang(self.env, check["exposure"], currency_obj=currency),
                    amount=formatLang(self.env, check["amount"], currency_obj=currency),
                )
            )
        return "\n".join(lines)

    def _credit_block_message(self, check):
        self.ensure_one()
        return _(
            "%(order)s cannot be confirmed: %(customer)s is on credit hold.\n%(details)s\n"
            "Ask a credit manager to override the hold.",
            order=self.name,
            customer=check["partner"].display_name,
            details=self._credit_check_text(check),
        )

    def _credit_collector(self):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id).sudo()
        return partner.dunning_responsible_id or self.company_id.credit_responsible_id

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_confirm(self):
        # System operations (an online payment confirming its order) are not held back.
        if self.env.su:
            return super().action_confirm()
        cleared = self._credit_cleared()
        checks = {
            order: order._credit_check_details()
            for order in self
            if order.state in ("draft", "sent") and order.partner_id and order.id not in cleared
        }
        blocked = self.browse([order.id for order, check in checks.items() if check["blocked"]])
        if blocked:
            if self.env.user.has_group(MANAGER):
                return blocked._action_open_credit_hold_override()
            raise UserError(blocked[0]._credit_block_message(checks[blocked[0]]))
        cleared.update(order.id for order in checks)
        res = super().action_confirm()
        for order, check in checks.items():
            if check["warning"]:
                order._credit_warn_confirmed(check)
        return res

    def _credit_warn_confirmed(self, check):
        """Warning mode: the order went through; tell the collector."""
        self.ensure_one()
        text = self._credit_check_text(check)
        self._message_log(
            body=Markup("<p>%s</p><p>%s</p>")
            % (_("Confirmed while the customer is on credit hold."), text),
        )
        collector = self._credit_collector()
        if collector:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=collector.id,
                summary=_("Order confirmed for a customer on credit hold"),
                note=text,
            )

    def _action_open_credit_hold_override(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Override the Credit Hold"),
            "res_model": "credit.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": [fields.Command.set(self.ids)]},
        }

    def action_credit_hold_override(self):
        """Button for credit managers on a blocked quotation."""
        return self._action_open_credit_hold_override()

    def _credit_confirm_overridden(self, reason):
        """Confirm held quotations for a credit manager, with the reason in their trail."""
        if not self.env.su and not self.env.user.has_group(MANAGER):
            raise AccessError(_("Only credit managers can override a credit hold."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for overriding the credit hold."))
        orders = self.filtered(lambda o: o.state in ("draft", "sent"))
        if not orders:
            raise UserError(_("There is no quotation left to confirm."))
        now = fields.Datetime.now()
        for order in orders:
            check = order._credit_check_details()
            body = Markup("<p><b>%s</b></p><p>%s</p><p>%s</p>") % (
                _("Credit hold overridden by %(user)s.", user=self.env.user.name),
                _("Reason: %(reason)s", reason=reason),
                order._credit_check_text(check) if check["reasons"] else "",
            )
            # sudo: the trail is the override's own, written after the manager check.
            order.sudo().write(
                {
                    "credit_override_reason": reason,
                    "credit_override_user_id": self.env.user.id,
                    "credit_override_date": now,
                }
            )
            # Logged notes: they need no sender email address, unlike message_post.
            order._message_log(body=body)
            order.partner_id.commercial_partner_id._message_log(
                body=Markup("<p>%s</p>") % _("Order %(order)s:", order=order.name) + body,
            )
        self._credit_cleared().update(orders.ids)
        return orders.action_confirm()
