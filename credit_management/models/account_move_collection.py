"""What the customer contests or promises on its invoices: disputes and payment promises."""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


# One concern of the invoice per file, as account splits its models.
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    dispute_ids = fields.Many2many(
        comodel_name="credit.dispute",
        relation="credit_dispute_account_move_rel",
        column1="move_id",
        column2="dispute_id",
        string="Disputes",
        copy=False,
        readonly=True,
    )
    promise_ids = fields.Many2many(
        comodel_name="credit.payment.promise",
        relation="credit_payment_promise_account_move_rel",
        column1="move_id",
        column2="promise_id",
        string="Payment Promises",
        copy=False,
        readonly=True,
    )
    in_dispute = fields.Boolean(
        compute="_compute_in_dispute",
        store=True,
        help="The customer contests this invoice (an open dispute): it is not reminded.",
    )

    @api.depends("dispute_ids.state")
    def _compute_in_dispute(self):
        for move in self:
            move.in_dispute = any(
                dispute.state in ("new", "in_progress") for dispute in move.dispute_ids
            )

    def action_open_dispute(self):
        """A new dispute on the selected invoices (one customer)."""
        return self._collection_form_action(
            "credit.dispute",
            _("New Dispute"),
            _("Select invoices of a single customer to open a dispute."),
        )

    def action_log_promise(self):
        """A payment promise on the selected invoices (one customer)."""
        return self._collection_form_action(
            "credit.payment.promise",
            _("New Payment Promise"),
            _("Select invoices of a single customer to log a promise."),
        )

    def _collection_form_action(self, model, name, single_customer_error):
        """The form of a new ``model`` record (dispute or promise) on these invoices."""
        partners = self.commercial_partner_id
        if len(partners) != 1:
            raise UserError(single_customer_error)
        return {
            "name": name,
            "type": "ir.actions.act_window",
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": partners.id,
                "default_company_id": self.company_id[:1].id,
                "default_move_ids": self.ids,
                "default_source": "invoice",
            },
        }

    def action_view_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_management.credit_dispute_action"
        )
        action["domain"] = [("move_ids", "in", self.ids)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
