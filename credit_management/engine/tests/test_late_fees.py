from datetime import date as Date

import pytest
from engine.late_fees import LateFees
from engine.late_fees import Payment
from engine.late_fees import Rates
from engine.late_fees import Term
from engine.late_fees import half_year_rates
from engine.late_fees import half_year_start
from engine.late_fees import half_years
from engine.late_fees import invoice_late_fees
from engine.late_fees import recovery_indemnity
from engine.late_fees import round_amount

TODAY = Date(2026, 6, 15)


def test_recovery_indemnity():
    assert recovery_indemnity(40.0, 1) == 40.0
    assert recovery_indemnity(40.0, 0) == 0.0


def test_round_amount_half_up():
    assert round_amount(12.345, 0.01) == 12.35
    assert round_amount(2.675, 0.01) == 2.68, "half up on the decimal value, not the binary"
    assert round_amount(1.02, 0.05) == 1.0
    assert round_amount(1.025, 0.05) == 1.05


def test_unpaid_invoice():
    # 1,000 due 73 days ago at 10 %: 1000 * 10 % * 73 / 365 = 20.00.
    terms = [Term(Date(2026, 4, 3), 1000.0)]
    assert invoice_late_fees(terms, TODAY, 10.0, 40.0) == LateFees(73, 20.0, 40.0)


def test_partial_payment_lowers_the_base_from_its_date():
    # 1,000 due on 2026-04-03, 600 paid on 2026-05-09 (36 days late), 400 left 37 days more:
    # 1000 * 12 % * 36 / 365 + 400 * 12 % * 37 / 365 = 11.8356 + 4.8658 = 16.70.
    terms = [Term(Date(2026, 4, 3), 1000.0, (Payment(Date(2026, 5, 9), 600.0),))]
    fees = invoice_late_fees(terms, TODAY, 12.0, 40.0)
    assert fees == LateFees(73, 16.70, 40.0)
    assert fees.total == pytest.approx(56.70)


def test_payment_before_due_date_and_after_the_date():
    # 300 paid before the due date: interest on 700 only; a payment on the date is not known.
    terms = [
        Term(
            Date(2026, 4, 3),
            1000.0,
            (Payment(Date(2026, 3, 1), 300.0), Payment(TODAY, 700.0)),
        )
    ]
    # 700 * 10 % * 73 / 365 = 14.00
    assert invoice_late_fees(terms, TODAY, 10.0, 40.0) == LateFees(73, 14.0, 40.0)


def test_paid_or_not_due_owes_nothing():
    paid = [Term(Date(2026, 4, 3), 1000.0, (Payment(Date(2026, 4, 1), 1000.0),))]
    assert invoice_late_fees(paid, TODAY, 10.0, 40.0) is None
    not_due = [Term(Date(2026, 7, 1), 1000.0)]
    assert invoice_late_fees(not_due, TODAY, 10.0, 40.0) is None
    due_today = [Term(TODAY, 1000.0)]
    assert invoice_late_fees(due_today, TODAY, 10.0, 40.0) is None


def test_two_terms_days_late_of_the_oldest_one_indemnity_once():
    # 500 due 73 days ago, 500 due 10 days ago, at 14.6 %:
    # 500 * 14.6 % * 73 / 365 = 14.60 and 500 * 14.6 % * 10 / 365 = 2.00.
    terms = [Term(Date(2026, 4, 3), 500.0), Term(Date(2026, 6, 5), 500.0)]
    assert invoice_late_fees(terms, TODAY, 14.6, 40.0) == LateFees(73, 16.6, 40.0)


def test_paid_late_term_keeps_its_interest():
    # First term paid 36 days late (interest kept), second one still open 10 days.
    terms = [
        Term(Date(2026, 4, 3), 500.0, (Payment(Date(2026, 5, 9), 500.0),)),
        Term(Date(2026, 6, 5), 500.0),
    ]
    # 500 * 10 % * 36 / 365 = 4.9315, 500 * 10 % * 10 / 365 = 1.3699: 6.30, 10 days late.
    assert invoice_late_fees(terms, TODAY, 10.0, 40.0) == LateFees(10, 6.30, 40.0)


def test_half_years():
    assert half_year_start(Date(2026, 6, 30)) == Date(2026, 1, 1)
    assert half_year_start(Date(2026, 7, 1)) == Date(2026, 7, 1)
    assert half_years(Date(2025, 12, 31), Date(2026, 7, 1)) == [
        Date(2025, 7, 1),
        Date(2026, 1, 1),
        Date(2026, 7, 1),
    ]
    assert half_years(Date(2026, 2, 1), Date(2026, 3, 1)) == [Date(2026, 1, 1)]


def test_rates_day_by_day():
    rates = Rates(((Date(2025, 1, 1), 13.15), (Date(2025, 7, 1), 12.15)))
    # June 21-30 (10 days) at 13.15 %, July 1-20 (20 days) at 12.15 %.
    expected = 1000 * 0.1315 * 10 / 365 + 1000 * 0.1215 * 20 / 365
    assert rates.interest(1000.0, Date(2025, 6, 20), Date(2025, 7, 20)) == pytest.approx(expected)
    assert rates.rates_between(Date(2025, 6, 20), Date(2025, 7, 20)) == [13.15, 12.15]
    assert rates.rates_between(Date(2025, 7, 1), Date(2025, 7, 20)) == [12.15]
    assert rates.rate_on(Date(2025, 6, 30)) == 13.15
    assert rates.rate_on(Date(2025, 7, 1)) == 12.15
    # The day after the start counts, the start does not: nothing from a day to itself.
    assert rates.interest(1000.0, Date(2025, 6, 30), Date(2025, 6, 30)) == 0.0
    assert Rates.constant(10.0).interest(365.0, Date(2025, 1, 1), Date(2025, 1, 11)) == (
        pytest.approx(1.0)
    )


def test_half_year_rates_missing_and_unknown():
    table = {Date(2025, 1, 1): 3.15, Date(2025, 7, 1): 2.15}
    result = half_year_rates(table, Date(2025, 3, 1), Date(2026, 2, 1), 10.0)
    assert result.rates.periods == (
        (Date(2025, 1, 1), 13.15),
        (Date(2025, 7, 1), 12.15),
        (Date(2026, 1, 1), 12.15),
    )
    assert result.missing == (Date(2026, 1, 1),), "the last known rate, reported"
    assert result.unknown == ()
    before = half_year_rates(table, Date(2024, 12, 1), Date(2025, 2, 1), 10.0)
    assert before.unknown == (Date(2024, 7, 1),)
    assert before.missing == ()


def test_invoice_late_across_two_half_years():
    # 2,000 due on 2025-05-31, unpaid on 2025-08-14: 30 days of June at 3.15 + 10 points,
    # 45 days of July and August at 2.15 + 10 points, 75 days late in all.
    rates = half_year_rates(
        {Date(2025, 1, 1): 3.15, Date(2025, 7, 1): 2.15}, Date(2025, 5, 31), Date(2025, 8, 14), 10
    ).rates
    fees = invoice_late_fees([Term(Date(2025, 5, 31), 2000.0)], Date(2025, 8, 14), rates, 40.0)
    # 2000 * 13.15 % * 30 / 365 = 21.6164; 2000 * 12.15 % * 45 / 365 = 29.9589: 51.58.
    assert fees == LateFees(75, 51.58, 40.0)
    assert fees.rates == (13.15, 12.15)
