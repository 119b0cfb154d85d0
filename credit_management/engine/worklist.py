"""Today's worklist of a collector: which customers to act on, in which order, and how.

How it works: the model gathers, for each customer of the collector's portfolio, what is
open today into a ``CustomerFacts`` (overdue amount and age, the probability it is paid
late, promises falling due, disputes past their deadline, calls due, reminders waiting for
validation, replies to read, a pause); ``rank`` returns one ``WorkItem`` per customer with
something to do, best first.

The **value of acting** is in the company currency, so that the order can be explained:

- the amount at risk: ``overdue x probability of paying late x age``, where the age weighs
  ``1 + days overdue / 30`` (capped at 180 days: 7), so that 1,000 overdue by 90 days at a
  probability of 0.5 is worth 2,000;
- plus the amount of the promises falling due today or before (chasing them is worth what
  they promised);
- plus half the amount disputed past the deadline (an escalation unblocks it).

The probability comes from the late-payment prediction when there is one, else from the
behaviour score (``1 - score / 100``, kept between 0.05 and 0.95), else 0.5.

The **next best action** is the first that applies: read the reply the customer sent,
chase the promise falling due, escalate the dispute past its deadline, make the call that
is due, send the reminder waiting for validation, call about what is overdue; a paused
customer, or one whose overdue is all promised or disputed within its deadline, waits (value
0, at the end of the list). Ties go to the oldest overdue, then to the customer's id.

>>> items = rank([
...     CustomerFacts(1, overdue_amount=1000.0, days_overdue=90, score=50),
...     CustomerFacts(2, overdue_amount=5000.0, days_overdue=10, score=90),
... ])
>>> [(item.partner_id, round(item.value), item.next_action) for item in items]
[(1, 2000, 'call_overdue'), (2, 667, 'call_overdue')]
"""

from dataclasses import dataclass
from datetime import date as Date

AGE_CAP_DAYS = 180
PROBABILITY_MIN, PROBABILITY_MAX, PROBABILITY_UNKNOWN = 0.05, 0.95, 0.5
DISPUTE_SHARE = 0.5
# The actions, in the order they are chosen.
ACTIONS = ("reply", "promise", "dispute", "call", "validate", "call_overdue", "wait")


@dataclass(frozen=True)
class CustomerFacts:
    """What is open today for one customer (amounts in the company currency)."""

    partner_id: int
    overdue_amount: float = 0.0
    days_overdue: int = 0  # of its oldest overdue item
    late_probability: float | None = None  # from the prediction, when there is one
    score: int | None = None  # behaviour score (0-100)
    promise_due_amount: float = 0.0  # open promises dated today or before
    promised_amount: float = 0.0  # open promises not yet due
    dispute_late_amount: float = 0.0  # open disputes past their deadline
    disputed_amount: float = 0.0  # open disputes within their deadline
    calls_due: int = 0
    reminders_to_validate: int = 0
    replies_to_read: int = 0
    paused_until: Date | None = None


@dataclass(frozen=True)
class WorkItem:
    partner_id: int
    rank: int
    value: float
    next_action: str  # one of ACTIONS
    reasons: tuple  # ((code, amount or count), ...): why the customer is on the list


def probability(facts):
    """The probability that the customer pays late."""
    if facts.late_probability is not None:
        return facts.late_probability
    if facts.score is not None:
        return min(PROBABILITY_MAX, max(PROBABILITY_MIN, 1 - facts.score / 100))
    return PROBABILITY_UNKNOWN


def value(facts, today=None):
    """The value of acting on the customer today (see the module's docstring)."""
    if _waits(facts, today):
        return 0.0
    at_risk = max(facts.overdue_amount - facts.promised_amount - facts.disputed_amount, 0.0)
    age = 1 + min(max(facts.days_overdue, 0), AGE_CAP_DAYS) / 30
    return (
        at_risk * probability(facts) * age
        + facts.promise_due_amount
        + facts.dispute_late_amount * DISPUTE_SHARE
    )


def _waits(facts, today):
    if facts.replies_to_read:
        return False
    if facts.paused_until and today and facts.paused_until > today:
        return True
    return False


def next_action(facts, today=None):
    """The next best action on the customer (one of ``ACTIONS``)."""
    if facts.replies_to_read:
        return "reply"
    if _waits(facts, today):
        return "wait"
    if facts.promise_due_amount > 0:
        return "promise"
    if facts.dispute_late_amount > 0:
        return "dispute"
    if facts.calls_due:
        return "call"
    if facts.reminders_to_validate:
        return "validate"
    if facts.overdue_amount - facts.promised_amount - facts.disputed_amount > 0.005:
        return "call_overdue"
    return "wait"


def reasons(facts, today=None):
    """Why the customer is on the list: ``((code, figure), ...)``."""
    found = []
    if facts.replies_to_read:
        found.append(("replies", facts.replies_to_read))
    if facts.paused_until and today and facts.paused_until > today:
        found.append(("paused", facts.paused_until))
    if facts.promise_due_amount > 0:
        found.append(("promise_due", facts.promise_due_amount))
    if facts.dispute_late_amount > 0:
        found.append(("dispute_late", facts.dispute_late_amount))
    if facts.calls_due:
        found.append(("calls", facts.calls_due))
    if facts.reminders_to_validate:
        found.append(("to_validate", facts.reminders_to_validate))
    if facts.overdue_amount > 0:
        found.append(("overdue", facts.overdue_amount))
        found.append(("days", facts.days_overdue))
    if facts.late_probability is not None and facts.overdue_amount > 0:
        found.append(("risk", facts.late_probability))
    return tuple(found)


def rank(customers, today=None):
    """The worklist: one ``WorkItem`` per customer with something open, best first."""
    scored = []
    for facts in customers:
        action = next_action(facts, today)
        if action == "wait" and not facts.overdue_amount and not facts.paused_until:
            continue  # nothing open: not on the list
        scored.append((facts, value(facts, today), action))
    scored.sort(key=lambda item: (-item[1], -item[0].days_overdue, item[0].partner_id))
    return [
        WorkItem(
            partner_id=facts.partner_id,
            rank=position,
            value=amount,
            next_action=action,
            reasons=reasons(facts, today),
        )
        for position, (facts, amount, action) in enumerate(scored, start=1)
    ]
