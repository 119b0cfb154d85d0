import doctest

from engine import rating
from engine.rating import capped_limit
from engine.rating import rated_score
from engine.rating import rating_penalty


def test_doctests():
    failures, tried = doctest.testmod(rating)
    assert tried >= 3 and failures == 0


def test_penalty_by_hand():
    # 2 points per percent, halves up, at most 20.
    assert rating_penalty(0.24) == 0  # 0.48
    assert rating_penalty(0.25) == 1  # 0.5, half up
    assert rating_penalty(4.2) == 8  # 8.4
    assert rating_penalty(9.99) == 20  # 19.98 -> 20
    assert rating_penalty(100.0) == 20
    assert rating_penalty(-3.0) == 0
    assert rating_penalty(None) == 0


def test_score_kept_in_bounds():
    assert rated_score(60, 0) == 60
    assert rated_score(60, 20) == 40
    assert rated_score(12, 20) == 0


def test_cap():
    assert capped_limit(8000.0, 8000.0) == 8000.0
    assert capped_limit(8000.0, 7999.0) == 7900.0
    assert capped_limit(8000.0, 50.0) == 0.0
