"""Search a customer in the insurer's register of companies and keep the insurer's buyer id.

Opened from the customer (``res.partner.action_insurance_search_buyer``): the customer's
identifiers are checked first (python-stdnum), then the policy's provider is asked once
(``_insurer_search_buyer``) and its candidates are listed; choosing one stores its buyer id on
the customer's cover under the policy (a draft cover when there is none yet).
"""

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models

IDENTIFIER_TYPES = [("SIRET", "SIRET"), ("SIREN", "SIREN"), ("VAT", "VAT")]


class CreditInsuranceBuyerSearch(models.TransientModel):
    _name = "credit.insurance.buyer.search"
    _description = "Search a Buyer at the Credit Insurer"

    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True, readonly=True
    )
    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy", required=True, readonly=True
    )
    insurer_id = fields.Many2one(related="policy_id.insurer_id")
    identifiers = fields.Char(
        string="Searched With", readonly=True, help="The customer's checked identifiers."
    )
    line_ids = fields.One2many(
        comodel_name="credit.insurance.buyer.search.line",
        inverse_name="search_id",
        string="Candidates",
        readonly=True,
    )
    current_buyer_ref = fields.Char(
        string="Current Buyer Id",
        readonly=True,
        help="The buyer id already kept on the customer's cover under this policy.",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _open_for(self, partner, policy):
        """Run the search of ``partner`` at ``policy``'s insurer and open its result."""
        partner = partner.commercial_partner_id
        identifiers = partner._insurance_buyer_identifiers()
        cover = self._existing_cover(partner, policy)
        wizard = self.create(
            {
                "partner_id": partner.id,
                "policy_id": policy.id,
                "identifiers": ", ".join(f"{code} {value}" for code, value in identifiers),
                "current_buyer_ref": cover.buyer_ref,
            }
        )
        # The provider may read the policy's credentials, readable by administrators only.
        candidates = policy.sudo()._insurer_search_buyer(partner)
        wizard.line_ids = [
            fields.Command.create(wizard._prepare_line_vals(candidate))
            for candidate in candidates or []
        ]
        return {
            "type": "ir.actions.act_window",
            "name": _("Search the Buyer at the Insurer"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @api.model
    def _existing_cover(self, partner, policy):
        return self.env["credit.insurance.cover"].search(
            [("policy_id", "=", policy.id), ("partner_id", "=", partner.id)], limit=1
        )

    def _prepare_line_vals(self, candidate):
        """Line values of one candidate of the provider (see ``_insurer_search_buyer``)."""
        identifier_type = candidate.get("identifier_type") or False
        if identifier_type not in dict(IDENTIFIER_TYPES):
            identifier_type = False
        return {
            "buyer_ref": candidate.get("buyer_ref") or "",
            "name": candidate.get("name") or "",
            "street": candidate.get("street") or "",
            "zip": candidate.get("zip") or "",
            "city": candidate.get("city") or "",
            "country_code": candidate.get("country_code") or "",
            "identifier_type": identifier_type,
            "identifier": candidate.get("identifier") or "",
        }


class CreditInsuranceBuyerSearchLine(models.TransientModel):
    _name = "credit.insurance.buyer.search.line"
    _description = "Buyer Found at the Credit Insurer"
    _order = "id"

    search_id = fields.Many2one(
        comodel_name="credit.insurance.buyer.search", required=True, ondelete="cascade"
    )
    buyer_ref = fields.Char(string="Insurer's Buyer Id", required=True)
    name = fields.Char(string="Company")
    street = fields.Char()
    zip = fields.Char()
    city = fields.Char()
    country_code = fields.Char(string="Country")
    address = fields.Char(compute="_compute_address")
    identifier_type = fields.Selection(selection=IDENTIFIER_TYPES)
    identifier = fields.Char()

    @api.depends("street", "zip", "city", "country_code")
    def _compute_address(self):
        for line in self:
            town = " ".join(part for part in (line.zip, line.city) if part)
            line.address = ", ".join(
                part for part in (line.street, town, line.country_code) if part
            )

    def action_choose(self):
        """Keep this candidate's buyer id on the customer's cover under the policy."""
        self.ensure_one()
        search = self.search_id
        partner, policy = search.partner_id, search.policy_id
        cover = search._existing_cover(partner, policy)
        previous = cover.buyer_ref
        if cover:
            cover.buyer_ref = self.buyer_ref
        else:
            cover = self.env["credit.insurance.cover"].create(
                {"policy_id": policy.id, "partner_id": partner.id, "buyer_ref": self.buyer_ref}
            )
        identifier = " ".join(
            part for part in (self.identifier_type or "", self.identifier) if part
        )
        body = _(
            "Buyer id %(buyer_ref)s kept for the policy %(policy)s, found at %(insurer)s as "
            "%(name)s (%(identifier)s).",
            buyer_ref=self.buyer_ref,
            policy=policy.name,
            insurer=policy.insurer_id.display_name,
            name=self.name or "",
            identifier=identifier or "-",
        )
        if previous and previous != self.buyer_ref:
            body = Markup("%s<br/>%s") % (
                body,
                _("It replaces the buyer id %(previous)s.", previous=previous),
            )
        partner.message_post(body=body)
        cover.message_post(body=body)
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.insurance.cover",
            "res_id": cover.id,
            "view_mode": "form",
        }
