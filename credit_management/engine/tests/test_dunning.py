from datetime import date as Date
from datetime import timedelta

from engine.dunning import History
from engine.dunning import Item
from engine.dunning import Level
from engine.dunning import Scenario
from engine.dunning import Step
from engine.dunning import group_reminders
from engine.dunning import is_less
from engine.dunning import next_level
from engine.dunning import reminder_totals

TODAY = Date(2026, 6, 15)


def day(offset):
    return TODAY + timedelta(days=offset)


def levels(scenario_id, *specs):
    """Levels ``(days, min_interval, formal notice)`` of a scenario, ids scenario*10+index."""
    return [
        Level(
            id=scenario_id * 10 + index,
            days=days,
            sequence=index,
            scenario_id=scenario_id,
            min_interval_days=interval,
            is_formal_notice=formal,
        )
        for index, (days, interval, formal) in enumerate(specs, start=1)
    ]


STANDARD = levels(1, (-3, 0, False), (5, 0, False), (15, 7, False), (30, 7, False))


# ------------------------------------------------------------
# NEXT LEVEL
# ------------------------------------------------------------


def test_never_reminded_overdue_gets_first_overdue_level():
    step = next_level(STANDARD, day(-40), TODAY)
    assert step == Step(STANDARD[1], day(-35)), "the courtesy level is skipped once overdue"


def test_courtesy_level_before_due_date_only():
    assert next_level(STANDARD, day(2), TODAY) == Step(STANDARD[0], day(-1))
    assert next_level(STANDARD, day(10), TODAY) == Step(STANDARD[0], day(7))
    # Reminded at the courtesy level yesterday, due today: the next level is +5.
    history = History(level_days=-3, last_date=day(-1))
    assert next_level(STANDARD, TODAY, TODAY) == Step(STANDARD[1], day(5))
    assert next_level(STANDARD, TODAY, TODAY, history) == Step(STANDARD[1], day(5))


def test_min_interval_since_previous_reminder():
    history = History(level_days=5, last_date=day(-2))
    step = next_level(STANDARD, day(-40), TODAY, history)
    assert step == Step(STANDARD[2], day(5)), "due by date, but 7 days after the last one"


def test_last_level_is_never_repeated():
    history = History(level_days=30, last_date=day(-100))
    assert next_level(STANDARD, day(-200), TODAY, history) is None


def test_one_level_a_day_whatever_the_interval():
    quick = levels(2, (5, 0, False), (10, 0, False), (20, 0, False))
    first = next_level(quick, day(-40), TODAY)
    assert first == Step(quick[0], day(-35))
    # Sent today: the +10 level (due by date 30 days ago) waits for tomorrow.
    history = History(level_days=5, last_date=TODAY)
    assert next_level(quick, day(-40), TODAY, history) == Step(quick[1], day(1))
    history = History(level_days=10, last_date=day(1))
    assert next_level(quick, day(-40), day(1), history) == Step(quick[2], day(2))


def test_scenario_change_goes_on_after_the_same_days():
    after = levels(3, (3, 0, False), (10, 0, False), (40, 0, False))
    history = History(level_days=5, last_date=day(-1))
    step = next_level(after, day(-20), TODAY, history)
    assert step == Step(after[1], TODAY), "+10: not +3 (from the start), not +40 (skipping)"
    # Reached +10 under the old scenario: the new one's +10 counts as reached.
    history = History(level_days=10, last_date=day(-1))
    assert next_level(after, day(-20), TODAY, history) == Step(after[2], day(20))


def test_no_second_formal_notice_after_a_scenario_change():
    after = levels(3, (10, 0, False), (40, 0, True), (50, 0, False))
    history = History(level_days=30, last_date=day(-1), formal_notice_scenarios=frozenset({2}))
    assert next_level(after, day(-35), TODAY, history) == Step(after[2], day(15))
    # Without the formal notice, the +40 formal notice comes at its date.
    plain = History(level_days=30, last_date=day(-1))
    assert next_level(after, day(-35), TODAY, plain) == Step(after[1], day(5))
    # A second formal-notice level of the same scenario stays as configured.
    same = History(level_days=30, last_date=day(-1), formal_notice_scenarios=frozenset({3}))
    assert next_level(after, day(-35), TODAY, same) == Step(after[1], day(5))


