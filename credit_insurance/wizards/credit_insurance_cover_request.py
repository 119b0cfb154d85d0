from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditInsuranceCoverRequest(models.TransientModel):
    _name = "credit.insurance.cover.request"
    _description = "Request a Credit Insurance Cover"

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", required=True)
    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy",
        required=True,
        domain="[('state', '=', 'active'), ('company_id', '=', company_id)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="policy_id.currency_id")
    amount = fields.Monetary(string="Amount to Request", required=True)
    buyer_ref = fields.Char(string="Insurer's Buyer Id")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partner = self.env["res.partner"].browse(
            values.get("partner_id") or self.env.context.get("active_id")
        )
        if partner:
            partner = partner.commercial_partner_id
            values["partner_id"] = partner.id
            policy = self.env["credit.insurance.policy"]._get_active(self.env.company)
            if policy:
                values.setdefault("policy_id", policy.id)
                cover = self._existing_cover(partner, policy)
                values.setdefault("buyer_ref", cover.buyer_ref)
        return values

    def _existing_cover(self, partner, policy):
        return self.env["credit.insurance.cover"].search(
            [("policy_id", "=", policy.id), ("partner_id", "=", partner.id)], limit=1
        )

    def action_request(self):
        self.ensure_one()
        if self.amount <= 0:
            raise UserError(_("The amount to request must be positive."))
        partner = self.partner_id.commercial_partner_id
        cover = self._existing_cover(partner, self.policy_id)
        vals = {"amount_requested": self.amount}
        if self.buyer_ref:
            vals["buyer_ref"] = self.buyer_ref
        if cover:
            cover.write(vals)
        else:
            cover = self.env["credit.insurance.cover"].create(
                dict(vals, policy_id=self.policy_id.id, partner_id=partner.id)
            )
        cover.action_request()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.insurance.cover",
            "res_id": cover.id,
            "view_mode": "form",
        }
