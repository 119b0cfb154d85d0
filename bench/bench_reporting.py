"""Benchmark: receivables reporting, ours beside OCA's on the same ledger, in one run.

Run by ``make bench`` (scripts/bench.sh), which installs the addons with OCA's
``account_financial_report`` 18.0 (aged partner balance) and ``partner_statement`` 18.0
(outstanding statements) from PyPI on a fresh database and calls
``python bench/bench_reporting.py -c <odoo.conf> -d <db>``.

Data, cloned in SQL from invoices made through the ORM (the generators of
``bench_dunning.py`` and ``bench_score.py``), on the same ``--customers`` (default 50,000):

- ``--open`` posted open invoices (default 600,000), due from 30 days ahead to 150 days late;
- ``--paid`` invoices paid by a payment entry each (default 200,000), due 20 to 350 days
  ago and paid from 10 days early to 49 days late, reconciled on the payment day: as of a
  past date, those paid after it were still open.

That is ``open + 2 x paid`` receivable journal items (1,000,000 by default). Measures, each
in a forked process (wall time and peak memory):

- ours: the aged balance grouped by customer (``credit.aged.balance``, every row and the
  totals), as of today and as of ``--days-back`` days ago (context ``credit_as_of``);
- OCA: the aged partner balance of ``account_financial_report`` (its report values, without
  the HTML), receivable accounts, same two dates; the totals must equal ours;
- ours: the 12-month KPI backfill (``credit.kpi.snapshot._backfill``), snapshots removed first;
- statements: ``--statements`` customer statements (default 1,000) rendered to one PDF,
  ours (``credit_management.action_report_credit_statement``) and OCA's outstanding
  statement, one PDF per customer as when they are emailed, both without their stylesheets
  (Debian's wkhtmltopdf prints Odoo's reports blank with them, and cannot print several
  documents in one call) and without Odoo's 1 s wait for scripts (``report.print_delay``).

Figures are printed beside their targets, never asserted.
"""

import argparse
import importlib
import json
import sys
import time
from datetime import timedelta

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)
from bench_dunning import Generator
from bench_dunning import measure
from bench_dunning import vacuum
from bench_score import PaidHistory

import odoo.release
import odoo.sql_db
from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

TARGET_AGED_SECONDS = 3.0
TARGET_RATIO = 10.0
TARGET_BACKFILL_SECONDS = 60.0
AGED_PEER = "account_financial_report"
STATEMENT_PEER = "partner_statement"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=50000)
    parser.add_argument("--open", type=int, default=600000)
    parser.add_argument("--paid", type=int, default=200000)
    parser.add_argument("--days-back", type=int, default=90)
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the data of an earlier run of this database"
    )
    args = parser.parse_args()
    if args.customers < 1 or args.open < args.customers or args.paid < 1:
        parser.error("--open must be at least --customers, which must be positive")
    return args


# ------------------------------------------------------------
# DATA
# ------------------------------------------------------------


class PaidOnSameCustomers(PaidHistory):
    """The paid history of ``bench_score.py``, on the customers of the open invoices."""

    def __init__(self, env, partner_ids, invoices, date):
        super().__init__(env, len(partner_ids), invoices, date)
        self.existing = partner_ids

    def _clone_partners(self, template):
        # The template customer is the generator's own; the clones go to our customers.
        return self.existing[: self.customers - 1]


def receivable_items(env):
    [(count, customers)] = env.execute_query(
        SQL(
            """
            SELECT COUNT(*), COUNT(DISTINCT l.partner_id)
              FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
                                    AND a.account_type = 'asset_receivable'
             WHERE l.parent_state = 'posted'
            """
        )
    )
    return count, customers


# ------------------------------------------------------------
# MEASURES
# ------------------------------------------------------------


def amount_columns():
    """The amount columns of the aged balance's exports (their module is importable once
    Odoo's configuration is read)."""
    module = "odoo.addons.credit_management.report.credit_aged_balance_report"
    return importlib.import_module(module).AMOUNT_COLUMNS


def run_ours_aged(env, as_of):
    """Every row of the aged balance by customer (its name, its collector, its buckets) and
    the totals, as the PDF and XLSX exports read them."""
    columns = amount_columns()
    report = env["report.credit_management.report_credit_aged_balance"]
    table = report.with_context(credit_as_of=as_of)._get_table([])
    overdue = sum(
        line["amounts"][index]
        for line in table["lines"]
        for index, name in enumerate(columns)
        if name not in ("amount_not_due", "amount_total")
    )
    return {
        "rows": len(table["lines"]),
        "count": table["count"],
        "total": table["total"][columns.index("amount_total")],
        "overdue": overdue,
    }


