"""Fake insurers on 127.0.0.1, speaking what INSURERS.md describes, faults included.

Each server runs in a thread (``http.server.ThreadingHTTPServer`` on port 0). Faults are
scripted per test with ``script(path_fragment, status=…, body=…, headers=…, delay=…,
method=…)``: the next request whose path contains the fragment (and of that method, when
given) gets that answer instead of the normal one (after sleeping ``delay`` seconds when
given, to make the client time out). Every request
received is kept in ``requests`` as ``(method, path, headers, body)``. The overdue
declarations of the buyers in ``failing_buyers`` are answered HTTP 500, every try, while the
others' are accepted (an insurer that fails half-way through a run).
"""

import contextlib
import itertools
import json
import re
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit
from xml.etree import ElementTree

from odoo.tools import file_path


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet test logs
        pass

    def _serve(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fake = self.server.fake
        parts = urlsplit(self.path)
        fake.requests.append((method, parts.path, dict(self.headers), body))
        fault = fake._pop_fault(method, parts.path)
        if fault:
            if fault.get("delay"):
                time.sleep(fault["delay"])
            status, headers, payload = fault["status"], fault.get("headers") or {}, fault["body"]
        else:
            status, headers, payload = fake.handle(
                method,
                parts.path,
                parse_qs(parts.query, keep_blank_values=True),
                self.headers,
                body,
            )
        if isinstance(payload, (dict, list)):
            payload = json.dumps(payload)
            headers.setdefault("Content-Type", "application/json")
        payload = payload.encode() if isinstance(payload, str) else payload
        # The client may have given up (timeout test): nothing to answer then.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")


class FakeServer:
    """A threaded HTTP server; subclasses implement ``handle``."""

    def __init__(self):
        self.requests = []
        self.faults = []
        self.failing_buyers = set()  # the insurer's ids of the buyers it cannot declare
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path, status=500, body=None, headers=None, delay=None, method=None):
        """Answer the next request on ``path`` (of ``method``, or any) with this, once."""
        body = (
            {"code": str(status), "message": "Scripted fault", "requestId": "r"}
            if body is None
            else body
        )
        with self._lock:
            self.faults.append(
                {
                    "path": path,
                    "status": status,
                    "body": body,
                    "headers": headers,
                    "delay": delay,
                    "method": method,
                }
            )

    def _pop_fault(self, method, path):
        with self._lock:
            for fault in self.faults:
                if fault["path"] in path and fault["method"] in (None, method):
                    self.faults.remove(fault)
                    return fault
        return None

    def calls(self, fragment):
        return [r for r in self.requests if fragment in r[1]]

    def reset(self):
        self.requests.clear()
        self.faults.clear()
        self.failing_buyers.clear()

    def handle(self, method, path, query, headers, body):
        raise NotImplementedError


def _error(status, code, message):
    return status, {}, {"code": code, "message": message, "requestId": "req-1"}


