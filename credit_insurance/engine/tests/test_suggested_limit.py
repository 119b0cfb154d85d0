"""The suggested credit limit, on facts computed by hand."""

import doctest

import pytest
from engine import suggested_limit as suggested_limit_module
from engine.suggested_limit import GRADE_SHARES
from engine.suggested_limit import LimitFacts
from engine.suggested_limit import need
from engine.suggested_limit import round_down
from engine.suggested_limit import suggest


def codes(suggestion):
    return [code for code, _figures in suggestion.reasons]


def test_docstring_examples():
    failures, tests = doctest.testmod(suggested_limit_module)
    assert tests > 0
    assert failures == 0


def test_need_is_sales_over_terms_and_margin():
    # 6,000 a month on 45 days + 15 of margin: two months of sales.
    assert need(LimitFacts(monthly_sales=6000.0, term_days=45)) == 12000.0
    # Paid at once: the margin alone, half a month.
    assert need(LimitFacts(monthly_sales=6000.0, term_days=0)) == 3000.0
    # Negative terms make no sense: read as 0.
    assert need(LimitFacts(monthly_sales=6000.0, term_days=-10)) == 3000.0


def test_grade_a_without_policy_is_the_need():
    result = suggest(LimitFacts(monthly_sales=6000.0, term_days=45, grade="A"))
    assert (result.amount, result.bound) == (12000.0, "sales")
    assert codes(result) == ["sales", "score", "no_policy"]
    figures = dict(result.reasons)["sales"]
    assert figures == {"monthly_sales": 6000.0, "term_days": 45, "margin_days": 15, "need": 12000.0}


@pytest.mark.parametrize(
    ("grade", "expected"),
    # 12,000 x 100 %, 90 %, 75 %, 50 %, 25 %
    [("A", 12000.0), ("B", 10800.0), ("C", 9000.0), ("D", 6000.0), ("E", 3000.0)],
)
def test_grade_shares(grade, expected):
    result = suggest(LimitFacts(monthly_sales=6000.0, term_days=45, grade=grade))
    assert result.amount == expected
    assert result.bound == ("sales" if grade == "A" else "score")
    assert dict(result.reasons)["score"]["share"] == GRADE_SHARES[grade] * 100


def test_capped_by_the_insured_limit():
    # 12,000 x 90 % = 10,800, above the 8,000 insured.
    result = suggest(
        LimitFacts(monthly_sales=6000.0, term_days=45, grade="B", insured_limit=8000.0)
    )
    assert (result.amount, result.bound) == (8000.0, "insured")
    assert codes(result) == ["sales", "score", "insured"]


def test_within_the_insured_limit():
    result = suggest(
        LimitFacts(monthly_sales=6000.0, term_days=45, grade="B", insured_limit=50000.0)
    )
    assert (result.amount, result.bound) == (10800.0, "score")
    assert codes(result) == ["sales", "score", "within_insured"]


def test_cover_refused_suggests_nothing():
    result = suggest(LimitFacts(monthly_sales=6000.0, term_days=45, grade="A", insured_limit=0.0))
    assert (result.amount, result.bound) == (0.0, "insured")


def test_no_sales_starts_from_the_insured_limit():
    # A new customer with a 20,000 cover and the neutral grade C: 75 % of it.
    result = suggest(LimitFacts(monthly_sales=0.0, term_days=30, grade="C", insured_limit=20000.0))
    assert (result.amount, result.bound) == (15000.0, "score")
    assert codes(result) == ["no_sales", "score"]
    result = suggest(LimitFacts(monthly_sales=0.0, term_days=30, grade="A", insured_limit=20000.0))
    assert (result.amount, result.bound) == (20000.0, "insured")


def test_no_sales_no_policy_suggests_nothing():
    result = suggest(LimitFacts(monthly_sales=0.0, term_days=30, grade="A"))
    assert (result.amount, result.bound) == (None, None)
    assert codes(result) == ["no_sales_no_policy"]


def test_rounded_down_to_the_hundred():
    # 1,234.56 x (30 + 15) / 30 = 1,851.84, grade A: 1,800.
    result = suggest(LimitFacts(monthly_sales=1234.56, term_days=30, grade="A"))
    assert result.amount == 1800.0
    assert round_down(99.99) == 0.0
    assert round_down(2300.0) == 2300.0
    assert round_down(-50.0) == 0.0


def test_unknown_grade_reads_as_neutral():
    result = suggest(LimitFacts(monthly_sales=6000.0, term_days=45, grade="?"))
    assert result.amount == 9000.0
