"""A customer's reply to a reminder, read for the collector: what it says and what to do.

How it works: ``analyse`` takes the reply's plain text (the model turns the email's HTML
into text), its headers and the customer's open invoices, and returns a ``ReplyAnalysis``:

1. **Automatic replies** first: RFC 3834's ``Auto-Submitted`` header (anything but ``no``)
   and the headers mail servers add to their auto-responders (``X-Autoreply``,
   ``X-Autorespond``, ``Precedence: auto_reply``) make the reply an ``out_of_office`` with
   ``automatic`` set, whatever its body says: it never counts as an answer.
2. **The quoted reminder is cut off** (``>`` lines, "Le … a écrit :", "On … wrote:",
   "-----Original Message-----", "De : … Envoyé : …"): its words ("paiement", the amounts,
   the invoice numbers) are ours, not the customer's.
3. **The intent** comes from phrases in French and English, tried in this order, the first
   that matches winning: out of office, insolvency notice, dispute, request for a copy,
   already paid / promise, other. A reply that both says "paid" and "will pay" is a
   promise when the date it gives is after today, a payment otherwise.
4. **The date**: the expressions that look like dates (``15/01/2027``, "le 15 janvier",
   "January 15th", "demain", "next Friday", "dans 10 jours", "fin du mois", "le 15 du mois
   prochain") are read by ``dateparser`` against the day the reply arrived; a promise takes
   the first date after that day, a payment the first date on or before it.
5. **The amount**: a number next to a currency (``5 040,00 €``, ``EUR 1,234.56``, "3 200
   euros") read by ``price-parser``. Without a currency a number is not an amount (it may be
   an order number or a quantity).
6. **The invoices**: the customer's open invoices (``OpenInvoice``) whose number the reply
   names, in full (``INV/2026/00131``, any separators) or by its last number after
   "facture", "invoice", "n°" or "#".
7. **The confidence** (0 to 1) says how much of what the intent needs was found: a promise
   with its date and amount is ``HIGH`` (the only kind a company may let apply itself).

>>> from datetime import date
>>> result = analyse("Bonjour, je vous règle 5 040,00 € le 15 janvier.", today=date(2026, 12, 7))
>>> result.intent, result.date, result.amount, result.confidence
('promise', datetime.date(2027, 1, 15), 5040.0, 0.9)
>>> analyse("Back on Monday", headers={"Auto-Submitted": "auto-replied"}).intent
'out_of_office'
"""

import functools
import re
import unicodedata
from dataclasses import dataclass
from dataclasses import field
from datetime import date as Date
from datetime import datetime
from datetime import timedelta

from dateparser.date import DateDataParser
from price_parser import Price

INTENTS = ("promise", "dispute", "paid", "copy", "out_of_office", "insolvency", "other")
# A promise with its date and amount: the only suggestion a company may let apply itself.
HIGH = 0.9

# ------------------------------------------------------------
# PHRASES (matched on the text lower-cased and without accents)
# ------------------------------------------------------------

