"""The Allianz Trade provider: its REST API, asynchronous by design.

- ``_allianz_request`` sends every call with ``Authorization: Bearer <token>``; the token
  comes from ``POST /v1/idp/oauth2/authorize`` (``{"apiKey"}``) and is cached on the policy
  until its expiry. A 401 renews it once, then the call is retried once.
- A cover request (``POST /riskinfo/v3/covers``) answers a ``jobId``, kept on the cover.
- ``_insurer_read_decisions`` polls each pending job (``GET /riskinfo/v3/jobs/{jobId}``):
  ``pending`` leaves it for next time; ``processed`` (any case) reads its ``resourceUrl``
  cover and records its decisions. It then reads the portfolio
  (``POST /riskinfo/v3/covers/search``, page by page) since the policy's cursor.
- A decision's reference is ``<coverId>/<startDate>/<code>``: read twice, recorded once.
- An overdue declaration (``POST /riskinfo/v3/overdues``, category ``OVD``) answers a job id,
  kept on the invoices as the declaration's reference.
"""

from datetime import timedelta
from urllib.parse import quote

from odoo import _
from odoo import fields
from odoo import models

ALLIANZ_DECISIONS = {
    "agreement": "granted",
    "alreadyagreed": "granted",
    "partialagreement": "partial",
    "refusal": "refused",
    "reduction": "reduced",
    "withdrawal": "cancelled",
    "pending": None,
}
ALLIANZ_PAGE_SIZE = 100
ALLIANZ_MAX_PAGES = 1000
# A token is renewed this long before the expiry the insurer gave.
TOKEN_MARGIN = timedelta(seconds=60)


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    provider_code = fields.Selection(
        selection_add=[("allianz_trade", "Allianz Trade (REST)")],
        ondelete={"allianz_trade": "set default"},
    )

    # ------------------------------------------------------------
    # REQUEST METHOD
    # ------------------------------------------------------------

    def _allianz_authorize(self):
        """Ask a new token and cache it on the policy."""
        self.ensure_one()
        policy = self.sudo()  # the API key and the token cache are system-only
        if not policy.api_key:
            self._insurer_fail(
                _("Enter the API key of the policy %(policy)s first.", policy=self.name),
                {"operation": "authorize"},
            )
        __, data = self._insurer_http(
            "authorize",
            "POST",
            "/v1/idp/oauth2/authorize",
            payload={"apiKey": policy.api_key},
            retry=False,
        )
        self._insurer_check(isinstance(data, dict) and data.get("access_token"), "authorize")
        expires_in = data.get("expires_in") or 3600
        policy.write(
            {
                "token_value": data["access_token"],
                "token_expiry": fields.Datetime.now()
                + timedelta(seconds=int(expires_in))
                - TOKEN_MARGIN,
            }
        )
        return data["access_token"]

    def _allianz_token(self):
        policy = self.sudo()
        if (
            policy.token_value
            and policy.token_expiry
            and policy.token_expiry > fields.Datetime.now()
        ):
            return policy.token_value
        return self._allianz_authorize()

    def _allianz_request(self, method, path, payload=None, operation="fetch_decisions", cover=None):
        """One call to Allianz Trade's API, its token renewed once on a 401.

        :return: ``(status, data)`` with the decoded JSON body.
        """
        self.ensure_one()
        return self._insurer_http_token(
            lambda renew: {
                "Authorization": "Bearer "
                + (self._allianz_authorize() if renew else self._allianz_token())
            },
            operation,
            method,
            path,
            payload=payload,
            cover=cover,
        )

    # ------------------------------------------------------------
    # PROVIDER HOOKS
    # ------------------------------------------------------------

    def _insurer_test_connection(self):
        if self.provider_code != "allianz_trade":
            return super()._insurer_test_connection()
        self._allianz_authorize()
        return True

    def _insurer_search_buyer(self, partner):
        if self.provider_code != "allianz_trade":
            return super()._insurer_search_buyer(partner)
        identifiers = partner._insurance_buyer_identifiers()
        partner = partner.commercial_partner_id
        __, data = self._allianz_request(
            "POST",
            "/search/v2/companies/matching",
            {
                "companyName": partner.name,
                "countryCode": partner.country_id.code or "FR",
                "companyIdentifiers": [
                    {"idTypeCode": id_type, "idValue": value} for id_type, value in identifiers
                ],
                "requestedSize": 10,
                "minimumScore": 0,
            },
            operation="search_buyer",
        )
        results = data.get("results") if isinstance(data, dict) else None
        self._insurer_check(isinstance(results, list), "search_buyer")
        candidates = []
        for result in results:
            company = (result or {}).get("company") or {}
            self._insurer_check(company.get("companyId"), "search_buyer")
            address = company.get("address") or {}
            post_code = (address.get("postCodes") or [{}])[0] or {}
            candidates.append(
                self._insurer_candidate(
                    identifiers[0],
                    buyer_ref=company["companyId"],
                    name=(company.get("legalData") or {}).get("companyName"),
                    street=address.get("streetName"),
                    zip=post_code.get("postCodeValue"),
                    city=address.get("town"),
                    country_code=address.get("countryCode"),
                )
            )
        return candidates

    def _insurer_request_cover(self, cover):
        if self.provider_code != "allianz_trade":
            return super()._insurer_request_cover(cover)
        return self._insurer_request_by_buyer(cover, self._allianz_request_cover)

    def _insurer_read_decisions(self):
        if self.provider_code != "allianz_trade":
            return super()._insurer_read_decisions()
        return self._insurer_sync_decisions(self._allianz_read)

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "allianz_trade":
            return super()._insurer_declare_overdue(moves)
        return self._insurer_declare_by_buyer(moves, self._allianz_declare)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _allianz_policy_vals(self):
        return {
            "businessUnitCode": self.allianz_business_unit_code or "",
            "policyId": self.allianz_policy_id or self.policy_number or "",
            "extensionId": self.allianz_extension_id or "",
        }

    def _allianz_request_cover(self, cover):
        """Ask a limit on the cover's buyer: the job id is the request's id."""
        __, data = self._allianz_request(
            "POST",
            "/riskinfo/v3/covers",
            {
                "requestTypeCode": "Primary",
                "policy": self._allianz_policy_vals(),
                "creditLimitDetails": {
                    "requestedAmount": cover.amount_requested,
                    "currencyCode": cover.currency_id.name,
                },
                "companyId": cover.buyer_ref,
                "isRequestUrgent": False,
            },
            operation="request_cover",
            cover=cover,
        )
        return data.get("jobId") if isinstance(data, dict) else None

    def _allianz_declare(self, cover, moves):
        """Declare the buyer's overdue invoices (category ``OVD``): the job id is the
        declaration's reference."""
        __, data = self._allianz_request(
            "POST",
            "/riskinfo/v3/overdues",
            {
                "policyId": self.allianz_policy_id or self.policy_number,
                "companyId": cover.buyer_ref,
                "categoryCode": "OVD",
                "invoices": self._insurer_invoice_vals(moves),
            },
            operation="declare_overdue",
            cover=cover,
        )
        job = data.get("jobId") if isinstance(data, dict) else None
        self._insurer_check(job, "declare_overdue", cover=cover)
        return str(job)

    def _allianz_read(self):
        return self._allianz_poll_jobs() | self._allianz_read_portfolio()

    def _allianz_poll_jobs(self):
        """Read the covers of the processed jobs; pending jobs wait for the next fetch."""
        decisions = self.env["credit.insurance.decision"]
        covers = self.env["credit.insurance.cover"].search(
            [("policy_id", "=", self.id), ("insurer_job_ref", "!=", False)]
        )
        for cover in covers:
            __, job = self._allianz_request(
                "GET",
                f"/riskinfo/v3/jobs/{quote(cover.insurer_job_ref, safe='')}",
                operation="poll_job",
                cover=cover,
            )
            self._insurer_check(
                isinstance(job, dict) and job.get("jobStatusCode"), "poll_job", cover=cover
            )
            if str(job["jobStatusCode"]).lower() != "processed":
                continue
            self._insurer_check(job.get("resourceUrl"), "poll_job", cover=cover)
            __, data = self._allianz_request(
                "GET", job["resourceUrl"], operation="read_cover", cover=cover
            )
            decisions |= self._allianz_record_cover(data, cover)
            cover.sudo().insurer_job_ref = False
        return decisions

    def _allianz_read_portfolio(self):
        """Read the portfolio's covers updated since the cursor, page by page."""
        decisions = self.env["credit.insurance.decision"]
        since = self.sync_cursor
        covers_by_ref = {}
        for cover in self.env["credit.insurance.cover"].search([("policy_id", "=", self.id)]):
            for ref in (cover.insurer_cover_ref, cover.buyer_ref):
                if ref:
                    covers_by_ref.setdefault(ref, cover)
        read = 0
        for page in range(1, ALLIANZ_MAX_PAGES + 1):
            payload = {
                "policy": self._allianz_policy_vals(),
                "pagination": {
                    "page": page,
                    "pageSize": ALLIANZ_PAGE_SIZE,
                    "isTotalRequired": True,
                },
            }
            if since:
                payload["updatedSince"] = since.isoformat() + "Z"
            status, data = self._allianz_request(
                "POST", "/riskinfo/v3/covers/search", payload, operation="fetch_decisions"
            )
            items = data.get("covers") if isinstance(data, dict) else None
            self._insurer_check(isinstance(items, list), "fetch_decisions")
            for item in items:
                self._insurer_check(isinstance(item, dict), "fetch_decisions")
                cover = covers_by_ref.get(str(item.get("coverId"))) or covers_by_ref.get(
                    str(item.get("companyId"))
                )
                if cover:
                    decisions |= self._allianz_record_cover(item, cover)
            read += len(items)
            total = (data.get("pagination") or {}).get("total")
            more = status == 206 or (total is not None and read < total)
            if not items or not more:
                break
        return decisions

    def _allianz_record_cover(self, data, cover):
        """Record the decisions of one Allianz Trade cover on ``cover`` (known ones skipped)."""
        self._insurer_check(isinstance(data, dict) and data.get("coverId"), "read_cover", cover)
        limits = (data.get("creditLimitsAggregation") or {}).get("creditLimits")
        self._insurer_check(isinstance(limits, list), "read_cover", cover)
        vals_list = []
        for limit in limits:
            code = str((limit or {}).get("technicalDecisionStatusCode") or "")
            self._insurer_check(code.lower() in ALLIANZ_DECISIONS, "read_cover", cover)
            state = ALLIANZ_DECISIONS[code.lower()]
            if not state:
                continue  # still pending at the insurer: nothing decided yet
            try:
                date = fields.Date.to_date(limit.get("startDate"))
                amount = float(limit.get("amount") or 0.0)
            except (TypeError, ValueError):
                date = None
            self._insurer_check(date, "read_cover", cover)
            vals_list.append(
                {
                    "cover_id": cover.id,
                    "date": date,
                    "date_end": fields.Date.to_date(limit.get("endDate")) or False,
                    "state": state,
                    "amount": amount,
                    "reference": f"{data['coverId']}/{limit.get('startDate')}/{code}",
                }
            )
        cover.sudo().insurer_cover_ref = str(data["coverId"])
        return self._insurer_record_decisions(vals_list)
