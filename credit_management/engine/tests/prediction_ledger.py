"""A generated ledger whose late payers are known, for the prediction's tests and benchmark.

Each customer has a habit, drawn at random (seeded):

- ``good``: pays around its due date (days late: normal, mean -2, sd 5);
- ``late``: a late payer (mean 30, sd 10) who breaks promises;
- ``worsening``: pays like a good one, then from a date in the last year like a late one
  (its average lags behind: the trend tells it first);
- ``big``: pays on time, but 35 days late the invoices of more than twice its usual amount;
- ``summer``: pays on time, but 30 days late what falls due in July and August.

Invoices come every 15 to 45 days over two years up to ``today``; what would be paid after
``today`` is open. ``late_payers(ledger, today)`` are the customers expected to be late on
their open invoices: the ``late`` and ``worsening`` ones once worsened.
"""

import random
from datetime import date
from datetime import timedelta

from engine.prediction import Invoice
from engine.prediction import Ledger

TODAY = date(2026, 12, 7)
HABITS = (("good", 0.5), ("late", 0.15), ("worsening", 0.1), ("big", 0.15), ("summer", 0.1))


def generate(customers=400, today=TODAY, seed=1, months=24):
    rng = random.Random(seed)
    invoices, promises, reminders, habits, turns = [], {}, {}, {}, {}
    start = today - timedelta(days=round(months * 30.44))
    names = [name for name, _weight in HABITS]
    weights = [weight for _name, weight in HABITS]
    number = 0
    for partner in range(1, customers + 1):
        habit = rng.choices(names, weights)[0]
        habits[partner] = habit
        turn = today - timedelta(days=rng.randint(90, 330))
        turns[partner] = turn
        usual = rng.uniform(500, 5000)
        terms = rng.choice((30, 30, 45, 60))
        day = start + timedelta(days=rng.randint(0, 30))
        while day < today:
            amount = usual * (rng.uniform(2.2, 4) if rng.random() < 0.1 else rng.uniform(0.6, 1.4))
            due = day + timedelta(days=terms)
            late_habit = habit == "late" or (habit == "worsening" and day >= turn)
            if late_habit:
                delay = rng.gauss(30, 10)
            elif habit == "big" and amount > 2 * usual:
                delay = rng.gauss(35, 8)
            elif habit == "summer" and due.month in (7, 8):
                delay = rng.gauss(30, 8)
            else:
                delay = rng.gauss(-2, 5)
            paid = due + timedelta(days=round(delay))
            paid = max(paid, day)
            number += 1
            invoices.append(
                Invoice(number, partner, day, due, round(amount, 2), paid if paid < today else None)
            )
            if late_habit and rng.random() < 0.3:
                promises.setdefault(partner, []).append((due + timedelta(days=20), False))
            if due + timedelta(days=7) < min(paid, today):
                reminders.setdefault(partner, []).append((due + timedelta(days=7), 1))
            day += timedelta(days=rng.randint(15, 45))
    ledger = Ledger(invoices, promises=promises, reminders=reminders)
    ledger.habits = habits
    ledger.turns = turns
    return ledger


def late_payers(ledger, today=TODAY):
    """The customers expected to pay their open invoices late."""
    return {
        partner
        for partner, habit in ledger.habits.items()
        if habit == "late" or (habit == "worsening" and ledger.turns[partner] < today)
    }
