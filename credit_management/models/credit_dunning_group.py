"""Reminders to the head office of a group (centralised dunning): whose invoice is each line.

A reminder to a head office for its group, like one to a third-party payer, lists invoices of
other customers: the lines name their customer, and the emails and letters show it."""

from odoo import api
from odoo import fields
from odoo import models


class CreditDunningLine(models.Model):
    _inherit = "credit.dunning.line"

    customer_id = fields.Many2one(
        related="move_id.commercial_partner_id",
        string="Customer",
        help="Customer of the document (a member of the group on a reminder to its head office).",
    )


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    show_line_customer = fields.Boolean(
        string="Lists Other Customers",
        compute="_compute_show_line_customer",
        help="Some lines are documents of other customers than the addressee (its group "
        "members, or the customers it pays for).",
    )

    @api.depends("line_ids.move_id", "commercial_partner_id")
    def _compute_show_line_customer(self):
        for reminder in self:
            customers = reminder.line_ids.move_id.commercial_partner_id
            reminder.show_line_customer = bool(customers - reminder.commercial_partner_id)

    def _followup_context(self, source):
        # A dispute or a promise is one customer's: on a reminder listing several customers,
        # the addressee's own invoices (or the first customer's), the others done apart.
        context = super()._followup_context(source)
        moves = self.env["account.move"].browse(context["default_move_ids"])
        if len(moves.commercial_partner_id) > 1:
            customer = self.commercial_partner_id
            if customer not in moves.commercial_partner_id:
                customer = moves[:1].commercial_partner_id
            context["default_partner_id"] = customer.id
            context["default_move_ids"] = moves.filtered(
                lambda move: move.commercial_partner_id == customer
            ).ids
        return context
