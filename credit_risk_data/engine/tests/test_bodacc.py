import doctest

from engine import bodacc


def test_doctests():
    failures, tried = doctest.testmod(bodacc)
    assert tried > 10 and failures == 0


def test_cancellation_names_the_notice_it_cancels():
    notice = bodacc.read_notice(
        {
            "id": "A202602401001",
            "publicationavis": "A",
            "parution": "20260240",
            "numeroannonce": 1001,
            "typeavis": "annulation",
            "registre": ["732829320"],
            "parutionavisprecedent": '{"nomPublication": "BODACC A", "numeroParution": '
            '"20260236", "dateParution": "2026-12-05", "numeroAnnonce": 1450}',
            "jugement": "not json",
        }
    )
    assert notice.correction == "cancellation"
    assert notice.corrects == "A-20260236-1450"
    assert notice.kind == "other" and notice.date_judgment is None


def test_no_siren_no_match():
    assert bodacc.siren_of(["123 456 789"]) is None  # wrong Luhn key
    assert bodacc.read_notice({"id": "X", "registre": []}).siren is None
