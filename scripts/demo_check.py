"""The demo's counts, checked (called by scripts/demo_smoke.sh after a demo build).

Usage::

    python scripts/demo_check.py -c <odoo.conf> -d <db> --mailbox http://127.0.0.1:1080

Checks, each printed, and exits 1 if one fails:

- the demo has reminders, most of them sent, and none in error (the demo has no deliberate
  showcase of a failure);
- every reminder sent by email reached the mailbox (maildump's API, ``/messages/``): one
  message to each reminded customer's address at least;
- every SMS the demo sent reached the mailbox through the SMS gateway ("SMS to …"), and
  Odoo's queues are empty;
- the notes of the scheduled actions are in the users' language (French): the behaviour
  score's notes on the customers;
- the demo company has a logo of its own (not Odoo's placeholder), and the ECB rates of late
  interest are there;
- with ``--url`` (the address the demo is served on), the "Pay now" links of the emails in
  the mailbox lead there;
- the demo's letters, their copies on the emails and the PDFs in its hand-off and claim
  packs were printed with the reports' stylesheets (scripts/demo_pdfs.py): none is set in
  the browser's default serif font, the mark of a PDF printed with no server to give
  wkhtmltopdf the stylesheets;
- factoring: a notified and a confidential contract with a funded batch each, and one
  invoice returned by the factor's imported statement;
- the late-payment prediction: trained on the demo's history, using its learnt model (it
  beats the customers' averages in the backtest), the open invoices scored;
- assisted collection: the three customers' replies of the demo (a promise, a dispute, an
  "already paid"), read through the mail gateway into suggestions to read on their reminders
  with the intent, day, amount and invoice they say; on the collector's desk and first in his
  worklist with their suggestion; the reminders they answer in the mailbox.
"""

import argparse
import io
import json
import re
import sys
import urllib.request
import zipfile

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config

FAILURES = []


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message)
    if not ok:
        FAILURES.append(message)


PAY_LINK = re.compile(r"""https?://[^"'\s<>]+/pay/[A-Za-z0-9_-]{20,}""")
# A font of the PDF named like a serif default (DejaVu Serif, Liberation Serif, Times), not a
# sans-serif one: what wkhtmltopdf falls back on when the page has no stylesheet.
UNSTYLED_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?(?![\w-]*Sans)[\w-]*(?:Serif|Times)")


def demo_pdfs(env):
    """The demo's PDFs, (name, bytes): attached PDFs of reminders, and those in the zips of
    the reminders and of the claims."""
    attachments = env["ir.attachment"].search(
        [
            ("res_model", "in", ["credit.dunning", "credit.insurance.claim"]),
            ("mimetype", "in", ["application/pdf", "application/zip"]),
        ]
    )
    for attachment in attachments:
        if attachment.mimetype == "application/pdf":
            yield attachment.name, attachment.raw
            continue
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as pack:
            for name in pack.namelist():
                if name.endswith(".pdf"):
                    yield f"{attachment.name}: {name}", pack.read(name)


def mailbox_messages(url):
    with urllib.request.urlopen(f"{url.rstrip('/')}/messages/", timeout=30) as response:
        return json.loads(response.read())["messages"]


def mailbox_links(url, messages):
    """The payment links (``…/pay/<token>``) of the mailbox's messages: in their HTML part,
    or their text for those that have none (the SMS)."""
    links = []
    for message in messages:
        for part in ("html", "plain"):
            try:
                with urllib.request.urlopen(
                    f"{url.rstrip('/')}/messages/{message['id']}.{part}", timeout=30
                ) as response:
                    text = response.read().decode("utf-8", "replace")
            except OSError:  # no such part: maildump answers 404
                continue
            links += PAY_LINK.findall(text)
            break
    return links


