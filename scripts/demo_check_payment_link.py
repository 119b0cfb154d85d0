"""Check on the demo that a reminder is paid by its link and that the receipt reaches the mailbox.

Usage (the demo served by ``make demo``, its mailbox running)::

    python scripts/demo_check_payment_link.py --url http://127.0.0.1:8069 --db credit_demo \\
        --mailbox http://127.0.0.1:1080 [--shots /tmp/shots]

As the customer would, and with nothing but what a customer and the credit manager can reach:

1. a reminder email is read in the mailbox (maildump's API) and its "Pay now" link taken
   (the first one whose page still offers invoices to pay);
2. headless Chromium opens the link, keeps every invoice selected, continues to the payment,
   picks Odoo's demo provider, enters a card number and pays; the browser must come back to
   the link's page (its invoices shown as paid and, once all are paid, a thank-you), the link
   must be ``paid`` and its invoices paid;
3. the credit manager (``--login``) runs Odoo's email queue, as "Run manually" on its
   scheduled action does, and the receipt email must arrive in the mailbox for the same
   customer address, within ``--timeout`` seconds.

With ``--shots``, screenshots of the payment page, the paid page and the mailbox showing the
receipt are saved there. Exits non-zero when a step fails.
"""

import argparse
import json
import os
import re
import sys
import time
import xmlrpc.client
from base64 import b64decode
from base64 import urlsafe_b64decode
from urllib.parse import urlsplit

import requests
from screenshots import Browser

PAY_LINK = re.compile(r"""https?://[^"'\s<>]+(/pay/[A-Za-z0-9_-]{20,})""")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069", help="Odoo's base URL")
    parser.add_argument("--db", default="credit_demo")
    parser.add_argument("--mailbox", default="http://127.0.0.1:1080", help="maildump's URL")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--shots", help="folder of the screenshots (none without it)")
    return parser.parse_args()


def fail(message):
    sys.exit(f"FAILED: {message}")


# ------------------------------------------------------------
# MAILBOX
# ------------------------------------------------------------


def messages(mailbox):
    response = requests.get(f"{mailbox}/messages/", timeout=10)
    response.raise_for_status()
    return response.json()["messages"]


def message_html(mailbox, message_id):
    response = requests.get(f"{mailbox}/messages/{message_id}.html", timeout=10)
    return response.text if response.status_code == 200 else ""


def payable_reminder(args):
    """``(message, path)``: the newest reminder email whose link still has something to pay."""
    for message in sorted(messages(args.mailbox), key=lambda m: m["id"], reverse=True):
        match = PAY_LINK.search(message_html(args.mailbox, message["id"]))
        if not match:
            continue
        path = match.group(1)
        page = requests.get(args.url + path, timeout=30)
        if page.status_code == 200 and 'data-status="payable"' in page.text:
            return message, path
    return None, None


# ------------------------------------------------------------
# BROWSER
# ------------------------------------------------------------


def shoot(browser, args, name):
    if not args.shots:
        return
    os.makedirs(args.shots, exist_ok=True)
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    target = os.path.join(args.shots, f"{name}.png")
    with open(target, "wb") as png:
        png.write(b64decode(data))
    print(f"  screenshot: {target}")


def click(browser, selector):
    return browser.evaluate(
        f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
        " if (e) { e.click(); return true; } return false; })()"
    )


def exists(selector):
    return f"!!document.querySelector({json.dumps(selector)})"


