"""The SOAP provider: an insurer's web service described by a WSDL, reached through zeep.

The addon ships the WSDL of the generic operations (``static/wsdl/insurer.wsdl``,
document/literal): ``SearchBuyer``, ``RequestLimit`` (→ ``requestId``), ``GetDecisions``
(since the policy's cursor) and ``DeclareOverdue``. Every request carries a WS-Security
UsernameToken; the service address of the WSDL is replaced by the policy's API base URL.
``_soap_request`` is the one place that calls the service: explicit timeouts
(``zeep.Transport(timeout, operation_timeout)``), SOAP faults and transport errors turned into
readable errors, every call logged with its envelopes (password redacted).
"""

import time

import requests
from lxml import etree
from zeep import Client
from zeep import Transport
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault
from zeep.exceptions import TransportError
from zeep.helpers import serialize_object
from zeep.plugins import HistoryPlugin
from zeep.wsse.username import UsernameToken

from odoo import _
from odoo import fields
from odoo import models

SOAP_BINDING = "{urn:credit-insurance:insurer:1}InsurerBinding"
SOAP_DECISIONS = {
    "GRANTED": "granted",
    "PARTIAL": "partial",
    "REFUSED": "refused",
    "REDUCED": "reduced",
    "CANCELLED": "cancelled",
    "EXPIRED": "expired",
}


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    provider_code = fields.Selection(
        selection_add=[("soap", "SOAP Web Service")],
        ondelete={"soap": "set default"},
    )

    # ------------------------------------------------------------
    # REQUEST METHOD
    # ------------------------------------------------------------

    def _soap_request(self, name, operation, cover=None, **params):
        """Call the service's operation ``name`` with ``params``; its answer as plain data."""
        self.ensure_one()
        policy = self.sudo()  # the user's name and password are system-only
        history = HistoryPlugin()
        log = {"operation": operation, "method": "POST", "cover_id": cover.id if cover else False}
        started = time.monotonic()
        try:
            transport = Transport(
                timeout=self.api_timeout or 20.0, operation_timeout=self.api_timeout or 20.0
            )
            client = Client(
                self._soap_wsdl_location(),
                transport=transport,
                wsse=UsernameToken(policy.api_username or "", policy.api_password or ""),
                plugins=[history],
            )
            service = (
                client.create_service(SOAP_BINDING, self._insurer_url(""))
                if self.api_base_url
                else client.service
            )
            log["url"] = f"{service._binding_options.get('address')} {name}"
            result = getattr(service, name)(**params)
        except Fault as fault:
            self._soap_log_envelopes(log, history, status=500)
            message = _(
                "%(insurer)s answered a fault (%(operation)s): %(code)s %(text)s",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
                code=fault.code or "",
                text=fault.message or "",
            )
            self._insurer_fail(message, log, started)
        except (
            requests.Timeout,
            TransportError,
            requests.RequestException,
            ZeepError,
            etree.XMLSyntaxError,
        ) as error:
            self._soap_log_envelopes(log, history, status=getattr(error, "status_code", 0))
            if isinstance(error, requests.Timeout):
                message = _(
                    "%(insurer)s did not answer within %(timeout)s seconds (%(operation)s).",
                    insurer=self.insurer_id.name,
                    timeout=self.api_timeout,
                    operation=self._insurer_operation_label(operation),
                )
            else:
                message = _(
                    "%(insurer)s's web service failed (%(operation)s): %(error)s",
                    insurer=self.insurer_id.name,
                    operation=self._insurer_operation_label(operation),
                    error=getattr(error, "message", None) or error.__class__.__name__,
                )
            self._insurer_fail(message, log, started, error=error)
        self._soap_log_envelopes(log, history, status=200)
        log["duration_ms"] = int((time.monotonic() - started) * 1000)
        self._exchange_log(log)
        return serialize_object(result)

    @staticmethod
    def _soap_log_envelopes(log, history, status):
        for key, attribute in (("request_body", "last_sent"), ("response_body", "last_received")):
            try:
                entry = getattr(history, attribute)
            except IndexError:  # nothing sent (the WSDL could not be read) or received
                entry = None
            if entry and entry.get("envelope") is not None:
                log[key] = etree.tostring(entry["envelope"], encoding="unicode", pretty_print=True)
        log["status_code"] = status

    # ------------------------------------------------------------
    # PROVIDER HOOKS
    # ------------------------------------------------------------

    def _insurer_test_connection(self):
        if self.provider_code != "soap":
            return super()._insurer_test_connection()
        self._soap_request(
            "GetDecisions",
            "test_connection",
            policyNumber=self.policy_number or "",
            since=fields.Datetime.now(),
        )
        return True

    def _insurer_search_buyer(self, partner):
        if self.provider_code != "soap":
            return super()._insurer_search_buyer(partner)
        identifier_type, identifier = partner._insurance_buyer_identifiers()[0]
        buyers = self._soap_request(
            "SearchBuyer",
            "search_buyer",
            identifierType=identifier_type,
            identifierValue=identifier,
            country=partner.commercial_partner_id.country_id.code or "FR",
        )
        return [
            {
                "buyer_ref": buyer["buyerId"],
                "name": buyer.get("name") or "",
                "street": buyer.get("street") or "",
                "zip": buyer.get("zip") or "",
                "city": buyer.get("city") or "",
                "country_code": buyer.get("country") or "",
                "identifier_type": identifier_type,
                "identifier": identifier,
            }
            for buyer in buyers or []
        ]

    def _insurer_request_cover(self, cover):
        if self.provider_code != "soap":
            return super()._insurer_request_cover(cover)
        if not cover.buyer_ref:
            cover.buyer_ref = self._insurer_first_buyer(cover)
        request_id = self._soap_request(
            "RequestLimit",
            "request_cover",
            cover=cover,
            policyNumber=self.policy_number or "",
            buyerId=cover.buyer_ref,
            amount=cover.amount_requested,
            currency=cover.currency_id.name,
        )
        self._insurer_check(request_id, "request_cover", cover=cover)
        cover.insurer_job_ref = str(request_id)
        return None

    def _insurer_fetch_decisions(self):
        decisions = super()._insurer_fetch_decisions()
        for policy in self.filtered(lambda p: p.provider_code == "soap"):
            started = fields.Datetime.now()
            decisions |= policy._soap_read_decisions()
            # Moved only now that the decisions are stored: a failure leaves it behind.
            policy.sync_cursor = started
        return decisions

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "soap":
            return super()._insurer_declare_overdue(moves)
        covers = self._insurer_covers_of(moves)
        today = fields.Date.context_today(self)
        for partner, partner_moves in moves.grouped("commercial_partner_id").items():
            cover = covers.get(partner.id)
            if not cover or not cover.buyer_ref:
                self._insurer_fail(
                    _(
                        "%(customer)s has no buyer id at %(insurer)s: request its cover first.",
                        customer=partner.display_name,
                        insurer=self.insurer_id.name,
                    ),
                    {"operation": "declare_overdue"},
                )
            declaration = self._soap_request(
                "DeclareOverdue",
                "declare_overdue",
                cover=cover,
                policyNumber=self.policy_number or "",
                buyerId=cover.buyer_ref,
                invoice=[
                    {
                        "number": vals["number"],
                        "dueDate": vals["dueDate"],
                        "amount": vals["amount"],
                        "currency": vals["currencyCode"],
                    }
                    for vals in self._insurer_invoice_vals(partner_moves)
                ],
            )
            self._insurer_mark_declared(partner_moves, declaration or "-", today)
        return True

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _soap_read_decisions(self):
        since = self.sync_cursor or fields.Datetime.to_datetime(self.date_start)
        items = self._soap_request(
            "GetDecisions", "fetch_decisions", policyNumber=self.policy_number or "", since=since
        )
        covers = {
            cover.buyer_ref: cover
            for cover in self.env["credit.insurance.cover"].search(
                [("policy_id", "=", self.id), ("buyer_ref", "!=", False)]
            )
        }
        vals_list = []
        for item in items or []:
            self._insurer_check(
                isinstance(item, dict) and str(item.get("status")) in SOAP_DECISIONS,
                "fetch_decisions",
            )
            cover = covers.get(item["buyerId"])
            if not cover:
                continue
            vals_list.append(
                {
                    "cover_id": cover.id,
                    "date": item["effectiveDate"],
                    "state": SOAP_DECISIONS[item["status"]],
                    "amount": float(item.get("amount") or 0.0),
                    "reference": item["decisionId"],
                }
            )
            cover.insurer_job_ref = False
        return self._insurer_record_decisions(vals_list)
