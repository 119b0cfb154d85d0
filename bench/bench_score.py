"""Benchmark: the nightly behaviour score of every customer.

Run by ``make bench`` (scripts/bench.sh), which installs the addons on a fresh database and
calls ``python bench/bench_score.py -c <odoo.conf> -d <db>``.

Data (``--customers``, default 20,000; ``--invoices``, default 200,000): one invoice is
created, posted and paid through the ORM; the invoice, its payment entry and their partial
reconciliation are then cloned in SQL (every column read from ``information_schema``): paid
invoices over the last 12 months, due from 20 to 350 days ago, paid from 10 days early to 49
days late, amounts from 100 to 575, customers in turn. The clones are counted back through
the score's own view of the history before anything is timed.

Measures, each in a forked process (peak memory is its ``ru_maxrss``):
``res.partner._cron_update_credit_score()`` on the first night, when every customer gets the
payer profile of its score (one chatter note each), then on the next night, when the scores
are rewritten and no profile moves. Printed beside the target (30 s for 20,000 customers and
200,000 paid invoices), never asserted.
"""

import argparse
import sys
import time
from datetime import timedelta

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)
from bench_dunning import insert_select
from bench_dunning import measure
from bench_dunning import table_columns
from bench_dunning import vacuum

import odoo.release
import odoo.sql_db
from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

TARGET_SECONDS = 30.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=20000)
    parser.add_argument("--invoices", type=int, default=200000)
    args = parser.parse_args()
    if args.customers < 1 or args.invoices < args.customers:
        parser.error("--invoices must be at least --customers, which must be positive")
    return args


