"""An insurer's webhook and the connection's rights, against a running server.

Six copies of one notification arrive at the same instant (six threads released together by a
barrier, each its own request, cursor and transaction on the server): one is recorded and
processed, the others are answered as already received. And over RPC, a credit manager who is
not a system administrator neither reads nor changes where the credentials go; a collector
triggers no connector call nor the daily runs.
"""

import hashlib
import hmac
import json
import threading
import urllib.error
import urllib.request
import uuid
import xmlrpc.client

import pytest

SECRET = "whsec-e2e-race-2026"
COPIES = 6
# Odoo's XML-RPC fault code of an AccessError.
ACCESS_ERROR = 4


def refused(call, *args):
    """``call(*args)`` is refused with an AccessError; its message."""
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*args)
    assert fault.value.faultCode == ACCESS_ERROR, fault.value.faultString
    return fault.value.faultString


@pytest.fixture(scope="module")
def insurance(admin):
    """A demo policy in force with a webhook secret, a cover waiting for its decision, a
    credit manager and a collector."""
    unique = uuid.uuid4().hex[:8]
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    insurer = admin.call("res.partner", "create", {"name": "Assureur démo", "is_company": True})
    policy = admin.call(
        "credit.insurance.policy",
        "create",
        {
            "name": f"Police démo {unique}",
            "insurer_id": insurer,
            "provider_code": "demo",
            "company_id": company_id,
            "date_start": "2020-01-01",
            "webhook_secret": SECRET,
        },
    )
    admin.call("credit.insurance.policy", "action_activate", [policy])
    customer = admin.call(
        "res.partner",
        "create",
        {
            "name": f"Boulangerie Webhook {unique}",
            "is_company": True,
            "company_registry": "732829320",
            "country_id": admin.ref("base.fr"),
        },
    )
    cover = admin.call(
        "credit.insurance.cover",
        "create",
        {"policy_id": policy, "partner_id": customer, "amount_requested": 8000.0},
    )
    admin.call("credit.insurance.cover", "action_request", [cover])

    def user(login, xmlids):
        password = f"{login}-pwd-2026"
        admin.call(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": password,
                "groups_id": [(6, 0, [admin.ref(x) for x in xmlids])],
            },
        )
        return admin.client.login(login, password)

    manager = user(
        f"e2e_ins_manager_{unique}", ["base.group_user", "credit_management.group_credit_manager"]
    )
    collector = user(
        f"e2e_ins_collector_{unique}",
        ["base.group_user", "credit_management.group_credit_collector"],
    )
    return {
        "policy": policy,
        "cover": cover,
        "manager": manager,
        "collector": collector,
        "unique": unique,
    }


def post(url, body, signature):
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": "application/json", "X-Signature": signature},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def test_six_copies_at_once_recorded_once(odoo_server, admin, insurance):
    policy, unique = insurance["policy"], insurance["unique"]
    body = json.dumps({"notificationId": f"race-{unique}", "event": "decision"}).encode()
    signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    url = f"{odoo_server.url}/credit_insurance/webhook/{policy}"
    barrier = threading.Barrier(COPIES)
    answers = [None] * COPIES

    def send(index):
        barrier.wait()
        answers[index] = post(url, body, signature)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    assert [status for status, __ in answers] == [200] * COPIES, answers
    texts = sorted(text for __, text in answers)
    assert texts == ["Already received"] * (COPIES - 1) + ["OK"], texts
    recorded = admin.call(
        "credit.insurance.exchange",
        "search_count",
        [
            ("policy_id", "=", policy),
            ("operation", "=", "webhook"),
            ("notification_ref", "=", f"race-{unique}"),
        ],
    )
    assert recorded == 1, "one recorded notification"
    decisions = admin.call(
        "credit.insurance.decision", "search_count", [("cover_id", "=", insurance["cover"])]
    )
    assert decisions == 1, "one processing: the demo insurer's decision recorded once"


def test_manager_cannot_redirect_credentials(insurance):
    """Neither the address nor the secret of a policy is the credit manager's."""
    manager, policy = insurance["manager"], insurance["policy"]
    Policy = "credit.insurance.policy"
    for field in ("api_base_url", "api_path_prefix", "soap_wsdl_url", "webhook_secret"):
        refused(manager.call, Policy, "read", [policy], [field])
        refused(manager.call, Policy, "write", [policy], {field: "https://attacker.example"})
    refused(manager.call, Policy, "write", [policy], {"state": "closed"})


def test_collector_triggers_nothing(admin, insurance):
    """A collector reads the policy, and neither calls its insurer nor runs the daily jobs."""
    collector, policy = insurance["collector"], insurance["policy"]
    assert collector.call("credit.insurance.policy", "read", [policy], ["name"])
    for method in ("action_fetch_decisions", "action_test_connection", "action_close"):
        refused(collector.call, "credit.insurance.policy", method, [policy])
    for model, method in (
        ("credit.insurance.alert", "_cron_generate"),
        ("credit.insurance.policy", "_cron_fetch_decisions"),
        ("account.move", "_cron_update_declaration_state"),
        ("credit.insurance.cover", "_cron_apply_due_decisions"),
    ):
        assert "Private methods" in refused(collector.call, model, method)
    state = admin.call("credit.insurance.policy", "read", [policy], ["state"])[0]["state"]
    assert state == "active"