OUT_OF_OFFICE = (
    r"\b(je suis|nous sommes) (actuellement )?(absente?s?|en conges?|en vacances|en deplacement)",
    r"\bactuellement absente?\b",
    r"\breponse automatique\b",
    r"\bmessage automatique\b",
    r"\bautomatic reply\b",
    r"\bauto[- ]?reply\b",
    r"\bout of (the )?office\b",
    r"\b(i am|i'm|we are) (currently )?(away|on (annual |parental |sick )?leave|on holiday|on"
    r" vacation)",
    r"\bdu \d{1,2}(/\d{1,2})? au \d{1,2}(/\d{1,2})? inclus\b",
    r"\bde retour (le|au bureau)\b",
    r"\bback (in the office )?on (monday|tuesday|wednesday|thursday|friday|the \d)",
    r"\blimited access to (my )?e-?mails?\b",
    r"\bacces (limite|restreint) (a|aux) (mes )?(e-?mails?|messagerie|courriels?)",
)
INSOLVENCY = (
    r"\b(redressement|liquidation) judiciaire\b",
    r"\bprocedure (de sauvegarde|collective)\b",
    r"\b(mandataire|administrateur|liquidateur) judiciaire\b",
    r"\bdeclar(er|ez|ation de) (votre |vos )?creances?\b",
    r"\bcessation des paiements\b",
    r"\bjugement d'ouverture\b",
    r"\b(went|gone|going|entered|placed|is) (into |in )?(administration|liquidation"
    r"|receivership)\b",
    r"\bliquidators?\b",
    r"\b(insolvency|bankruptcy|receivership|chapter 11)\b",
    r"\b(administrators?|liquidators?|receivers?) (have|has) been appointed\b",
    r"\bproof of debt\b",
)
DISPUTE = {
    "duplicate": (
        r"\b(deja|double(ment)?) facture",
        r"\bfacturee? deux fois\b",
        r"\bdoublon\b",
        r"\b(invoiced|billed|charged) (us |me )?twice\b",
        r"\bduplicate (invoice|billing)\b",
        r"\balready (been )?(invoiced|billed)\b",
    ),
    "price": (
        r"\bprix (factures? |unitaires? )?(ne correspond|n'est pas|errone|incorrect|convenu"
        r"|negocie)",
        r"\b(tarif|remise)\b[^.]{0,25}?(ne correspond|n'a pas ete appliquee?|oubliee?|errone)",
        r"\bremise (prevue |convenue )?n'apparait pas\b",
        r"\b(wrong|incorrect) (price|rate|unit price)\b",
        r"\b(price|rate|discount) (does not|doesn't) match\b",
        r"\bagreed (price|discount|rate)\b",
        r"\bovercharged\b",
    ),
    "quantity": (
        r"\bquantite (facturee )?(ne correspond|erronee|incorrecte)",
        r"\bfacture (\d+ )?(unites|pieces|articles)? (au lieu de|pour) \d",
        r"\b\d+ (facture|factures|invoiced|billed) (au lieu de|instead of|but) \d",
        r"\b(wrong|incorrect) quantit",
        r"\bquantit(y|ies) (does not|doesn't|do not|don't) match",
        r"\bonly received \d",
    ),
    "quality": (
        r"\b(defectueu|abime|endommage|casse|non conforme|non-conforme)",
        r"\b(defective|damaged|broken|faulty|not fit|poor quality|not working)",
        r"\bne fonctionne (pas|plus)\b",
        r"\bmal (execute|realise|fait)\b",
    ),
    "not_received": (
        r"\b(pas|jamais) (ete )?(recu|livre)e?s? (la |les |de )?(marchandise|commande|colis"
        r"|livraison|prestation|materiel)",
        r"\b(marchandise|commande|colis|livraison|prestation)s? (n'a|n'ont|n'est|ne nous est) "
        r"(jamais |toujours pas |pas )?(ete )?(recue?s?|livree?s?|effectuee?s?|arrivee?s?)",
        r"\bjamais (ete )?livre",
        r"\bnon livree?s?\b",
        r"\b(never|not yet|not) (been )?(received|delivered|got) (the |your |any |our )?(goods"
        r"|order|"
        r"delivery|parcel|items|products|equipment|machine|service)",
        r"\b(goods|order|delivery|parcel|service)s? (has|have|was|were)? ?(never|not) (been )?"
        r"(arrived|received|delivered|performed)",
    ),
    "other": (
        r"\bne correspond (pas|en rien)\b",
        r"\b(contestons|conteste|contester|contestation)\b",
        r"\blitige\b",
        r"\breclamation\b",
        r"\berrone(e|es|s)?\b",
        r"\b(demandons|attendons|exigeons) un avoir\b",
        r"\bavoir (a|pour) (nous )?(emettre|etablir)",
        r"\bfaire un avoir\b",
        r"\bdo(es)? not (match|correspond|agree)\b",
        r"\b(doesn't|don't) (match|correspond|agree)\b",
        r"\b(we )?(dispute|contest|query|challenge)( this| the| your| invoice)",
        r"\bdisputed\b",
        r"\b(waiting for|awaiting|need|expect) a credit (note|memo)\b",
        r"\bnever ordered\b",
        r"\bn'avons (jamais|pas) commande\b",
        r"\bdiscrepanc(y|ies)\b",
        r"\bin error\b",
        r"\bnot correct\b",
    ),
}
COPY = (
    r"\b(copie|duplicata|double)( de( la| cette| votre| vos| ces| l')?)? ?factures?\b",
    r"\b(renvoyer|renvoyez|reenvoyer|retransmettre|transmettre|envoyer|envoyez|faire parvenir"
    r"|adresser)(-nous| nous| moi|-moi)? (a nouveau )?(la|les|cette|ces|votre|vos|une copie|un"
    r" duplicata)( de la| des)? (factures?|copie)",
    r"\b(pas|jamais) recu (la|les|votre|vos|cette|ces|de) factures?\b",
    r"\bfactures?( \S+)? (n'a|n'ont|ne nous (est|sont)) (jamais |pas )?(ete )?(recue?s?"
    r"|parvenue?s?)",
    r"\bfacture en pdf\b",
    r"\b(a )?cop(y|ies) of (the |this |your |these |that )?(invoice|bill)s?\b",
    r"\b(resend|re-send|send( us| me)?( again)?|forward|email|e-mail) (us |me )?(again )?(the|this"
    r"|that|your|these|a) (copy|invoice|bill)",
    r"\b(never|did not|didn't|have not|haven't|not) (received|got|seen) ((the|this|your|that|these"
    r"|any) )?(invoice|bill)",
    r"\b(re-?send|resubmit)\b",
    r"\b(invoice|bill)s? (was|were|has|have) (never|not) (been )?(received|sent|arrived)",
    r"\binvoice in pdf\b",
)
PAID = (
    r"\b(deja|bien) (ete )?(regle|paye|vire|solde|honore)e?s?\b",
    r"\b(avons|ai|a|ont) (deja |bien )?(regle|paye|vire|solde|effectue le (paiement|reglement"
    r"|virement)|envoye (le|un|notre) (cheque|paiement|reglement|virement))e?s?\b",
    r"\b(a|ont) ete (regle|paye|vire|solde|effectue|envoye|emis|passe)e?s?\b",
    r"\b(virement|paiement|reglement|cheque)\b[^\n]{0,30}?\b(a ete |est )(effectue|parti|envoye"
    r"|emis|passe|execute|realise)",
    r"\b(virement|paiement|reglement|cheque) (effectue|parti|envoye|emis|passe|execute|realise)",
    r"\b(payee?s?|reglee?s?|vire) (hier|avant-hier|ce matin|aujourd'hui|le \d|la semaine derniere"
    r"|lundi|mardi|mercredi|jeudi|vendredi)",
    r"\bpreuve de (paiement|virement)\b",
    r"\bavis de (virement|paiement|remise)\b",
    r"\b(already|have|has been|was|were|we) (been )?(paid|settled|transferred|wired|sent (the )?"
    r"(payment|transfer|cheque|check))\b",
    r"\b(payment|transfer|cheque|check|remittance)\b[^\n]{0,30}?\b(was|has been|went) (made|sent"
    r"|done|processed|issued|executed|out)",
    r"\b(paid|settled|wired|transferred) (it |this |the invoice |in full )?(yesterday|today|this"
    r" morning|last week|on (monday|tuesday|wednesday|thursday|friday|the \d)|on \d)",
    r"\b(proof of payment|remittance advice|payment advice)\b",
    r"\bpayment (confirmation|reference)\b",
)
PROMISE = (
    r"\b(regl|pai|pay|vir)(erons|erai|erez|era|eront)\b",
    r"\b(reglerons|reglerai|paierons|paierai|virerons|virerai|solderons|solderai|honorerons"
    r"|effectuerons|ferons le (virement|paiement|reglement)|procederons)",
    r"\b(je|nous|on) (vous )?(regle|reglons|paie|paye|payons|vire|virons)\b",
    r"\b(fais|faisons|ferai|ferons|fait|envoie|envoyons) (un|le|votre) (virement|cheque|paiement"
    r"|reglement)",
    r"\b(interviendra|passera dans|sera (inclus|integre)e? dans)\b",
    r"\bprochain (virement|paiement|reglement)\b",
    r"\b(paiement|reglement|virement)s? de [^.]{0,20}(par semaine|par mois|chaque)",
    r"\b(sera|seront) (reglee?s?|payee?s?|viree?s?|soldee?s?|effectuee?s?|honoree?s?|emise?s?"
    r"|envoyee?s?|expediee?s?|postee?s?)\b",
    r"\b(virement|paiement|reglement) (est |sera |a ete )?(programme|prevu|planifie|en cours)",
    r"\b(programme|prevu|planifie) (le |pour le |au )?(virement|paiement|reglement)",
    r"\b(allons|vais|va|pouvons|pourrons|devrions) (vous )?(regler|payer|virer|solder|effectuer)",
    r"\bmise en paiement\b",
    r"\bmis en paiement\b",
    r"\bdes (reception|que possible)\b",
    r"\b(will|shall|'ll|going to|plan to|intend to|expect to|can|could) (be )?(pay|paid|settle"
    r"|settled|transfer|transferred|wire|wired|process|processed|clear|cleared|release|released)\b",
    r"\bpayment (is|has been|will be) (scheduled|planned|due|booked|approved|released)",
    r"\b(is|are|has been|have been) (scheduled|planned)\b",
    r"\bwill go out\b",
    r"\bscheduled (for )?(payment|the transfer|a transfer)\b",
    r"\bpayment run\b",
    r"\b(next|this) payment (run|cycle)\b",
)
# Where the quoted reminder starts.
QUOTE_MARKERS = (
    r"^\s*>",
    r"^\s*-{2,}\s*(original message|message d'origine|message original)",
    r"^\s*(le|on) .{0,120}(a ecrit|wrote)\s*:?\s*$",
    r"^\s*(de|from)\s*:.*$",
    r"^\s*_{5,}\s*$",
)
# RFC 3834 and the auto-responders' own headers.
AUTO_HEADERS = {
    "auto-submitted": lambda v: v and v.strip().lower() != "no",
    "x-autoreply": lambda v: bool(v),
    "x-autorespond": lambda v: bool(v),
    "precedence": lambda v: v and v.strip().lower() in ("auto_reply", "auto-reply"),
}

