"""The SOAP provider: an insurer's web service described by a WSDL, reached through zeep.

The addon ships the WSDL of the generic operations (``static/wsdl/insurer.wsdl``,
document/literal): ``SearchBuyer``, ``RequestLimit`` (→ ``requestId``), ``GetDecisions``
(since the policy's cursor) and ``DeclareOverdue``. Every request carries a WS-Security
UsernameToken; the service address of the WSDL is replaced by the policy's API base URL.
``_soap_request`` is the one place that calls the service: explicit timeouts
(``zeep.Transport(timeout, operation_timeout)``), SOAP faults and transport errors turned into
readable errors, every call logged with its envelopes (password redacted). Its transport
(``InsurerTransport``) reads WSDLs and schemas over http(s) or from the addon's own WSDL
folder only, and follows the REST connectors' retry policy: a 429 or a 5xx that is not a
SOAP Fault is tried again after ``Retry-After`` or a backoff, each try logged; a Fault is the
insurer's answer and is not.
"""

import os
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
from odoo.tools import file_path

from .credit_insurance_policy_connection import DEFAULT_WSDL
from .credit_insurance_policy_http import is_web_address

SOAP_BINDING = "{urn:credit-insurance:insurer:1}InsurerBinding"
SOAP_DECISIONS = {
    "GRANTED": "granted",
    "PARTIAL": "partial",
    "REFUSED": "refused",
    "REDUCED": "reduced",
    "CANCELLED": "cancelled",
    "EXPIRED": "expired",
}


def soap_fault_in(content):
    """Whether ``content`` is a SOAP envelope that holds a Fault (the insurer's business
    error, whatever its HTTP status: never tried again)."""
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return False
    return any(
        isinstance(node.tag, str) and etree.QName(node).localname == "Fault"
        for body in root
        if isinstance(body.tag, str) and etree.QName(body).localname == "Body"
        for node in body
    )


