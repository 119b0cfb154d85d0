from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_date


class CreditAgedBalanceAsOf(models.TransientModel):
    """Opens the aged balance as it stood at the end of a past day, by due or invoice date."""

    _name = "credit.aged.balance.as.of"
    _description = "Aged Balance as of a Date"

    date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="The balance as it stood at the end of this day: the items posted by then and "
        "not yet settled by the reconciliations dated by then.",
    )
    aging_basis = fields.Selection(
        selection=[("due", "Due Date"), ("invoice", "Invoice Date")],
        string="Aged by",
        required=True,
        default="due",
    )

    def action_open(self):
        self.ensure_one()
        if self.date > fields.Date.context_today(self):
            raise UserError(_("The aged balance cannot be taken as of a future date."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_aged_balance_action"
        )
        basis = dict(self._fields["aging_basis"]._description_selection(self.env))
        action["name"] = _(
            "Aged Balance as of %(date)s (by %(basis)s)",
            date=format_date(self.env, self.date),
            basis=basis[self.aging_basis].lower(),
        )
        action["context"] = {
            "credit_as_of": fields.Date.to_string(self.date),
            "credit_aging_basis": self.aging_basis,
        }
        action["target"] = "main"
        return action