# ------------------------------------------------------------
# DATES AND AMOUNTS
# ------------------------------------------------------------

MONTHS = (
    r"janv(ier)?|fevr(ier)?|fev|mars|avr(il)?|mai|juin|juil(let)?|aout|sept(embre)?|oct(obre)?|"
    r"nov(embre)?|dec(embre)?|january|jan|february|feb|march|mar|april|apr|may|june|jun|july|"
    r"jul|august|aug|september|sep|october|november|december"
)
WEEKDAYS = (
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday"
)
NUMBERS = (
    r"\d{1,3}|un|une|deux|trois|quatre|cinq|six|sept|huit|dix|quinze|vingt|trente|one|two|"
    r"three|four|five|ten|fifteen|twenty|thirty"
)
DATE_PATTERN = re.compile(
    "|".join(
        (
            r"(?P<iso>\b\d{4}-\d{2}-\d{2}\b)",
            r"(?P<numeric>\b\d{1,2}[/.-]\d{1,2}(?:[/.-](?:\d{4}|\d{2}))?\b)",
            rf"(?P<daymonth>\b\d{{1,2}}(?:er|st|nd|rd|th)?(?: of)? (?:{MONTHS})\.?(?: \d{{4}})?\b)",
            rf"(?P<monthday>\b(?:{MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?\b)",
            rf"(?P<mid>\b(?:mi|mid|mi-|mid-) ?(?:{MONTHS})\b)",
            rf"(?P<within>\b(?:dans|sous|d'ici|within|in) (?:{NUMBERS}) (?:jours?|days?|semaines?"
            rf"|weeks?)\b)",
            r"(?P<monthend>\b(?:(?:a la |en )?fin (?:du |de ce |de mois|du mois)(?:mois|courant)?|"
            r"(?:by |at )?(?:the )?end of (?:the |this )?month)\b)",
            r"(?P<weekend>\b(?:(?:a la |en )?fin de (?:la |cette )?semaine|(?:by |at )?(?:the"
            r" )?end of "
            r"(?:the |this )?week)\b)",
            r"(?P<nextweek>\b(?:la semaine prochaine|semaine prochaine|next week)\b)",
            r"(?P<nextmonthday>\b(?:le |the )?\d{1,2}(?:er|st|nd|rd|th)? (?:du mois "
            r"(?:prochain|suivant)|de ce mois|of (?:the )?(?:next|following) month)\b)",
            rf"(?P<weekday>\b(?:(?:next|this|ce|on|last) )?(?:{WEEKDAYS})(?: prochain| next|"
            rf" dernier)?\b(?! \d))",
            r"(?P<dayonly>\b(?:le|du|au|the) \d{1,2}(?:er|st|nd|rd|th)?\b(?! ?[/.:h-]?\d)(?! ?"
            r"(?:jours?|days?|semaines?|"
            rf"weeks?|mois|months?|%|€|eur|unit|piece|article|h\b|of (?:{MONTHS})|"
            rf"(?:{MONTHS})\b)))",
            r"(?P<relative>\b(?:apres-demain|apres demain|avant-hier|avant hier|demain|"
            r"aujourd'hui|hier|ce matin|tomorrow|today|yesterday|this morning|tmrw|tmw|2morrow|"
            r"day after tomorrow)\b)",
        )
    )
)
DATEPARSER_LANGUAGES = ["fr", "en"]
RELATIVE_DAYS = {
    "avant hier": -2,
    "hier": -1,
    "yesterday": -1,
    "aujourd'hui": 0,
    "today": 0,
    "ce matin": 0,
    "this morning": 0,
    "demain": 1,
    "tomorrow": 1,
    "tmrw": 1,
    "tmw": 1,
    "2morrow": 1,
    "apres demain": 2,
    "day after tomorrow": 2,
}
WORD_NUMBERS = {
    "un": 1,
    "une": 1,
    "one": 1,
    "deux": 2,
    "two": 2,
    "trois": 3,
    "three": 3,
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "dix": 10,
    "ten": 10,
    "quinze": 15,
    "fifteen": 15,
    "vingt": 20,
    "twenty": 20,
    "trente": 30,
    "thirty": 30,
}
CURRENCY = r"(?:€|eur|euros?|\$|usd|dollars?|£|gbp|chf)"
# A number: 5 040,00 / 5.040,00 / 5,040.00 / 5040 / 1 234.5 (any grouping).
NUMBER = r"\d{1,3}(?:[  .,']\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
AMOUNT_PATTERN = re.compile(
    rf"(?:{CURRENCY}\s?(?P<after>{NUMBER}))|(?:(?P<before>{NUMBER})\s?{CURRENCY})(?![a-z])",
)
INVOICE_WORDS = r"(?:factures?|invoices?|inv|fac|n°|no\.?|num(?:ero)?|ref(?:erence)?|#)"


