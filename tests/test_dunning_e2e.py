"""The dunning engine on a real server: crashes, two workers at once, a mail server that refuses.

These tests need what a unit test cannot give: committed transactions, several database
connections at the same time, a process killed in the middle of a run and a real SMTP server
on 127.0.0.1.
"""

import socketserver
import subprocess
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import odoo_bin
from conftest import odoo_conf

RUN_DATE = "2026-06-15"
DUE_DATE = "2026-05-20"  # 26 days late on RUN_DATE: first overdue level of the standard scenario


def make_customers(admin, unique, count, email_domain="example.fr"):
    """``count`` customers, each with one posted invoice overdue on RUN_DATE."""
    partners = admin.call(
        "res.partner",
        "create",
        [
            {
                "name": f"Client {unique} {i}",
                "is_company": True,
                "email": f"compta{i}.{unique}@{email_domain}",
            }
            for i in range(count)
        ],
    )
    invoices = admin.call(
        "account.move",
        "create",
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner,
                "invoice_date": DUE_DATE,
                "invoice_date_due": DUE_DATE,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Livraison",
                            "quantity": 1,
                            "price_unit": 250.0,
                            "tax_ids": [(5,)],
                        },
                    )
                ],
            }
            for partner in partners
        ],
    )
    admin.call("account.move", "action_post", invoices)
    return partners, invoices


def reminders_of(admin, partners):
    return admin.call(
        "credit.dunning",
        "search_read",
        [("partner_id", "in", partners), ("state", "!=", "cancelled")],
        fields=["partner_id", "state", "line_ids", "email_state", "error_message"],
    )


def live_lines(admin, invoices):
    return admin.call(
        "credit.dunning.line",
        "search_read",
        [("move_id", "in", invoices), ("level_id", "!=", False), ("state", "!=", "cancelled")],
        fields=["move_id", "level_id"],
    )


def odoo_shell(odoo_server, script, tmp_path):
    """Start ``odoo shell`` on the test database with ``script`` on its standard input."""
    log = open(tmp_path / "shell.log", "wb")
    process = subprocess.Popen(
        [
            odoo_bin(),
            "shell",
            "-c",
            odoo_conf(),
            "-d",
            odoo_server.db,
            "--no-http",
            "--log-level=warn",
        ],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.stdin.write(textwrap.dedent(script).encode())
    process.stdin.close()
    return process


def wait_for(path, process, timeout=120):
    deadline = time.monotonic() + timeout
    while not Path(path).exists():
        assert process.poll() is None, "the shell stopped before the expected point"
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.2)


def test_run_killed_after_two_batches_then_rerun(odoo_server, admin, unique, tmp_path):
    partners, invoices = make_customers(admin, unique, 5)
    # Batches of 2 reminders, each committed; the worker dies after the second commit.
    script = f"""
        import os
        from odoo.addons.credit_management.models.credit_dunning_run import CreditDunning
        original = CreditDunning._dunning_batch_done
        calls = []
        def die_after_two(self, done, total):
            original(self, done, total)
            calls.append(done)
            if len(calls) == 2:
                os._exit(9)
        CreditDunning._dunning_batch_done = die_after_two
        partners = env["res.partner"].browse({partners!r})
        env["credit.dunning"].with_context(
            credit_dunning_commit=True, credit_dunning_batch_size=2
        ).run_dunning("{RUN_DATE}")
        """
    process = odoo_shell(odoo_server, script, tmp_path)
    assert process.wait(timeout=300) == 9, (tmp_path / "shell.log").read_text()[-3000:]
    assert len(reminders_of(admin, partners)) == 4, "two committed batches of two survive"
    admin.call("credit.dunning", "run_dunning", RUN_DATE)
    reminders = reminders_of(admin, partners)
    assert sorted(r["partner_id"][0] for r in reminders) == sorted(partners)
    lines = live_lines(admin, invoices)
    assert sorted(line["move_id"][0] for line in lines) == sorted(invoices)
    mails = admin.call(
        "mail.mail",
        "search_count",
        [("model", "=", "credit.dunning"), ("res_id", "in", [r["id"] for r in reminders])],
    )
    assert mails == 5, "each reminder emailed exactly once"


