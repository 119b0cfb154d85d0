"""The demo database's outgoing mail, pointed at the demo's mailbox (called by scripts/demo.sh).

Usage::

    python scripts/demo_mailbox.py -c <odoo.conf> -d <db> server --port 1025 [--sms-port 1081]
    python scripts/demo_mailbox.py -c <odoo.conf> -d <db> flush

``server``: the database's outgoing mail server (``ir.mail_server``) is the mailbox's SMTP
server on 127.0.0.1 (created, or its port updated; Odoo's other servers are deactivated so
that nothing of the demo leaves the machine); with ``--sms-port``, Odoo's SMS service
(``sms.endpoint``) is the demo's SMS gateway on 127.0.0.1 (``demo_sms_gateway.py``). Run
before the addons are installed, so that the notifications Odoo sends during the
installation reach the mailbox too.

``flush``: Odoo's mail and SMS queues sent now (as their scheduled actions would), so that
the demo's reminders are really sent when the build ends, served or not; then the reminders
are counted by state, with the reasons of those in error.
"""

import argparse
import sys
from collections import Counter

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)

from odoo import api
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config

SERVER_NAME = "Demo mailbox (maildump on 127.0.0.1)"


def point_server(env, host, port):
    Server = env["ir.mail_server"].with_context(active_test=False)
    server = Server.search([("name", "=", SERVER_NAME)], limit=1)
    vals = {
        "name": SERVER_NAME,
        "smtp_host": host,
        "smtp_port": port,
        "smtp_encryption": "none",
        "smtp_authentication": "login",
        "smtp_user": False,
        "smtp_pass": False,
        "from_filter": False,
        "sequence": 1,
        "active": True,
    }
    if server:
        server.write(vals)
    else:
        server = Server.create(vals)
    (Server.search([("active", "=", True)]) - server).write({"active": False})
    print(f"  outgoing mail server of {env.cr.dbname}: {host}:{port}")


def point_sms(env, host, port):
    endpoint = f"http://{host}:{port}"
    env["ir.config_parameter"].set_param("sms.endpoint", endpoint)
    print(f"  SMS service of {env.cr.dbname}: {endpoint}")


def flush(env):
    Sms = env["sms.sms"]
    for _round in range(20):
        if not Sms.search_count([("state", "=", "outgoing")]):
            break
        Sms._process_queue()
        env.invalidate_all()
    sms = Counter(Sms.search([]).mapped("state"))
    print(
        "  SMS: "
        + (
            ", ".join(f"{state} {count}" for state, count in sorted(sms.items()))
            or "all sent (none left in Odoo's queue)"
        )
    )
    Mail = env["mail.mail"]
    # Every queued email of the demo, as many times as the scheduled action would need.
    for _round in range(20):
        queued = Mail.search_count([("state", "=", "outgoing")])
        if not queued:
            break
        Mail.process_email_queue()
        env.invalidate_all()
    mails = Counter(Mail.search([]).mapped("state"))
    reminders = env["credit.dunning"].search([])
    states = Counter(reminders.mapped("state"))
    print(
        "  emails: "
        + (
            ", ".join(f"{state} {count}" for state, count in sorted(mails.items()))
            or "all sent (none left in Odoo's queue)"
        )
        + "; reminders: "
        + ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    )
    for reason, count in Counter(
        (reminder.error_message or "").split("\n")[0]
        for reminder in reminders
        if reminder.state == "error"
    ).most_common():
        print(f"    in error ({count}): {reason}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    server = commands.add_parser("server")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, required=True)
    server.add_argument("--sms-port", type=int)
    commands.add_parser("flush")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.command == "server":
            point_server(env, args.host, args.port)
            if args.sms_port:
                point_sms(env, args.host, args.sms_port)
        else:
            flush(env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