@dataclass(frozen=True)
class OpenInvoice:
    """One of the customer's open invoices, as the reply may name it."""

    id: int
    name: str  # its number, e.g. INV/2026/00131
    residual: float = 0.0


@dataclass(frozen=True)
class ReplyAnalysis:
    """What a reply says."""

    intent: str  # one of INTENTS
    confidence: float  # 0 to 1
    date: Date | None = None  # the date promised or paid
    amount: float | None = None  # the amount promised or paid, in the reply's currency
    currency: str | None = None  # as written (€, EUR, $…)
    invoice_ids: tuple = ()  # ids of the OpenInvoice named
    reason: str | None = None  # a dispute's kind: price, quantity, quality, not_received…
    automatic: bool = False  # an auto-reply (headers or body): never an answer
    text: str = ""  # the customer's own words (the quoted reminder cut off)
    matched: tuple = field(default=(), compare=False)  # the phrases that decided

    @property
    def is_answer(self):
        """Whether the reply counts as the customer's answer (an auto-reply never does)."""
        return not self.automatic and self.intent != "out_of_office"


# ------------------------------------------------------------
# TEXT
# ------------------------------------------------------------


def fold(text):
    """``text`` lower-cased, without accents, typographic apostrophes as ', spaces single."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
    )
    return re.sub(r"[ \t]+", " ", text.lower())


def own_words(text):
    """The customer's own words: ``text`` up to the quoted reminder."""
    lines = []
    for line in (text or "").splitlines():
        folded = fold(line)
        if any(_compiled(marker).search(folded) for marker in QUOTE_MARKERS):
            break
        lines.append(line)
    return "\n".join(lines).strip()