class FakeAllianzTrade(FakeServer):
    """Allianz Trade's REST API under an optional path prefix (``/uat``)."""

    def __init__(self, api_key, prefix="/uat"):
        super().__init__()
        self.api_key = api_key
        self.prefix = prefix
        self.tokens = []  # every token issued
        self.valid_tokens = set()
        self.companies = {}  # identifier value -> company dict
        self.covers = {}  # coverId -> cover dict
        self.jobs = {}  # jobId -> job dict
        self.overdues = []
        self._ids = itertools.count(1001)

    def expire_tokens(self):
        self.valid_tokens.clear()

    def reset(self):
        """Forget the requests, faults, covers, jobs and overdues of the previous test."""
        self.valid_tokens.clear()
        self.covers.clear()
        self.jobs.clear()
        self.overdues.clear()
        return super().reset()

    def add_company(self, company_id, name, identifiers, town="Paris"):
        company = {
            "companyId": company_id,
            "legalData": {"companyName": name},
            "address": {
                "streetName": "1 rue de la Paix",
                "town": town,
                "countryCode": "FR",
                "postCodes": [{"postCodeValue": "75002"}],
            },
        }
        for value in identifiers:
            self.companies[value] = company
        return company

    def process_job(self, job_id, code="Agreement", amount=None, start_date="2026-11-02"):
        """The insurer decides on the job's cover: the job becomes processed."""
        job = self.jobs[job_id]
        cover = self.covers[job["coverId"]]
        cover["creditLimitsAggregation"]["creditLimits"].append(
            {
                "technicalDecisionStatusCode": code,
                "amount": cover["requestedAmount"] if amount is None else amount,
                "currencyCode": "EUR",
                "startDate": start_date,
            }
        )
        job["jobStatusCode"] = "Processed"

    def handle(self, method, path, query, headers, body):
        if not path.startswith(self.prefix + "/"):
            return _error(404, "NotFound", "Unknown path")
        path = path[len(self.prefix) :]
        data = json.loads(body) if body else {}
        if path == "/v1/idp/oauth2/authorize" and method == "POST":
            if data.get("apiKey") != self.api_key:
                return _error(401, "Unauthorized", "Invalid API key")
            token = f"at-token-{len(self.tokens) + 1}-x9"
            self.tokens.append(token)
            self.valid_tokens.add(token)
            return 200, {}, {"access_token": token, "token_type": "Bearer", "expires_in": 3600}
        auth = headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
            return _error(401, "Unauthorized", "Token expired or invalid")
        if path == "/search/v2/companies/matching" and method == "POST":
            results = []
            for identifier in data.get("companyIdentifiers") or []:
                company = self.companies.get(identifier.get("idValue"))
                if company and {"company": company} not in results:
                    results.append({"company": company})
            return 200, {}, {"results": results}
        if path == "/riskinfo/v3/covers" and method == "POST":
            cover_id, job_id = str(next(self._ids)), f"job-{next(self._ids)}"
            self.covers[cover_id] = {
                "coverId": cover_id,
                "companyId": data["companyId"],
                "requestedAmount": data["creditLimitDetails"]["requestedAmount"],
                "policy": data["policy"],
                "creditLimitsAggregation": {"creditLimits": []},
            }
            self.jobs[job_id] = {"jobId": job_id, "jobStatusCode": "Pending", "coverId": cover_id}
            return 202, {}, {"jobId": job_id}
        match = re.fullmatch(r"/riskinfo/v3/jobs/([\w-]+)", path)
        if match and method == "GET":
            job = self.jobs.get(match.group(1))
            if not job:
                return _error(404, "NotFound", "Unknown job")
            answer = {"jobId": job["jobId"], "jobStatusCode": job["jobStatusCode"]}
            if job["jobStatusCode"].lower() == "processed":
                answer["resourceUrl"] = (
                    f"{self.url}{self.prefix}/riskinfo/v3/covers/{job['coverId']}"
                )
            return 200, {}, answer
        match = re.fullmatch(r"/riskinfo/v3/covers/(\d+)", path)
        if match and method == "GET":
            cover = self.covers.get(match.group(1))
            return (200, {}, cover) if cover else _error(404, "NotFound", "Unknown cover")
        if path == "/riskinfo/v3/covers/search" and method == "POST":
            page = data["pagination"]["page"]
            size = data["pagination"]["pageSize"]
            covers = [
                c for c in self.covers.values() if c["creditLimitsAggregation"]["creditLimits"]
            ]
            chunk = covers[(page - 1) * size : page * size]
            return (
                200,
                {},
                {
                    "covers": chunk,
                    "pagination": {"page": page, "pageSize": size, "total": len(covers)},
                },
            )
        if path == "/riskinfo/v3/overdues" and method == "POST":
            if data.get("categoryCode") not in ("OVD", "EXP", "RES") or not data.get("invoices"):
                return _error(400, "BadRequest", "Invalid overdue")
            if data.get("companyId") in self.failing_buyers:
                return _error(500, "InternalError", "Overdue service unavailable")
            job_id = f"job-{next(self._ids)}"
            self.overdues.append(dict(data, jobId=job_id))
            return 202, {}, {"jobId": job_id}
        return _error(404, "NotFound", "Unknown path")