def pay(browser, args, path):
    """The customer's steps on the page (those of payment_link's own tour)."""
    browser.call("Page.navigate", url=args.url + path)
    if not browser.wait_for(exists(".o_payment_link_page tr[data-status='payable']")):
        fail(f"{path}: the page shows no invoice to pay")
    shoot(browser, args, "1-payment-page")
    if not click(browser, "button.o_payment_link_continue"):
        fail("no Continue button on the page")
    demo = "input[name='o_payment_radio'][data-provider-code='demo']"
    if not browser.wait_for(exists(demo)):
        fail("the payment form offers no demo provider (is payment_demo installed?)")
    total = browser.evaluate("document.querySelector('.o_payment_link_amount').innerText")
    click(browser, demo)
    if not browser.wait_for(exists("#customer_input")):
        fail("the demo provider's card form did not open")
    browser.evaluate(
        "(() => { const i = document.getElementById('customer_input'); i.value = "
        "'4242424242424242'; i.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    shoot(browser, args, "2-checkout")
    if not browser.wait_for(exists("button[name='o_payment_submit_button']:enabled"), 10):
        fail("the Pay button stays disabled")
    click(browser, "button[name='o_payment_submit_button']")
    # Back on the link's landing page: the invoices paid shown as paid, and once all are
    # paid (the link ``paid``) a thank-you with nothing left to pay.
    paid_rows = exists(".o_payment_link_page tr[data-status='paid']") + (
        " && !document.querySelector(\".o_payment_link_page tr[data-status='payable']\")"
    )
    if not browser.wait_for(paid_rows, args.timeout):
        shoot(browser, args, "3-after-payment")
        fail("after paying, the browser did not come back to the link's page")
    thanked = browser.evaluate(exists(".o_payment_link_nothing"))
    landing = "invoices shown as paid, with a thank-you" if thanked else "invoices shown as paid"
    shoot(browser, args, "3-paid")
    return total, landing


# ------------------------------------------------------------
# ODOO (the credit manager)
# ------------------------------------------------------------


def odoo_rpc(args):
    """A function calling Odoo's models as the credit manager, over XML-RPC."""
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    if not uid:
        fail(f"login {args.login} refused on {args.db}")
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *params, **kw):
        return models.execute_kw(args.db, uid, args.password, model, method, list(params), kw)

    return call


def run_email_queue(call):
    """Odoo's email queue run now, as "Run manually" on its scheduled action."""
    cron = call(
        "ir.model.data",
        "search_read",
        [("module", "=", "mail"), ("name", "=", "ir_cron_mail_scheduler_action")],
        fields=["res_id"],
    )
    call("ir.cron", "method_direct_trigger", [cron[0]["res_id"]])


def link_id(path):
    """The link id a token carries (its second field, see payment_link's token layout)."""
    raw = urlsafe_b64decode(path.rsplit("/", 1)[1] + "==")
    return int.from_bytes(raw[1:5], "big")


def main():
    args = parse_args()
    args.url = args.url.rstrip("/")
    args.mailbox = args.mailbox.rstrip("/")
    print(f"demo {args.db} on {args.url}, mailbox {args.mailbox}")
    message, path = payable_reminder(args)
    if not message:
        fail("no reminder email with a payable link in the mailbox")
    customer = message["recipients"]["to"]
    print(f"  reminder #{message['id']} to {', '.join(customer)}: {message['subject']}")
    print(f"  its link: {urlsplit(args.url).netloc}{path}")
    seen = {m["id"] for m in messages(args.mailbox)}
    browser = Browser()
    try:
        total, landing = pay(browser, args, path)
        print(f"  paid {total} with the demo provider; back on the link's page: {landing}")
        call = odoo_rpc(args)
        deadline = time.time() + args.timeout
        receipt = None
        while not receipt:
            run_email_queue(call)
            for new in messages(args.mailbox):
                if new["id"] in seen or not set(new["recipients"]["to"]) & set(customer):
                    continue
                if "/pay/" not in message_html(args.mailbox, new["id"]):
                    receipt = new
                    break
            if not receipt:
                if time.time() > deadline:
                    fail(f"no receipt for {', '.join(customer)} within {args.timeout:.0f} s")
                time.sleep(2)
        print(f"  receipt #{receipt['id']} in the mailbox: {receipt['subject']}")
        link = call(
            "credit.payment.link",
            "read",
            [link_id(path)],
            ["name", "state", "amount_collected", "paid_move_count", "move_ids"],
        )[0]
        invoices = call("account.move", "read", link["move_ids"], ["name", "payment_state"])
        print(
            "  its invoices: "
            + ", ".join(f"{move['name']} {move['payment_state']}" for move in invoices)
        )
        if any(move["payment_state"] not in ("paid", "in_payment") for move in invoices):
            fail("some of the link's invoices are not paid")
        print(
            f"  link {link['name']}: {link['state']}, {link['amount_collected']} collected, "
            f"{link['paid_move_count']} invoice(s) paid through it"
        )
        if link["state"] != "paid":
            fail(f"link {link['name']} is {link['state']}, not paid")
        if args.shots:
            browser.call("Page.navigate", url=f"{args.mailbox}/")
            browser.wait_for(exists("#messages tr"), 15)
            time.sleep(1)
            click(browser, f"#messages tr[data-message-id='{receipt['id']}']")
            time.sleep(2)
            shoot(browser, args, "4-mailbox-receipt")
    finally:
        browser.close()
    print("OK: reminder paid by its link, receipt in the mailbox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