def check_replies(env, messages, recipients):
    """The demo's three replies to reminders, read into suggestions (credit_demo.REPLIES)."""
    # The addons are importable once the configuration is read.
    from odoo.addons.credit_management.demo import credit_demo  # noqa: PLC0415

    collector = env.ref("credit_management.user_collector")
    replies = env["credit.reply"]
    for kind in ("promise", "dispute", "paid"):
        message_id = credit_demo.REPLY_MESSAGE_ID.format(kind=kind, domain="%")
        reply = env["credit.reply"].search([("message_id.message_id", "=like", message_id)])
        replies |= reply
        if len(reply) != 1:
            check(False, f"the demo's {kind} reply: {len(reply)} suggestions")
            continue
        reminder = reply.dunning_id
        received = fields.Date.context_today(reply, reply.date_received)
        # What the customer wrote about: the reminder's invoices still open, undisputed.
        invoices = reminder.line_ids.move_id.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.payment_state == "not_paid"
                and not move.in_dispute
                and not move.promise_ids
            )
        )
        expected = {
            "intent": kind,
            "state": "new",
            "date": credit_demo.demo_reply_expected(kind, received),
            "amount": round(sum(invoices.mapped("amount_residual")), 2) if kind != "dispute" else 0,
            "moves": invoices.sorted("invoice_date_due")[-1:].mapped("name")
            if kind == "dispute"
            else [],
            "reason": "credit_management.dispute_reason_price" if kind == "dispute" else None,
        }
        got = {
            "intent": reply.intent,
            "state": reply.state,
            "date": reply.date or None,
            "amount": round(reply.amount, 2),
            "moves": reply.move_ids.mapped("name"),
            "reason": reply.reason_id.get_external_id().get(reply.reason_id.id)
            if reply.reason_id
            else None,
        }
        check(
            got == expected and reply.user_id == collector,
            f"{reminder.partner_id.name} answered {reminder.name} ({kind}): "
            f"“{reply.with_context(lang='fr_FR').summary}”"
            + ("" if got == expected else f"; expected {expected}, read {got}"),
        )
        # The reply reaches the collector, who follows the reminder: sent on by email on 18.0
        # (in the mailbox; counted, not required: 19.0 notifies no follower of it, the desk
        # and the worklist show it).
        subject = "".join((reply.message_id.subject or "").split())
        forwarded = [
            m
            for m in messages
            if "".join(m["subject"].split()) == subject
            and collector.email.lower()
            in " ".join(a for to in (m.get("recipients") or {}).values() for a in to).lower()
        ]
        check(
            reminder.partner_id.email.lower() in recipients,
            f"the reminder it answers is in the mailbox ({reminder.partner_id.email}); the "
            f"reply sent on to the collector by email: {len(forwarded)}",
        )
    if len(replies) != 3:
        return
    Desk = env["credit.collector.desk"].with_user(collector)
    desk = Desk.browse(Desk.action_open_desk()["res_id"])  # his desk, as the menu opens it
    check(desk.reply_count >= 3, f"{desk.reply_count} replies to read on the collector's desk")
    Worklist = env["credit.worklist"].with_user(collector)
    Worklist._worklist_refresh()
    rows = Worklist.search([("partner_id", "in", replies.partner_id.ids)])
    check(
        len(rows) == 3
        and set(rows.mapped("next_action")) == {"reply"}
        and rows.reply_id == replies,
        f"in the collector's worklist: {len(rows)} rows to read a reply, ranked "
        f"{', '.join(str(rank) for rank in rows.mapped('rank'))}, with their suggestion",
    )
    env.cr.rollback()  # the desk and the worklist's rows made to check them


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--mailbox", required=True)
    parser.add_argument("--url", help="the address the demo is served on")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    messages = mailbox_messages(args.mailbox)
    # maildump's recipients: {"to": [...], "cc": [...], "bcc": [...]}, "Name <address>".
    recipients = " ".join(
        address
        for m in messages
        for addresses in (m.get("recipients") or {}).values()
        for address in addresses
    ).lower()
    sms_in_mailbox = [m for m in messages if m["subject"].startswith("SMS to ")]
    with Registry(args.database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        check(
            (company.chart_template, company.currency_id.name) == ("fr", "EUR"),
            f"the company keeps French accounts ({company.chart_template}) in"
            f" {company.currency_id.name}",
        )
        reminders = env["credit.dunning"].search([])
        sent = reminders.filtered(lambda r: r.state == "sent")
        errors = reminders.filtered(lambda r: r.state == "error")
        check(len(reminders) >= 50, f"{len(reminders)} reminders in the demo")
        check(len(sent) >= len(reminders) // 2, f"{len(sent)} of them sent")
        check(
            not errors,
            f"{len(errors)} in error"
            + "".join(f"\n        {r.name}: {r.error_message}" for r in errors[:5]),
        )
        by_email = sent.filtered(lambda r: r.level_id.channel_email and r.partner_id.email)
        missing = [r.name for r in by_email if r.partner_id.email.lower() not in recipients]
        check(
            not missing,
            f"{len(by_email) - len(missing)} of the {len(by_email)} reminders sent by email "
            f"are in the mailbox ({len(messages)} messages)"
            + (f"; missing: {', '.join(missing[:5])}" if missing else ""),
        )
        sms = env["sms.sms"].search([])
        outgoing = env["sms.sms"].search_count([("state", "=", "outgoing")])
        mails = env["mail.mail"].search_count([("state", "=", "outgoing")])
        check(
            len(sms_in_mailbox) >= len(sms.filtered(lambda s: s.state != "error")) and not outgoing,
            f"{len(sms_in_mailbox)} SMS in the mailbox, {outgoing} left in Odoo's SMS queue",
        )
        check(not mails, f"{mails} emails left in Odoo's mail queue")
        lang = env["res.company"].browse(reminders[:1].company_id.id)._credit_users_lang()
        Message = env["mail.message"]
        french = Message.search_count(
            [("model", "=", "res.partner"), ("body", "ilike", "Profil de payeur passé")]
        )
        english = Message.search_count(
            [("model", "=", "res.partner"), ("body", "ilike", "Payer profile changed")]
        )
        check(
            lang == "fr_FR" and french and not english,
            f"the users' language is {lang}; the behaviour score's notes are in French "
            f"({french} in French, {english} in English)",
        )
        company = reminders[:1].company_id
        if args.url:
            links = mailbox_links(args.mailbox, messages)
            elsewhere = [link for link in links if not link.startswith(f"{args.url}/pay/")]
            check(
                links and not elsewhere,
                f"{len(links) - len(elsewhere)} of the {len(links)} payment links of the "
                f"mailbox's emails lead to {args.url}"
                + (f"; elsewhere: {', '.join(elsewhere[:3])}" if elsewhere else ""),
            )
        check(not company.uses_default_logo, f"{company.name} has a logo of its own")
        rates = env["credit.ecb.rate"].search_count([("company_id", "=", company.id)])
        check(rates >= 12, f"{rates} ECB rates for the late interest")
        pdfs = list(demo_pdfs(env))
        unstyled = [name for name, pdf in pdfs if UNSTYLED_FONT.search(pdf)]
        check(
            len(pdfs) >= 4 and not unstyled,
            f"{len(pdfs) - len(unstyled)} of the {len(pdfs)} PDFs of the letters and packs "
            "printed with their stylesheets"
            + (f"; without: {', '.join(unstyled[:5])}" if unstyled else ""),
        )
        # Factoring: a notified and a confidential contract, each with a funded batch; a
        # statement imported with one returned invoice.
        contracts = env["credit.factoring.contract"].search([("company_id", "=", company.id)])
        funded = contracts.batch_ids.filtered(lambda batch: batch.state == "funded")
        returned = funded.move_ids.filtered(lambda move: move.factoring_state == "returned")
        check(
            set(contracts.mapped("kind")) >= {"notified", "confidential"}
            and set(funded.contract_id.mapped("kind")) >= {"notified", "confidential"}
            and len(returned) == 1,
            f"{len(contracts)} factoring contracts, {len(funded)} funded batches, "
            f"{len(returned)} invoice returned by the factor",
        )
        # The late-payment prediction: trained on the demo's two years of history, its
        # backtest on the form (the learnt model, or the customers' averages when the model
        # does not beat them, as the form says), the open invoices scored.
        prediction = env["credit.prediction.model"].search([("company_id", "=", company.id)])
        scored = env["account.move"].search_count(
            [("company_id", "=", company.id), ("late_probability", "!=", False)]
        )
        check(
            bool(prediction.date_trained)
            and prediction.test_size >= 100
            and prediction.auc > 0
            and prediction.factor_ids
            and scored > 0,
            f"the late-payment prediction is trained (in use: {prediction.state or 'nothing'}): "
            f"backtest on {prediction.test_size} invoices, AUC {prediction.auc:.3f} against "
            f"{prediction.auc_fallback:.3f}, Brier {prediction.brier:.3f} against "
            f"{prediction.brier_fallback:.3f}; {scored} open invoices scored",
        )
        # The demo is where people try the product on their own data: PostgreSQL's
        # durability, not the test databases' speed settings.
        cr.execute("SHOW fsync")
        fsync = cr.fetchone()[0]
        cr.execute("SHOW synchronous_commit")
        synchronous = cr.fetchone()[0]
        check(
            fsync == "on" and synchronous == "on",
            f"the demo database is durable (fsync {fsync}, synchronous_commit {synchronous})",
        )
        if "credit.risk.claim" in env:
            # credit_risk_data: a customer in receivership, held, with its claim and letter.
            claims = env["credit.risk.claim"].search([("event_id.event_type", "=", "receivership")])
            check(
                len(claims) == 1 and claims.move_ids and claims.partner_id.credit_hold,
                f"{len(claims)} customer in receivership, held, with its claim of "
                f"{len(claims.move_ids)} invoices",
            )
            if claims:
                letter = env["ir.actions.report"]._render_qweb_html(
                    "credit_risk_data.credit_risk_claim_letter_report", claims[:1].ids
                )[0]
                check(b"R. 622-24" in letter, "its claim declaration letter renders, in French")
    if FAILURES:
        print(f"demo check: {len(FAILURES)} failed")
        return 1
    print("demo check: every count holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