class FakeCoface(FakeServer):
    """Coface's CofaServe REST API."""

    def __init__(self, api_key, policy_number, username, password):
        super().__init__()
        self.api_key, self.policy_number = api_key, policy_number
        self.username, self.password = username, password
        self.tokens = []
        self.valid_tokens = set()
        self.companies = {}  # SIREN -> company
        self.products = []
        self.notifications = []
        self.overdues = []
        self.ignore_since = False
        self._ids = itertools.count(5001)

    def expire_tokens(self):
        self.valid_tokens.clear()

    def reset(self):
        self.valid_tokens.clear()
        self.products.clear()
        self.notifications.clear()
        self.overdues.clear()
        self.ignore_since = False
        return super().reset()

    def notify(self, easy_number, decision, amount, effective_date="2026-11-02"):
        self.notifications.append(
            {
                "id": f"NOTIF-{next(self._ids)}",
                "easyNumber": easy_number,
                "decision": decision,
                "amount": amount,
                "currency": "EUR",
                "effectiveDate": effective_date,
                "reasonCode": "R01",
                "_created": time.time(),
            }
        )

    def handle(self, method, path, query, headers, body):
        data = json.loads(body) if body else {}
        if path == "/authentication/v1/token" and method == "POST":
            if (
                headers.get("x-api-key") != self.api_key
                or headers.get("x-cof-policy-number") != self.policy_number
                or data.get("username") != self.username
                or data.get("password") != self.password
                or data.get("grant_type") != "password"
            ):
                return _error(401, "AUTH_FAILED", "Invalid credentials")
            token = f"cof-id-{len(self.tokens) + 1}-q7"
            self.tokens.append(token)
            self.valid_tokens.add(token)
            return (
                200,
                {},
                {
                    "idToken": token,
                    "accessToken": f"cof-access-{len(self.tokens)}",
                    "refreshToken": f"cof-refresh-{len(self.tokens)}",
                    "expiresIn": 3600,
                    "tokenType": "Bearer",
                },
            )
        auth = headers.get("Authorization", "")
        if headers.get("x-api-key") != self.api_key:
            return _error(403, "FORBIDDEN", "Missing API key")
        if not auth.startswith("Bearer ") or auth[7:] not in self.valid_tokens:
            return _error(401, "UNAUTHORIZED", "Token expired")
        if path == "/companies/identifier" and method == "GET":
            value = query.get("identifierValue", [""])[0]
            company = self.companies.get(value)
            return 200, {}, {"companies": [company] if company else []}
        if path == "/products" and method == "POST":
            delivery = f"DLV-{next(self._ids)}"
            self.products.append(dict(data, deliveryId=delivery))
            return 202, {}, {"deliveryId": delivery}
        if path == "/notifications" and method == "GET":
            since = query.get("since", [""])[0]
            try:
                since_ts = (
                    time.mktime(time.strptime(since[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
                )
            except ValueError:
                return _error(400, "BAD_REQUEST", "Invalid since")
            items = [
                {k: v for k, v in n.items() if not k.startswith("_")}
                for n in self.notifications
                if self.ignore_since or n["_created"] >= since_ts
            ]
            return 200, {}, items
        if path == "/overdues" and method == "POST":
            if data.get("easyNumber") in self.failing_buyers:
                return _error(500, "INTERNAL_ERROR", "Overdue service unavailable")
            overdue = f"OVD-{next(self._ids)}"
            self.overdues.append(dict(data, overdueId=overdue))
            return 201, {}, {"overdueId": overdue}
        return _error(404, "NOT_FOUND", "Unknown path")


SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
TNS = "urn:credit-insurance:insurer:1"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


def _envelope(body):
    return (
        f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="{SOAP_NS}" '
        f'xmlns:tns="{TNS}"><soap:Body>{body}</soap:Body></soap:Envelope>'
    )


def soap_fault(code, text):
    return _envelope(
        f"<soap:Fault><faultcode>{code}</faultcode><faultstring>{text}</faultstring></soap:Fault>"
    )


class FakeSoapInsurer(FakeServer):
    """A SOAP insurer: its WSDL at ``?wsdl``, envelopes checked for the UsernameToken."""

    def __init__(self, username, password):
        super().__init__()
        self.username, self.password = username, password
        self.buyers = {}  # identifier -> (buyerId, name)
        self.limits = []
        self.decisions = []
        self.overdues = []
        self._ids = itertools.count(7001)
        with open(file_path("credit_insurance/static/wsdl/insurer.wsdl"), "rb") as wsdl:
            self.wsdl = wsdl.read()

    def reset(self):
        self.limits.clear()
        self.decisions.clear()
        self.overdues.clear()
        return super().reset()

    def busy(self, status=503, times=1, retry_after=None):
        """The next ``times`` operations are refused by the HTTP server in front of the service
        (a proxy, a rate limiter): ``status`` with a page that is not a SOAP envelope, and a
        ``Retry-After`` header when given. The WSDL is still served."""
        headers = {"Content-Type": "text/html"}
        if retry_after is not None:
            headers["Retry-After"] = str(retry_after)
        for __ in range(times):
            self.script(
                "/ws/insurer",
                status=status,
                body=f"<html><body>{status} {HTTPStatus(status).phrase}</body></html>",
                headers=dict(headers),
                method="POST",
            )

    def operations(self):
        """The names of the operations received (each try of each call), in order."""
        names = []
        for method, __, __, body in self.requests:
            if method == "POST":
                match = re.search(rb"<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?(\w+)", body)
                names.append(match.group(1).decode() if match else "?")
        return names

    def decide(self, buyer_id, status, amount, effective_date="2026-11-02"):
        self.decisions.append(
            {
                "decisionId": f"SOAP-DEC-{next(self._ids)}",
                "buyerId": buyer_id,
                "status": status,
                "amount": amount,
                "currency": "EUR",
                "effectiveDate": effective_date,
            }
        )

    def handle(self, method, path, query, headers, body):
        if method == "GET" and "wsdl" in query:
            return 200, {"Content-Type": "text/xml"}, self.wsdl
        if method != "POST":
            return 405, {}, "Method not allowed"
        xml_headers = {"Content-Type": "text/xml; charset=utf-8"}
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return 500, xml_headers, soap_fault("soap:Client", "Malformed envelope")
        username = root.find(f".//{{{WSSE}}}Username")
        password = root.find(f".//{{{WSSE}}}Password")
        if (
            username is None
            or password is None
            or username.text != self.username
            or password.text != self.password
        ):
            return (
                500,
                xml_headers,
                soap_fault("soap:Client.Authentication", "Bad username or password"),
            )
        request = root.find(f"{{{SOAP_NS}}}Body")[0]
        name = request.tag.split("}")[1]

        def field(tag):
            node = request.find(f"{{{TNS}}}{tag}")
            return node.text if node is not None else None

        if name == "SearchBuyer":
            found = self.buyers.get(field("identifierValue"))
            buyers = (
                f"<tns:buyer><tns:buyerId>{found[0]}</tns:buyerId><tns:name>{found[1]}</tns:name>"
                f"<tns:city>Lyon</tns:city><tns:country>FR</tns:country></tns:buyer>"
                if found
                else ""
            )
            return (
                200,
                xml_headers,
                _envelope(f"<tns:SearchBuyerResponse>{buyers}</tns:SearchBuyerResponse>"),
            )
        if name == "RequestLimit":
            request_id = f"REQ-{next(self._ids)}"
            self.limits.append(
                {"buyerId": field("buyerId"), "amount": field("amount"), "requestId": request_id}
            )
            return (
                200,
                xml_headers,
                _envelope(
                    f"<tns:RequestLimitResponse><tns:requestId>{request_id}</tns:requestId></tns:RequestLimitResponse>"
                ),
            )
        if name == "GetDecisions":
            items = "".join(
                "<tns:decision>"
                + "".join(f"<tns:{k}>{v}</tns:{k}>" for k, v in decision.items())
                + "</tns:decision>"
                for decision in self.decisions
            )
            return (
                200,
                xml_headers,
                _envelope(f"<tns:GetDecisionsResponse>{items}</tns:GetDecisionsResponse>"),
            )
        if name == "DeclareOverdue":
            if field("buyerId") in self.failing_buyers:
                # The server in front of the service fails (not a SOAP Fault: tried again).
                return 500, {"Content-Type": "text/html"}, "<html>500 Internal Server Error</html>"
            invoices = [n.text for n in request.iter(f"{{{TNS}}}number")]
            declaration = f"DMS-{next(self._ids)}"
            self.overdues.append(
                {"buyerId": field("buyerId"), "invoices": invoices, "id": declaration}
            )
            return (
                200,
                xml_headers,
                _envelope(
                    f"<tns:DeclareOverdueResponse><tns:declarationId>{declaration}</tns:declarationId>"
                    "</tns:DeclareOverdueResponse>"
                ),
            )
        return 500, xml_headers, soap_fault("soap:Client", f"Unknown operation {name}")
