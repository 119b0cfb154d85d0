"""The company register: the State's company search and INSEE's API Sirene.

Both answer ``_register_search(query, postcode)`` with the same candidates (dicts of
``siren, siret, name, street, zip, city, naf_code, legal_form, active``):

- ``recherche_entreprises``: ``GET /search?q=<name or SIREN>&code_postal=…&per_page=…``
  (free, keyless; non-diffusible companies are left out by the service);
- ``sirene``: ``GET /siren/{siren}`` (the legal unit's current period) then
  ``/siret/{siret}`` for the head office's address, or ``/siret?q=…`` by name; the key in
  the header ``X-INSEE-Api-Key-Integration``. A 404 is an answer: nothing found.
"""

import re

from odoo import _
from odoo import models
from odoo.exceptions import UserError

from ..engine.bodacc import siren_from_identifier

PER_PAGE = 10


def _street(*parts):
    return " ".join(str(part) for part in parts if part) or False


class CreditRiskProvider(models.Model):
    _inherit = "credit.risk.provider"  # pylint: disable=consider-merging-classes-inherited

    def _register_search(self, query, postcode=None):
        if self.provider_code == "recherche_entreprises":
            return self._recherche_entreprises_search(query, postcode)
        if self.provider_code == "sirene":
            return self._sirene_search(query, postcode)
        return super()._register_search(query, postcode)

    # ------------------------------------------------------------
    # RECHERCHE D'ENTREPRISES
    # ------------------------------------------------------------

    def _recherche_entreprises_search(self, query, postcode=None):
        params = {"q": query, "page": 1, "per_page": PER_PAGE}
        if postcode:
            params["code_postal"] = postcode
        data = self._risk_request("register_search", "search", params=params)
        self._risk_check(
            isinstance(data, dict) and isinstance(data.get("results"), list), "register_search"
        )
        candidates = []
        for result in data["results"]:
            self._risk_check(isinstance(result, dict) and result.get("siren"), "register_search")
            siege = result.get("siege") or {}
            candidates.append(
                {
                    "siren": result["siren"],
                    "siret": siege.get("siret") or False,
                    "name": result.get("nom_raison_sociale") or result.get("nom_complet") or "",
                    "street": _street(
                        siege.get("numero_voie"), siege.get("type_voie"), siege.get("libelle_voie")
                    )
                    or siege.get("adresse")
                    or False,
                    "zip": siege.get("code_postal") or False,
                    "city": siege.get("libelle_commune") or False,
                    "naf_code": result.get("activite_principale")
                    or siege.get("activite_principale")
                    or False,
                    "legal_form": result.get("nature_juridique") or False,
                    "active": result.get("etat_administratif") != "C",
                }
            )
        return candidates

    # ------------------------------------------------------------
    # INSEE API SIRENE 3.11
    # ------------------------------------------------------------

    def _sirene_headers(self):
        key = self.sudo().api_key  # the key is system-only; sent, never shown
        if not key:
            raise UserError(
                _(
                    "Enter the API Sirene key of the provider %(provider)s first.",
                    provider=self.name,
                )
            )
        return {"X-INSEE-Api-Key-Integration": key}

    def _sirene_search(self, query, postcode=None):
        headers = self._sirene_headers()
        siren = siren_from_identifier(query)
        if siren:
            data = self._risk_request(
                "register_search", f"siren/{siren}", headers=headers, not_found=True
            )
            if not data:
                return []
            unit = data.get("uniteLegale") if isinstance(data, dict) else None
            self._risk_check(isinstance(unit, dict), "register_search")
            period = (unit.get("periodesUniteLegale") or [{}])[0]
            siret = f"{siren}{period.get('nicSiegeUniteLegale') or ''}"
            establishment = {}
            if len(siret) == 14:
                answer = self._risk_request(
                    "register_search", f"siret/{siret}", headers=headers, not_found=True
                )
                establishment = (answer or {}).get("etablissement") or {}
            return [self._sirene_candidate(unit, period, establishment)]
        q = f'denominationUniteLegale:"{re.sub(chr(34), "", query)}"'
        if postcode:
            q += f" AND codePostalEtablissement:{postcode}"
        data = self._risk_request(
            "register_search",
            "siret",
            params={"q": q, "nombre": PER_PAGE},
            headers=headers,
            not_found=True,
        )
        if not data:
            return []
        establishments = data.get("etablissements") if isinstance(data, dict) else None
        self._risk_check(isinstance(establishments, list), "register_search")
        candidates = []
        for establishment in establishments:
            unit = establishment.get("uniteLegale") or {}
            candidates.append(self._sirene_candidate(unit, unit, establishment))
        return candidates

    @staticmethod
    def _sirene_candidate(unit, period, establishment):
        address = establishment.get("adresseEtablissement") or {}
        return {
            "siren": unit.get("siren") or establishment.get("siren"),
            "siret": establishment.get("siret") or False,
            "name": period.get("denominationUniteLegale") or "",
            "street": _street(
                address.get("numeroVoieEtablissement"),
                address.get("typeVoieEtablissement"),
                address.get("libelleVoieEtablissement"),
            ),
            "zip": address.get("codePostalEtablissement") or False,
            "city": address.get("libelleCommuneEtablissement") or False,
            "naf_code": period.get("activitePrincipaleUniteLegale") or False,
            "legal_form": period.get("categorieJuridiqueUniteLegale") or False,
            "active": period.get("etatAdministratifUniteLegale") != "C",
        }
