"""Benchmark: a factoring batch of 20,000 invoices assigned and posted, then the factor's
statement of 20,000 lines imported and matched.

Run by ``make bench`` (scripts/bench.sh factoring), which installs the addons on a fresh
database and calls ``python bench/bench_factoring.py -c <odoo.conf> -d <db>``.

Data (``--customers``, default 2,000; ``--invoices``, default 20,000): the open invoices of
``bench_dunning``'s generator (one invoice posted through the ORM, cloned in SQL, checked
against Odoo's own totals), an active factoring contract with its journal and accounts, and a
buyer approval per customer (every other customer approved for 3,000, the others for 1,000:
part of the invoices go over the limit and are assigned unapproved).

Measures, each in a forked process (peak memory is its ``ru_maxrss``), one run each, in order
(each step commits what the next reads):

- the batch: ``action_select_invoices`` (every open invoice, one ``UPDATE``) and
  ``action_validate`` (the engine's amounts, the assignment entry posted);
- the funding: ``action_fund`` (the advance posted);
- the statement: a CSV of ``--invoices`` lines (one collection per invoice, the full amount,
  but 5 % of the invoices returned, and 1 % of the lines naming no known invoice), imported
  and matched (``action_import``), then processed (``action_process``: one entry, the
  collections reconciled with their invoices);
- the same file imported again: nothing new.

``--skip-process`` leaves the statement's posting out (its entry of a line per collection and
the reconciliation of every invoice are Odoo's own work, a few tens of milliseconds a line):
``scripts/bench.sh factoring`` runs it on 20,000 invoices, then the whole chain on 2,000.

Printed beside their targets (the batch and the statement import each under 60 s on 2
cores), never asserted; the results are checked (invoices collected, returned, lines to
resolve, the batch's total equal to the invoices' residual).
"""

import argparse
import base64
import sys

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)
from bench_dunning import Generator
from bench_dunning import measure
from bench_dunning import vacuum

import odoo.release
from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

TARGET_SECONDS = 60.0
RETURN_EVERY = 20  # one invoice in 20 returned by the factor
UNKNOWN_EVERY = 100  # one statement line in 100 naming no known invoice


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument(
        "--skip-process",
        action="store_true",
        help="import and match the statement, but do not post it (its entry and the "
        "reconciliation of every invoice are Odoo's own work, timed on a smaller run)",
    )
    args = parser.parse_args()
    if args.customers < 2 or args.invoices < args.customers:
        parser.error("--invoices must be at least --customers, which must be at least 2")
    return args


