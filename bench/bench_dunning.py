"""Benchmark: the dunning run, ours beside OCA's account_credit_control, on the same data.

Run by ``make bench`` (scripts/bench.sh), which installs the addons and OCA's
``account_credit_control`` 18.0 on a fresh database and calls
``python bench/bench_dunning.py -c <odoo.conf> -d <db>``.

Data (``--customers``, default 20,000; ``--invoices``, default 100,000): one invoice is
created and posted through the ORM, then cloned in SQL (``INSERT ... SELECT`` over
``generate_series``, every column of ``account_move`` and ``account_move_line`` taken from
``information_schema``) with unique names, customers spread round-robin, amounts from 100 to
575 and due dates from 30 days ahead to 150 days late: every aging bucket is filled. The
clones are checked against Odoo's own computation of their totals before anything is timed.

Measures, each in a forked process so that its peak memory (``ru_maxrss``) is its own:

- ours: ``credit.dunning.run_dunning(date)`` with a commit per batch, as the scheduled action
  runs it, on a 5-level scenario (+5, +15, +30, +45, +60 days, email) whose levels all need
  validation, so that the run selects and creates reminders without sending them;
- ours again on the same day: the selection alone, nothing is created;
- OCA: ``credit.control.run.generate_credit_lines()`` with the equivalent 5-level policy;
- email: ``action_send()`` on 2,000 of the reminders (``--emails``): templates rendered,
  messages posted and emails queued in Odoo's mail queue.

Figures are printed beside their targets, never asserted.
"""

import argparse
import json
import os
import sys
import time
import traceback
from datetime import timedelta

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

import odoo.release
import odoo.sql_db
from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

LEVEL_DAYS = (5, 15, 30, 45, 60)
TARGET_SECONDS = 60.0
TARGET_RATIO = 10.0
TARGET_MEMORY_MB = 1536.0
TARGET_EMAILS_PER_SECOND = 50.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--invoices", type=int, default=100000)
    parser.add_argument("--emails", type=int, default=2000)
    args = parser.parse_args()
    if args.customers < 1 or args.invoices < args.customers:
        parser.error("--invoices must be at least --customers, which must be positive")
    return args


# ------------------------------------------------------------
# DATA
# ------------------------------------------------------------


def table_columns(env, table):
    """Columns of ``table`` that an INSERT may set, and the numeric ones."""
    rows = env.execute_query(
        SQL(
            """
            SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = %s
               AND is_generated = 'NEVER' AND column_name != 'id'
             ORDER BY ordinal_position
            """,
            table,
        )
    )
    return [row[0] for row in rows], {row[0] for row in rows if row[1] == "numeric"}


def insert_select(env, table, overrides, source, suffix=None):
    """``INSERT INTO table (every column) SELECT ...``: a column in ``overrides`` takes that
    SQL expression, every other one is copied from the template row ``t``."""
    columns, _numeric = table_columns(env, table)
    if "id" in overrides:
        columns = ["id", *columns]
    return SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s %s",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(column) for column in columns),
        SQL(", ").join(
            overrides.get(column, SQL("t.%s", SQL.identifier(column))) for column in columns
        ),
        source,
        suffix or SQL(),
    )