def run_ours_aged_screen(env, as_of):
    """The aged balance list as it opens: its first page (80 customers, by total) and the
    totals of every customer, read as the web client reads them."""
    Aged = env["credit.aged.balance"].with_context(credit_as_of=as_of)
    spec = {name: {} for name in ("partner_id", "user_id", *amount_columns())}
    spec["partner_id"] = {"fields": {"display_name": {}}}
    page = Aged.web_search_read([], spec, limit=80)
    [(count, total)] = Aged._read_group([], [], ["__count", "amount_total:sum"])
    return {"rows": len(page["records"]), "count": count, "total": total}


def run_oca_aged(env, as_of):
    """OCA's aged partner balance of the receivable accounts: its report values."""
    wizard = env["aged.partner.balance.report.wizard"].create(
        {
            "company_id": env.company.id,
            "date_at": as_of,
            "target_move": "posted",
            "receivable_accounts_only": True,
            "show_move_line_details": False,
        }
    )
    wizard.onchange_type_accounts_only()
    # As the report action sends it: through JSON, dates as strings.
    data = json.loads(json.dumps(wizard._prepare_report_data(), default=str))
    values = env["report.account_financial_report.aged_partner_balance"]._get_report_values(
        wizard.ids, data
    )
    accounts = values["aged_partner_balance"]
    partners = sum(len(account.get("partners", ())) for account in accounts)
    return {"rows": partners, "total": sum(account["residual"] for account in accounts)}


def run_backfill(env):
    Snapshot = env["credit.kpi.snapshot"]
    Snapshot.search([]).unlink()
    env.flush_all()
    started = time.perf_counter()
    snapshots = Snapshot._backfill(months=12)
    env.flush_all()
    seconds = time.perf_counter() - started
    env.cr.commit()  # pylint: disable=invalid-commit
    return {
        "snapshots": len(snapshots),
        "dates": len(set(snapshots.mapped("date"))),
        "backfill_seconds": seconds,
    }


def statement_partners(env, count):
    rows = env.execute_query(
        SQL(
            """
            SELECT i.commercial_partner_id FROM (%s) i
             GROUP BY 1 ORDER BY 1 LIMIT %s
            """,
            env["credit.open.item"]._query(env.company),
            count,
        )
    )
    return [row[0] for row in rows]


def render_each(report, partner_ids, data=None):
    """One PDF per customer, as statements are sent: Debian's wkhtmltopdf (unpatched Qt)
    cannot print several documents in one call."""
    report = report.with_context(force_report_rendering=True)
    started = time.perf_counter()
    size = 0
    for partner_id in partner_ids:
        pdf, _kind = report._render_qweb_pdf(report, [partner_id], data=data)
        size += len(pdf)
    seconds = time.perf_counter() - started
    return {"statements": len(partner_ids), "bytes": size, "render_seconds": seconds}


def run_ours_statements(env, partner_ids):
    report = env.ref("credit_management.action_report_credit_statement")
    return render_each(report, partner_ids)


def run_oca_statements(env, partner_ids):
    report = env.ref("partner_statement.action_print_outstanding_statement")
    wizard = (
        env["outstanding.statement.wizard"]
        .with_context(active_ids=partner_ids, active_model="res.partner")
        .create({"company_id": env.company.id})
    )
    # As the report action sends it: through JSON, dates as strings.
    data = json.loads(json.dumps(wizard._prepare_statement(), default=str))
    results = {"statements": 0, "bytes": 0, "render_seconds": 0.0}
    for partner_id in partner_ids:
        one = render_each(report, [partner_id], data=dict(data, partner_ids=[partner_id]))
        for key in results:
            results[key] += one[key]
    return results


# ------------------------------------------------------------
# REPORT
# ------------------------------------------------------------


def verdict(met):
    return "met" if met else "NOT met"