def test_two_workers_at_once_remind_once(odoo_server, admin, unique, tmp_path):
    partners, invoices = make_customers(admin, unique, 6)
    ready, go = tmp_path / "ready", tmp_path / "go"
    # Worker A creates its first batch, then holds its transaction open until told to commit.
    script = f"""
        import os, time
        from odoo.addons.credit_management.models.credit_dunning_run import CreditDunning
        original = CreditDunning._dunning_batch_done
        def wait_then_commit(self, done, total):
            open({str(ready)!r}, "w").close()
            while not os.path.exists({str(go)!r}):
                time.sleep(0.1)
            return original(self, done, total)
        CreditDunning._dunning_batch_done = wait_then_commit
        env["credit.dunning"].with_context(credit_dunning_commit=True).run_dunning("{RUN_DATE}")
        # An odoo shell rolls back on exit: the worker keeps its run, as the cron would.
        env.cr.commit()  # pylint: disable=invalid-commit
        """
    worker_a = odoo_shell(odoo_server, script, tmp_path)
    wait_for(ready, worker_a)
    # Worker B (the server, another connection) runs at the same time; it waits on the
    # database's unique index for A's uncommitted lines.
    outcome = {}

    def worker_b():
        try:
            outcome["result"] = admin.call("credit.dunning", "run_dunning", RUN_DATE)
        except Exception as error:  # reported by the assertion below
            outcome["error"] = error

    thread = threading.Thread(target=worker_b)
    thread.start()
    time.sleep(3)
    go.touch()
    assert worker_a.wait(timeout=300) == 0, (tmp_path / "shell.log").read_text()[-3000:]
    thread.join(timeout=300)
    assert "error" not in outcome, outcome.get("error")
    reminders = reminders_of(admin, partners)
    assert sorted(r["partner_id"][0] for r in reminders) == sorted(partners)
    lines = live_lines(admin, invoices)
    assert len(lines) == len(invoices), "one live line per invoice and level"


class RefusingSMTPHandler(socketserver.StreamRequestHandler):
    """A small SMTP server (RFC 5321) that refuses mailboxes starting with 'refused'."""

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 localhost ESMTP test")
        while True:
            line = self.rfile.readline().decode(errors="replace").strip()
            if not line:
                return
            command = line.split(" ", 1)[0].upper()
            if command in ("EHLO", "HELO"):
                self.reply("250-localhost")
                self.reply("250 SIZE 10240000")
            elif command == "MAIL":
                self.reply("250 2.1.0 Ok")
            elif command == "RCPT":
                if "<refused" in line.lower():
                    self.server.refused.append(line)
                    self.reply("550 5.1.1 Mailbox unavailable")
                else:
                    self.reply("250 2.1.5 Ok")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                while self.rfile.readline() not in (b".\r\n", b".\n", b""):
                    pass
                self.server.accepted += 1
                self.reply("250 2.0.0 Ok: queued")
            elif command == "RSET" or command == "NOOP":
                self.reply("250 Ok")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTPHandler)
    server.daemon_threads = True
    server.refused, server.accepted = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_mail_server_refusal_puts_only_that_reminder_in_error(admin, unique, smtp_server):
    port = smtp_server.server_address[1]
    server_id = admin.call(
        "ir.mail_server",
        "create",
        {
            "name": f"Test SMTP {unique}",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )
    good, _invoices = make_customers(admin, f"{unique}ok", 2)
    bad = admin.call(
        "res.partner",
        "create",
        {
            "name": f"Client {unique} refused",
            "is_company": True,
            "email": f"refused.{unique}@example.fr",
        },
    )
    invoice = admin.call(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": bad,
            "invoice_date": DUE_DATE,
            "invoice_date_due": DUE_DATE,
            "invoice_line_ids": [
                (0, 0, {"name": "Livraison", "quantity": 1, "price_unit": 90.0, "tax_ids": [(5,)]})
            ],
        },
    )
    admin.call("account.move", "action_post", [invoice])
    try:
        admin.call("credit.dunning", "run_dunning", RUN_DATE)
        # The mail queue's scheduled action, run now (it returns nothing: JSON-RPC).
        admin.client.json_session("admin", "admin").call_kw("mail.mail", "process_email_queue")
    finally:
        admin.call("ir.mail_server", "write", [server_id], {"active": False})
    assert smtp_server.refused, "the refused mailbox reached the SMTP server"
    assert smtp_server.accepted >= 2
    by_partner = {r["partner_id"][0]: r for r in reminders_of(admin, [*good, bad])}
    assert by_partner[bad]["state"] == "error"
    assert (
        "550" in by_partner[bad]["error_message"]
        or "refused" in by_partner[bad]["error_message"].lower()
    )
    for partner in good:
        assert by_partner[partner]["state"] == "sent"
        assert by_partner[partner]["email_state"] == "sent"
