"""Fake public registers on 127.0.0.1, answering as their documented APIs do.

``FakeRegisters`` is one threaded HTTP server (port 0) that serves:

- the Opendatasoft explore API v2.1 of the BODACC: ``GET /api/explore/v2.1/catalog/
  datasets/annonces-commerciales/records`` with ``where`` (the two clauses the provider
  sends: ``familleavis="collective"`` and ``dateparution=date'YYYY-MM-DD'``), ``order_by``,
  ``limit`` (at most 100, else HTTP 400 as Opendatasoft answers) and ``offset``; the answer
  is ``{"total_count": N, "results": [...]}`` with the records of ``notices`` published
  that day;
- the State's company search: ``GET /search?q=…`` → ``{"results", "total_results", "page",
  "per_page", "total_pages"}``, matching a SIREN or a part of the name;
- INSEE's API Sirene 3.11: ``/api-sirene/3.11/siren/{siren}`` and ``/siret/{siret}``,
  the key checked in ``X-INSEE-Api-Key-Integration`` (401 otherwise), 404 when unknown.

Faults are queued with ``fail(path_fragment, status, body, headers, delay)``: the next
request whose path contains the fragment gets that answer (after ``delay`` seconds). Every
request is kept in ``requests`` as ``(path, query dict, headers)``.
"""

import contextlib
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlsplit

RECORDS_PATH = "/api/explore/v2.1/catalog/datasets/annonces-commerciales/records"
WHERE_DAY = re.compile(r"dateparution\s*=\s*date'(\d{4}-\d{2}-\d{2})'")


def bodacc_record(record_id, siren, nature, judgment_date, published, number, **extra):
    """A record of ``annonces-commerciales`` as the DILA publishes it (sample of the docs)."""
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}" if siren else ""
    record = {
        "id": record_id,
        "publicationavis": "A",
        "publicationavis_facette": "Bodacc A",
        "parution": published.replace("-", "")[:4] + "0" + str(number)[:3],
        "dateparution": published,
        "numeroannonce": number,
        "typeavis": "annonce",
        "typeavis_lib": "Avis initial",
        "familleavis": "collective",
        "familleavis_lib": "Procédures collectives",
        "tribunal": "TRIBUNAL DE COMMERCE DE LYON",
        "commercant": extra.pop("name", "BOULANGERIES MARTIN"),
        "ville": "Lyon",
        "cp": "69002",
        "numerodepartement": "69",
        "registre": [spaced, siren] if siren else [],
        "listepersonnes": json.dumps({"personne": {"typePersonne": "pm"}}),
        "jugement": json.dumps(
            {
                "type": "initial",
                "famille": "Jugement d'ouverture",
                "nature": nature,
                "date": judgment_date,
                "complementJugement": "Mandataire judiciaire : SELARL MJ Synergie, Lyon.",
            }
        ),
    }
    record.update(extra)
    return record


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        fake = self.server.fake
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        fake.requests.append((parts.path, query, dict(self.headers)))
        fault = fake._next_fault(parts.path)
        if fault:
            time.sleep(fault["delay"])
            status, headers, body = fault["status"], fault["headers"], fault["body"]
        else:
            status, headers, body = fake.answer(parts.path, query, self.headers)
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json; charset=utf-8", **headers}
        payload = body.encode() if isinstance(body, str) else body
        # The client may have given up (a timeout under test): nothing to answer then.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)


