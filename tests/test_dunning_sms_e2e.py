"""Reminders by SMS on a real server, through Odoo's SMS queue, to a real SMS gateway.

The gateway is an HTTP server on 127.0.0.1 that speaks the IAP SMS API Odoo calls
(odoo/addons/sms/tools/sms_api.py): ``POST /api/sms/3/send`` with a JSON-RPC body
``{"params": {"messages": [{"content", "numbers": [{"uuid", "number"}]}], "account_token",
…}}``, answered ``{"result": [{"uuid", "state"}, …]}``. Odoo is pointed at it with the
system parameter ``sms.endpoint``; the engine queues the SMS, Odoo's SMS queue (its
scheduled action) sends them, and the gateway's answers come back on the reminders.
"""

import http.server
import json
import threading

import pytest

RUN_DATE = "2026-06-15"
DUE_DATE = "2026-05-20"
DUE_DATE_TEXT = "05/20/2026"  # as the SMS shows it to an English-speaking customer
SEND_PATH = "/api/sms/3/send"


class SmsGatewayHandler(http.server.BaseHTTPRequestHandler):
    """One request of Odoo's SMS queue: answers each number with the state the test chose."""

    def log_message(self, *args):
        pass  # quiet: pytest reports what matters

    def reply(self, status, payload):
        body = json.dumps(payload).encode() if isinstance(payload, dict) else payload
        self.send_response(status)
        self.send_header(
            "Content-Type", "application/json" if isinstance(payload, dict) else "text/plain"
        )
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        payload = json.loads(self.rfile.read(length) or b"{}")
        gateway = self.server
        with gateway.lock:
            gateway.requests.append((self.path, payload))
        if self.path != SEND_PATH:
            self.reply(404, b"not found")
            return
        if gateway.http_error:
            self.reply(gateway.http_error, b"Internal Server Error")
            return
        results = []
        for message in payload["params"]["messages"]:
            for number in message["numbers"]:
                state = gateway.states.get(number["number"], "success")
                results.append(
                    {"uuid": number["uuid"], "state": state, "credit": int(state == "success")}
                )
                if state == "success":
                    with gateway.lock:
                        gateway.delivered.append((number["number"], message["content"]))
        self.reply(200, {"jsonrpc": "2.0", "id": payload.get("id"), "result": results})


@pytest.fixture
def sms_gateway(admin):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), SmsGatewayHandler)
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.requests, server.delivered = [], []
    server.states, server.http_error = {}, None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    admin.call("ir.config_parameter", "set_param", "sms.endpoint", url)
    try:
        yield server
    finally:
        admin.call("ir.config_parameter", "set_param", "sms.endpoint", False)
        server.shutdown()
        server.server_close()


def sms_scenario(admin, unique):
    """A scenario with one SMS-only level, reached the day after the due date."""
    model_id = admin.call("ir.model", "search", [("model", "=", "credit.dunning")])[0]
    template = admin.call(
        "sms.template",
        "create",
        {
            "name": f"Reminder SMS {unique}",
            "model_id": model_id,
            "lang": "{{ object.partner_id.lang }}",
            "body": "{{ object.company_id.name }}: {{ object.name }}, "
            "{{ format_amount(object.amount_due, object.currency_id) }} due since "
            "{{ format_date(object.date_due_oldest) }}.",
        },
    )
    return admin.call(
        "credit.dunning.scenario",
        "create",
        {
            "name": f"SMS {unique}",
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": "SMS reminder",
                        "days": 1,
                        "channel_email": False,
                        "channel_sms": True,
                        "sms_template_id": template,
                    },
                )
            ],
        },
    )


def customers_with_invoices(admin, unique, scenario, mobiles, amount=250.0):
    """A customer per mobile number, each with one posted invoice overdue on RUN_DATE."""
    france = admin.ref("base.fr")
    partners = admin.call(
        "res.partner",
        "create",
        [
            {
                "name": f"Client SMS {unique} {i}",
                "is_company": True,
                "phone": mobile,
                "country_id": france,
                "dunning_scenario_id": scenario,
            }
            for i, mobile in enumerate(mobiles)
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
                            "price_unit": amount,
                            "tax_ids": [(5,)],
                        },
                    )
                ],
            }
            for partner in partners
        ],
    )
    admin.call("account.move", "action_post", invoices)
    return partners


def reminders_by_partner(admin, partners):
    rows = admin.call(
        "credit.dunning",
        "search_read",
        [("partner_id", "in", partners), ("state", "!=", "cancelled")],
        fields=["partner_id", "name", "state", "sms_state", "error_message", "sms_message_id"],
    )
    return {row["partner_id"][0]: row for row in rows}