class PaidHistory:
    """N customers and M paid invoices, cloned in SQL from one invoice paid through the ORM."""

    def __init__(self, env, customers, invoices, date):
        self.env = env
        self.customers = customers
        self.invoices = invoices
        self.date = date

    def run(self):
        env = self.env
        started = time.perf_counter()
        partner = env["res.partner"].create({"name": "Score customer 000000", "is_company": True})
        due = self.date - timedelta(days=60)
        invoice = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Service", "quantity": 1, "price_unit": 100.0, "tax_ids": []}
                    )
                ],
            }
        )
        invoice.action_post()
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": due})._create_payments()
        env.flush_all()
        assert invoice.payment_state in ("paid", "in_payment"), invoice.payment_state
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        partial = receivable.matched_credit_ids
        payment_line = partial.credit_move_id
        self.partner_ids = partners = [partner.id, *self._clone_partners(partner)]
        self._clone(invoice, payment_line.move_id, partial, partners)
        env.invalidate_all()
        return time.perf_counter() - started

    def _clone_partners(self, template):
        count = self.customers - 1
        if not count:
            return []
        name = SQL("'Score customer ' || lpad(g::text, 6, '0')")
        rows = self.env.execute_query(
            insert_select(
                self.env,
                "res_partner",
                {"name": name, "complete_name": name},
                SQL("res_partner t, generate_series(1, %s) g", count),
                SQL("WHERE t.id = %s RETURNING id", template.id),
            )
        )
        ids = [row[0] for row in rows]
        self.env.cr.execute(
            SQL("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", ids)
        )
        return ids

    def _clone(self, invoice, payment, partial, partners):
        env = self.env
        count = self.invoices - 1
        env.cr.execute(
            SQL(
                """
                CREATE TEMP TABLE bench_paid ON COMMIT DROP AS
                SELECT g, nextval('account_move_id_seq') AS id,
                       nextval('account_move_id_seq') AS pay_id,
                       (%(partners)s)[1 + mod(g, %(n)s)] AS partner_id,
                       (%(date)s::date - (20 + mod(g, 330))) AS due,
                       LEAST(%(date)s::date, %(date)s::date - (20 + mod(g, 330))
                                             + (mod(g * 7, 60) - 10)) AS paid_on,
                       (1 + mod(g, 20) * 0.25)::numeric AS factor
                  FROM generate_series(1, %(count)s) g
                """,
                partners=partners,
                n=len(partners),
                date=self.date,
                count=count,
            )
        )
        env.cr.execute("ALTER TABLE bench_paid ADD PRIMARY KEY (g)")
        for template, id_column, date_column, prefix in (
            (invoice, "id", "due - 30", "SINV/"),
            (payment, "pay_id", "paid_on", "SPAY/"),
        ):
            _columns, numeric = table_columns(env, "account_move")
            overrides = {
                "id": SQL("b.%s", SQL.identifier(id_column)),
                "name": SQL("%s || lpad(b.g::text, 7, '0')", prefix),
                "sequence_prefix": SQL("%s", prefix),
                "sequence_number": SQL("b.g"),
                "partner_id": SQL("b.partner_id"),
                "commercial_partner_id": SQL("b.partner_id"),
                "date": SQL(date_column),
                "access_token": SQL("NULL"),
                "message_main_attachment_id": SQL("NULL"),
            }
            if template == invoice:
                overrides.update(
                    {
                        "partner_shipping_id": SQL("b.partner_id"),
                        "invoice_date": SQL("b.due - 30"),
                        "invoice_date_due": SQL("b.due"),
                        "payment_reference": SQL("'SINV/' || lpad(b.g::text, 7, '0')"),
                    }
                )
                if "full_reconcile_payment_date" in _columns:  # OCA partner_time_to_pay
                    overrides["full_reconcile_payment_date"] = SQL("b.paid_on")
            else:
                # A plain entry: no payment record nor bank statement line behind the clones.
                for column in ("origin_payment_id", "statement_line_id"):
                    if column in _columns:
                        overrides[column] = SQL("NULL")
            for column in numeric:
                if column.startswith("amount_"):
                    overrides[column] = SQL("t.%s * b.factor", SQL.identifier(column))
            env.cr.execute(
                insert_select(
                    env,
                    "account_move",
                    overrides,
                    SQL("account_move t, bench_paid b"),
                    SQL("WHERE t.id = %s", template.id),
                )
            )
            _columns, numeric = table_columns(env, "account_move_line")
            overrides = {
                "move_id": SQL("b.%s", SQL.identifier(id_column)),
                "move_name": SQL("%s || lpad(b.g::text, 7, '0')", prefix),
                "partner_id": SQL("b.partner_id"),
                "date": SQL(date_column),
                "date_maturity": SQL(
                    "CASE WHEN t.date_maturity IS NOT NULL THEN %s END",
                    SQL("b.due") if template == invoice else SQL("b.paid_on"),
                ),
                "full_reconcile_id": SQL("NULL"),
                "matching_number": SQL("NULL"),
            }
            if template == invoice:
                overrides["invoice_date"] = SQL("b.due - 30")
            for column in numeric & {
                "debit",
                "credit",
                "balance",
                "amount_currency",
                "price_unit",
                "price_subtotal",
                "price_total",
            }:
                overrides[column] = SQL("t.%s * b.factor", SQL.identifier(column))
            env.cr.execute(
                insert_select(
                    env,
                    "account_move_line",
                    overrides,
                    SQL("account_move_line t, bench_paid b"),
                    SQL("WHERE t.move_id = %s ORDER BY b.g, t.id", template.id),
                )
            )
        # The partial reconciliation of each invoice with its payment, on the payment day.
        receivable = partial.debit_move_id.account_id.id
        _columns, numeric = table_columns(env, "account_partial_reconcile")
        overrides = {
            "debit_move_id": SQL("d.id"),
            "credit_move_id": SQL("c.id"),
            "max_date": SQL("GREATEST(b.paid_on, b.due - 30)"),
            "full_reconcile_id": SQL("NULL"),
            "exchange_move_id": SQL("NULL"),
        }
        for column in numeric:
            overrides[column] = SQL("t.%s * b.factor", SQL.identifier(column))
        env.cr.execute(
            insert_select(
                env,
                "account_partial_reconcile",
                overrides,
                SQL(
                    """account_partial_reconcile t, bench_paid b
                       JOIN account_move_line d ON d.move_id = b.id AND d.account_id = %(acc)s
                       JOIN account_move_line c ON c.move_id = b.pay_id AND c.account_id = %(acc)s
                    """,
                    acc=receivable,
                ),
                SQL("WHERE t.id = %s", partial.id),
            )
        )


