"""French statutory late fees (article L441-10 of the Commercial Code): interest and indemnity.

How it works. The models give, for each invoice, its receivable terms: the amount due on each
due date and the payments (or credit notes) reconciled with it, each with its date.

- ``interest_rate`` is the yearly rate of late interest: the ECB rate plus points (10 in
  France), or a fixed rate agreed with the customers.
- ``invoice_late_fees`` computes, on a date, the interest of each term: from its due date on
  the part still unpaid, at the yearly rate on a 365-day year; every payment made before the
  date lowers the base from its own date on (a payment before the due date simply lowers
  the base from the start). Payments on or after the date are not known yet. The days late
  of the invoice are those of its oldest term still unpaid; the fixed recovery indemnity
  (40 EUR in France) is owed once per invoice unpaid after its due date. An invoice without
  any unpaid term past its due date owes nothing (None).
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import ROUND_HALF_UP
from decimal import Decimal

INTEREST_ECB = "ecb"
INTEREST_FIXED = "fixed"
YEAR_DAYS = 365


def interest_rate(mode, ecb_rate=0.0, points=0.0, fixed_rate=0.0):
    """Yearly rate (%) of late interest: the fixed rate, or the ECB rate plus points."""
    if mode == INTEREST_FIXED:
        return fixed_rate
    return ecb_rate + points


def round_amount(amount, rounding):
    """``amount`` rounded half-up to ``rounding`` (a currency's smallest unit, e.g. 0.01)."""
    step = Decimal(repr(rounding))
    units = (Decimal(repr(amount)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return float(units * step)


@dataclass(frozen=True, slots=True)
class Payment:
    date: Date
    amount: float


@dataclass(frozen=True, slots=True)
class Term:
    """A receivable term of an invoice: ``amount`` due on ``date_due``, its ``payments``."""

    date_due: Date
    amount: float
    payments: tuple = ()


@dataclass(frozen=True, slots=True)
class LateFees:
    days_late: int
    interest: float
    indemnity: float

    @property
    def total(self):
        return self.interest + self.indemnity


def recovery_indemnity(indemnity, days_late):
    """The fixed indemnity is owed by an invoice paid (or unpaid) after its due date."""
    return indemnity if days_late > 0 else 0.0


def term_interest(term, date, rate, rounding=0.01):
    """``(interest, days late)`` of one term on ``date``; days late is 0 when paid."""
    outstanding = term.amount
    since = term.date_due
    interest = 0.0
    for payment in sorted(term.payments, key=lambda p: (p.date, p.amount)):
        if payment.date >= date:
            break
        if payment.date > since and outstanding > 0:
            interest += outstanding * rate / 100 * (payment.date - since).days / YEAR_DAYS
            since = payment.date
        outstanding -= payment.amount
    if round_amount(outstanding, rounding) > 0 and date > since:
        interest += outstanding * rate / 100 * (date - since).days / YEAR_DAYS
        return interest, (date - term.date_due).days
    return interest, 0


def invoice_late_fees(terms, date, rate, indemnity, rounding=0.01):
    """:class:`LateFees` of an invoice of ``terms`` on ``date``, or None if not late.

    ``rate`` is the yearly rate (%), ``indemnity`` the recovery indemnity in the invoice's
    currency, ``rounding`` that currency's smallest unit.
    """
    days_late, interest = 0, 0.0
    for term in terms:
        term_amount, term_days = term_interest(term, date, rate, rounding)
        interest += term_amount
        days_late = max(days_late, term_days)
    if days_late <= 0:
        return None
    return LateFees(
        days_late, round_amount(interest, rounding), recovery_indemnity(indemnity, days_late)
    )