def run_sms_queue(admin):
    """Odoo's SMS queue, run now as its scheduled action would."""
    cron = admin.ref("sms.ir_cron_sms_scheduler_action")
    admin.call("ir.cron", "method_direct_trigger", [cron])


def test_sms_reach_the_gateway_and_a_refusal_stays_on_its_reminder(admin, unique, sms_gateway):
    scenario = sms_scenario(admin, unique)
    mobiles = ["06 12 34 56 01", "06 12 34 56 02", "06 12 34 56 03"]
    numbers = ["+33612345601", "+33612345602", "+33612345603"]
    partners = customers_with_invoices(admin, unique, scenario, mobiles)
    refused_partner = partners[1]
    sms_gateway.states[numbers[1]] = "wrong_number_format"

    created = admin.call("credit.dunning", "run_dunning", RUN_DATE)
    reminders = reminders_by_partner(admin, partners)
    assert len(reminders) == 3
    assert {r["id"] for r in reminders.values()} <= set(created)
    for reminder in reminders.values():
        assert (reminder["state"], reminder["sms_state"]) == ("sent", "queued")
    assert not sms_gateway.requests, "queued: nothing leaves before the SMS queue runs"

    run_sms_queue(admin)

    sends = [payload for path, payload in sms_gateway.requests if path == SEND_PATH]
    assert sends, "Odoo's SMS queue called the gateway"
    for payload in sends:
        assert payload["jsonrpc"] == "2.0"
        assert payload["params"]["account_token"]
    received = {
        number["number"]: message["content"]
        for payload in sends
        for message in payload["params"]["messages"]
        for number in message["numbers"]
    }
    assert set(numbers) <= set(received)
    for partner, number in zip(partners, numbers, strict=True):
        body = received[number]
        assert reminders[partner]["name"] in body
        assert "250.00" in body
        assert DUE_DATE_TEXT in body
    assert {number for number, _body in sms_gateway.delivered} >= {numbers[0], numbers[2]}

    reminders = reminders_by_partner(admin, partners)
    refused = reminders[refused_partner]
    assert refused["state"] == "error"
    assert refused["sms_state"] == "error"
    assert "Wrong Number Format" in refused["error_message"]
    assert numbers[1] in refused["error_message"]
    for partner in (partners[0], partners[2]):
        assert (reminders[partner]["state"], reminders[partner]["sms_state"]) == ("sent", "sent")
        assert not reminders[partner]["error_message"]
    # The SMS is in each reminder's chatter.
    messages = admin.call(
        "mail.message",
        "read",
        [r["sms_message_id"][0] for r in reminders.values()],
        ["message_type", "body"],
    )
    assert {m["message_type"] for m in messages} == {"sms"}


def test_gateway_http_500_leaves_reminders_retryable(admin, unique, sms_gateway):
    scenario = sms_scenario(admin, unique)
    mobiles = ["06 12 34 57 01", "06 12 34 57 02"]
    numbers = ["+33612345701", "+33612345702"]
    partners = customers_with_invoices(admin, unique, scenario, mobiles, amount=120.0)
    sms_gateway.http_error = 500

    admin.call("credit.dunning", "run_dunning", RUN_DATE)
    run_sms_queue(admin)

    assert any(path == SEND_PATH for path, _payload in sms_gateway.requests), (
        "the gateway was tried"
    )
    assert not sms_gateway.delivered
    reminders = reminders_by_partner(admin, partners)
    assert len(reminders) == 2
    for reminder in reminders.values():
        assert (reminder["state"], reminder["sms_state"]) == ("error", "error")
        assert "Server Error" in reminder["error_message"]

    # The gateway is back; the collector retries: each reminder's SMS leaves once.
    sms_gateway.http_error = None
    sms_gateway.requests.clear()
    admin.call("credit.dunning", "action_retry", [r["id"] for r in reminders.values()])
    reminders = reminders_by_partner(admin, partners)
    for reminder in reminders.values():
        assert (reminder["state"], reminder["sms_state"]) == ("sent", "queued")
    run_sms_queue(admin)
    delivered = [number for number, _body in sms_gateway.delivered if number in numbers]
    assert sorted(delivered) == sorted(numbers), "each SMS sent exactly once"
    for number, body in sms_gateway.delivered:
        assert "120.00" in body, (number, body)
    reminders = reminders_by_partner(admin, partners)
    for reminder in reminders.values():
        assert (reminder["state"], reminder["sms_state"]) == ("sent", "sent")
    # Run again: nothing left in the queue for these reminders.
    sms_gateway.delivered.clear()
    run_sms_queue(admin)
    assert not sms_gateway.delivered