def run_score(env, date):
    env["res.partner"]._cron_update_credit_score(date)
    # The commit is part of the nightly run (tracking and notes are flushed there).
    env.cr.commit()  # pylint: disable=invalid-commit
    grades = dict(
        env["credit.partner.score"]._read_group(
            [("company_id", "=", env.company.id)], ["grade"], ["__count"]
        )
    )
    profiles = dict(
        env["res.partner"]._read_group(
            [("payer_profile_id", "!=", False)], ["payer_profile_id"], ["__count"]
        )
    )
    return {
        "scores": sum(grades.values()),
        "grades": grades,
        "profiles": {profile.name: count for profile, count in profiles.items()},
        "notes": env["mail.message"].search_count(
            [("model", "=", "res.partner"), ("body", "ilike", "behaviour score")]
        ),
    }


PEER_FIELDS = ("d2r_life", "d2r_ytd", "d2r_ly", "d2p_life", "d2p_ytd", "d2p_ly")


def run_peer(env, partner_ids):
    """OCA partner_time_to_pay: its stored averages of days to pay, recomputed for every
    customer, as Odoo does when their invoices' payment state changes."""
    partners = env["res.partner"].browse(partner_ids)
    for name in PEER_FIELDS:
        env.add_to_compute(partners._fields[name], partners)
    env.flush_all()
    # The peer's recompute is measured up to its commit, as ours.
    env.cr.commit()  # pylint: disable=invalid-commit
    return {
        "customers": env["res.partner"].search_count(
            [("id", "in", partner_ids), ("d2r_life", ">", 0)]
        )
    }


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    date = fields.Date.today()
    print(f"Odoo {odoo.release.version}, database {args.database}, score date {date}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        history = PaidHistory(env, args.customers, args.invoices, date)
        elapsed = history.run()
        factors = env["credit.partner.score"]._score_factors(env.company, date)
        paid = sum(int(values.get("invoice_count") or 0) for values in factors.values())
        assert paid == args.invoices, (paid, args.invoices)
        # Generated data kept for the measures in forked processes.
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(args.database)
    for table in ("account_partial_reconcile",):
        connection = odoo.sql_db.db_connect(args.database).cursor()
        connection._cnx.autocommit = True
        connection.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
        connection.close()
    print(
        f"  data: {args.customers} customers, {args.invoices} paid invoices over 12 months "
        f"(payments and reconciliations) in {elapsed:.1f} s; all seen by the score"
    )
    with registry.cursor() as cr:
        peer = "d2r_life" in api.Environment(cr, SUPERUSER_ID, {})["res.partner"]._fields
    first = measure(registry, run_score, date)
    # The next night: the same history, scores rewritten, no profile to change.
    second = measure(registry, run_score, date)
    print()
    print(f"{'measure':<52} {'seconds':>9} {'peak MB':>9}  result")
    for label, result, notes in (
        ("ours: _cron_update_credit_score(), first night", first, first["notes"]),
        ("ours: _cron_update_credit_score(), next night", second, second["notes"] - first["notes"]),
    ):
        grades = ", ".join(f"{grade} {count}" for grade, count in sorted(result["grades"].items()))
        profiles = ", ".join(
            f"{name} {count}" for name, count in sorted(result["profiles"].items())
        )
        print(
            f"{label:<52} {result['seconds']:9.1f} {result['peak_mb']:9.0f}  "
            f"{result['scores']} customers scored ({grades}); {notes} profile changes logged "
            f"(profiles: {profiles})"
        )
    if peer:
        result = measure(registry, run_peer, history.partner_ids)
        print(
            f"{'OCA partner_time_to_pay: days to pay, recomputed':<52} "
            f"{result['seconds']:9.1f} {result['peak_mb']:9.0f}  "
            f"{result['customers']} customers with an average (no score, grade nor profile)"
        )
    else:
        print("OCA partner_time_to_pay is not installed: no peer figure.")
    worst = max(first["seconds"], second["seconds"])
    met = "met" if worst <= TARGET_SECONDS else "NOT met"
    print()
    print("Target (printed, not asserted):")
    print(
        f"  at most {TARGET_SECONDS:.0f} s for {args.customers} customers and {args.invoices} "
        f"paid invoices: {worst:.1f} s at worst ({met})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
