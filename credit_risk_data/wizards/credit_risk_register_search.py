"""Search the company register from a customer (name or SIREN → candidates → fill)."""

from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditRiskRegisterSearch(models.TransientModel):
    _name = "credit.risk.register.search"
    _description = "Search the Company Register"

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    query = fields.Char(string="Name or SIREN", required=True)
    postcode = fields.Char()
    line_ids = fields.One2many(
        comodel_name="credit.risk.register.search.line",
        inverse_name="search_id",
        string="Candidates",
    )

    def action_search(self):
        self.ensure_one()
        if len((self.query or "").strip()) < 3:
            raise UserError(_("Type at least three characters of a name, or a SIREN."))
        provider = self.env["res.partner"]._credit_register_provider()
        candidates = provider._register_search(self.query.strip(), self.postcode or None)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(self._line_vals(candidate)) for candidate in candidates
        ]
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    @staticmethod
    def _line_vals(candidate):
        vals = dict(candidate)
        vals["company_active"] = vals.pop("active")
        return vals


class CreditRiskRegisterSearchLine(models.TransientModel):
    _name = "credit.risk.register.search.line"
    _description = "Company Register Candidate"

    search_id = fields.Many2one(
        comodel_name="credit.risk.register.search", required=True, ondelete="cascade"
    )
    siren = fields.Char(string="SIREN")
    siret = fields.Char(string="SIRET")
    name = fields.Char()
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    naf_code = fields.Char(string="NAF Code")
    legal_form = fields.Char()
    company_active = fields.Boolean(string="Active", default=True)

    def action_fill(self):
        """Fill the customer (or a new one) with this candidate."""
        self.ensure_one()
        partner = self.search_id.partner_id
        if not partner:
            partner = self.env["res.partner"].create({"name": self.name, "is_company": True})
        fnames = ("siren", "siret", "name", "street", "zip", "city", "naf_code", "legal_form")
        candidate = {fname: self[fname] for fname in fnames}
        partner._credit_register_apply(dict(candidate, active=self.company_active))
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": partner.id,
            "view_mode": "form",
        }