def line(label, result, detail):
    print(f"{label:<60} {result['seconds']:9.2f} {result['peak_mb']:9.0f}  {detail}")


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    aged_peer = AGED_PEER in registry._init_modules
    statement_peer = STATEMENT_PEER in registry._init_modules
    today = fields.Date.today()
    past = today - timedelta(days=args.days_back)
    print(f"Odoo {odoo.release.version}, database {args.database}, today {today}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        reused = args.reuse and receivable_items(env)[0] > 0
        if not reused:
            generator = Generator(env, args.customers, args.open, today)
            generator.run()
            paid = PaidOnSameCustomers(env, generator.partner_ids, args.paid, today)
            paid.run()
            env.flush_all()
        items, customers = receivable_items(env)
        elapsed = time.perf_counter() - started
        cr.commit()  # pylint: disable=invalid-commit
    if not reused:
        vacuum(args.database)
        connection = odoo.sql_db.db_connect(args.database).cursor()
        try:
            connection._cnx.autocommit = True
            connection.execute(SQL("VACUUM ANALYZE account_partial_reconcile"))
        finally:
            connection.close()
    print(
        f"  data: {items:,} posted receivable items of {customers:,} customers "
        f"({args.open:,} open invoices, {args.paid:,} paid invoices and their payments) "
        + ("(data of an earlier run)" if reused else f"in {elapsed:.0f} s")
    )
    for name, installed in ((AGED_PEER, aged_peer), (STATEMENT_PEER, statement_peer)):
        if not installed:
            print(f"  OCA {name}: not installed in this database (see above)")

    baseline = measure(registry, lambda env: {})
    ours_today = measure(registry, run_ours_aged, str(today))
    ours_past = measure(registry, run_ours_aged, str(past))
    screen_today = measure(registry, run_ours_aged_screen, str(today))
    screen_past = measure(registry, run_ours_aged_screen, str(past))
    oca_today = measure(registry, run_oca_aged, str(today)) if aged_peer else None
    oca_past = measure(registry, run_oca_aged, str(past)) if aged_peer else None
    backfill = measure(registry, run_backfill)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        partner_ids = statement_partners(env, args.statements)
    # Debian's wkhtmltopdf (unpatched Qt) prints Odoo's reports blank, or fails, once their
    # stylesheets load (tests/test_dunning_letter_e2e.py): both sides print without them,
    # report.url pointing to a closed port.
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        # Odoo waits report.print_delay (1 s by default) in every wkhtmltopdf call for
        # scripts to run: neither report has any, both print without the wait.
        env["ir.config_parameter"].set_param("report.print_delay", "0")
    ours_statements = measure(registry, run_ours_statements, partner_ids)
    oca_statements = measure(registry, run_oca_statements, partner_ids) if statement_peer else None

    print()
    print(f"{'measure':<60} {'seconds':>9} {'peak MB':>9}  result")
    print(f"{'an idle process (registry loaded)':<60} {'':>9} {baseline['peak_mb']:9.0f}")
    for label, ours, oca in (
        (f"aged balance by customer as of today ({today})", ours_today, oca_today),
        (f"aged balance by customer as of {past}", ours_past, oca_past),
    ):
        line(
            f"ours: {label}",
            ours,
            f"{ours['rows']:,} customers, {ours['total']:,.2f} (overdue {ours['overdue']:,.2f})",
        )
        if oca:
            same = round(oca["total"], 2) == round(ours["total"], 2)
            line(
                f"OCA:  {label}",
                oca,
                f"{oca['rows']:,} customers, {oca['total']:,.2f} "
                f"({'same total' if same else 'NOT the same total'})",
            )
    for label, screen in (
        (f"ours: aged balance list as it opens, as of today ({today})", screen_today),
        (f"ours: aged balance list as it opens, as of {past}", screen_past),
    ):
        line(
            label,
            screen,
            f"first {screen['rows']} of {screen['count']:,} customers, total "
            f"{screen['total']:,.2f}",
        )
    line(
        "ours: KPI backfill, 12 month ends and today",
        backfill,
        f"{backfill['snapshots']} snapshots over {backfill['dates']} dates "
        f"({backfill['backfill_seconds']:.1f} s in the backfill itself)",
    )
    for label, result in (
        ("ours: customer statements to PDF", ours_statements),
        ("OCA:  outstanding statements to PDF", oca_statements),
    ):
        if result:
            rate = result["statements"] / result["render_seconds"]
            line(
                label,
                result,
                f"{result['statements']} statements, {result['bytes'] / 1e6:.1f} MB, "
                f"{rate:.1f} statements/s",
            )

    print()
    print("Targets (printed, not asserted):")
    for label, ours, oca in (("today", ours_today, oca_today), ("past", ours_past, oca_past)):
        text = (
            f"  aged balance as of {label} at most {TARGET_AGED_SECONDS:.0f} s: "
            f"{ours['seconds']:.2f} s ({verdict(ours['seconds'] <= TARGET_AGED_SECONDS)})"
        )
        if oca:
            ratio = oca["seconds"] / ours["seconds"]
            text += (
                f"; at least {TARGET_RATIO:.0f}x faster than OCA: {ratio:.1f}x "
                f"({verdict(ratio >= TARGET_RATIO)})"
            )
        print(text)
    print(
        f"  KPI backfill at most {TARGET_BACKFILL_SECONDS:.0f} s: "
        f"{backfill['seconds']:.1f} s ({verdict(backfill['seconds'] <= TARGET_BACKFILL_SECONDS)})"
    )
    if oca_statements:
        ours_rate = ours_statements["statements"] / ours_statements["render_seconds"]
        oca_rate = oca_statements["statements"] / oca_statements["render_seconds"]
        print(f"  statements per second: ours {ours_rate:.1f}, OCA {oca_rate:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
