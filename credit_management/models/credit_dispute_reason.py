from odoo import fields
from odoo import models

from .. import compat


class CreditDisputeReason(models.Model):
    _name = "credit.dispute.reason"
    _description = "Dispute Reason"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        help="Leave empty to use this reason in every company.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Default Responsible",
        help="Who handles the disputes of this reason, unless another responsible is chosen; "
        "empty: the customer's collector.",
    )
    resolution_days = fields.Integer(
        string="Target Resolution (days)",
        default=15,
        help="Days from the opening of a dispute to its target resolution date.",
    )
    description = fields.Text(translate=True)

    _resolution_days_positive = compat.Constraint(
        "CHECK (resolution_days >= 0)",
        "The target resolution time of a dispute reason cannot be negative.",
    )
