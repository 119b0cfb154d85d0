"""Customer invoices assigned to a factor: their contract, batch and factoring state.

``factoring_state`` follows the invoice from its assignment to the cash: ``assigned`` once its
batch is sent to the factor, ``funded`` once the factor paid the advance, ``collected`` when the
factor's statement reports the customer's payment, ``returned`` when the factor hands it back
(recourse: the company collects it again, its dunning resumes from its level). The batch, its
statement and the dunning set them; nobody writes them directly.
"""

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_field_rights import METHOD
from odoo.addons.credit_management.models.credit_field_rights import check_field_rights

FACTORING_STATES = [
    ("none", "Not Factored"),
    ("assigned", "Assigned"),
    ("funded", "Funded"),
    ("collected", "Collected by the Factor"),
    ("returned", "Returned"),
]
# The factoring states in which the invoice is the factor's.
LIVE_STATES = ("assigned", "funded")
FIELD_RIGHTS = dict.fromkeys(
    (
        "factoring_contract_id",
        "factoring_batch_id",
        "factoring_state",
        "factoring_approved",
        "factoring_amount",
    ),
    METHOD,
)


class AccountMove(models.Model):
    _inherit = "account.move"

    factoring_contract_id = fields.Many2one(
        comodel_name="credit.factoring.contract",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    factoring_batch_id = fields.Many2one(
        comodel_name="credit.factoring.batch",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    factoring_state = fields.Selection(
        selection=FACTORING_STATES,
        string="Factoring",
        default="none",
        required=True,
        readonly=True,
        copy=False,
    )
    factoring_approved = fields.Boolean(
        string="Approved by the Factor",
        readonly=True,
        copy=False,
        help="Within the factor's approval of the customer when assigned: financed. An "
        "unapproved invoice is assigned without the factor's guarantee.",
    )
    factoring_amount = fields.Monetary(
        string="Amount Assigned", readonly=True, copy=False, currency_field="currency_id"
    )
    factoring_collected_by_factor = fields.Boolean(
        string="Collected by the Factor",
        compute="_compute_factoring_collected_by_factor",
        help="The factor collects this invoice: the company sends it no reminder.",
    )

    factoring_dunning_note = fields.Char(
        string="Factoring Mark",
        compute="_compute_factoring_dunning_note",
        help="How the dunning treats this invoice under its factoring contract: not reminded "
        "(the factor collects it), or reminded and to be paid to the factor.",
    )

    @api.depends("factoring_state", "factoring_contract_id.collected_by")
    def _compute_factoring_collected_by_factor(self):
        for move in self:
            move.factoring_collected_by_factor = (
                move.factoring_state in LIVE_STATES
                and move.factoring_contract_id.collected_by == "factor"
            )

    @api.depends(
        "factoring_state",
        "factoring_contract_id.kind",
        "factoring_contract_id.collected_by",
        "factoring_contract_id.factor_id",
        "dunning_level_id",
    )
    def _compute_factoring_dunning_note(self):
        paid = self._factoring_paid_to_factor_moves()
        for move in self:
            contract = move.factoring_contract_id
            move.factoring_dunning_note = contract._factoring_dunning_note(
                collected=move.factoring_collected_by_factor, paid=move in paid
            )

    def _credit_check_field_rights(self, vals):
        result = super()._credit_check_field_rights(vals)
        check_field_rights(self, vals, FIELD_RIGHTS)
        return result

    def _factoring_paid_to_factor_moves(self, levels=None):
        """The invoices of ``self`` the customer is to pay to the factor (its bank account and
        the subrogation mention instead of the company's): those of a notified contract, and
        those of a semi-confidential contract once reminded at the level from which the
        contract notifies (``levels``: ``{move id: level}`` of a reminder's lines, beside each
        invoice's own dunning level). Read at once for all of ``self`` (nothing when already
        in cache: the callers prefetch a whole batch, ``credit.dunning._factoring_prefetch``).
        """
        self.fetch(["factoring_state", "factoring_contract_id", "dunning_level_id"])
        live = self.filtered(lambda m: m.factoring_state in LIVE_STATES and m.factoring_contract_id)
        live.factoring_contract_id.fetch(["kind", "notify_level_id"])
        levels = levels or {}
        return live.filtered(
            lambda m: m.factoring_contract_id._factoring_notifies_at(
                levels.get(m.id), m.dunning_level_id
            )
        )

    def _factoring_notified_contract(self):
        """The contract this invoice is to be paid under (the factor's bank account and the
        subrogation mention), or an empty recordset."""
        self.ensure_one()
        return self._factoring_paid_to_factor_moves().factoring_contract_id

    def _factoring_set_state(self, state):
        """The factoring state of these invoices, set by their batch and statements."""
        self.sudo().write({"factoring_state": state})
