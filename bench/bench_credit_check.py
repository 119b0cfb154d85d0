"""Benchmark: the credit check and order confirmation, ours beside Odoo's and OCA's.

Run by ``make bench`` (scripts/bench.sh), which installs the addons on a fresh database and
calls ``python bench/bench_credit_check.py -c <odoo.conf> -d <db>``.

Data: one customer with 100 open invoices and one with 10,000 (20 % of them overdue, the
same amounts), a credit limit far above their exposure so that orders confirm, a draft
quotation for each. Every measure is repeated (``--runs``) after a warm-up, with Odoo's
record cache emptied before each run so that every run reads the database like the first
check of a request does. Printed: median and 95th percentile in ms, queries per run, and
the ratio of the 10,000-invoice case to the 100-invoice case. Figures are printed, never
asserted: the targets are read off the table.
"""

import argparse
import statistics
import sys
import time
from datetime import timedelta

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

import odoo.release
import odoo.sql_db
from odoo import api
from odoo import fields
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config

TARGET_MEDIAN_MS = 10.0
TARGET_RATIO = 2.0


def without_ours(order):
    """``order``, cleared of our credit check for this transaction, as the override clears
    it: what is then measured is Odoo's confirmation (and OCA's) alone."""
    order._credit_cleared().add(order.id)
    return order


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--sizes", default="100,10000")
    parser.add_argument("--runs", type=int, default=50)
    return parser.parse_args()