class InsurerTransport(Transport):
    """zeep's transport with the connectors' retry policy (``_insurer_send``).

    An operation's POST answered with a 429 or a 5xx that is not a SOAP Fault is tried again
    as the REST connectors' requests are, each try logged; an error status left after the
    last try is the same readable error as theirs. Faults go on to zeep, which raises them.
    The WSDL and its schemas are read once, without retry.
    """

    def __init__(self, policy, log, **kwargs):
        super().__init__(**kwargs)
        self.policy = policy
        self.log = log

    def load(self, url):
        """The WSDL and its schemas: read over http(s), or from the addon's own WSDL folder;
        never another file of the server, whatever a WSDL imports."""
        if not is_web_address(url):
            local = os.path.realpath(url.removeprefix("file://"))
            if os.path.dirname(local) != os.path.dirname(file_path(DEFAULT_WSDL)):
                self.policy._insurer_check_address(url)
        return super().load(url)

    def post(self, address, message, headers):
        send = super().post
        self.log["request_body"] = (
            message.decode("utf-8", "replace") if isinstance(message, bytes) else message
        )
        response = self.policy._insurer_send(
            lambda: send(address, message, headers),
            self.log,
            retryable=lambda answer: (
                self.policy._insurer_retryable(answer) and not soap_fault_in(answer.content)
            ),
        )
        if response.status_code >= 400 and not soap_fault_in(response.content):
            self.policy._insurer_fail_status(self.log["operation"], response, self.log)
        return response


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
            timeout = self.api_timeout or 20.0
            client = Client(
                self._soap_wsdl_location(),
                transport=InsurerTransport(self, log, timeout=timeout, operation_timeout=timeout),
                wsse=UsernameToken(policy.api_username or "", policy.api_password or ""),
                plugins=[history],
            )
            service = (
                client.create_service(SOAP_BINDING, self._insurer_url(""))
                if policy.api_base_url
                else client.service
            )
            log["url"] = f"{service._binding_options.get('address')} {name}"
            result = getattr(service, name)(**params)
        except Fault as fault:
            self._soap_log_envelopes(log, history, started, status=500)
            message = _(
                "%(insurer)s answered a fault (%(operation)s): %(code)s %(text)s",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
                code=fault.code or "",
                text=fault.message or "",
            )
            self._insurer_fail(message, log)
        except (requests.Timeout, requests.ConnectionError) as error:
            self._soap_log_envelopes(log, history, started, status=0)
            self._insurer_fail(self._insurer_network_message(operation, error), log, error=error)
        except (
            TransportError,
            requests.RequestException,
            ZeepError,
            etree.XMLSyntaxError,
        ) as error:
            self._soap_log_envelopes(log, history, started, getattr(error, "status_code", 0))
            message = _(
                "%(insurer)s's web service failed (%(operation)s): %(error)s",
                insurer=self.insurer_id.name,
                operation=self._insurer_operation_label(operation),
                error=getattr(error, "message", None) or error.__class__.__name__,
            )
            self._insurer_fail(message, log, error=error)
        self._soap_log_envelopes(log, history, started, status=200)
        self._exchange_log(log)
        return serialize_object(result)

    @staticmethod
    def _soap_log_envelopes(log, history, started, status):
        """The last envelopes sent and received; the status and duration of the last try
        when the transport sent one, else of the whole call (the WSDL could not be read)."""
        for key, attribute in (("request_body", "last_sent"), ("response_body", "last_received")):
            try:
                entry = getattr(history, attribute)
            except IndexError:  # nothing sent (the WSDL could not be read) or received
                entry = None
            if entry and entry.get("envelope") is not None:
                log[key] = etree.tostring(entry["envelope"], encoding="unicode", pretty_print=True)
        log.setdefault("status_code", status)
        log.setdefault("duration_ms", int((time.monotonic() - started) * 1000))

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
            self._insurer_candidate(
                (identifier_type, identifier),
                buyer_ref=buyer["buyerId"],
                name=buyer.get("name"),
                street=buyer.get("street"),
                zip=buyer.get("zip"),
                city=buyer.get("city"),
                country_code=buyer.get("country"),
            )
            for buyer in buyers or []
        ]

    def _insurer_request_cover(self, cover):
        if self.provider_code != "soap":
            return super()._insurer_request_cover(cover)
        return self._insurer_request_by_buyer(cover, self._soap_request_cover)

    def _insurer_read_decisions(self):
        if self.provider_code != "soap":
            return super()._insurer_read_decisions()
        return self._insurer_sync_decisions(self._soap_read_decisions)

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "soap":
            return super()._insurer_declare_overdue(moves)
        return self._insurer_declare_by_buyer(moves, self._soap_declare)

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _soap_request_cover(self, cover):
        """Ask a limit on the cover's buyer: ``RequestLimit`` answers the request's id."""
        return self._soap_buyer_request(
            "RequestLimit",
            "request_cover",
            cover,
            amount=cover.amount_requested,
            currency=cover.currency_id.name,
        )

    def _soap_declare(self, cover, moves):
        """Declare the buyer's overdue invoices: their reference is the ``declarationId``."""
        declaration = self._soap_buyer_request(
            "DeclareOverdue",
            "declare_overdue",
            cover,
            invoice=[
                {
                    "number": vals["number"],
                    "dueDate": vals["dueDate"],
                    "amount": vals["amount"],
                    "currency": vals["currencyCode"],
                }
                for vals in self._insurer_invoice_vals(moves)
            ],
        )
        return str(declaration) if declaration else None

    def _soap_buyer_request(self, name, operation, cover, **params):
        """An operation on the cover's buyer under this policy."""
        return self._soap_request(
            name,
            operation,
            cover=cover,
            policyNumber=self.policy_number or "",
            buyerId=cover.buyer_ref,
            **params,
        )

    def _soap_read_decisions(self):
        items = self._soap_request(
            "GetDecisions",
            "fetch_decisions",
            policyNumber=self.policy_number or "",
            since=self._insurer_since(),
        )
        return self._insurer_record_feed(items or [], self._soap_parse_decision)

    def _soap_parse_decision(self, item):
        """``(buyerId, decision values)`` of one decision of ``GetDecisions``."""
        self._insurer_check(str(item.get("status")) in SOAP_DECISIONS, "fetch_decisions")
        return item["buyerId"], {
            "date": item["effectiveDate"],
            "state": SOAP_DECISIONS[item["status"]],
            "amount": float(item.get("amount") or 0.0),
            "reference": item["decisionId"],
        }