class FakeRegisters:
    def __init__(self, sirene_key="insee-key-123"):
        self.notices = []
        self.companies = []  # recherche-entreprises results
        self.sirene_key = sirene_key
        self.requests = []
        self.faults = []
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.fake = self
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self):
        self.notices.clear()
        self.companies.clear()
        self.requests.clear()
        self.faults.clear()

    def fail(self, fragment, status=500, body=None, headers=None, delay=0.0):
        with self._lock:
            self.faults.append(
                {
                    "fragment": fragment,
                    "status": status,
                    "body": {"error_code": "ServerError", "message": "boom"}
                    if body is None
                    else body,
                    "headers": headers or {},
                    "delay": delay,
                }
            )

    def _next_fault(self, path):
        with self._lock:
            for fault in self.faults:
                if fault["fragment"] in path:
                    self.faults.remove(fault)
                    return fault
        return None

    def calls(self, fragment):
        return [request for request in self.requests if fragment in request[0]]

    # ------------------------------------------------------------
    # ANSWERS
    # ------------------------------------------------------------

    def answer(self, path, query, headers):
        if path == RECORDS_PATH:
            return self._records(query)
        if path == "/search":
            return self._search(query)
        if path.startswith("/api-sirene/3.11/"):
            return self._sirene(path[len("/api-sirene/3.11/") :], headers)
        return 404, {}, {"error": "not found"}

    def _records(self, query):
        limit = int(query.get("limit", 10))
        offset = int(query.get("offset", 0))
        if limit > 100:
            return (
                400,
                {},
                {"error_code": "InvalidRESTParameterError", "message": "limit must be <= 100"},
            )
        where = query.get("where", "")
        day = WHERE_DAY.search(where)
        records = [
            r
            for r in self.notices
            if 'familleavis="collective"' in where
            and r["familleavis"] == "collective"
            and (not day or r["dateparution"] == day.group(1))
        ]
        records.sort(key=lambda r: r["id"])
        return 200, {}, {"total_count": len(records), "results": records[offset : offset + limit]}

    def _search(self, query):
        text = (query.get("q") or "").lower().replace(" ", "")
        results = [
            c
            for c in self.companies
            if text == c["siren"] or text in c["nom_complet"].lower().replace(" ", "")
        ]
        return (
            200,
            {},
            {
                "results": results,
                "total_results": len(results),
                "page": 1,
                "per_page": 10,
                "total_pages": 1,
            },
        )

    def _sirene(self, path, headers):
        if headers.get("X-INSEE-Api-Key-Integration") != self.sirene_key:
            return 401, {}, {"header": {"statut": 401, "message": "Clé d'API invalide"}}
        kind, _sep, number = path.partition("/")
        for company in self.companies:
            siege = company["siege"]
            if kind == "siren" and number == company["siren"]:
                period = {
                    "dateFin": None,
                    "etatAdministratifUniteLegale": company["etat_administratif"],
                    "denominationUniteLegale": company["nom_raison_sociale"],
                    "categorieJuridiqueUniteLegale": company["nature_juridique"],
                    "activitePrincipaleUniteLegale": company["activite_principale"],
                    "nicSiegeUniteLegale": siege["siret"][9:],
                }
                unit = {"siren": company["siren"], "periodesUniteLegale": [period]}
                return 200, {}, {"header": {"statut": 200, "message": "OK"}, "uniteLegale": unit}
            if kind == "siret" and number == siege["siret"]:
                establishment = {
                    "siren": company["siren"],
                    "siret": siege["siret"],
                    "adresseEtablissement": {
                        "numeroVoieEtablissement": siege["numero_voie"],
                        "typeVoieEtablissement": siege["type_voie"],
                        "libelleVoieEtablissement": siege["libelle_voie"],
                        "codePostalEtablissement": siege["code_postal"],
                        "libelleCommuneEtablissement": siege["libelle_commune"],
                    },
                }
                return 200, {}, {"header": {"statut": 200}, "etablissement": establishment}
        return 404, {}, {"header": {"statut": 404, "message": "Aucun élément trouvé"}}


def register_company(siren, siret, name, active=True):
    """A result of the State's company search (its documented fields)."""
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": name,
        "nature_juridique": "5710",
        "activite_principale": "10.71C",
        "etat_administratif": "A" if active else "C",
        "siege": {
            "siret": siret,
            "numero_voie": "12",
            "type_voie": "RUE",
            "libelle_voie": "DE LA REPUBLIQUE",
            "adresse": "12 RUE DE LA REPUBLIQUE 69002 LYON",
            "code_postal": "69002",
            "libelle_commune": "LYON",
            "activite_principale": "10.71C",
        },
    }
