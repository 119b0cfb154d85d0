"""BODACC notices of collective proceedings, read into plain facts.

How it works: the DILA publishes the BODACC's commercial announcements on Opendatasoft
(dataset ``annonces-commerciales``, explore API v2.1). A record of the family ``collective``
carries its own id (``id``, e.g. ``A202002333642``), the day it was published
(``dateparution``), the court (``tribunal``), the trader's name (``commercant``), the SIREN
spaced and unspaced in the array ``registre``, the kind of notice (``typeavis``: initial,
rectificatif, annulation) and, as a JSON *string*, the judgment (``jugement``: ``famille``,
``nature``, ``date``, ``complementJugement``). A corrective notice names the notice it
corrects in ``parutionavisprecedent`` (a JSON string: ``nomPublication``,
``numeroParution``, ``dateParution``, ``numeroAnnonce``).

``read_notice(record)`` turns one record into a ``Notice``: its SIREN (checked with the Luhn
key; never a name), the kind of event the judgment's nature says (``classify``), the
judgment's date, and for a corrective notice the key of the notice it changes. Keys of
notices are ``<publication>-<parution>-<annonce>`` (``notice_key``), the way corrective
notices point at earlier ones. Standard library and python-stdnum only: no Odoo.
"""

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date as Date

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

# What a judgment's nature says, tried in this order (a "plan de redressement" is a plan,
# not a receivership; a "clôture de la liquidation" is a closure).
KINDS = (
    ("cloture", "closure"),
    ("plan", "plan"),
    ("liquidation", "liquidation"),
    ("redressement", "receivership"),
    ("sauvegarde", "safeguard"),
)
# The kinds that open proceedings: what the law attaches to the judgment applies.
OPENING_KINDS = ("safeguard", "receivership", "liquidation")


@dataclass
class Notice:
    reference: str  # the record's id
    key: str  # the notice's publication key
    siren: str | None
    kind: str  # event_type
    correction: str | None  # "correction" or "cancellation" for a corrective notice
    corrects: str | None  # key of the notice it corrects
    date_published: Date | None
    date_judgment: Date | None
    court: str
    name: str
    text: str


def _plain(text):
    """Lower case without accents.

    >>> _plain("Jugement de Clôture pour insuffisance d'actif")
    "jugement de cloture pour insuffisance d'actif"
    """
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def classify(nature, famille=""):
    """The event kind of a judgment, from its nature (else its family).

    >>> classify("Jugement d'ouverture de liquidation judiciaire")
    'liquidation'
    >>> classify("Jugement arrêtant le plan de redressement")
    'plan'
    >>> classify("Jugement de clôture pour insuffisance d'actif", "Jugement de clôture")
    'closure'
    >>> classify("Jugement d'ouverture d'une procédure de sauvegarde")
    'safeguard'
    >>> classify("Jugement prononçant la résolution du plan")
    'plan'
    >>> classify("Autre jugement")
    'other'
    """
    for text in (nature, famille):
        plain = _plain(text)
        for word, kind in KINDS:
            if word in plain:
                return kind
    return "other"


def siren_of(registre):
    """The valid SIREN among the values of ``registre`` (a list, or a string), else None.

    >>> siren_of(["552 032 534", "552032534"])
    '552032534'
    >>> siren_of("552 032 535") is None
    True
    >>> siren_of(None) is None
    True
    """
    values = registre if isinstance(registre, list) else [registre or ""]
    for value in values:
        compact = re.sub(r"\D", "", str(value or ""))
        if len(compact) == 9 and stdnum_siren.is_valid(compact):
            return compact
    return None


def siren_from_identifier(value):
    """The SIREN of a SIREN, a SIRET or a French VAT number, if valid, else None.

    >>> siren_from_identifier("732 829 320 00074")
    '732829320'
    >>> siren_from_identifier("FR44732829320")
    '732829320'
    >>> siren_from_identifier("Boulangerie Martin") is None
    True
    """
    compact = re.sub(r"[\s.\-]", "", str(value or "")).upper()
    if compact.startswith("FR") and len(compact) == 13:
        compact = compact[4:]
    if len(compact) == 14:
        compact = compact[:9] if stdnum_siret.is_valid(compact) else ""
    if len(compact) == 9 and compact.isdigit() and stdnum_siren.is_valid(compact):
        return compact
    return None


def _json(value):
    """A JSON string field of a record, decoded (a dict already decoded is kept)."""
    if isinstance(value, dict):
        return value
    try:
        data = json.loads(value) if value else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _date(value):
    try:
        return Date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def notice_key(publication, parution, annonce):
    """The key of a notice as a corrective notice names it.

    >>> notice_key("BODACC A", "20260236", 1450)
    'A-20260236-1450'
    """
    publication = str(publication or "").replace("BODACC", "").strip()
    return f"{publication}-{parution or ''}-{annonce or ''}"


def read_notice(record):
    """The facts of one record of ``annonces-commerciales``.

    >>> notice = read_notice({
    ...     "id": "A202602361450", "publicationavis": "A", "parution": "20260236",
    ...     "numeroannonce": 1450, "dateparution": "2026-12-05", "typeavis": "annonce",
    ...     "tribunal": "TRIBUNAL DE COMMERCE DE LYON", "commercant": "Boulangeries Martin",
    ...     "registre": ["732 829 320", "732829320"],
    ...     "jugement": '{"famille": "Jugement d\\'ouverture", "nature": "Jugement '
    ...                 'd\\'ouverture d\\'une procédure de redressement judiciaire", '
    ...                 '"date": "2026-12-01"}'})
    >>> (notice.siren, notice.kind, notice.date_judgment.isoformat(), notice.key)
    ('732829320', 'receivership', '2026-12-01', 'A-20260236-1450')
    """
    judgment = _json(record.get("jugement"))
    typeavis = _plain(record.get("typeavis") or record.get("typeavis_lib") or "")
    correction = (
        "cancellation"
        if "annulation" in typeavis
        else "correction"
        if "rectificatif" in typeavis
        else None
    )
    previous = _json(record.get("parutionavisprecedent"))
    corrects = None
    if correction and previous:
        corrects = notice_key(
            previous.get("nomPublication"),
            previous.get("numeroParution"),
            previous.get("numeroAnnonce"),
        )
    complement = judgment.get("complementJugement") or ""
    nature = judgment.get("nature") or ""
    return Notice(
        reference=str(record.get("id") or ""),
        key=notice_key(
            record.get("publicationavis"), record.get("parution"), record.get("numeroannonce")
        ),
        siren=siren_of(record.get("registre")),
        kind=classify(nature, judgment.get("famille") or ""),
        correction=correction,
        corrects=corrects,
        date_published=_date(record.get("dateparution")),
        date_judgment=_date(judgment.get("date")),
        court=str(record.get("tribunal") or ""),
        name=str(record.get("commercant") or ""),
        text="\n".join(part for part in (nature, complement) if part),
    )
