"""Behaviour score of a customer: a number from 0 to 100 and a grade from A to E.

How it works: the model gathers, for every customer of a company, the facts of the last 12
months into a ``ScoreFacts`` (invoices paid and how late, promises broken, disputes
rejected, what is open and overdue now); ``score`` turns them into a number and ``grade``
the number into a letter.

The score starts at 100 and loses points for each bad habit, each penalty capped so that
no single habit takes everything:

=========================  ===================================================  ==========
factor                     penalty                                              at most
=========================  ===================================================  ==========
days late on average       one point per day (weighted by the invoices' amounts)    40
invoices paid late         their share of the invoices paid, times 20               20
promises broken            10 each                                                  20
disputes rejected          5 each                                                   10
overdue now                the overdue share of the open receivable, times 10       10
=========================  ===================================================  ==========

The result is rounded to the nearest integer (halves to even, as Python's ``round``) and
kept between 0 and 100. A customer without any history (nothing paid, nothing open, no
promise broken, no dispute rejected) is neither good nor bad: ``NEUTRAL`` (60).

>>> score(ScoreFacts(invoice_count=2, avg_days_late=45.0, late_share=1.0))
40
>>> grade(40)
'D'
>>> score(ScoreFacts()), grade(score(ScoreFacts()))
(60, 'C')
"""

from dataclasses import dataclass

DAYS_LATE_MAX = 40  # one point per day late on average, at most 40
LATE_SHARE = 20  # share of the invoices paid late (0 to 1), times 20
BROKEN_PROMISE, BROKEN_PROMISE_MAX = 10, 20  # per promise broken, at most 20
REJECTED_DISPUTE, REJECTED_DISPUTE_MAX = 5, 10  # per dispute rejected, at most 10
OVERDUE_RATIO = 10  # share of the open receivable that is overdue (0 to 1), times 10
NEUTRAL = 60  # no history: neither good nor bad
SCORE_MIN, SCORE_MAX = 0, 100
# The lowest score of each grade, best grade first.
GRADES = ((80, "A"), (65, "B"), (50, "C"), (35, "D"), (0, "E"))


@dataclass(frozen=True)
class ScoreFacts:
    """What a customer did in the window (12 months) and what it owes now.

    Shares and ratios are fractions from 0 to 1; amounts are in the company currency.
    """

    invoice_count: int = 0  # invoices paid in full in the window
    avg_days_late: float = 0.0  # days between due date and payment, weighted by amount
    late_share: float = 0.0  # share of those invoices paid after their due date
    promises_broken: int = 0
    disputes_rejected: int = 0
    open_amount: float = 0.0  # open receivable now
    overdue_ratio: float = 0.0  # share of the open receivable past its due date

    @property
    def has_history(self):
        return bool(
            self.invoice_count or self.open_amount or self.promises_broken or self.disputes_rejected
        )


def penalty(facts):
    """The points lost by ``facts`` (see the table of the module), before rounding."""
    return (
        min(DAYS_LATE_MAX, facts.avg_days_late)
        + LATE_SHARE * facts.late_share
        + min(BROKEN_PROMISE_MAX, BROKEN_PROMISE * facts.promises_broken)
        + min(REJECTED_DISPUTE_MAX, REJECTED_DISPUTE * facts.disputes_rejected)
        + OVERDUE_RATIO * facts.overdue_ratio
    )


def score(facts):
    """The behaviour score of ``facts``: an integer from 0 to 100 (``NEUTRAL`` without
    history)."""
    if not facts.has_history:
        return NEUTRAL
    return max(SCORE_MIN, min(SCORE_MAX, round(SCORE_MAX - penalty(facts))))


def grade(value):
    """The grade (A to E) of a score: the first grade whose lowest score it reaches."""
    for bound, letter in GRADES:
        if value >= bound:
            return letter
    return GRADES[-1][1]