class Generator:
    """N customers and M posted open invoices, cloned in SQL from one ORM invoice."""

    def __init__(self, env, customers, invoices, date):
        self.env = env
        self.customers = customers
        self.invoices = invoices
        self.date = date

    def run(self):
        env = self.env
        started = time.perf_counter()
        product = env["product.product"].create(
            {"name": "Bench service", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        template_partner = env["res.partner"].create(
            {
                "name": "Bench customer 000000",
                "is_company": True,
                "email": "bench000000@example.com",
                "lang": "en_US",
            }
        )
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": template_partner.id,
                "invoice_date": self.date - timedelta(days=60),
                "invoice_date_due": self.date - timedelta(days=30),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        env.flush_all()
        partner_ids = [template_partner.id, *self.clone_partners(template_partner)]
        self.partner_ids = partner_ids
        self.clone_invoices(invoice, partner_ids)
        env.invalidate_all()
        elapsed = time.perf_counter() - started
        self.check(invoice, partner_ids)
        return elapsed

    def clone_partners(self, template):
        count = self.customers - 1
        if not count:
            return []
        name = SQL("'Bench customer ' || lpad(g::text, 6, '0')")
        query = insert_select(
            self.env,
            "res_partner",
            {
                "name": name,
                "complete_name": name,
                "email": SQL("'bench' || lpad(g::text, 6, '0') || '@example.com'"),
                "ref": SQL("'B' || lpad(g::text, 6, '0')"),
            },
            SQL("res_partner t, generate_series(1, %s) g", count),
            SQL("WHERE t.id = %s RETURNING id", template.id),
        )
        ids = [row[0] for row in self.env.execute_query(query)]
        self.env.cr.execute(
            SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids)
        )
        return ids

    def clone_invoices(self, template, partner_ids):
        """``invoices - 1`` clones of ``template``: a map of new ids, then moves and lines."""
        env = self.env
        count = self.invoices - 1
        prefix = template.sequence_prefix
        env.cr.execute(
            SQL(
                """
                CREATE TEMP TABLE bench_move ON COMMIT DROP AS
                SELECT g, nextval('account_move_id_seq') AS id,
                       (%(partners)s)[1 + mod(g, %(n)s)] AS partner_id,
                       %(prefix)s || lpad((g + %(first)s)::text, 7, '0') AS name,
                       g + %(first)s AS number,
                       (%(date)s::date - (mod(g, 181) - 30)) AS due,
                       (1 + mod(g, 20) * 0.25)::numeric AS factor
                  FROM generate_series(1, %(count)s) g
                """,
                partners=partner_ids,
                n=len(partner_ids),
                prefix=prefix,
                first=template.sequence_number,
                date=self.date,
                count=count,
            )
        )
        env.cr.execute("ALTER TABLE bench_move ADD PRIMARY KEY (g)")
        _columns, numeric = table_columns(env, "account_move")
        overrides = {
            "id": SQL("b.id"),
            "name": SQL("b.name"),
            "sequence_number": SQL("b.number"),
            "payment_reference": SQL("b.name"),
            "partner_id": SQL("b.partner_id"),
            "commercial_partner_id": SQL("b.partner_id"),
            "partner_shipping_id": SQL("b.partner_id"),
            "invoice_partner_display_name": SQL("p.name"),
            "date": SQL("b.due - 30"),
            "invoice_date": SQL("b.due - 30"),
            "invoice_date_due": SQL("b.due"),
            "access_token": SQL("NULL"),
            "message_main_attachment_id": SQL("NULL"),
        }
        for column in numeric:
            if column.startswith("amount_"):
                overrides[column] = SQL("t.%s * b.factor", SQL.identifier(column))
        env.cr.execute(
            insert_select(
                env,
                "account_move",
                overrides,
                SQL("account_move t, bench_move b JOIN res_partner p ON p.id = b.partner_id"),
                SQL("WHERE t.id = %s", template.id),
            )
        )
        _columns, numeric = table_columns(env, "account_move_line")
        monetary = {
            "debit",
            "credit",
            "balance",
            "amount_currency",
            "amount_residual",
            "amount_residual_currency",
            "price_unit",
            "price_subtotal",
            "price_total",
        }
        overrides = {
            "move_id": SQL("b.id"),
            "move_name": SQL("b.name"),
            "partner_id": SQL("b.partner_id"),
            "date": SQL("b.due - 30"),
            "invoice_date": SQL("b.due - 30"),
            "date_maturity": SQL("CASE WHEN t.date_maturity IS NOT NULL THEN b.due END"),
        }
        for column in numeric & monetary:
            overrides[column] = SQL("t.%s * b.factor", SQL.identifier(column))
        env.cr.execute(
            insert_select(
                env,
                "account_move_line",
                overrides,
                SQL("account_move_line t, bench_move b"),
                SQL("WHERE t.move_id = %s ORDER BY b.g, t.id", template.id),
            )
        )

    def check(self, template, partner_ids):
        """The clones must be what Odoo would have computed: totals and residuals."""
        env = self.env
        Move = env["account.move"]
        moves = Move.search(
            [("partner_id", "in", partner_ids), ("move_type", "=", "out_invoice")], order="id"
        )
        assert len(moves) == self.invoices, (len(moves), self.invoices)
        step = max(1, len(moves) // 50)
        for move in moves[::step]:
            stored = (move.amount_total, move.amount_residual, move.payment_state)
            move._compute_amount()
            move._compute_payment_state()
            computed = (move.amount_total, move.amount_residual, move.payment_state)
            assert stored == computed, (move.name, stored, computed)
        env.invalidate_all()
        receivable = sum(
            amount
            for _partner, amount in env["account.move.line"]._read_group(
                [
                    ("move_id", "in", moves.ids),
                    ("account_id.account_type", "=", "asset_receivable"),
                ],
                ["partner_id"],
                ["amount_residual:sum"],
            )
        )
        expected = sum(100.0 * (1 + (g % 20) * 0.25) for g in range(1, self.invoices))
        expected += template.amount_total
        assert abs(receivable - expected) < 0.01, (receivable, expected)
        buckets = env.execute_query(
            SQL(
                """
                SELECT CASE WHEN m.invoice_date_due >= %(date)s THEN 'not due'
                            WHEN m.invoice_date_due >= %(date)s::date - 30 THEN '1-30'
                            WHEN m.invoice_date_due >= %(date)s::date - 60 THEN '31-60'
                            WHEN m.invoice_date_due >= %(date)s::date - 90 THEN '61-90'
                            ELSE '90+' END AS bucket, count(*)
                  FROM account_move m WHERE m.id = ANY(%(ids)s) GROUP BY 1 ORDER BY 1
                """,
                date=self.date,
                ids=moves.ids,
            )
        )
        self.receivable = receivable
        self.buckets = buckets


def vacuum(dbname):
    """VACUUM ANALYZE the bulk-loaded tables, as autovacuum does on a live database."""
    connection = odoo.sql_db.db_connect(dbname).cursor()
    try:
        connection._cnx.autocommit = True
        for table in ("account_move_line", "account_move", "res_partner"):
            connection.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
    finally:
        connection.close()


# ------------------------------------------------------------
# MEASURES
# ------------------------------------------------------------


def measure(registry, function, *args):
    """Run ``function(env, *args)`` in a forked process; return its result (a dict) with
    the wall time of the call and the peak resident memory of the process."""
    odoo.sql_db.close_all()  # the child opens its own connections
    sys.stdout.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        code = 0
        try:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                started = time.perf_counter()
                result = function(env, *args)
                result["seconds"] = time.perf_counter() - started
            payload = json.dumps(result).encode()
        except BaseException:  # report any failure to the parent, never fall through
            traceback.print_exc()
            payload = b"{}"
            code = 1
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    _pid, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"measure {function.__name__} failed (see above)")
    result = json.loads(payload)
    result["peak_mb"] = usage.ru_maxrss / 1024.0
    return result


def setup_ours(env):
    """A 5-level scenario, levels validated by hand, the company's default."""
    template = env.ref("credit_management.mail_template_dunning_reminder")
    scenario = env["credit.dunning.scenario"].create(
        {
            "name": "Bench: 5 levels",
            "grouping": "commercial",
            "level_ids": [
                Command.create(
                    {
                        "sequence": index,
                        "name": f"+{days} days",
                        "days": days,
                        "channel_email": True,
                        "mail_template_id": template.id,
                        "requires_validation": True,
                    }
                )
                for index, days in enumerate(LEVEL_DAYS)
            ],
        }
    )
    env.company.credit_dunning_scenario_id = scenario
    # Payer profiles choose their own scenario before the company's: none here.
    env["credit.payer.profile"].with_context(active_test=False).search([]).write(
        {"dunning_scenario_id": False}
    )


def setup_oca(env):
    """The equivalent policy: 5 levels on the due date (+5 ... +60), email."""
    company = env.company
    receivable = env["account.account"].search(
        [("account_type", "=", "asset_receivable"), ("company_ids", "in", company.id)]
    )
    template = env.ref("account_credit_control.email_template_credit_control_base")
    policy = env["credit.control.policy"].create(
        {
            "name": "Bench: 5 levels",
            "company_id": company.id,
            "account_ids": [Command.set(receivable.ids)],
            "level_ids": [
                Command.create(
                    {
                        "name": f"+{days} days",
                        "level": index + 1,
                        "computation_mode": "net_days",
                        "delay_days": days,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": "Please pay the invoices below.",
                        "custom_mail_text": "<p>Please pay the invoices below.</p>",
                    }
                )
                for index, days in enumerate(LEVEL_DAYS)
            ],
        }
    )
    company.credit_policy_id = policy
    return policy


def run_ours(env, date):
    Dunning = env["credit.dunning"].with_context(credit_dunning_commit=True)
    reminders = Dunning.run_dunning(date)
    # The commit is part of what the scheduled action does, so it is measured.
    env.cr.commit()  # pylint: disable=invalid-commit
    lines = env["credit.dunning.line"].search_count([("dunning_id", "in", reminders.ids)])
    invoice_lines = env["credit.dunning.line"].search_count(
        [("dunning_id", "in", reminders.ids), ("line_type", "=", "invoice")]
    )
    return {"reminders": len(reminders), "lines": lines, "invoice_lines": invoice_lines}


def run_oca(env, date, policy_id):
    run = env["credit.control.run"].create(
        {"date": date, "policy_ids": [Command.set([policy_id])], "company_id": env.company.id}
    )
    run.generate_credit_lines()
    # The peer's run is measured up to its commit, as ours.
    env.cr.commit()  # pylint: disable=invalid-commit
    return {"lines": len(run.line_ids)}


def run_aged(env):
    """The aged balance as its list view opens: the first page, then the totals."""
    Aged = env["credit.aged.balance"]
    amounts = [name for name in Aged._fields if name.startswith("amount_")]
    page = Aged.search_read([], ["partner_id", *amounts], limit=80)
    [(count, total)] = Aged._read_group([], [], ["__count", "amount_total:sum"])
    return {"rows": count, "total": total, "page": len(page)}


def send_emails(env, count):
    reminders = env["credit.dunning"].search([("state", "=", "to_validate")], limit=count)
    mails_before = env["mail.mail"].search_count([])
    started = time.perf_counter()
    reminders.action_send()
    env.flush_all()
    seconds = time.perf_counter() - started
    queued = env["mail.mail"].search_count([]) - mails_before
    states = dict(
        env["credit.dunning"]._read_group(
            [("id", "in", reminders.ids)], ["email_state"], ["__count"]
        )
    )
    env.cr.rollback()  # leave the reminders to validate
    return {
        "reminders": len(reminders),
        "queued": queued,
        "send_seconds": seconds,
        "states": states,
    }


# ------------------------------------------------------------
# REPORT
# ------------------------------------------------------------


def verdict(met):
    return "met" if met else "NOT met"


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    oca = "account_credit_control" in registry._init_modules
    date = fields.Date.today()
    print(f"Odoo {odoo.release.version}, database {args.database}, dunning date {date}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generator = Generator(env, args.customers, args.invoices, date)
        elapsed = generator.run()
        setup_ours(env)
        policy_id = setup_oca(env).id if oca else None
        # Generated data kept for the measures in forked processes.
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(args.database)
    print(
        f"  data: {args.customers} customers, {args.invoices} posted open invoices "
        f"({generator.receivable:,.2f} receivable) in {elapsed:.1f} s; checked against "
        "Odoo's own totals"
    )
    print("  aging: " + ", ".join(f"{bucket} {count}" for bucket, count in generator.buckets))
    if not oca:
        print("  OCA account_credit_control: not installed in this database (see above)")
    baseline = measure(registry, lambda env: {})
    aged = measure(registry, run_aged)
    ours = measure(registry, run_ours, date)
    rerun = measure(registry, run_ours, date)
    peer = measure(registry, run_oca, date, policy_id) if oca else None
    emails = measure(registry, send_emails, args.emails)

    print()
    print(f"{'measure':<58} {'seconds':>9} {'peak MB':>9}  result")
    print(f"{'an idle process (registry loaded)':<58} {'':>9} {baseline['peak_mb']:9.0f}")
    print(
        f"{'ours: run_dunning (select, create reminders)':<58} {ours['seconds']:9.1f} "
        f"{ours['peak_mb']:9.0f}  {ours['reminders']} reminders, {ours['lines']} lines "
        f"({ours['invoice_lines']} invoices reminded)"
    )
    print(
        f"{'ours: run_dunning again on the same day':<58} {rerun['seconds']:9.1f} "
        f"{rerun['peak_mb']:9.0f}  {rerun['reminders']} reminders created"
    )
    if peer:
        print(
            f"{'OCA: credit.control.run.generate_credit_lines':<58} {peer['seconds']:9.1f} "
            f"{peer['peak_mb']:9.0f}  {peer['lines']} credit control lines"
        )
    rate = emails["reminders"] / emails["send_seconds"] if emails["send_seconds"] else 0.0
    print(
        f"{'ours: aged balance, first page and totals':<58} {aged['seconds']:9.1f} "
        f"{aged['peak_mb']:9.0f}  {aged['rows']} customers, {aged['total']:,.2f} in all "
        f"({'equal to' if round(aged['total'], 2) == round(generator.receivable, 2) else 'NOT'}"
        " Odoo's receivable)"
    )
    print(
        f"{'email: action_send (render, post, queue)':<58} {emails['send_seconds']:9.1f} "
        f"{emails['peak_mb']:9.0f}  {emails['reminders']} reminders, {emails['queued']} "
        f"emails queued, {rate:.0f} reminders/s"
    )
    print()
    print("Targets (printed, not asserted):")
    print(
        f"  our run at most {TARGET_SECONDS:.0f} s for {args.invoices} invoices: "
        f"{ours['seconds']:.1f} s ({verdict(ours['seconds'] <= TARGET_SECONDS)})"
    )
    if peer:
        ratio = peer["seconds"] / ours["seconds"]
        print(
            f"  at least {TARGET_RATIO:.0f}x faster than OCA: {ratio:.1f}x "
            f"({verdict(ratio >= TARGET_RATIO)}); same invoices selected: "
            f"{'yes' if peer['lines'] == ours['invoice_lines'] else 'no'} "
            f"(ours {ours['invoice_lines']}, OCA {peer['lines']})"
        )
    print(
        f"  peak memory at most {TARGET_MEMORY_MB:.0f} MB: {ours['peak_mb']:.0f} MB "
        f"({verdict(ours['peak_mb'] <= TARGET_MEMORY_MB)})"
    )
    print(
        f"  at least {TARGET_EMAILS_PER_SECOND:.0f} reminder emails per second: {rate:.0f} "
        f"({verdict(rate >= TARGET_EMAILS_PER_SECOND)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
