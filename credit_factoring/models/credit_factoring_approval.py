"""A buyer approval (agrément): the limit the factor finances on one customer.

Approvals are kept as a history, like an insurer's decisions: the limit in force on a day is
the customer's latest decision dated that day or before (a refusal is a limit of 0). An
invoice that takes the customer's assigned total over it is assigned unapproved: the factor
does not finance it (``engine.amounts``).
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

APPROVAL_STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class CreditFactoringApproval(models.Model):
    _name = "credit.factoring.approval"
    _description = "Factoring Buyer Approval"
    _order = "date desc, id desc"
    _check_company_auto = True

    contract_id = fields.Many2one(
        comodel_name="credit.factoring.contract",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, precompute=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
    )
    amount = fields.Monetary(string="Approved Limit")
    date = fields.Date(required=True, default=fields.Date.context_today)
    state = fields.Selection(selection=APPROVAL_STATES, required=True, default="approved")
    reference = fields.Char(string="Factor's Reference")

    @api.constrains("amount", "partner_id")
    def _check_approval(self):
        for approval in self:
            if approval.currency_id.compare_amounts(approval.amount, 0) < 0:
                raise ValidationError(_("An approved limit cannot be negative."))
            if approval.partner_id != approval.partner_id.commercial_partner_id:
                raise ValidationError(
                    _(
                        "Approve the company %(company)s, not its contact.",
                        company=approval.partner_id.commercial_partner_id.display_name,
                    )
                )

    @api.depends("partner_id", "amount", "state")
    def _compute_display_name(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for approval in self:
            approval.display_name = (
                f"{approval.partner_id.name or ''} ({labels.get(approval.state, '')})"
            )
