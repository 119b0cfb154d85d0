"""Benchmark: the late-payment prediction, trained and scored on a large ledger.

Run by ``scripts/bench.sh prediction``, which installs the addons on a fresh database and
calls ``python bench/bench_prediction.py -c <odoo.conf> -d <db>``.

Data (``--customers``, default 20,000; ``--paid``, default 200,000; ``--open``, default
100,000): invoices cloned in SQL by ``bench_dunning.Generator`` (customers round-robin), then
dated in SQL over the last ten months or so: each customer's invoices every two to four weeks,
its paid ones reconciled on the day its habit says (a partial reconciliation against one payment
line, as Odoo writes it: the prediction reads the reconciliations' dates), its last ones open.
Habits (seeded): half pay around the due date, 15 % about 30 days late, 10 % pay late since
a date in the last year, 15 % pay late their large invoices, 10 % pay late in summer.

Measures, each in a forked process (its own peak memory, ``ru_maxrss``):

- training: ``credit.prediction.model._prediction_train()``: the ledger read in SQL, the
  backtest (a model trained before the test months, scored on them beside the customers'
  averages) and the final model (target 60 s);
- nightly scoring: ``_prediction_score()`` on every open invoice, written in one statement
  into ``credit.move.prediction`` (target 10 s): the first scoring ever (a row created per
  invoice, once); the weekly training a week later and its scoring in the same process, as
  the weekly scheduled action does (another model: every row rewritten); a night in a fresh
  process, as after a server's restart (scikit-learn imported, the model loaded); then
  nights in a process that has scored before (the server's cron worker): the same day
  again, a day later and on the eve of the next training (the features move with the date:
  some predictions change);
- an invoice's factors, worked out when it is read (the invoice's form), in a fresh process
  and in one that has scored;
- the nightly behaviour score of the same customers (``res.partner._cron_update_credit_score``)
  as the yardstick: no peer predicts late payments (neither Odoo nor OCA has it).

The backtest's figures are printed with the timings, never asserted.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dunning import Generator
from bench_dunning import measure
from bench_dunning import vacuum

TARGET_TRAIN_SECONDS = 60.0
TARGET_SCORE_SECONDS = 10.0
WEEK = 7  # the training's schedule
HABITS = (("good", 0.5), ("late", 0.15), ("worsening", 0.1), ("big", 0.15), ("summer", 0.1))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--paid", type=int, default=200000)
    parser.add_argument("--open", type=int, default=100000)
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the data, measure nothing (a copy "
        "of the database then measures with --built, again and again)",
    )
    parser.add_argument("--built", action="store_true", help="the data is there: measure")
    return parser.parse_args()


def plan(partner_ids, paid_count, open_count, today, rng):
    """Per customer, its invoices' (invoice date, due date, paid date or None, large),
    oldest first: ``paid_count`` paid and ``open_count`` open in all. The open ones are
    what the habit leaves open today: a good payer's are not due yet (or due in the last
    days), a late payer's are due from 75 days ago on."""
    names = [name for name, _weight in HABITS]
    weights = [weight for _name, weight in HABITS]
    per_paid, extra_paid = divmod(paid_count, len(partner_ids))
    per_open, extra_open = divmod(open_count, len(partner_ids))
    dated = {}
    for index, partner_id in enumerate(partner_ids):
        habit = rng.choices(names, weights)[0]
        turn = today - timedelta(days=rng.randint(60, 330))
        terms = rng.choice((30, 30, 45, 60))
        n_paid = per_paid + (index < extra_paid)
        n_open = per_open + (index < extra_open)
        late_now = habit == "late" or (habit == "worsening" and turn < today)
        oldest_open = 75 if late_now else 5
        invoices = []
        for position in range(n_open):
            # Spread from the oldest open due date to the latest one not yet invoiced.
            span = oldest_open + terms
            due = today - timedelta(days=oldest_open - position * span // max(n_open, 1))
            big = habit == "big" and position == 0
            if big:
                due = today - timedelta(days=50)
            invoices.append((due - timedelta(days=terms), due, None, big))
        due = min(inv[1] for inv in invoices) if invoices else today
        for _position in range(n_paid):
            # Invoiced every two to four weeks before the open ones (no gap in between).
            due -= timedelta(days=rng.randint(20, 40))
            big = rng.random() < 0.1
            late = habit == "late" or (habit == "worsening" and due >= turn)
            late = late or (habit == "big" and big) or (habit == "summer" and due.month in (7, 8))
            delay = rng.gauss(30, 10) if late else rng.gauss(-2, 5)
            paid = max(due + timedelta(days=round(delay)), due - timedelta(days=terms))
            paid = min(paid, today - timedelta(days=1))
            invoices.append((due - timedelta(days=terms), due, paid, big))
        dated[partner_id] = sorted(invoices, key=lambda inv: inv[1])
    return dated


def build(env, customers, paid_count, open_count):
    """The ledger: invoices cloned, then dated and paid in SQL."""
    today = fields.Date.context_today(env.user)
    total = paid_count + open_count
    generator = Generator(env, customers, total, today)
    generator.run()
    env.cr.execute(
        SQL(
            """
            SELECT m.partner_id, m.id, l.id
              FROM account_move m
              JOIN account_move_line l ON l.move_id = m.id AND l.date_maturity IS NOT NULL
             WHERE m.partner_id = ANY(%s) AND m.move_type = 'out_invoice'
             ORDER BY m.partner_id, m.id
            """,
            generator.partner_ids,
        )
    )
    by_partner = {}
    for partner_id, move_id, line_id in env.cr.fetchall():
        by_partner.setdefault(partner_id, []).append((move_id, line_id))
    counts = {partner: len(moves) for partner, moves in by_partner.items()}
    rng = random.Random(3)
    # Each customer keeps its number of invoices; a third of them (about) are open.
    dated = {}
    share_open = open_count / total
    for partner_id, count in counts.items():
        # Some customers have more open invoices than others (the mean share stays).
        mean_open = round(count * share_open)
        n_open = min(max(mean_open + rng.randint(-3, 3), 1), count - 1)
        dated.update(plan([partner_id], count - n_open, n_open, today, rng))
    move_ids, line_ids, dates, dues, paids, amounts = [], [], [], [], [], []
    for partner_id, moves in by_partner.items():
        for (move_id, line_id), (day, due, paid, big) in zip(moves, dated[partner_id], strict=True):
            move_ids.append(move_id)
            line_ids.append(line_id)
            dates.append(day)
            dues.append(due)
            paids.append(paid)
            amounts.append(3.0 if big else 1.0)
    env.cr.execute(
        SQL(
            """
            UPDATE account_move m SET date = v.day, invoice_date = v.day, invoice_date_due = v.due,
                   amount_total = m.amount_total * v.factor,
                   amount_total_signed = m.amount_total_signed * v.factor,
                   amount_untaxed = m.amount_untaxed * v.factor,
                   amount_untaxed_signed = m.amount_untaxed_signed * v.factor,
                   amount_residual = CASE WHEN v.paid IS NULL
                                          THEN m.amount_residual * v.factor ELSE 0 END,
                   amount_residual_signed = CASE WHEN v.paid IS NULL
                                          THEN m.amount_residual_signed * v.factor ELSE 0 END,
                   payment_state = CASE WHEN v.paid IS NULL THEN 'not_paid' ELSE 'paid' END
              FROM unnest(%s::int[], %s::date[], %s::date[], %s::date[], %s::float[])
                   AS v(id, day, due, paid, factor)
             WHERE m.id = v.id
            """,
            move_ids,
            dates,
            dues,
            paids,
            amounts,
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE account_move_line l SET date = v.day, invoice_date = v.day,
                   date_maturity = CASE WHEN l.date_maturity IS NOT NULL THEN v.due END,
                   debit = l.debit * v.factor, credit = l.credit * v.factor,
                   balance = l.balance * v.factor, amount_currency = l.amount_currency * v.factor,
                   amount_residual = CASE WHEN v.paid IS NULL OR l.date_maturity IS NULL
                                          THEN l.amount_residual * v.factor ELSE 0 END,
                   amount_residual_currency = CASE WHEN v.paid IS NULL OR l.date_maturity IS NULL
                                          THEN l.amount_residual_currency * v.factor ELSE 0 END,
                   reconciled = v.paid IS NOT NULL AND l.date_maturity IS NOT NULL
              FROM unnest(%s::int[], %s::date[], %s::date[], %s::date[], %s::float[])
                   AS v(id, day, due, paid, factor)
             WHERE l.move_id = v.id
            """,
            move_ids,
            dates,
            dues,
            paids,
            amounts,
        )
    )
    # One payment line all the paid invoices are reconciled against, each on its day.
    company = env.company
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), *compat_company(env, company)], limit=1
    )
    journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    payment = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": today,
            "line_ids": [
                Command.create({"account_id": receivable.id, "credit": 1.0}),
                Command.create({"account_id": journal.default_account_id.id, "debit": 1.0}),
            ],
        }
    )
    payment.action_post()
    env.flush_all()
    credit_line = payment.line_ids.filtered(lambda line: line.credit)
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_partial_reconcile
                   (debit_move_id, credit_move_id, amount, debit_amount_currency,
                    credit_amount_currency, company_id, debit_currency_id, credit_currency_id,
                    max_date, create_uid, create_date, write_uid, write_date)
            SELECT l.id, %(credit)s, l.balance, l.balance, l.balance, l.company_id,
                   l.currency_id, l.currency_id, v.paid, 1, now(), 1, now()
              FROM unnest(%(lines)s::int[], %(paids)s::date[]) AS v(id, paid)
              JOIN account_move_line l ON l.id = v.id
             WHERE v.paid IS NOT NULL
            """,
            credit=credit_line.id,
            lines=line_ids,
            paids=paids,
        )
    )
    env.invalidate_all()
    return generator.partner_ids


def compat_company(env, company):
    """Accounts of the company: ``company_id`` on 18.0, ``company_ids`` on 19.0."""
    field = "company_ids" if "company_ids" in env["account.account"]._fields else "company_id"
    return [(field, "in", company.ids)]


def train(env, days=0):
    """The training (with its backtest), ``days`` after the data's day."""
    record = env["credit.prediction.model"]._prediction_of(env.company)
    queries = env.cr.sql_log_count
    trained = record._prediction_train(record._prediction_today() + timedelta(days=days))
    figures = dict(trained.figures)
    figures["date_cutoff"] = str(figures["date_cutoff"])
    env.cr.commit()  # pylint: disable=invalid-commit (the forked measures read the data)
    return {
        "state": trained.state,
        "reason": trained.reason,
        "figures": figures,
        "importances": trained.importances[:5],
        "queries": env.cr.sql_log_count - queries,
    }


def score(env, days=0):
    """The nightly scoring, ``days`` after the training's day."""
    record = env["credit.prediction.model"]._prediction_of(env.company)
    today = record._prediction_today() + timedelta(days=days)
    queries = env.cr.sql_log_count
    if os.environ.get("CREDIT_BENCH_PROFILE"):
        profile = cProfile.Profile()
        scored = profile.runcall(record._prediction_score, today=today)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
    else:
        scored = record._prediction_score(today=today)
    likely = env["credit.move.prediction"].search_count([("likely_late", "=", True)])
    env.cr.commit()  # pylint: disable=invalid-commit (the forked measures read the data)
    return {"scored": scored, "likely": likely, "queries": env.cr.sql_log_count - queries}


def train_and_score(env, days):
    """The weekly scheduled action: the training, then the scoring in the same process."""
    started = time.perf_counter()
    train(env, days)
    trained = time.perf_counter()
    result = score(env, days)
    result["train_seconds"] = trained - started
    result["score_seconds"] = time.perf_counter() - trained
    return result


def explain(env):
    """An invoice opened by a collector: its factors worked out when read."""
    move_id = env["credit.move.prediction"].search([], order="probability desc", limit=1).move_id
    started = time.perf_counter()
    queries = env.cr.sql_log_count
    text = move_id.late_factors
    return {
        "ms": (time.perf_counter() - started) * 1000,
        "queries": env.cr.sql_log_count - queries,
        "lines": len((text or "").splitlines()),
    }


def warm(env):
    """A server process that has scored once: scikit-learn imported, the model loaded."""
    env["credit.prediction.model"]._prediction_of(env.company)._prediction_trained()


def behaviour_score(env):
    env["res.partner"]._cron_update_credit_score()
    env.cr.rollback()
    return {}


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    started = time.perf_counter()
    if not args.built:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner_ids = build(env, args.customers, args.paid, args.open)
            cr.commit()  # pylint: disable=invalid-commit (the forked measures read the data)
        vacuum(args.database)
        print(
            f"data: {len(partner_ids)} customers, {args.paid} paid and {args.open} open "
            f"invoices, built in {time.perf_counter() - started:.1f} s"
        )
    if args.build_only:
        return
    trained = measure(registry, train)
    figures = trained["figures"]
    print(
        f"training with its backtest: {trained['seconds']:.1f} s (target "
        f"{TARGET_TRAIN_SECONDS:.0f} s), {trained['queries']} queries, peak "
        f"{trained['peak_mb']:.0f} MB; {figures['train_size']} invoices learnt before "
        f"{figures['date_cutoff']}, {figures['test_size']} tested, then "
        f"{figures.get('final_size', 0)} for the model in use"
    )
    if "auc" in figures:
        print(
            f"  backtest: AUC {figures['auc']:.3f} (customers' averages "
            f"{figures['auc_fallback']:.3f}), "
            f"Brier {figures['brier']:.3f} ({figures['brier_fallback']:.3f}), date error "
            f"{figures['mae_days']:.1f} days ({figures['mae_days_fallback']:.1f}); in use: "
            f"{trained['state']}"
        )
        print(
            "  most important factors: "
            + ", ".join(f"{name} {value:.3f}" for name, value in trained["importances"])
        )
    else:
        print(f"  in use: {trained['state']} ({trained['reason']})")
    scored = measure(registry, score)
    print(
        f"first scoring ever (a row created per open invoice, once in the database's life): "
        f"{scored['scored']} open invoices in {scored['seconds']:.1f} s, {scored['queries']} "
        f"queries, peak {scored['peak_mb']:.0f} MB; {scored['likely']} likely late"
    )
    # The weekly training, a week later (another model: every prediction moves), then the
    # scoring in the same process, as the weekly scheduled action does.
    weekly = measure(registry, train_and_score, WEEK)
    print(
        f"the weekly training, {WEEK} days later: {weekly['train_seconds']:.1f} s; then the "
        f"scoring in the same process (as the weekly scheduled action does; every row "
        f"rewritten): {weekly['scored']} open invoices in {weekly['score_seconds']:.1f} s "
        f"(target {TARGET_SCORE_SECONDS:.0f} s), {weekly['queries']} queries; peak "
        f"{weekly['peak_mb']:.0f} MB; {weekly['likely']} likely late"
    )
    scored = measure(registry, score, WEEK + 1)
    print(
        f"nightly scoring in a fresh process (a server restarted: scikit-learn imported, the "
        f"model loaded), a day later: {scored['scored']} open invoices in "
        f"{scored['seconds']:.1f} s (target {TARGET_SCORE_SECONDS:.0f} s), "
        f"{scored['queries']} queries, peak {scored['peak_mb']:.0f} MB; {scored['likely']} "
        "likely late"
    )
    cold = measure(registry, explain)
    # The next nights in a process that has already scored (as the server's cron worker).
    with registry.cursor() as cr:
        warm(api.Environment(cr, SUPERUSER_ID, {}))
    hot = measure(registry, explain)
    print(
        f"an invoice's factors worked out when read (the invoice's form): {hot['ms']:.0f} ms, "
        f"{hot['queries']} queries in a process that has scored; {cold['ms']:.0f} ms in a "
        f"fresh one (scikit-learn imported); {hot['lines']} lines"
    )
    for days in (1, 2, WEEK - 1):
        again = measure(registry, score, WEEK + days)
        label = "the same day again" if days == 1 else f"{days} days after the training"
        print(
            f"  nightly scoring in the server's process, {label}: {again['seconds']:.1f} s, "
            f"{again['queries']} queries, peak {again['peak_mb']:.0f} MB; {again['likely']} "
            "likely late"
        )
    yardstick = measure(registry, behaviour_score)
    print(
        f"yardstick, the nightly behaviour score of the same customers: "
        f"{yardstick['seconds']:.1f} s, peak {yardstick['peak_mb']:.0f} MB (no peer predicts "
        "late payments: neither Odoo nor OCA)"
    )


if __name__ == "__main__":
    main()
