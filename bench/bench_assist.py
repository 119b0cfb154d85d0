"""Assisted collection, the pure parts: replies read per second and the worklist's ranking.

Run with the project's Python (no database): ``python bench/bench_assist.py [--replies N]
[--customers N]``. Prints:

- the reply analyser (``credit_management/engine/reply.py``) on the corpus of the unit tests,
  repeated to N replies (default 2,000), each against 50 open invoices: replies per second;
- the ranking of today's worklist (``engine/worklist.py``) for a collector with N customers
  (default 2,000) of mixed situations: median of 20 runs in ms (target of the whole worklist
  with its queries: 0.5 s).

Timings are printed, never asserted.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "credit_management"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "engine" / "tests"))

from engine.reply import OpenInvoice  # noqa: E402
from engine.reply import analyse  # noqa: E402
from engine.worklist import CustomerFacts  # noqa: E402
from engine.worklist import rank  # noqa: E402
from reply_corpus import CORPUS  # noqa: E402
from reply_corpus import INVOICES  # noqa: E402
from reply_corpus import TODAY  # noqa: E402


def bench_replies(count):
    invoices = INVOICES + tuple(
        OpenInvoice(1000 + i, f"INV/2026/{10000 + i:05d}", 100.0 + i) for i in range(47)
    )
    entries = [CORPUS[i % len(CORPUS)] for i in range(count)]
    analyse("warm up", today=TODAY, invoices=invoices)
    start = time.perf_counter()
    for entry in entries:
        analyse(entry["text"], entry["subject"], entry["headers"], TODAY, invoices)
    elapsed = time.perf_counter() - start
    print(
        f"reply analyser: {count} replies in {elapsed:.2f} s, {count / elapsed:.0f} replies/s "
        f"({len(invoices)} open invoices each)"
    )


def bench_worklist(count, runs=20):
    rng = random.Random(7)
    today = date(2026, 12, 7)
    customers = [
        CustomerFacts(
            partner_id=i,
            overdue_amount=rng.choice((0.0, rng.uniform(50, 20000))),
            days_overdue=rng.randint(0, 200),
            score=rng.randint(0, 100),
            promise_due_amount=rng.choice((0.0,) * 9 + (rng.uniform(100, 5000),)),
            dispute_late_amount=rng.choice((0.0,) * 19 + (rng.uniform(100, 5000),)),
            calls_due=rng.choice((0,) * 9 + (1,)),
            reminders_to_validate=rng.choice((0,) * 4 + (1,)),
            replies_to_read=rng.choice((0,) * 29 + (1,)),
            paused_until=rng.choice((None,) * 19 + (date(2026, 12, 20),)),
        )
        for i in range(count)
    ]
    timings = []
    for _run in range(runs):
        start = time.perf_counter()
        items = rank(customers, today)
        timings.append((time.perf_counter() - start) * 1000)
    print(
        f"worklist ranking: {count} customers, {len(items)} listed, median "
        f"{statistics.median(timings):.1f} ms over {runs} runs (the ranking alone, without "
        "the queries that gather the facts)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--customers", type=int, default=2000)
    args = parser.parse_args()
    bench_replies(args.replies)
    bench_worklist(args.customers)


if __name__ == "__main__":
    main()