def test_handed_off_has_no_next_level():
    history = History(level_days=10, last_date=day(-30), handed_off=True)
    assert next_level(STANDARD, day(-60), TODAY, history) is None


# ------------------------------------------------------------
# GROUPING
# ------------------------------------------------------------

SCENARIOS = {1: Scenario(1)}


def invoice(move_id, residual, step=STANDARD[1], eligible=TODAY, **kwargs):
    values = {
        "move_id": move_id,
        "kind": "invoice",
        "commercial_partner_id": 100,
        "currency_id": 1,
        "residual": residual,
        "scenario_id": 1,
        "step": Step(step, eligible) if step else None,
    }
    values.update(kwargs)
    return Item(**values)


def credit(move_id, residual, **kwargs):
    values = {
        "move_id": move_id,
        "kind": "credit",
        "commercial_partner_id": 100,
        "currency_id": 1,
        "scenario_id": 1,
    }
    values.update(kwargs)
    return Item(residual=residual, **values)


def line_types(reminder):
    return sorted((item.move_id, line_type) for line_type, item in reminder.lines)


def test_one_reminder_per_customer_at_its_highest_level():
    items = [
        invoice(1, 100.0, step=STANDARD[1]),
        invoice(2, 200.0, step=STANDARD[2], address_id=101),
        invoice(3, 50.0, eligible=day(10)),  # not due for its level yet
        credit(4, -30.0),
        invoice(5, 70.0, listed=False),  # disputed
        invoice(6, 80.0, pending=True),  # on a reminder waiting for validation
    ]
    [reminder] = group_reminders(items, TODAY, SCENARIOS, default_user_id=7)
    assert reminder.partner_id == 100
    assert reminder.level == STANDARD[2], "the highest escalated level"
    assert reminder.user_id == 7
    assert line_types(reminder) == [
        (1, "invoice"),
        (2, "invoice"),
        (3, "open"),
        (4, "credit"),
        (6, "open"),
    ]
    assert [item.move_id for item in reminder.escalated] == [1, 2]


def test_nothing_escalated_no_reminder():
    items = [invoice(1, 100.0, eligible=day(1)), invoice(2, 100.0, step=None)]
    assert group_reminders(items, TODAY, SCENARIOS) == []


def test_grouping_by_invoice_address_currency_and_payer():
    scenarios = {1: Scenario(1, grouping="invoice_address")}
    items = [
        invoice(1, 100.0, address_id=101),
        invoice(2, 200.0, address_id=102),
        invoice(3, 300.0, address_id=101, currency_id=2),
        invoice(4, 400.0, address_id=101, third_party_payer_id=900),
    ]
    reminders = group_reminders(items, TODAY, scenarios)
    assert [(r.partner_id, r.currency_id) for r in reminders] == [
        (101, 1),
        (101, 2),
        (102, 1),
        (900, 1),
    ]
    assert [line_types(r) for r in reminders] == [
        [(1, "invoice")],
        [(3, "invoice")],
        [(2, "invoice")],
        [(4, "invoice")],
    ]


def test_grouping_per_invoice_lists_no_credit():
    scenarios = {1: Scenario(1, grouping="invoice")}
    items = [invoice(1, 100.0), invoice(2, 200.0), credit(3, -50.0)]
    reminders = group_reminders(items, TODAY, scenarios)
    assert [line_types(r) for r in reminders] == [[(1, "invoice")], [(2, "invoice")]]


