"""The demo's SMS gateway: Odoo's SMS service (IAP) played on 127.0.0.1, every SMS readable in
the demo's mailbox (called by scripts/demo.sh).

Usage::

    python scripts/demo_sms_gateway.py --port 1081 --smtp-port 1025 [--pidfile FILE]

Odoo sends its SMS to ``<sms.endpoint>/api/sms/3/send`` (``odoo.addons.sms.tools.sms_api``) as
a JSON-RPC call: ``{"messages": [{"content", "numbers": [{"uuid", "number"}]}],
"webhook_url", "dbuuid", "account_token"}``, and reads one result per number, ``{"uuid",
"state"}``, ``success`` or the reason of a refusal. This gateway answers the same way and, as
a phone would show it, hands each SMS to the mailbox's SMTP server as an email "SMS to
<number>", so that the demo's SMS are read beside its emails. A number that is not a phone
number (fewer than 8 digits) is refused as ``wrong_number_format``, as the real service does.
The demo database is pointed at it by ``demo_mailbox.py server --sms-port``.
"""

import argparse
import json
import os
import re
import smtplib
import sys
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

SEND_PATH = "/api/sms/3/send"


class Gateway(BaseHTTPRequestHandler):
    smtp_port = 1025

    def log_message(self, format, *args):
        sys.stderr.write("sms-gateway: " + (format % args) + "\n")

    def _answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            call = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._answer(400, {"error": "not JSON"})
            return
        if self.path != SEND_PATH:
            self._answer(
                200,
                {
                    "jsonrpc": "2.0",
                    "id": call.get("id"),
                    "error": {"code": 404, "message": f"unknown endpoint {self.path}"},
                },
            )
            return
        params = call.get("params") or {}
        results = []
        for message in params.get("messages") or []:
            for number in message.get("numbers") or []:
                digits = re.sub(r"\D", "", number.get("number") or "")
                if len(digits) < 8:
                    results.append({"uuid": number.get("uuid"), "state": "wrong_number_format"})
                    continue
                self._deliver(number["number"], message.get("content") or "")
                results.append({"uuid": number.get("uuid"), "state": "success"})
        self._answer(200, {"jsonrpc": "2.0", "id": call.get("id"), "result": results})

    def _deliver(self, number, content):
        email = EmailMessage()
        email["From"] = "SMS gateway <sms@gateway.demo>"
        email["To"] = f"{re.sub(r'[^0-9+]', '', number)}@sms.demo"
        email["Subject"] = f"SMS to {number}"
        email.set_content(content)
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as smtp:
            smtp.send_message(email)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, default=1025)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    Gateway.smtp_port = args.smtp_port
    server = ThreadingHTTPServer((args.host, args.port), Gateway)
    if args.pidfile:
        with open(args.pidfile, "w") as pidfile:
            pidfile.write(str(os.getpid()))
    print(f"sms-gateway: listening on http://{args.host}:{args.port}{SEND_PATH}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