def setup_contract(env, partner_ids):
    """An active contract with its accounts and journals, an approval per customer."""
    company = env.company
    Account = env["account.account"]

    def account(code, name, account_type, reconcile=False):
        # A second run on the same database takes the accounts of the first.
        existing = Account.search([("code", "=", code)], limit=1)
        return (
            existing
            or Account.create(
                {"code": code, "name": name, "account_type": account_type, "reconcile": reconcile}
            )
        ).id

    factor = env["res.partner"].create({"name": "Bench Factor", "is_company": True})
    bank = env["res.partner.bank"].create(
        {"acc_number": "FR7630004000031234567890143", "partner_id": factor.id}
    )
    misc = env["account.journal"].search(
        [("type", "=", "general"), ("company_id", "=", company.id)], limit=1
    )
    bank_journal = env["account.journal"].search(
        [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
    )
    contract = env["credit.factoring.contract"].create(
        {
            "name": "Bench factoring",
            "factor_id": factor.id,
            "kind": "notified",
            "collected_by": "factor",
            "bank_account_id": bank.id,
            "journal_id": misc.id,
            "bank_journal_id": bank_journal.id,
            "factor_account_id": account("467910", "Bench factor", "asset_current", True),
            "assignment_account_id": account("467920", "Bench assigned", "liability_current"),
            "retention_account_id": account("275910", "Bench guarantee", "asset_non_current"),
            "fee_account_id": account("622910", "Bench fees", "expense"),
            "interest_account_id": account("661910", "Bench interest", "expense"),
            "date_start": "2000-01-01",
        }
    )
    contract.action_activate()
    env["credit.factoring.approval"].create(
        [
            {
                "contract_id": contract.id,
                "partner_id": partner_id,
                "amount": 3000.0 if index % 2 else 1000.0,
                "date": "2000-01-01",
            }
            for index, partner_id in enumerate(partner_ids)
        ]
    )
    return contract


def run_batch(env, contract_id):
    batch = env["credit.factoring.batch"].create({"contract_id": contract_id})
    batch.action_select_invoices()
    batch.action_validate()
    return {
        "batch_id": batch.id,
        "invoices": len(batch.move_ids),
        "approved": sum(batch.move_ids.mapped("factoring_approved")),
        "total": batch.amount_total,
        "advance": batch.amount_advance,
        "fees": batch.amount_fees,
        "entry_lines": len(batch.assignment_move_id.line_ids),
    }


def run_fund(env, batch_id):
    batch = env["credit.factoring.batch"].browse(batch_id)
    batch.action_fund()
    return {"state": batch.state}


def statement_csv(env, batch_id):
    """One line per invoice of the batch: collected, or returned for one in RETURN_EVERY;
    one line in UNKNOWN_EVERY names an invoice the contract does not have."""
    rows = env.execute_query(
        SQL(
            "SELECT name, amount_residual FROM account_move "
            "WHERE factoring_batch_id = %s ORDER BY id",
            batch_id,
        )
    )
    lines = ["reference;date;operation;invoice;amount"]
    today = fields.Date.today().isoformat()
    for index, (name, residual) in enumerate(rows):
        if index % UNKNOWN_EVERY == UNKNOWN_EVERY - 1:
            name = f"UNKNOWN/{index}"
        code = "DEF" if index % RETURN_EVERY == 0 else "ENC"
        lines.append(f"B{batch_id}-L{index};{today};{code};{name};{residual:.2f}")
    return base64.b64encode("\n".join(lines).encode())


def run_import(env, contract_id, data, name):
    statement = env["credit.factoring.statement"].create(
        {"name": name, "contract_id": contract_id, "file": data, "filename": "bench.csv"}
    )
    statement.action_import()
    return {
        "statement_id": statement.id,
        "lines": len(statement.line_ids),
        "to_resolve": statement.to_resolve_count,
        "skipped": statement.skipped_count,
    }


def run_process(env, statement_id):
    statement = env["credit.factoring.statement"].browse(statement_id)
    statement.action_process()
    env.flush_all()
    counts = dict(
        env.execute_query(
            SQL(
                "SELECT factoring_state, COUNT(*) FROM account_move "
                "WHERE factoring_contract_id = %s GROUP BY 1",
                statement.contract_id.id,
            )
        )
    )
    return {
        "collected": counts.get("collected", 0),
        "returned": counts.get("returned", 0),
        "still_funded": counts.get("funded", 0),
        "done": len(statement.line_ids.filtered(lambda line: line.state == "done")),
    }


def verdict(met):
    return "met" if met else "NOT met"


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    date = fields.Date.today()
    print(f"Odoo {odoo.release.version}, database {args.database}, date {date}")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generator = Generator(env, args.customers, args.invoices, date)
        elapsed = generator.run()
        contract_id = setup_contract(env, generator.partner_ids).id
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(args.database)
    print(
        f"  data: {args.customers} customers, {args.invoices} posted open invoices "
        f"({generator.receivable:,.2f} receivable) in {elapsed:.1f} s; checked against "
        "Odoo's own totals"
    )
    batch = measure(registry, run_batch, contract_id)
    fund = measure(registry, run_fund, batch["batch_id"])
    with registry.cursor() as cr:
        data = statement_csv(api.Environment(cr, SUPERUSER_ID, {}), batch["batch_id"])
    imported = measure(registry, run_import, contract_id, data, "Bench statement")
    processed = None
    if not args.skip_process:
        processed = measure(registry, run_process, imported["statement_id"])
    again = measure(registry, run_import, contract_id, data, "Bench statement again")

    expected_returned = len(range(0, batch["invoices"], RETURN_EVERY))
    unknown = batch["invoices"] // UNKNOWN_EVERY
    print()
    print(f"{'measure':<58} {'seconds':>9} {'peak MB':>9}  result")
    print(
        f"{'batch: select and validate (assign, amounts, entry)':<58} "
        f"{batch['seconds']:9.1f} {batch['peak_mb']:9.0f}  {batch['invoices']} invoices "
        f"({batch['approved']} approved), {batch['total']:,.2f} assigned "
        f"({'equal to' if round(batch['total'], 2) == round(generator.receivable, 2) else 'NOT'}"
        f" the receivable), advance {batch['advance']:,.2f}, fees {batch['fees']:,.2f}, "
        f"{batch['entry_lines']} entry lines"
    )
    print(
        f"{'batch: funded (advance posted)':<58} {fund['seconds']:9.1f} "
        f"{fund['peak_mb']:9.0f}  {fund['state']}"
    )
    print(
        f"{'statement: import and match':<58} {imported['seconds']:9.1f} "
        f"{imported['peak_mb']:9.0f}  {imported['lines']} lines, {imported['to_resolve']} "
        f"to resolve (expected {unknown})"
    )
    if processed:
        print(
            f"{'statement: process (entry, reconciliations, returns)':<58} "
            f"{processed['seconds']:9.1f} {processed['peak_mb']:9.0f}  {processed['done']} "
            f"lines done: {processed['collected']} invoices collected, {processed['returned']} "
            f"returned (expected {expected_returned}), {processed['still_funded']} left with "
            "the factor"
        )
    print(
        f"{'statement: the same file imported again':<58} {again['seconds']:9.1f} "
        f"{again['peak_mb']:9.0f}  {again['lines']} new lines, {again['skipped']} skipped"
    )
    print()
    print("Targets (printed, not asserted):")
    print(
        f"  batch of {batch['invoices']} invoices at most {TARGET_SECONDS:.0f} s: "
        f"{batch['seconds']:.1f} s ({verdict(batch['seconds'] <= TARGET_SECONDS)})"
    )
    print(
        f"  statement of {imported['lines']} lines imported and matched at most "
        f"{TARGET_SECONDS:.0f} s: {imported['seconds']:.1f} s "
        f"({verdict(imported['seconds'] <= TARGET_SECONDS)})"
    )
    if processed:
        rate = processed["done"] / processed["seconds"] if processed["seconds"] else 0.0
        print(f"  statement posted and reconciled: {rate:.0f} lines/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
