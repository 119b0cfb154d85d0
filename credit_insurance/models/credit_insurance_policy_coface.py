"""The Coface provider (CofaServe REST API).

- ``_coface_request`` sends ``Authorization: Bearer <idToken>`` and ``x-api-key``; the token
  comes from ``POST /authentication/v1/token`` (headers ``x-api-key`` and
  ``x-cof-policy-number``, the user's name and password). A 401 renews it once and the call
  is retried once. A failed login is never retried: Coface locks an account after five.
- The buyer id is Coface's EasyNumber (``GET /companies/identifier`` by SIREN, else VAT).
- A limit order (``POST /products``) answers ``202 {"deliveryId"}``, kept on the cover.
- Decisions are the notifications since the policy's cursor (``GET /notifications?since=``),
  the notification id being the decision's reference.
- Overdue invoices go to ``POST /overdues``, one call per buyer; the ``overdueId`` answered
  is kept on the invoices as the declaration's reference.
"""

from datetime import timedelta

from odoo import _
from odoo import fields
from odoo import models

from .credit_insurance_policy_allianz import TOKEN_MARGIN

COFACE_DECISIONS = {
    "GRANTED": "granted",
    "PARTIAL": "partial",
    "REFUSED": "refused",
    "REDUCED": "reduced",
    "CANCELLED": "cancelled",
}


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    provider_code = fields.Selection(
        selection_add=[("coface", "Coface (REST)")],
        ondelete={"coface": "set default"},
    )

    # ------------------------------------------------------------
    # REQUEST METHOD
    # ------------------------------------------------------------

    def _coface_authorize(self):
        """Log in once; a refused login stops with a readable error (never retried)."""
        self.ensure_one()
        policy = self.sudo()  # credentials and the token cache are system-only
        if not (policy.api_key and policy.api_username and policy.api_password):
            self._insurer_fail(
                _(
                    "Enter the API key, the username and the password of the policy "
                    "%(policy)s first.",
                    policy=self.name,
                ),
                {"operation": "authorize"},
            )
        __, data = self._insurer_http(
            "authorize",
            "POST",
            "/authentication/v1/token",
            payload={
                "username": policy.api_username,
                "password": policy.api_password,
                "grant_type": "password",
            },
            headers={"x-api-key": policy.api_key, "x-cof-policy-number": self.policy_number or ""},
            retry=False,
        )
        self._insurer_check(isinstance(data, dict) and data.get("idToken"), "authorize")
        policy.write(
            {
                "token_value": data["idToken"],
                "token_expiry": fields.Datetime.now()
                + timedelta(seconds=int(data.get("expiresIn") or 3600))
                - TOKEN_MARGIN,
            }
        )
        return data["idToken"]

    def _coface_request(
        self, method, path, payload=None, operation="fetch_decisions", cover=None, params=None
    ):
        """One call to Coface's API, its token renewed once on a 401."""
        self.ensure_one()
        policy = self.sudo()  # the API key and the token cache are system-only

        def headers(renew):
            valid = policy.token_expiry and policy.token_expiry > fields.Datetime.now()
            token = policy.token_value if valid and not renew else self._coface_authorize()
            return {"Authorization": f"Bearer {token}", "x-api-key": policy.api_key}

        return self._insurer_http_token(
            headers, operation, method, path, payload=payload, params=params, cover=cover
        )

    # ------------------------------------------------------------
    # PROVIDER HOOKS
    # ------------------------------------------------------------

    def _insurer_test_connection(self):
        if self.provider_code != "coface":
            return super()._insurer_test_connection()
        self._coface_authorize()
        return True

    def _insurer_search_buyer(self, partner):
        if self.provider_code != "coface":
            return super()._insurer_search_buyer(partner)
        identifiers = dict(partner._insurance_buyer_identifiers())
        partner = partner.commercial_partner_id
        if identifiers.get("SIREN"):
            identifier_type, identifier = "SIREN", identifiers["SIREN"]
        elif identifiers.get("SIRET"):
            identifier_type, identifier = "SIREN", identifiers["SIRET"][:9]
        else:
            identifier_type, identifier = "VAT", identifiers["VAT"]
        __, data = self._coface_request(
            "GET",
            "/companies/identifier",
            params={
                "countryCode": partner.country_id.code or "FR",
                "identifierType": identifier_type,
                "identifierValue": identifier,
            },
            operation="search_buyer",
        )
        companies = data.get("companies") if isinstance(data, dict) else None
        self._insurer_check(isinstance(companies, list), "search_buyer")
        candidates = []
        for company in companies:
            self._insurer_check(
                isinstance(company, dict) and company.get("easyNumber"), "search_buyer"
            )
            address = company.get("address") or {}
            if isinstance(address, str):
                address = {"street": address}
            candidates.append(
                self._insurer_candidate(
                    (identifier_type, identifier),
                    buyer_ref=company["easyNumber"],
                    name=company.get("name"),
                    street=address.get("street"),
                    zip=address.get("postalCode"),
                    city=address.get("city"),
                    country_code=address.get("countryCode"),
                )
            )
        return candidates

    def _insurer_request_cover(self, cover):
        if self.provider_code != "coface":
            return super()._insurer_request_cover(cover)
        return self._insurer_request_by_buyer(cover, self._coface_request_cover)

    def _insurer_read_decisions(self):
        if self.provider_code != "coface":
            return super()._insurer_read_decisions()
        return self._insurer_sync_decisions(self._coface_read_notifications)

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "coface":
            return super()._insurer_declare_overdue(moves)
        return self._insurer_declare_by_buyer(moves, self._coface_declare)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _coface_request_cover(self, cover):
        """Order a limit on the cover's buyer: the delivery id is the request's id."""
        __, data = self._coface_request(
            "POST",
            "/products",
            {
                "contractId": self.coface_contract_id or self.policy_number or "",
                "easyNumber": cover.buyer_ref,
                "productCode": "CREDIT_LIMIT",
                "amount": cover.amount_requested,
                "currency": cover.currency_id.name,
            },
            operation="request_cover",
            cover=cover,
        )
        return data.get("deliveryId") if isinstance(data, dict) else None

    def _coface_declare(self, cover, moves):
        """Declare the buyer's overdue invoices: their reference is the ``overdueId``."""
        __, data = self._coface_request(
            "POST",
            "/overdues",
            {
                "contractId": self.coface_contract_id or self.policy_number or "",
                "easyNumber": cover.buyer_ref,
                "invoices": self._insurer_invoice_vals(moves),
            },
            operation="declare_overdue",
            cover=cover,
        )
        reference = data.get("overdueId") if isinstance(data, dict) else None
        return str(reference) if reference else None

    def _coface_read_notifications(self):
        __, data = self._coface_request(
            "GET",
            "/notifications",
            params={"since": self._insurer_since().isoformat() + "Z"},
            operation="fetch_decisions",
        )
        return self._insurer_record_feed(data, self._coface_parse_notification)

    def _coface_parse_notification(self, item):
        """``(easyNumber, decision values)`` of one notification."""
        self._insurer_check(
            item.get("id") and item.get("decision") in COFACE_DECISIONS, "fetch_decisions"
        )
        try:
            date = fields.Date.to_date(str(item.get("effectiveDate"))[:10])
            amount = float(item.get("amount") or 0.0)
        except (TypeError, ValueError):
            date = None
        self._insurer_check(date, "fetch_decisions")
        return str(item.get("easyNumber")), {
            "date": date,
            "state": COFACE_DECISIONS[item["decision"]],
            "amount": amount,
            "reference": str(item["id"]),
            "note": item.get("reasonCode") or False,
        }
