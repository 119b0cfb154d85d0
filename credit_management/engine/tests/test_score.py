"""The behaviour score and grade, on facts computed by hand."""

import doctest

import pytest
from engine import score as score_module
from engine.score import NEUTRAL
from engine.score import ScoreFacts
from engine.score import grade
from engine.score import penalty
from engine.score import score


def test_docstring_examples():
    failures, _tests = doctest.testmod(score_module)
    assert failures == 0


def test_no_history_is_neutral():
    assert score(ScoreFacts()) == NEUTRAL == 60
    assert grade(NEUTRAL) == "C"
    assert not ScoreFacts().has_history


@pytest.mark.parametrize(
    "facts",
    [
        ScoreFacts(invoice_count=1),
        ScoreFacts(open_amount=250.0),
        ScoreFacts(promises_broken=1),
        ScoreFacts(disputes_rejected=1),
    ],
)
def test_any_fact_is_history(facts):
    assert facts.has_history
    assert score(facts) != NEUTRAL


def test_all_paid_on_time_is_the_top():
    facts = ScoreFacts(invoice_count=12, avg_days_late=0.0, late_share=0.0)
    assert penalty(facts) == 0
    assert score(facts) == 100
    assert grade(100) == "A"


def test_open_but_not_overdue_loses_nothing():
    assert score(ScoreFacts(open_amount=1000.0, overdue_ratio=0.0)) == 100


def test_every_factor_counted():
    # 100 - 16.7 (days late) - 20 x 2/3 (paid late) - 10 (one promise) - 5 (one dispute)
    # - 10 x 0.6 (overdue now) = 49.0
    facts = ScoreFacts(
        invoice_count=3,
        avg_days_late=100000 / 6000,
        late_share=2 / 3,
        promises_broken=1,
        disputes_rejected=1,
        open_amount=1000.0,
        overdue_ratio=0.6,
    )
    assert penalty(facts) == pytest.approx(100000 / 6000 + 40 / 3 + 10 + 5 + 6)
    assert score(facts) == 49
    assert grade(49) == "D"


def test_days_late_capped_at_40():
    late = ScoreFacts(invoice_count=2, avg_days_late=45.0, late_share=1.0)
    assert score(late) == 100 - 40 - 20 == 40
    assert score(ScoreFacts(invoice_count=2, avg_days_late=400.0, late_share=1.0)) == 40


def test_promises_and_disputes_capped():
    assert score(ScoreFacts(promises_broken=1)) == 90
    assert score(ScoreFacts(promises_broken=2)) == 80
    assert score(ScoreFacts(promises_broken=7)) == 80, "at most 20 for broken promises"
    assert score(ScoreFacts(disputes_rejected=1)) == 95
    assert score(ScoreFacts(disputes_rejected=5)) == 90, "at most 10 for rejected disputes"


def test_lower_bound_zero():
    worst = ScoreFacts(
        invoice_count=10,
        avg_days_late=365.0,
        late_share=1.0,
        promises_broken=9,
        disputes_rejected=9,
        open_amount=5000.0,
        overdue_ratio=1.0,
    )
    assert penalty(worst) == 100
    assert score(worst) == 0
    assert grade(0) == "E"


def test_bounds_hold_on_out_of_range_facts():
    # Never below 0 nor above 100, even on facts no query returns.
    too_much = ScoreFacts(invoice_count=1, avg_days_late=40, late_share=3.0, overdue_ratio=5.0)
    assert score(too_much) == 0
    assert score(ScoreFacts(invoice_count=1, avg_days_late=-30.0)) == 100


def test_rounding():
    # 100 - 12.5 = 87.5: halves to even, as Python's round.
    assert score(ScoreFacts(invoice_count=1, avg_days_late=12.5)) == 88
    assert score(ScoreFacts(invoice_count=1, avg_days_late=13.5)) == 86
    assert score(ScoreFacts(invoice_count=1, avg_days_late=13.4)) == 87


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100, "A"),
        (80, "A"),
        (79, "B"),
        (65, "B"),
        (64, "C"),
        (50, "C"),
        (49, "D"),
        (35, "D"),
        (34, "E"),
        (0, "E"),
        (-5, "E"),
    ],
)
def test_grade_bounds(value, expected):
    assert grade(value) == expected
