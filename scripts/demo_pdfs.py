"""The demo's letters and packs printed again with their stylesheets (called by scripts/demo.sh).

Usage::

    python scripts/demo_pdfs.py -c <odoo.conf> -d <db> --url http://127.0.0.1:8069

The demo's data are made while Odoo installs the addons, with no HTTP server: wkhtmltopdf
then cannot fetch the reports' stylesheets (``ConnectionRefusedError``) and prints the
letters in the browser's default serif font, without the company's layout. ``demo.sh``
therefore starts Odoo on the database once it is built, and this script prints again, with
``report.url`` pointing at that server for the time of the printing:

- each reminder letter (``letter_attachment_id``) and the copies of it attached to the
  reminder's emails (the formal notice sends its letter), before the mail queue is sent;
- each hand-off pack (``handoff_attachment_id``), whose zip holds the invoices' PDFs and the
  letters;
- each insurance claim pack (``pack_attachment_id``) when credit_insurance is installed.

The attachments keep their records (the messages and emails that link them are unchanged);
only their content is replaced. Nothing else of the database changes.
"""

import argparse
import sys
import urllib.request

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config
from odoo.tools.safe_eval import safe_eval
from odoo.tools.safe_eval import time


def serving(url):
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/web/health", timeout=10) as response:
            return response.status == 200
    except OSError:
        return False


def letters(env):
    report = env.ref("credit_management.action_report_credit_dunning_letter")
    reminders = env["credit.dunning"].search([("letter_attachment_id", "!=", False)])
    copies = 0
    for reminder in reminders:
        pdf = reminder._letter_pdf()
        names = {
            reminder.letter_attachment_id.name,
            f"{safe_eval(report.print_report_name, {'object': reminder, 'time': time})}.pdf",
        }
        attachments = env["ir.attachment"].search(
            [
                ("res_model", "=", reminder._name),
                ("res_id", "=", reminder.id),
                ("mimetype", "=", "application/pdf"),
                ("name", "in", list(names)),
            ]
        )
        attachments.write({"raw": pdf})
        copies += len(attachments) - 1
    print(f"  {len(reminders)} letters printed again ({copies} copies attached to emails)")


def packs(env):
    reminders = env["credit.dunning"].search([("handoff_attachment_id", "!=", False)])
    for reminder in reminders:
        reminder.handoff_attachment_id.write({"raw": reminder._handoff_content()})
    print(f"  {len(reminders)} hand-off packs built again")
    if "credit.insurance.claim" not in env:
        return
    claims = env["credit.insurance.claim"].search([("pack_attachment_id", "!=", False)])
    for claim in claims:
        claim.pack_attachment_id.write({"raw": claim._pack_content()})
    print(f"  {len(claims)} insurance claim packs built again")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--url", required=True, help="the Odoo server serving the database")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    if not serving(args.url):
        print(f"error: no Odoo server answers on {args.url}", file=sys.stderr)
        return 1
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Param = env["ir.config_parameter"]
        before = Param.get_param("report.url")
        Param.set_param("report.url", args.url)
        letters(env)
        packs(env)
        Param.set_param("report.url", before or False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