def is_automatic(headers):
    """Whether ``headers`` (a mapping, any case) mark an automatic reply (RFC 3834)."""
    for name, value in (headers or {}).items():
        check = AUTO_HEADERS.get(name.lower())
        if check and check(value):
            return True
    return False


# The phrase tables hold more patterns than ``re``'s own cache: compiled once, kept here.
_compiled = functools.lru_cache(maxsize=4096)(re.compile)


def _matches(patterns, text):
    return [pattern for pattern in patterns if _compiled(pattern).search(text)]


# ------------------------------------------------------------
# DATES, AMOUNTS, INVOICES
# ------------------------------------------------------------


def _end_of_month(day):
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def _read_date(kind, expression, today):
    """The date ``expression`` (of the ``kind`` of DATE_PATTERN) means, the reply received
    ``today``."""
    backwards = bool(re.search(r"\b(last|dernier)\b", expression))
    if kind == "relative":
        return today + timedelta(days=RELATIVE_DAYS[expression.replace("-", " ")])
    if kind == "iso":
        return Date.fromisoformat(expression)
    if kind == "within":
        count, unit = expression.split()[-2:]
        count = int(count) if count.isdigit() else WORD_NUMBERS[count]
        return today + timedelta(days=count * (7 if unit[0] in "sw" else 1))
    if kind == "monthend":
        return _end_of_month(today)
    if kind == "weekend":
        return today + timedelta(days=(4 - today.weekday()) % 7)
    if kind == "nextweek":
        return today + timedelta(days=7 - today.weekday())
    if kind == "mid":
        expression = "15 " + re.sub(r"^(mid|mi)-? ?", "", expression)
    if (
        kind == "numeric"
        and expression.count("/") + expression.count(".") + expression.count("-") == 1
    ):
        expression = expression.replace(".", "/").replace("-", "/")
    expression = re.sub(r"\b(ce|this|on|prochain|last|dernier)\b", "", expression).strip()
    if kind == "weekday":
        expression = re.sub(r"\bnext\b", "", expression).strip()
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "current_period",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if kind in ("within", "weekday"):
        settings["PREFER_DATES_FROM"] = "future"
    if kind == "relative":
        settings["PREFER_DATES_FROM"] = "current_period"
    parsed = _parse(expression, settings)
    if not parsed and kind == "numeric":
        # 12/18/2026: written month first (English).
        settings["DATE_ORDER"] = "MDY"
        parsed = _parse(expression, settings)
    if not parsed:
        return None
    result = parsed.date()
    if kind in ("daymonth", "monthday", "mid", "numeric") and not re.search(
        r"\d{4}|\d[/.-]\d{1,2}[/.-]\d{2}$", expression
    ):
        # No year written: the next such day after 6 months back (a payment is recent, a
        # promise is soon): "le 15 janvier" in December is next year's.
        if (today - result).days > 183:
            result = result.replace(year=result.year + 1)
        elif (result - today).days > 183:
            result = result.replace(year=result.year - 1)
    if kind == "weekday" and backwards:
        while result >= today:
            result -= timedelta(days=7)
    elif kind == "weekday" and result <= today:
        result += timedelta(days=7)
    return result


