"""The demo provider: an offline insurer that decides by a fixed, documented rule.

On each fetch it decides every cover of the policy whose request is pending:

- **refused** when the customer has an invoice overdue by more than
  ``DEMO_REFUSE_OVERDUE_DAYS`` days (60);
- **granted** in full when the amount requested is at most ``DEMO_FULL_LIMIT`` (50,000 in the
  policy's currency);
- **partial** above it: ``DEMO_FULL_LIMIT`` is granted.

Decisions are dated on the day of the fetch, referenced ``DEMO-<cover>-<n>``. Overdue
invoices are declared as with the manual provider (a CSV export).

Its register of companies (buyer search) holds every French company and only those: a
customer is found by its SIREN (or the SIREN of its SIRET, or of its French VAT number), as
one candidate whose buyer id is ``DEMO-<siren>``, with the customer's own name and address
and its most precise identifier. A customer known only by a foreign VAT number is not found.
"""

from stdnum.fr import tva

from odoo import fields
from odoo import models

DEMO_REFUSE_OVERDUE_DAYS = 60
DEMO_FULL_LIMIT = 50000.0


def demo_buyer_ref(siren):
    """The demo insurer's buyer id of the company ``siren``."""
    return f"DEMO-{siren}"


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    def _insurer_request_cover(self, cover):
        if self.provider_code != "demo":
            return super()._insurer_request_cover(cover)
        # The demo insurer answers on the next fetch, as a real one answers later.
        return None

    def _insurer_read_decisions(self):
        if self.provider_code != "demo":
            return super()._insurer_read_decisions()
        return self._demo_decide()

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "demo":
            return super()._insurer_declare_overdue(moves)
        return self._manual_declare_overdue(moves)

    def _insurer_search_buyer(self, partner):
        if self.provider_code != "demo":
            return super()._insurer_search_buyer(partner)
        return self._demo_search_buyer(partner)

    def _demo_search_buyer(self, partner):
        """The demo register's candidates for ``partner`` (see the module)."""
        identifiers = dict(partner._insurance_buyer_identifiers())
        siren = identifiers.get("SIREN")
        vat = identifiers.get("VAT", "")
        if not siren and vat.startswith("FR"):
            # A French VAT number is its key (2 characters) and the SIREN.
            siren = tva.compact(vat)[2:]
        if not siren:
            return []
        partner = partner.commercial_partner_id
        identifier_type = next(
            (code for code in ("SIRET", "SIREN", "VAT") if code in identifiers), "SIREN"
        )
        return [
            {
                "buyer_ref": demo_buyer_ref(siren),
                "name": partner.name or "",
                "street": partner.street or "",
                "zip": partner.zip or "",
                "city": partner.city or "",
                "country_code": partner.country_id.code or "FR",
                "identifier_type": identifier_type,
                "identifier": identifiers.get(identifier_type, siren),
            }
        ]

    def _demo_decide(self):
        self.ensure_one()
        covers = self.env["credit.insurance.cover"].search(
            [("policy_id", "=", self.id), ("request_pending", "=", True)]
        )
        if not covers:
            return self.env["credit.insurance.decision"]
        facts = covers.partner_id._get_credit_facts(self.company_id)
        today = fields.Date.context_today(self)
        vals_list = []
        for cover in covers:
            fact = facts.get(cover.partner_id.id) or {}
            if fact.get("overdue_days", 0) > DEMO_REFUSE_OVERDUE_DAYS:
                state, amount = "refused", 0.0
            elif cover.amount_requested <= DEMO_FULL_LIMIT:
                state, amount = "granted", cover.amount_requested
            else:
                state, amount = "partial", DEMO_FULL_LIMIT
            vals_list.append(
                {
                    "cover_id": cover.id,
                    "date": today,
                    "state": state,
                    "amount": amount,
                    "reference": f"DEMO-{cover.id}-{len(cover.decision_ids) + 1}",
                }
            )
        return self.env["credit.insurance.decision"].create(vals_list)