class Bench:
    def __init__(self, env, runs):
        self.env = env
        self.runs = runs
        self.rows = []
        self.oca = "sale_financial_risk" in env.registry._init_modules
        company = env.company
        company.write({"credit_hold_mode": "block", "account_use_credit_limit": True})
        self.product = env["product.product"].create(
            {"name": "Bench product", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )

    # ------------------------------------------------------------
    # DATA
    # ------------------------------------------------------------

    def make_customer(self, size):
        """A customer with ``size`` posted open invoices, created through the ORM."""
        env = self.env
        partner = env["res.partner"].create({"name": f"Bench customer {size}", "is_company": True})
        today = fields.Date.context_today(partner)
        started = time.perf_counter()
        batch = 500
        for start in range(0, size, batch):
            vals_list = []
            for i in range(start, min(size, start + batch)):
                # One invoice in five is overdue (due 1 to 60 days ago).
                due = (
                    today - timedelta(days=1 + i % 60) if i % 5 == 0 else today + timedelta(days=30)
                )
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": min(today, due),
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": self.product.id,
                                    "quantity": 1,
                                    "price_unit": 100.0 + i % 7,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            env["account.move"].create(vals_list).action_post()
            # Generated data kept for the measures, batch by batch.
            env.cr.commit()  # pylint: disable=invalid-commit
            env.invalidate_all()
        elapsed = time.perf_counter() - started
        total = sum(100.0 + i % 7 for i in range(size))
        # Check the data before timing anything: Odoo's own receivable must agree.
        env.invalidate_all()
        assert abs(partner.credit - total) < 0.01, (partner.credit, total)
        partner.credit_limit = total * 10
        if self.oca:
            partner.risk_invoice_open_include = True
            partner.risk_invoice_unpaid_include = True
            partner.risk_sale_order_include = True
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                # No tax: the product has none (the line takes the product's on both series).
                "order_line": [
                    Command.create({"product_id": self.product.id, "price_unit": 500.0})
                ],
            }
        )
        # Generated data kept for the measures.
        env.cr.commit()  # pylint: disable=invalid-commit
        print(f"  data: customer with {size} open invoices created in {elapsed:.1f} s")
        return partner, order

    def vacuum(self):
        """VACUUM ANALYZE the accounting tables, as autovacuum does on a live database soon
        after thousands of invoices are posted (it needs a connection outside any
        transaction)."""
        started = time.perf_counter()
        connection = odoo.sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            connection._cnx.autocommit = True
            for table in ("account_move_line", "account_move", "res_partner"):
                connection.execute(f"VACUUM ANALYZE {table}")
        finally:
            connection.close()
        print(f"  data: tables vacuumed and analysed in {time.perf_counter() - started:.1f} s")

    # ------------------------------------------------------------
    # MEASURES
    # ------------------------------------------------------------

    def measure(self, func, rollback=False):
        """Median, p95 (ms) and queries of ``func``, record cache emptied before each run."""
        cr = self.env.cr
        times, queries = [], []
        for run in range(self.runs + 5):
            self.env.invalidate_all()
            if rollback:
                cr.execute("SAVEPOINT bench")
            count = cr.sql_log_count
            started = time.perf_counter()
            func()
            self.env.flush_all()
            elapsed = (time.perf_counter() - started) * 1000
            spent = cr.sql_log_count - count
            if rollback:
                cr.execute("ROLLBACK TO SAVEPOINT bench")
                cr.precommit.clear()
                cr.postcommit.clear()
                self.env.invalidate_all(flush=False)
            if run >= 5:
                times.append(elapsed)
                queries.append(spent)
        times.sort()
        return (
            statistics.median(times),
            times[min(len(times) - 1, int(len(times) * 0.95))],
            statistics.median(queries),
        )

    def run(self, sizes):
        data = {size: self.make_customer(size) for size in sizes}
        self.vacuum()
        cases = [
            (
                "ours: res.partner._credit_check(amount)",
                lambda partner, order: partner._credit_check(500.0),
                False,
            ),
            (
                "Odoo: sale.order partner_credit_warning",
                lambda partner, order: order.partner_credit_warning,
                False,
            ),
        ]
        if self.oca:
            cases.append(
                (
                    "OCA sale_financial_risk: evaluate_risk_message",
                    lambda partner, order: order.evaluate_risk_message(partner),
                    False,
                )
            )
        cases += [
            (
                "confirm, Odoo alone (no credit check)",
                lambda partner, order: (
                    without_ours(order).with_context(bypass_risk=True).action_confirm()
                ),
                True,
            ),
            (
                "confirm, with ours",
                lambda partner, order: order.with_context(bypass_risk=True).action_confirm(),
                True,
            ),
        ]
        if self.oca:
            cases.append(
                (
                    "confirm, with OCA sale_financial_risk",
                    lambda partner, order: without_ours(order).action_confirm(),
                    True,
                )
            )
        for label, func, rollback in cases:
            results = {}
            for size, (partner, order) in data.items():
                results[size] = self.measure(lambda p=partner, o=order, f=func: f(p, o), rollback)
            self.rows.append((label, results))
            self.print_row(label, results, sizes)
        ours = dict(self.rows[0][1])
        small, large = min(sizes), max(sizes)
        print()
        print(
            f"Target: our check at most {TARGET_MEDIAN_MS:.0f} ms median: "
            + ", ".join(
                f"{size} invoices {ours[size][0]:.2f} ms "
                f"({'met' if ours[size][0] <= TARGET_MEDIAN_MS else 'NOT met'})"
                for size in sizes
            )
        )
        ratio = ours[large][0] / ours[small][0]
        print(
            f"Target: {large} invoices within {TARGET_RATIO:.0f}x of {small}: "
            f"{ratio:.2f}x ({'met' if ratio <= TARGET_RATIO else 'NOT met'})"
        )

    @staticmethod
    def print_row(label, results, sizes):
        cells = "  ".join(
            f"{results[size][0]:8.2f} {results[size][1]:8.2f} {results[size][2]:5.0f}"
            for size in sizes
        )
        ratio = results[max(sizes)][0] / results[min(sizes)][0]
        print(f"{label:<48} {cells}  {ratio:6.2f}x")


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    sizes = [int(size) for size in args.sizes.split(",")]
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        # As the sales manager who confirms orders (not the superuser, which skips checks).
        admin = env.ref("base.user_admin")
        env = env(user=admin, context=admin.context_get())
        bench = Bench(env, args.runs)
        print(f"Odoo {odoo.release.version}, database {args.database}, {args.runs} runs each")
        if not bench.oca:
            print("  OCA sale_financial_risk: not installed in this database (see above)")
        header = "  ".join(f"{f'{size} invoices: median p95 queries':>29}" for size in sizes)
        print()
        print(f"{'measure (ms)':<48} {header}  {'ratio':>7}")
        bench.run(sizes)
        cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
