"""The worklist's order and actions (engine/worklist.py) on crafted cases."""

from datetime import date

from engine.worklist import CustomerFacts
from engine.worklist import next_action
from engine.worklist import probability
from engine.worklist import rank
from engine.worklist import value

TODAY = date(2026, 12, 7)


def test_order_by_value_of_acting():
    """Amount at risk x probability x age: an old mid-size debt of a bad payer comes before
    a big fresh one of a good payer, and a small one last."""
    items = rank(
        [
            CustomerFacts(1, overdue_amount=5000.0, days_overdue=10, score=90),  # 667
            CustomerFacts(2, overdue_amount=1000.0, days_overdue=90, score=50),  # 2,000
            CustomerFacts(3, overdue_amount=200.0, days_overdue=30, score=20),  # 320
        ],
        TODAY,
    )
    assert [item.partner_id for item in items] == [2, 1, 3]
    assert [item.rank for item in items] == [1, 2, 3]
    assert round(items[0].value) == 2000


def test_promise_falling_due_comes_first():
    items = rank(
        [
            CustomerFacts(1, overdue_amount=3000.0, days_overdue=60, score=60),  # 3,600
            CustomerFacts(
                2,
                overdue_amount=4000.0,
                days_overdue=20,
                promise_due_amount=4000.0,
                promised_amount=4000.0,
            ),
        ],
        TODAY,
    )
    assert [(item.partner_id, item.next_action) for item in items] == [
        (2, "promise"),
        (1, "call_overdue"),
    ]


def test_late_dispute_escalated_and_disputed_amount_not_at_risk():
    facts = CustomerFacts(
        1, overdue_amount=1000.0, days_overdue=45, score=40, dispute_late_amount=1000.0
    )
    assert next_action(facts, TODAY) == "dispute"
    assert value(facts, TODAY) == 1000.0 * 0.6 * 2.5 + 500.0
    within = CustomerFacts(1, overdue_amount=1000.0, days_overdue=45, disputed_amount=1000.0)
    assert value(within, TODAY) == 0.0, "a dispute within its deadline: nothing at risk"
    assert next_action(within, TODAY) == "wait"


def test_actions_in_their_order():
    base = {"overdue_amount": 100.0, "days_overdue": 5}
    assert next_action(CustomerFacts(1, replies_to_read=1, calls_due=1, **base)) == "reply"
    assert next_action(CustomerFacts(1, calls_due=1, reminders_to_validate=1, **base)) == "call"
    assert next_action(CustomerFacts(1, reminders_to_validate=2, **base)) == "validate"
    assert next_action(CustomerFacts(1, **base)) == "call_overdue"


def test_paused_customer_waits_at_the_end():
    items = rank(
        [
            CustomerFacts(
                1, overdue_amount=9000.0, days_overdue=100, paused_until=date(2026, 12, 20)
            ),
            CustomerFacts(2, overdue_amount=10.0, days_overdue=1),
            CustomerFacts(3),  # nothing open: not listed
        ],
        TODAY,
    )
    assert [(item.partner_id, item.next_action, item.value) for item in items][1] == (
        1,
        "wait",
        0.0,
    )
    assert items[0].partner_id == 2
    assert ("paused", date(2026, 12, 20)) in items[1].reasons
    # A pause that ended yesterday no longer holds.
    ended = CustomerFacts(
        1, overdue_amount=9000.0, days_overdue=100, paused_until=date(2026, 12, 6)
    )
    assert next_action(ended, TODAY) == "call_overdue"


def test_reply_to_read_beats_a_pause():
    facts = CustomerFacts(1, overdue_amount=100.0, replies_to_read=1, paused_until=date(2027, 1, 1))
    assert next_action(facts, TODAY) == "reply"


def test_probability_sources():
    assert probability(CustomerFacts(1, late_probability=0.8, score=90)) == 0.8
    assert probability(CustomerFacts(1, score=100)) == 0.05
    assert probability(CustomerFacts(1, score=0)) == 0.95
    assert probability(CustomerFacts(1)) == 0.5


def test_age_capped_and_ties():
    old = CustomerFacts(1, overdue_amount=100.0, days_overdue=400, score=50)
    assert value(old) == 100.0 * 0.5 * 7
    items = rank(
        [
            CustomerFacts(5, overdue_amount=100.0, days_overdue=30, late_probability=0.5),
            CustomerFacts(4, overdue_amount=100.0, days_overdue=30, late_probability=0.5),
        ]
    )
    assert [item.partner_id for item in items] == [4, 5], "ties: by the customer's id"


def test_reasons_explain():
    facts = CustomerFacts(
        1, overdue_amount=700.0, days_overdue=12, calls_due=2, reminders_to_validate=1
    )
    assert rank([facts], TODAY)[0].reasons == (
        ("calls", 2),
        ("to_validate", 1),
        ("overdue", 700.0),
        ("days", 12),
    )