def test_minimum_amounts_and_credits():
    scenarios = {1: Scenario(1, min_amount=50.0)}
    assert group_reminders([invoice(1, 49.99)], TODAY, scenarios) == []
    [reminder] = group_reminders([invoice(1, 50.0)], TODAY, scenarios)
    assert reminder.level == STANDARD[1]
    # The level's minimum applies too; listed open items do not count, credits do.
    level = Level(id=99, days=5, scenario_id=1, min_amount=80.0)
    items = [invoice(1, 60.0, step=level), invoice(2, 500.0, eligible=day(3))]
    assert group_reminders(items, TODAY, SCENARIOS) == []
    items = [invoice(1, 100.0), credit(2, -100.0)]
    assert group_reminders(items, TODAY, SCENARIOS) == [], "nothing left to claim"
    assert len(group_reminders(items, TODAY, SCENARIOS, apply_minimums=False)) == 1


def test_forced_grouping_of_a_reminder_sent_by_hand():
    scenarios = {1: Scenario(1, grouping="invoice")}
    items = [invoice(1, 100.0), invoice(2, 200.0, address_id=101)]
    [reminder] = group_reminders(items, TODAY, scenarios, grouping="commercial")
    assert reminder.partner_id == 100
    assert line_types(reminder) == [(1, "invoice"), (2, "invoice")]


def test_grouping_by_group_head_office():
    """Centralised dunning: the members' items on one reminder to the head office (500)."""
    scenarios = {1: Scenario(1, grouping="group", min_amount=250.0)}
    items = [
        invoice(1, 100.0, commercial_partner_id=500, group_id=500),
        invoice(2, 200.0, step=STANDARD[2], commercial_partner_id=501, group_id=500),
        invoice(3, 150.0, eligible=day(4), commercial_partner_id=502, group_id=500),
        credit(4, -40.0, commercial_partner_id=502, group_id=500),
        invoice(5, 300.0, commercial_partner_id=501, group_id=500, third_party_payer_id=900),
        invoice(6, 90.0, commercial_partner_id=503, group_id=500, listed=False),
        invoice(7, 260.0, commercial_partner_id=600),  # no group known: its own reminder
    ]
    reminders = group_reminders(items, TODAY, scenarios)
    assert [r.partner_id for r in reminders] == [500, 600, 900]
    head = reminders[0]
    assert head.level == STANDARD[2], "the highest level reached across the members"
    assert line_types(head) == [(1, "invoice"), (2, "invoice"), (3, "open"), (4, "credit")]
    assert {item.commercial_partner_id for _type, item in head.lines} == {500, 501, 502}
    # The minimum is the group's claim (100 + 200 - 40): each member alone is under it.
    per_member = {1: Scenario(1, grouping="commercial", min_amount=250.0)}
    decentralised = group_reminders(items, TODAY, per_member)
    assert [r.partner_id for r in decentralised] == [600, 900]
    # Sent by hand to each member (forced per customer, no minimum): its own items only.
    by_hand = group_reminders(items, TODAY, scenarios, grouping="commercial", apply_minimums=False)
    assert [r.partner_id for r in by_hand] == [500, 501, 600, 900]
    assert line_types(by_hand[1]) == [(2, "invoice")]


def test_is_less_rounds_to_the_currency():
    assert not is_less(49.996, 50.0, 0.01)
    assert is_less(49.994, 50.0, 0.01)
    assert not is_less(0.1 + 0.2, 0.3, 0.01)


# ------------------------------------------------------------
# TOTALS
# ------------------------------------------------------------


def test_reminder_totals():
    totals = reminder_totals(
        [
            ("invoice", 1000.0, 20),
            ("invoice", 250.0, 3),
            ("open", 100.0, -10),
            ("open", 40.0, 5),
            ("credit", -300.0, 20),
            ("credit", -100.0, 0),
        ]
    )
    assert totals.invoice_count == 2
    assert totals.amount_total == 1390.0
    assert totals.amount_overdue == 1290.0, "the not-due open item is not overdue"
    assert totals.amount_credit == -400.0
    assert totals.amount_due == 990.0
    assert totals.as_dict() == {
        "invoice_count": 2,
        "amount_total": 1390.0,
        "amount_overdue": 1290.0,
        "amount_credit": -400.0,
        "amount_due": 990.0,
    }
    assert reminder_totals([]).amount_due == 0.0
