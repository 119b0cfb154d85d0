"""The dunning rules: the next level of an invoice, the reminders of a run and their totals.

How it works. The models read the open items of a company and their history (one row per
document and currency) and turn them into the plain values below; nothing here reads the
database.

1. ``next_level(levels, item facts, date)`` walks the levels of the invoice's scenario in order
   and returns the first one the invoice has not reached yet, with the date it becomes due:
   the due date plus the level's days, never sooner than ``min_interval_days`` after the
   previous reminder, and never on the day of the previous reminder (an invoice gets at most
   one level a day, so a second run on the same day sends nothing). The level reached is
   compared by its days, whatever its scenario: when a customer moves to another scenario,
   its invoices go on after the new scenario's level with the same or fewer days. A formal
   notice is never sent twice because the scenario changed: the formal-notice levels of a
   scenario are skipped when the invoice got its formal notice under another scenario. An
   invoice handed off to litigation has no next level. Courtesy levels (negative days) are
   only sent before the due date; one marked ``only_likely_late`` only to the invoices the
   late-payment prediction flags (``likely_late``).
2. ``group_reminders(items, date, ...)`` puts the listed items into reminders: one per
   addressee (the third-party payer, the invoice address, the customer or the head office of
   the customer's group, per the scenario's grouping) and currency, or one per invoice. A
   head office reminded for its group (centralised dunning) gets one reminder listing the
   items of every member, at the highest level reached across them. An invoice whose next
   level is due on the date (and that waits for no other reminder) is *escalated*: it is
   reminded at that level; the customer's other open items are *listed* (``open``), its
   credits are netted (``credit``).
   The level of a reminder is the highest level of its escalated invoices. A reminder without
   an escalated invoice, or whose claimed amount (escalated and listed debits, credits
   netted, company currency) is under the scenario's or the level's minimum, is dropped.
3. ``reminder_totals(lines)`` sums a reminder's lines into its stored totals.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date as Date
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

# Grouping modes of a scenario.
GROUP_COMMERCIAL = "commercial"
GROUP_INVOICE_ADDRESS = "invoice_address"
GROUP_INVOICE = "invoice"
GROUP_HEAD_OFFICE = "group"

# Kinds of open items and types of reminder lines.
KIND_INVOICE = "invoice"
KIND_DEBIT = "debit"
KIND_CREDIT = "credit"
LINE_INVOICE = "invoice"
LINE_OPEN = "open"
LINE_CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class Level:
    """A level of a scenario; ``id`` is the record's, to map the result back."""

    id: int
    days: int
    sequence: int = 10
    scenario_id: int | None = None
    min_interval_days: int = 0
    min_amount: float = 0.0
    is_formal_notice: bool = False
    is_litigation: bool = False
    only_likely_late: bool = False


@dataclass(frozen=True, slots=True)
class History:
    """What an invoice already got.

    ``level_days``: days of the highest level reached (None if never reminded);
    ``last_date``: date of its last reminder sent; ``formal_notice_scenarios``: scenarios
    under which it got a formal notice; ``handed_off``: handed off to litigation.
    """

    level_days: int | None = None
    last_date: Date | None = None
    formal_notice_scenarios: frozenset = frozenset()
    handed_off: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """The next level of an invoice and the date it becomes due for it."""

    level: Level
    eligible_date: Date


def next_level(levels, date_due, date, history=History(), likely_late=False):
    """The next :class:`Step` of an invoice due on ``date_due``, seen on ``date``, or None.

    ``levels`` are the :class:`Level` of its scenario, in order (days increasing);
    ``likely_late``: the prediction flags the invoice.
    """
    if history.handed_off:
        return None
    overdue = date >= date_due
    for level in levels:
        if history.level_days is not None and level.days <= history.level_days:
            continue
        if overdue and level.days < 0:
            continue
        if level.days < 0 and level.only_likely_late and not likely_late:
            continue
        # A formal notice sent under another scenario counts for this one's.
        if level.is_formal_notice and history.formal_notice_scenarios - {level.scenario_id}:
            continue
        eligible = date_due + timedelta(days=level.days)
        if history.last_date:
            # At most one level a day, whatever the interval the level asks for.
            interval = max(level.min_interval_days, 1)
            eligible = max(eligible, history.last_date + timedelta(days=interval))
        if level.days < 0 and eligible >= date_due:
            continue  # a courtesy reminder is only sent before the due date
        return Step(level, eligible)
    return None


@dataclass(frozen=True, slots=True)
class Scenario:
    id: int
    grouping: str = GROUP_COMMERCIAL
    min_amount: float = 0.0