@functools.lru_cache(maxsize=64)
def _date_parser(settings):
    """One ``dateparser`` parser per settings: it keeps its locales between replies (a new
    one for each expression, as ``dateparser.parse`` makes, reloads them)."""
    return DateDataParser(languages=DATEPARSER_LANGUAGES, settings=dict(settings))


def _parse(expression, settings):
    return _date_parser(tuple(sorted(settings.items()))).get_date_data(expression).date_obj


def _day_of_month(expression, today):
    """ "le 15": the 15th of this month or the next (a promise), and the last 15th before
    today (a payment)."""
    number = int(re.search(r"\d+", expression).group(0))
    days = []
    for offset in (0, 1, -1):
        month = (today.month - 1 + offset) % 12 + 1
        year = today.year + (today.month - 1 + offset) // 12
        try:
            days.append(Date(year, month, number))
        except ValueError:
            continue
    future = [day for day in days if day > today]
    past = [day for day in days if day <= today]
    return ([min(future)] if future else []) + ([max(past)] if past else [])


def _day_of_next_month(expression, today):
    """ "le 15 du mois prochain", "the 15th of next month": that day of the next month ("de
    ce mois": of this one); None when the month has no such day."""
    number = int(re.search(r"\d+", expression).group(0))
    offset = 0 if "de ce mois" in expression else 1
    month = (today.month - 1 + offset) % 12 + 1
    year = today.year + (today.month - 1 + offset) // 12
    try:
        return Date(year, month, number)
    except ValueError:
        return None


