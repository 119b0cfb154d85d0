"""Benchmark: a day of BODACC notices against a large portfolio, and a day's ratings import.

Run by ``scripts/bench.sh risk_data`` (or by hand:
``python bench/bench_risk_data.py -c <odoo.conf> -d <db>`` on a database with
credit_risk_data installed).

Data (``--customers``, default 50,000, one in five with a SIREN in its company registry;
``--notices``, default 300; ``--ratings``, default 50,000): customers inserted in SQL (their
SIREN computed by the ORM's own ``_compute_credit_siren`` on a sample, checked), one posted
invoice through the ORM for each customer a notice names, and a fake BODACC on 127.0.0.1 (the
tests' ``FakeRegisters``, speaking the Opendatasoft explore v2.1 API) publishing ``--notices``
notices of collective proceedings on one day: one in five names a customer, the others
companies that are not customers (as on a real day).

Measures, each in a forked process (wall time, queries, peak memory):

- the daily job, ``credit.risk.provider._cron_fetch()``, reading the day (pages of 100),
  matching by SIREN and recording the events with their effects (hold, reminders stopped,
  claims, activities);
- the same job again on the same day (nothing new: every notice already recorded);
- the import of a CSV of ``--ratings`` ratings (the customers with a SIREN, several dates
  each) through the import wizard, as a credit manager runs it.

Figures are printed, never asserted. No peer: nothing in Odoo or OCA reads the BODACC.
"""

import argparse
import time
from datetime import timedelta

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)
from bench_dunning import measure

from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import SQL
from odoo.tools import config

DAY = "2026-12-04"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=50000)
    parser.add_argument("--notices", type=int, default=300)
    parser.add_argument("--ratings", type=int, default=50000)
    return parser.parse_args()


def siren(number):
    """A valid SIREN from an 8-digit number (its Luhn check digit added)."""
    from stdnum import luhn  # noqa: PLC0415

    base = f"{number:08d}"
    return base + luhn.calc_check_digit(base)


def make_customers(env, count):
    """``count`` companies, one in five with a SIREN; returns the SIRENs given."""
    sirens = [siren(10000000 + index) for index in range(0, count, 5)]
    env.cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, active, is_company, type,
                                     autopost_bills, company_registry, credit_siren,
                                     create_date, write_date)
            SELECT 'Bench customer ' || i, 'Bench customer ' || i, TRUE, TRUE, 'contact',
                   'ask', s.siren, s.siren, now(), now()
              FROM generate_series(0, %(count)s - 1) i
              LEFT JOIN unnest(%(sirens)s::varchar[]) WITH ORDINALITY s(siren, n)
                ON mod(i, 5) = 0 AND s.n = i / 5 + 1
            """,
            count=count,
            sirens=sirens,
        )
    )
    env.cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE name LIKE 'Bench customer %'"
    )
    env.invalidate_all()
    sample = env["res.partner"].search([("name", "=like", "Bench customer %")], limit=50)
    stored = sample.mapped("credit_siren")
    sample._compute_credit_siren()
    assert sample.mapped("credit_siren") == stored, "the SQL SIRENs match the ORM's"
    return sirens


def setup(env, args, server):
    from odoo.addons.credit_risk_data.tests.fake_registers import bodacc_record  # noqa: PLC0415

    sirens = make_customers(env, args.customers)
    company = env.company
    if not env["account.journal"].search_count([("type", "=", "sale")]):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    company.credit_hold_mode = "block"
    provider = env["credit.risk.provider"].create(
        {"name": "BODACC bench", "provider_code": "bodacc", "company_id": company.id}
    )
    provider.api_base_url = f"{server.url}/api/explore/v2.1"
    provider.action_enable()
    provider.cursor_date = fields.Date.to_date(DAY) - timedelta(days=1)
    env["credit.risk.provider"].search([("id", "!=", provider.id)]).action_disable()
    matched = sirens[: args.notices // 5]
    partners = env["res.partner"].search([("credit_siren", "in", matched)])
    for partner in partners:
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-02",
                "invoice_line_ids": [(0, 0, {"name": "Livraison", "price_unit": 500.0})],
            }
        )
        move.action_post()
    for index in range(args.notices):
        number = matched[index // 5] if index % 5 == 0 else siren(90000000 + index)
        server.notices.append(
            bodacc_record(
                f"A2026{index:08d}",
                number,
                "Jugement d'ouverture d'une procédure de redressement judiciaire",
                "2026-12-01",
                DAY,
                index,
            )
        )
    manual = env["credit.risk.provider"].create(
        {"name": "Ratings bench", "provider_code": "manual", "company_id": company.id}
    )
    return {"provider": provider.id, "manual": manual.id, "sirens": sirens}


def run_job(env):
    queries = env.cr.sql_log_count
    env["credit.risk.provider"]._cron_fetch()
    events = env["credit.risk.event"].search_count([("reference", "=like", "A2026%")])
    claims = env["credit.risk.claim"].search_count([])
    return {"queries": env.cr.sql_log_count - queries, "events": events, "claims": claims}


def run_import(env, manual_id, content):
    queries = env.cr.sql_log_count
    wizard = env["credit.risk.rating.import"]._import_file(
        env["credit.risk.provider"].browse(manual_id), content, "ratings.csv"
    )
    return {"queries": env.cr.sql_log_count - queries, "imported": wizard.imported_count}


def ratings_csv(sirens, count):
    lines = ["siren;date;score;grade;probability_of_default;recommended_limit"]
    for index in range(count):
        number = sirens[index % len(sirens)]
        day = 1 + (index // len(sirens)) % 28
        lines.append(f"{number};2026-11-{day:02d};{index % 100};B;1,5;{1000 + index % 50000}")
    return ("\n".join(lines) + "\n").encode()


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    # The fake BODACC of the tests, in this process: the forked children reach it.
    from odoo.addons.credit_risk_data.tests.fake_registers import FakeRegisters  # noqa: PLC0415

    server = FakeRegisters()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        data = setup(env, args, server)
        print(
            f"data: {args.customers} customers ({len(data['sirens'])} with a SIREN), "
            f"{args.notices} notices on {DAY}, in {time.perf_counter() - started:.1f} s"
        )
    first = measure(registry, run_job)
    print(
        f"daily job, {args.notices} notices vs {args.customers} customers: "
        f"{first['seconds']:.2f} s, {first['queries']} queries, {first['peak_mb']:.0f} MB peak; "
        f"{first['events']} events, {first['claims']} claims"
    )
    pages = len(server.calls("/records"))
    again = measure(registry, run_job)
    print(
        f"the same day read again: {again['seconds']:.2f} s, {again['queries']} queries, "
        f"{again['events']} events (none new); {pages} pages read the first time"
    )
    content = ratings_csv(data["sirens"], args.ratings)
    result = measure(registry, run_import, data["manual"], content)
    print(
        f"ratings import, {args.ratings} rows ({len(content) / 1e6:.1f} MB CSV): "
        f"{result['seconds']:.2f} s, {result['queries']} queries, {result['peak_mb']:.0f} MB "
        f"peak; {result['imported']} imported ({result['imported'] / result['seconds']:.0f}/s)"
    )
    server.stop()


if __name__ == "__main__":
    main()
