"""The README's pictures: the main screens of the demo database, taken by headless Chromium.

Usage (``make pictures`` builds or updates the demo, serves it and calls this)::

    python scripts/pictures.py --url http://127.0.0.1:8069 --db credit_demo --out docs

The records shown are found in the demo over XML-RPC (as the credit manager, ``admin``): a
quotation held by the credit check with its reasons, the collector's desk, a reminder and its
letter (the PDF Odoo prints, turned into an image by ``pdftoppm``), the aged balance, the KPI
trend, a customer's payment page, the credit insurance alerts, the Credit Management
dashboard, the "Aged Balance as of…" wizard, an invoice on the customer portal (as the
portal user ``client``), and a customer statement in French and one in
English (PDFs, as the letter). Each picture is written to
``<out>/<name>.png``; the list of what was taken is printed.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request
import xmlrpc.client

import screenshots


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", required=True)
    parser.add_argument("--wait", type=float, default=2.5)
    return parser.parse_args()


def rpc(args):
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    if not uid:
        sys.exit(f"login {args.login} refused on {args.db}")
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *params, **kw):
        return models.execute_kw(args.db, uid, args.password, model, method, list(params), kw)

    return call


def first(call, model, domain, **kw):
    ids = call(model, "search", domain, limit=1, **kw)
    if not ids:
        sys.exit(f"the demo has no {model} matching {domain}")
    return ids[0]


def held_quotation(call):
    """A quotation of the demo that the credit check holds (its banner gives the reasons)."""
    drafts = call("sale.order", "search", [("state", "=", "draft")], order="id")
    for order in call("sale.order", "read", drafts, ["credit_check_blocked"]):
        if order["credit_check_blocked"]:
            return order["id"]
    sys.exit("the demo has no quotation held by the credit check")


def shots(call):
    """``[(name, path, selectors)]`` of the pictures, from the demo's records."""
    order = held_quotation(call)
    reminder = first(
        call, "credit.dunning", [("state", "=", "sent"), ("channel_letter", "=", True)], order="id"
    )
    customer = call("credit.dunning", "read", [reminder], ["partner_id"])[0]["partner_id"][0]
    link = first(call, "credit.payment.link", [("state", "=", "active")], order="id")
    link_url = call("credit.payment.link", "read", [link], ["url"])[0]["url"]
    [dashboard] = [
        row["res_id"]
        for row in call(
            "ir.model.data",
            "search_read",
            [("module", "=", "credit_management"), ("name", "=", "spreadsheet_dashboard_credit")],
            ["res_id"],
        )
    ]
    return [
        ("order_held", f"/odoo/action-sale.action_quotations_with_onboarding/{order}", []),
        ("collector_desk", "/odoo/action-credit_management.credit_collector_desk_action_open", []),
        ("reminder", f"/odoo/action-credit_management.credit_dunning_action/{reminder}", []),
        ("aged_balance", "/odoo/action-credit_management.credit_aged_balance_action", []),
        (
            "kpi_trend",
            "/odoo/action-credit_management.credit_kpi_snapshot_action?view_type=graph",
            [],
        ),
        (
            "customer_credit",
            f"/odoo/action-credit_management.res_partner_credit_action/{customer}",
            ["a[name=credit]"],
        ),
        ("payment_page", "/pay/" + link_url.rsplit("/pay/", 1)[1], []),
        ("insurance_alerts", "/odoo/action-credit_insurance.credit_insurance_alert_action", []),
        ("dashboard", f"/odoo/dashboards?dashboard_id={dashboard}", []),
        (
            "aged_balance_as_of",
            "/odoo/action-credit_management.credit_aged_balance_as_of_action",
            [],
        ),
    ], reminder


def pdf_picture(args, sid, report, record_id, out, name):
    """A report as Odoo prints it (PDF) for one record, its first page as ``<out>/<name>.png``."""
    request = urllib.request.Request(
        f"{args.url}/report/pdf/{report}/{record_id}",
        headers={"Cookie": f"session_id={sid}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        pdf = response.read()
    if not pdf.startswith(b"%PDF"):
        sys.exit(f"{report} did not print as a PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"{name}.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        target = os.path.join(out, name)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", path, target],
            check=True,
        )
    return target + ".png"


def portal_invoice(call):
    """An open invoice of the portal user ``client``'s company, the page its accountant opens
    on the portal (*My Account > Invoices*) to contest it or promise a payment."""
    user = first(call, "res.users", [("login", "=", "client")])
    [partner] = call("res.partner", "search", [("user_ids", "in", [user])])
    company = call("res.partner", "read", [partner], ["commercial_partner_id"])[0]
    return first(
        call,
        "account.move",
        [
            ("partner_id", "child_of", company["commercial_partner_id"][0]),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ],
        order="invoice_date_due",
    )


def statement_customers(call):
    """``{lang: customer id}``: a customer with open items in French and one in English, whose
    statements are printed in their language."""
    found = {}
    for lang in ("fr_FR", "en_US"):
        rows = call(
            "credit.aged.balance",
            "search_read",
            [("partner_id.lang", "=", lang), ("amount_total", ">", 0)],
            ["partner_id"],
            limit=1,
        )
        if rows:
            found[lang] = rows[0]["partner_id"][0]
    return found


def main():
    args = parse_args()
    args.url = args.url.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    call = rpc(args)
    pictures, reminder = shots(call)
    sid = screenshots.session_id(args.url, args.db, args.login, args.password)
    browser = screenshots.Browser()
    try:
        browser.call("Network.setCookie", name="session_id", value=sid, url=args.url, path="/")
        for name, path, selectors in pictures:
            ready = (
                "!!document.querySelector('.o_payment_link_page')"
                if path.startswith("/pay/")
                else screenshots.RENDERED
            )
            target = os.path.join(args.out, f"{name}.png")
            print(screenshots.shoot(browser, args.url + path, selectors, target, args.wait, ready))
        # The portal, as the customer's accountant sees it (logged in as the portal user).
        client = screenshots.session_id(args.url, args.db, "client", "client")
        browser.call("Network.setCookie", name="session_id", value=client, url=args.url, path="/")
        target = os.path.join(args.out, "portal_invoice.png")
        ready = "!!document.querySelector('#credit_portal_actions')"
        path = f"/my/invoices/{portal_invoice(call)}"
        print(screenshots.shoot(browser, args.url + path, [], target, args.wait, ready))
    finally:
        browser.close()
    letter = "credit_management.report_credit_dunning_letter"
    print(pdf_picture(args, sid, letter, reminder, args.out, "letter"))
    for lang, customer in statement_customers(call).items():
        name = f"statement_{lang.split('_')[0]}"
        print(
            pdf_picture(
                args, sid, "credit_management.report_credit_statement", customer, args.out, name
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