def find_dates(text, today):
    """The dates ``text`` names, in order."""
    folded = fold(text)
    dates = []
    for match in DATE_PATTERN.finditer(folded):
        kind = match.lastgroup
        expression = match.group(kind)
        if kind == "dayonly":
            dates.extend(_day_of_month(expression, today))
            continue
        if kind == "nextmonthday":
            day = _day_of_next_month(expression, today)
            dates.extend([day] if day else [])
            continue
        try:
            day = _read_date(kind, expression, today)
        except (ValueError, OverflowError):
            day = None
        if day and abs((day - today).days) <= 400:
            dates.append(day)
    return dates


def find_amounts(text):
    """The amounts ``text`` names next to a currency: ``[(amount, currency)]``."""
    amounts = []
    for match in AMOUNT_PATTERN.finditer(fold(text)):
        written = match.group(0).strip()
        price = Price.fromstring(written)
        if price.amount is not None and price.amount > 0:
            amounts.append((float(price.amount), price.currency))
    return amounts


def _compact(text):
    return re.sub(r"[^0-9a-z]", "", fold(text))


def find_invoices(text, invoices):
    """The ``invoices`` (``OpenInvoice``) that ``text`` names, in their order."""
    folded = fold(text)
    compact = _compact(text)
    found = []
    for invoice in invoices:
        name = _compact(invoice.name)
        named = bool(name) and name in compact
        if not named:
            number = re.findall(r"\d+", invoice.name)
            tail = number[-1].lstrip("0") if number else ""
            if len(tail) >= 2:
                pattern = _compiled(
                    rf"{INVOICE_WORDS}\s?[:.]?\s?(?:[a-z]+[/-])?(?:\d{{4}}[/-])?0*{tail}\b"
                )
                named = bool(pattern.search(folded))
        if named:
            found.append(invoice)
    return found