@dataclass(slots=True)
class Item:
    """An open item of a run (one document and currency), as the grouping sees it.

    ``residual`` is in the company currency (minimum amounts), ``key`` is whatever the caller
    needs to find its row back. ``step`` is the invoice's next level (None if none).
    ``group_id`` is the head office of the customer's group (the addressee when grouping by
    group).
    """

    move_id: int
    kind: str
    commercial_partner_id: int
    currency_id: int
    residual: float
    address_id: int | None = None
    group_id: int | None = None
    third_party_payer_id: int | None = None
    scenario_id: int | None = None
    user_id: int | None = None
    listed: bool = True
    pending: bool = False
    step: Step | None = None
    key: object = None


@dataclass(slots=True)
class Reminder:
    """A reminder to create: addressee, currency, level and its lines ``(line type, item)``."""

    partner_id: int
    currency_id: int
    user_id: int | None
    level: Level
    lines: list = field(default_factory=list)

    @property
    def escalated(self):
        return [item for line_type, item in self.lines if line_type == LINE_INVOICE]


def is_less(amount, other, rounding):
    """``amount < other`` once rounded to ``rounding`` (a currency's smallest unit)."""
    step = Decimal(repr(rounding))
    delta = (Decimal(repr(amount)) - Decimal(repr(other))) / step
    return delta.quantize(Decimal(1), rounding=ROUND_HALF_UP) < 0


def group_reminders(
    items,
    date,
    scenarios,
    default_grouping=GROUP_COMMERCIAL,
    rounding=0.01,
    default_user_id=None,
    grouping=None,
    apply_minimums=True,
):
    """The :class:`Reminder` list of a run on ``date``, ordered by addressee and currency.

    ``scenarios`` maps a scenario id to its :class:`Scenario`; ``grouping`` forces a grouping
    mode for every item (a reminder sent by hand); ``rounding`` is the company currency's.
    """
    groups = {}
    for item in items:
        if not item.listed:
            continue
        scenario = scenarios.get(item.scenario_id)
        mode = grouping or (scenario.grouping if scenario else default_grouping)
        if item.third_party_payer_id:
            addressee = item.third_party_payer_id
        elif mode == GROUP_INVOICE_ADDRESS:
            addressee = item.address_id or item.commercial_partner_id
        elif mode == GROUP_HEAD_OFFICE:
            addressee = item.group_id or item.commercial_partner_id
        else:
            addressee = item.commercial_partner_id
        key = (addressee, item.currency_id)
        if mode == GROUP_INVOICE and item.kind == KIND_INVOICE:
            key += (item.move_id,)
        group = groups.setdefault(key, {"user_id": item.user_id or default_user_id, "lines": []})
        escalates = (
            item.kind == KIND_INVOICE
            and item.step is not None
            and not item.pending
            and item.step.eligible_date <= date
        )
        if escalates:
            line_type = LINE_INVOICE
        else:
            line_type = LINE_CREDIT if item.kind == KIND_CREDIT else LINE_OPEN
        group["lines"].append((line_type, item))
    reminders = []
    # Credits of a customer reminded per invoice are listed on none of its reminders: they
    # stay in the customer's group, which has no escalated invoice.
    for key, group in groups.items():
        lines = group["lines"]
        escalated = [item for line_type, item in lines if line_type == LINE_INVOICE]
        if not escalated:
            continue
        level = max(
            (item.step.level for item in escalated), key=lambda lvl: (lvl.days, lvl.sequence)
        )
        if apply_minimums:
            claimed = sum(item.residual for line_type, item in lines if line_type != LINE_OPEN)
            scenario = scenarios.get(level.scenario_id)
            minimum = max(scenario.min_amount if scenario else 0.0, level.min_amount)
            if is_less(claimed, minimum, rounding) or claimed <= 0:
                continue
        reminders.append(
            Reminder(
                partner_id=key[0],
                currency_id=key[1],
                user_id=group["user_id"],
                level=level,
                lines=lines,
            )
        )
    reminders.sort(key=lambda reminder: (reminder.partner_id, reminder.currency_id))
    return reminders


@dataclass(frozen=True, slots=True)
class Totals:
    invoice_count: int = 0
    amount_total: float = 0.0
    amount_overdue: float = 0.0
    amount_credit: float = 0.0
    amount_due: float = 0.0

    def as_dict(self):
        return {name: getattr(self, name) for name in self.__slots__}


def reminder_totals(lines):
    """:class:`Totals` of a reminder from its lines' ``(line_type, residual, days_overdue)``.

    Reminded and listed items make the open total (overdue when past their due date), credits
    are netted; the balance due is the open total plus the (negative) credits.
    """
    count, total, overdue, credit = 0, 0.0, 0.0, 0.0
    for line_type, residual, days_overdue in lines:
        if line_type == LINE_CREDIT:
            credit += residual
            continue
        count += line_type == LINE_INVOICE
        total += residual
        if days_overdue > 0:
            overdue += residual
    return Totals(count, total, overdue, credit, total + credit)
