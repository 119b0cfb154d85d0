"""A paid history for the late-payment prediction: customers invoiced regularly for months,
each paying as its habit says, so that the prediction has a ledger to learn from and to be
tested on (the demo's, and the tests' of ``credit.prediction.model``).

Habits (``HABITS``): ``good`` pays around the due date (days late: normal, mean -1, sd 4);
``late`` about a month late (mean 32, sd 8); ``worsening`` like a good one, then like a late
one from a day of the last eleven months (``WORSENING_DAYS``, drawn per customer); ``big``
on time, but a month late its large invoices (three times its usual amount, one in seven);
``summer`` on time, but a month late what falls due in July and August. Invoices come every
``every_days`` days with 30 days' terms; what would be paid after today stays open.
Payments are bank entries, one per day, reconciled with their invoices in one reconciliation
plan (as a bank reconciliation does).
"""

import random
from contextlib import contextmanager
from datetime import timedelta

from odoo.fields import Command

HABITS = ("good", "late", "worsening", "big", "summer")
WORSENING_DAYS = (60, 330)
TERMS_DAYS = 30


def create_history(env, company, today, customers, months=15, every_days=28, seed=11, end=None):
    """Invoices and payments of ``customers`` (``{partner: habit}``) over ``months`` up to
    ``end`` (default ``today``): returns the invoices."""
    rng = random.Random(seed)
    vals_list, paid_on = [], []
    for partner, habit in customers.items():
        usual = rng.uniform(800, 4000)
        turn = today - timedelta(days=rng.randint(*WORSENING_DAYS))
        last = end or today
        day = last - timedelta(days=round(months * 30.44) - rng.randint(0, every_days - 1))
        while day <= last:
            big = rng.random() < 1 / 7
            factor = rng.uniform(2.5, 3.5) if big else rng.uniform(0.7, 1.3)
            due = day + timedelta(days=TERMS_DAYS)
            worse = habit == "worsening" and day >= turn
            late = habit == "late" or worse
            late = late or (habit == "big" and big) or (habit == "summer" and due.month in (7, 8))
            delay = rng.gauss(32, 8) if late else rng.gauss(-1, 4)
            paid = max(due + timedelta(days=round(delay)), day)
            amount = round(usual * factor, 2)
            vals_list.append(_invoice_vals(env, partner, company, amount, day, due))
            paid_on.append(paid if paid < today else None)
            day += timedelta(days=every_days)
    invoices = env["account.move"].with_company(company).create(vals_list)
    with _hash_joins(env):
        env.flush_all()  # the new invoices' payment state, computed when they are written
    _analyze(env)
    invoices.action_post()
    _pay(env, company, invoices, paid_on)
    return invoices


@contextmanager
def _hash_joins(env):
    """Hash joins instead of nested loops, for the calls inside only.

    Odoo's query of the invoices' payment state, run for all of them at once when they are
    written and when they are reconciled, is planned as nested loops over tables that have
    just grown from nearly nothing in this transaction: minutes, once more than a quarter of
    an hour. Hash joins make it seconds; other queries (the posting's balance check, run
    for each invoice) are slower without nested loops: only these calls get them."""
    env.cr.execute("SET LOCAL enable_nestloop TO off")
    try:
        yield
        env.flush_all()
    finally:
        env.cr.execute("SET LOCAL enable_nestloop TO on")


def _analyze(env):
    """The planner's statistics of the tables that have just grown, in this transaction
    (``ANALYZE`` counts the rows the transaction has written itself): the posting of a
    thousand invoices on a fresh database took a quarter of an hour without them."""
    env.flush_all()
    env.cr.execute("ANALYZE account_move, account_move_line, account_partial_reconcile")


def _invoice_vals(env, partner, company, amount, day, due):
    return {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "company_id": company.id,
        "invoice_date": day,
        "date": day,
        "invoice_date_due": due,
        "invoice_line_ids": [
            Command.create(
                {
                    "name": env._("Deliveries"),
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.clear()],
                }
            )
        ],
    }


def _pay(env, company, invoices, dates):
    """Each invoice paid in full on its date (None: open): one bank entry per day."""
    by_day = {}
    for invoice, day in zip(invoices, dates, strict=True):
        if day:
            by_day.setdefault(day, []).append(invoice)
    if not by_day:
        return
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    receivable = (
        invoices[:1]
        .line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        .account_id
    )
    entries = (
        env["account.move"]
        .with_company(company)
        .create(
            [
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": day,
                    "ref": env._("Customer transfers"),
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": receivable.id,
                                "partner_id": invoice.commercial_partner_id.id,
                                "credit": invoice.amount_total,
                            }
                        )
                        for invoice in paid
                    ]
                    + [
                        Command.create(
                            {
                                "account_id": journal.default_account_id.id,
                                "debit": sum(invoice.amount_total for invoice in paid),
                            }
                        )
                    ],
                }
                for day, paid in by_day.items()
            ]
        )
    )
    entries.action_post()
    plan = []
    for entry, paid in zip(entries, by_day.values(), strict=True):
        credits = entry.line_ids.filtered(lambda line: line.account_id == receivable)
        for invoice, credit in zip(paid, credits, strict=True):
            debit = invoice.line_ids.filtered(lambda line: line.account_id == receivable)
            plan.append(debit + credit)
    _analyze(env)
    with _hash_joins(env):
        env["account.move.line"]._reconcile_plan(plan)
