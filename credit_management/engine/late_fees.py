"""French statutory late fees (article L441-10 of the Commercial Code): interest and indemnity.

How it works. The models give, for each invoice, its receivable terms: the amount due on each
due date and the payments (or credit notes) reconciled with it, each with its date.

- The yearly rate of late interest is the ECB rate plus points (10 in France), or a fixed
  rate agreed with the customers.
- The ECB rate changes by half-year: the rate in force on 1 January applies to every day of
  the first half-year, the one in force on 1 July to the second. ``half_year_rates`` turns the
  company's table of ECB rates into a :class:`Rates` (the yearly rate of each day) for the
  days a computation needs; a half-year missing from the table takes the rate of the last
  half-year before it (the ECB rate stays until the ECB changes it) and is reported, so that
  the models remind the user to fill it in.
- A :class:`Rates` gives the interest of an amount between two dates day by day, each day at
  its own rate; a plain number is a constant rate (the fixed-rate option).
- ``invoice_late_fees`` computes, on a date, the interest of each term: from its due date on
  the part still unpaid, at the yearly rate on a 365-day year; every payment made before the
  date lowers the base from its own date on (a payment before the due date simply lowers
  the base from the start). Payments on or after the date are not known yet. The days late
  of the invoice are those of its oldest term still unpaid; the fixed recovery indemnity
  (40 EUR in France) is owed once per invoice unpaid after its due date. An invoice without
  any unpaid term past its due date owes nothing (None).
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import date as Date
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

INTEREST_ECB = "ecb"
INTEREST_FIXED = "fixed"
YEAR_DAYS = 365


def half_year_start(day):
    """First day (1 January or 1 July) of the half-year of ``day``."""
    return Date(day.year, 1 if day.month <= 6 else 7, 1)


def next_half_year(start):
    """First day of the half-year after the one starting on ``start``."""
    return Date(start.year, 7, 1) if start.month == 1 else Date(start.year + 1, 1, 1)


def half_years(first_day, last_day):
    """First days of the half-years from the one of ``first_day`` to the one of ``last_day``.

    >>> half_years(Date(2024, 5, 2), Date(2025, 1, 3))
    [datetime.date(2024, 1, 1), datetime.date(2024, 7, 1), datetime.date(2025, 1, 1)]
    """
    starts, start = [], half_year_start(first_day)
    while start <= last_day:
        starts.append(start)
        start = next_half_year(start)
    return starts


@dataclass(frozen=True, slots=True)
class Rates:
    """Yearly rates (%) by period: ``periods`` are ``(first day, rate)`` by first day; each
    rate applies from its first day to the day before the next one (the last one onwards).
    Days before the first period take its rate."""

    periods: tuple

    @classmethod
    def constant(cls, rate):
        return cls(((Date.min, rate),))

    def rate_on(self, day):
        rate = self.periods[0][1]
        for first_day, period_rate in self.periods:
            if first_day > day:
                break
            rate = period_rate
        return rate

    def spans(self, start, end):
        """``(rate, days)`` of each period over the days after ``start`` up to ``end``
        included (periods without any of those days left out)."""
        first, last = start + timedelta(days=1), end + timedelta(days=1)
        for index, (first_day, rate) in enumerate(self.periods):
            low = max(first, first_day) if index else first
            following = index + 1 < len(self.periods) and self.periods[index + 1][0]
            high = min(last, following) if following else last
            if high > low:
                yield rate, (high - low).days

    def interest(self, amount, start, end):
        """Interest on ``amount`` for the days after ``start`` up to ``end`` included, each
        day at its own period's rate, on a 365-day year.

        >>> rates = Rates(((Date(2024, 1, 1), 10.0), (Date(2024, 7, 1), 20.0)))
        >>> round(rates.interest(365.0, Date(2024, 6, 20), Date(2024, 7, 10)), 2)
        3.0
        """
        return sum(amount * rate / 100 * days / YEAR_DAYS for rate, days in self.spans(start, end))

    def rates_between(self, start, end):
        """The distinct rates of the days after ``start`` up to ``end``, in their order."""
        return list(dict.fromkeys(rate for rate, _days in self.spans(start, end)))


@dataclass(frozen=True, slots=True)
class HalfYearRates:
    """Result of :func:`half_year_rates`: the ``rates``, the half-years ``missing`` from the
    table (given the rate of the half-year before) and those ``unknown`` (no rate before)."""

    rates: Rates
    missing: tuple
    unknown: tuple


def half_year_rates(ecb_rates, first_day, last_day, points):
    """Late interest rates of the days from ``first_day`` to ``last_day``: the ECB rate of
    each day's half-year plus ``points``.

    ``ecb_rates`` maps the first day of a half-year to its ECB rate (%). A half-year without
    a rate takes the one of the latest half-year before it and is listed in ``missing``; a
    half-year before every known rate is listed in ``unknown`` (rate: the points alone, for
    the models to refuse).

    >>> result = half_year_rates(
    ...     {Date(2024, 1, 1): 4.5, Date(2024, 7, 1): 4.25}, Date(2024, 12, 1), Date(2025, 2, 1), 10
    ... )
    >>> result.rates.periods
    ((datetime.date(2024, 7, 1), 14.25), (datetime.date(2025, 1, 1), 14.25))
    >>> result.missing
    (datetime.date(2025, 1, 1),)
    """
    known = sorted(ecb_rates.items())
    periods, missing, unknown = [], [], []
    for start in half_years(first_day, last_day):
        if start in ecb_rates:
            ecb = ecb_rates[start]
        else:
            earlier = [rate for day, rate in known if day < start]
            if earlier:
                ecb = earlier[-1]
                missing.append(start)
            else:
                ecb = 0.0
                unknown.append(start)
        periods.append((start, ecb + points))
    return HalfYearRates(Rates(tuple(periods)), tuple(missing), tuple(unknown))


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
    # The yearly rates of the days late, in their order (one unless the rate changed).
    rates: tuple = field(default=(), compare=False)

    @property
    def total(self):
        return self.interest + self.indemnity


def recovery_indemnity(indemnity, days_late):
    """The fixed indemnity is owed by an invoice paid (or unpaid) after its due date."""
    return indemnity if days_late > 0 else 0.0


def as_rates(rate):
    """A :class:`Rates` from a :class:`Rates` or a constant yearly rate (%)."""
    return rate if isinstance(rate, Rates) else Rates.constant(rate)


def term_interest(term, date, rate, rounding=0.01):
    """``(interest, days late)`` of one term on ``date``; days late is 0 when paid.

    ``rate`` is a constant yearly rate (%) or a :class:`Rates`.
    """
    rates = as_rates(rate)
    outstanding = term.amount
    since = term.date_due
    interest = 0.0
    for payment in sorted(term.payments, key=lambda p: (p.date, p.amount)):
        if payment.date >= date:
            break
        if payment.date > since and outstanding > 0:
            interest += rates.interest(outstanding, since, payment.date)
            since = payment.date
        outstanding -= payment.amount
    if round_amount(outstanding, rounding) > 0 and date > since:
        interest += rates.interest(outstanding, since, date)
        return interest, (date - term.date_due).days
    return interest, 0


def invoice_late_fees(terms, date, rate, indemnity, rounding=0.01):
    """:class:`LateFees` of an invoice of ``terms`` on ``date``, or None if not late.

    ``rate`` is the yearly rate (%) or a :class:`Rates`, ``indemnity`` the recovery indemnity
    in the invoice's currency, ``rounding`` that currency's smallest unit.
    """
    days_late, interest = 0, 0.0
    for term in terms:
        term_amount, term_days = term_interest(term, date, rate, rounding)
        interest += term_amount
        days_late = max(days_late, term_days)
    if days_late <= 0:
        return None
    first_due = min(term.date_due for term in terms)
    return LateFees(
        days_late,
        round_amount(interest, rounding),
        recovery_indemnity(indemnity, days_late),
        tuple(as_rates(rate).rates_between(first_due, date)),
    )