def _strip(text, invoices):
    """``text`` without the invoice numbers (their digits are no dates nor amounts)."""
    for invoice in invoices:
        text = re.sub(re.escape(invoice.name), " ", text, flags=re.IGNORECASE)
    return re.sub(r"\b[a-z]{2,5}/\d{4}/\d+\b", " ", text, flags=re.IGNORECASE)


# ------------------------------------------------------------
# ANALYSIS
# ------------------------------------------------------------


def analyse(text, subject="", headers=None, today=None, invoices=()):
    """Read a reply: see the module's docstring.

    :param text: the reply's plain text (quoted reminder included: it is cut off here)
    :param subject: its subject
    :param headers: its headers (a mapping), for RFC 3834
    :param today: the day it was received (dates are read against it)
    :param invoices: the customer's open invoices (``OpenInvoice``)
    """
    today = today or Date.today()
    words = own_words(text)
    if is_automatic(headers):
        return ReplyAnalysis("out_of_office", 1.0, automatic=True, text=words)
    folded = fold(words)
    folded_subject = fold(subject)
    matched = _matches(OUT_OF_OFFICE, folded) or _matches(
        (r"\b(absent|out of office|automatic reply|reponse automatique|auto[- ]?reply)\b",),
        folded_subject,
    )
    if matched:
        return ReplyAnalysis(
            "out_of_office", 0.9, automatic=True, text=words, matched=tuple(matched)
        )
    named = find_invoices(words, invoices)
    invoice_ids = tuple(invoice.id for invoice in named)
    clean = _strip(words, invoices)
    matched = _matches(INSOLVENCY, folded)
    if matched:
        return ReplyAnalysis(
            "insolvency", 0.9, invoice_ids=invoice_ids, text=words, matched=tuple(matched)
        )
    for reason in ("duplicate", "price", "quantity", "quality", "not_received", "other"):
        matched = _matches(DISPUTE[reason], folded)
        if matched:
            amounts = find_amounts(clean)
            return ReplyAnalysis(
                "dispute",
                0.85 if invoice_ids else 0.7,
                amount=amounts[0][0] if amounts else None,
                currency=amounts[0][1] if amounts else None,
                invoice_ids=invoice_ids,
                reason=reason,
                text=words,
                matched=tuple(matched),
            )
    matched = _matches(COPY, folded)
    if matched:
        return ReplyAnalysis(
            "copy",
            0.85 if invoice_ids else 0.75,
            invoice_ids=invoice_ids,
            text=words,
            matched=tuple(matched),
        )
    paid = _matches(PAID, folded)
    promise = _matches(PROMISE, folded)
    if paid or promise:
        dates = find_dates(clean, today)
        amounts = find_amounts(clean)
        future = [day for day in dates if day > today]
        past = [day for day in dates if day <= today]
        intent = "promise" if promise and (future or not paid) else "paid"
        day = (future or [None])[0] if intent == "promise" else (past or [None])[0]
        amount, currency = amounts[0] if amounts else (None, None)
        if intent == "promise":
            confidence = HIGH if day and amount else 0.75 if day else 0.5
        else:
            confidence = 0.85 if day or amount else 0.7
        return ReplyAnalysis(
            intent,
            confidence,
            date=day,
            amount=amount,
            currency=currency,
            invoice_ids=invoice_ids,
            text=words,
            matched=tuple(promise if intent == "promise" else paid),
        )
    return ReplyAnalysis("other", 0.3, invoice_ids=invoice_ids, text=words)
