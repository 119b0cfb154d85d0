"""Attacks over RPC: each role tries what any logged-in user can send, and is refused.

The attacks are those of issue 27 ("T — Trust", "Why" 1 to 6), found on the demo database
with each demo role calling the models. Each is tried by each role it concerns (the
``roles`` of conftest.py: users with real groups), over XML-RPC (``/xmlrpc/2/object``, as
an integrator does) and JSON-RPC (``/web/dataset/call_kw``, as the web client does), context
keys included; its effect is then read back as the administrator. The roles and what each
may do are the rights tables of the addons' readmes. Four kinds of attack:

- ``refused`` (writes and calls): refused with an Odoo error (access, user or validation
  error, or no such method: never a crash), and the record read back is as before;
- ``create`` with workflow values forged: refused, or created with the values the model
  forces (``create`` forces the initial state for anyone but a manager): either way no record
  with the forged values exists afterwards;
- ``read`` of a secret: refused, or answered without it;
- ``no_effect``: a call a role may make, with a context key that must not change what it
  does: whatever the answer, the record read back is as before.

Every attack makes its own records, so that one left open shows in its own test only. The
legitimate paths are tried too: a manager overrides a hold through the wizard with a reason,
a collector pauses a customer's reminders within the company's limit and works a dispute
through its actions, a manager resolves one with a credit note, a sales user records a
promise and a dispute.
"""

import dataclasses
import xmlrpc.client
from collections.abc import Callable

import pytest
from conftest import RpcError
from records import Records
from records import days

NON_MANAGERS = ("sales", "collector", "billing", "portal")
EVERYONE = (*NON_MANAGERS, "manager")
TRANSPORTS = ("xmlrpc", "jsonrpc")
FAR = "2099-12-31"
# XML-RPC fault codes of Odoo's refusals (odoo/addons/base/controllers/rpc.py): a user or
# validation error, access denied, access error. Code 1 is any other exception.
XMLRPC_REFUSALS = {
    2: "odoo.exceptions.UserError",
    3: "odoo.exceptions.AccessDenied",
    4: "odoo.exceptions.AccessError",
}


class Refused(Exception):
    """An error answer. ``deliberate``: one of Odoo's refusals (or a method that does not
    exist), not a crash of the server."""

    def __init__(self, name, message):
        super().__init__(f"{name}: {message}")
        self.deliberate = name.startswith("odoo.exceptions.") or "does not exist" in message


class Caller:
    """The calls of one role over one transport; an error answer raises ``Refused``."""

    def __init__(self, role, transport):
        self.role = role
        self.uid = role.rpc.uid
        self.session = role.json_session() if transport == "jsonrpc" else None

    def call(self, model, method, *args, **kwargs):
        try:
            if self.session:
                return self.session.call_kw(model, method, *args, **kwargs)
            return self.role.rpc.call(model, method, *args, **kwargs)
        except xmlrpc.client.Fault as fault:
            name = XMLRPC_REFUSALS.get(fault.faultCode, "server error")
            raise Refused(name, fault.faultString) from None
        except RpcError as error:
            raise Refused(error.name, error.message) from None


@pytest.fixture(scope="module")
def records(admin):
    return Records(admin)


@pytest.fixture(scope="module")
def callers(roles):
    return {
        (role, transport): Caller(roles[role], transport)
        for role in roles
        for transport in TRANSPORTS
    }


# ------------------------------------------------------------
# THE ATTACKS
# ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Attack:
    """``target(records, caller)`` makes the records attacked (as admin) and returns them in
    a dict; ``attempt(caller, made)`` is the attack; ``effect(records, made)`` reads back, as
    admin, what the attack would change (for a ``read``: ``disclosed(answer)`` says whether
    the answer gives the secret away)."""

    name: str
    roles: tuple
    target: Callable
    attempt: Callable
    effect: Callable
    kind: str = "refused"
    disclosed: Callable = None


def field_write(name, roles, model, target, field, value):
    """Writing ``field`` of the record ``made["id"]``: ``value``, or ``value(made, caller)``."""

    def attempt(caller, made):
        written = value(made, caller) if callable(value) else value
        caller.call(model, "write", [made["id"]], {field: written})

    return Attack(
        name, roles, target, attempt, lambda records, made: records.read(model, made["id"], [field])
    )


# The records attacked, made as admin for the attacker ``caller``.


def held_order(records, caller):
    """A held quotation of the attacker when it sells (own documents only), else of the
    administrator."""
    seller = caller.uid if caller.role.name in ("sales", "collector") else records.admin.uid
    return {"id": records.held_order(seller)}


def customer(records, caller):
    return {
        "id": records.customer(),
        "other": records.customer(),
        "scenario": records.ref("credit_management.dunning_scenario_gentle"),
        "profile": records.ref("credit_management.payer_profile_strategic"),
    }


def overdue(records, caller, fresh=False):
    partner, invoice = records.overdue_customer(fresh=fresh)
    return {
        "partner": partner,
        "invoice": invoice,
        "reason": records.ref("credit_management.dispute_reason_price"),
        "product": records.product(),
    }


def fresh_overdue(records, caller):
    """An overdue customer made now: no earlier run (refused or not) has reminded it."""
    return overdue(records, caller, fresh=True)


def active_link(records, caller):
    partner, invoice = records.overdue_customer()
    return {
        "id": records.link([invoice]),
        "partner": partner,
        "currency": records.currency_id,
    }


def link_and_stranger(key):
    """An active link of a customer, and a move it must never take (``key``): an invoice of
    another customer, a credit note or a vendor bill of the same customer."""

    def target(records, caller):
        made = active_link(records, caller)
        if key == "other_invoice":
            made[key] = records.overdue_customer()[1]
        else:
            move_type = {"credit_note": "out_refund", "vendor_bill": "in_invoice"}[key]
            made[key] = records.invoice(made["partner"], 50.0, move_type=move_type)
        return made

    return target


def revoked_link(records, caller):
    made = active_link(records, caller)
    records.call("credit.payment.link", "action_revoke", [made["id"]])
    return made


def reminder_with_link(records, caller):
    return {"id": records.sent_reminder(records.overdue_customer()[0])}


# The attacks and their effects.


def order_effect(records, made):
    return records.read(
        "sale.order",
        made["id"],
        ["state", "credit_override_reason", "credit_override_user_id", "credit_override_date"],
    )


def confirm_with_override_context(caller, made):
    return caller.call(
        "sale.order", "action_confirm", [made["id"]], context={"credit_hold_override": True}
    )


def create_order_with_trail(caller, made):
    caller.call(
        "sale.order",
        "create",
        {
            "partner_id": made["partner"],
            "credit_override_reason": "Approved by the CFO",
            "credit_override_user_id": caller.uid,
            "credit_override_date": "2026-01-01 10:00:00",
            "order_line": [(0, 0, {"product_id": made["product"], "product_uom_qty": 1})],
        },
    )


def create_promise(**forged):
    def attempt(caller, made):
        values = {
            "partner_id": made["partner"],
            "move_ids": [(6, 0, [made["invoice"]])],
            "amount": 250.0,
            "date_promised": days(10),
            **forged,
        }
        caller.call("credit.payment.promise", "create", values)

    return attempt


def promises(*domain):
    def effect(records, made):
        return records.count(
            "credit.payment.promise", [("partner_id", "=", made["partner"]), *domain]
        )

    return effect


def create_rejected_dispute(caller, made):
    caller.call(
        "credit.dispute",
        "create",
        {
            "partner_id": made["partner"],
            "move_ids": [(6, 0, [made["invoice"]])],
            "reason_id": made["reason"],
            "state": "rejected",
            "rejection_reason": "Nothing to discuss",
        },
    )


def closed_disputes(records, made):
    return records.count(
        "credit.dispute",
        [("partner_id", "=", made["partner"]), ("state", "not in", ("new", "in_progress"))],
    )


def run_dunning(date):
    def attempt(caller, made):
        caller.call("credit.dunning", "run_dunning", date)

    return attempt


def reminders(records, made):
    return records.count("credit.dunning", [("partner_id", "=", made["partner"])])


def link_moves(records, made):
    return records.read("credit.payment.link", made["id"], ["move_ids"])


def add_to_link(key):
    def attempt(caller, made):
        caller.call("credit.payment.link", "write", [made["id"]], {"move_ids": [(4, made[key])]})

    return attempt


def create_link_for(key):
    def attempt(caller, made):
        caller.call(
            "credit.payment.link",
            "create",
            {
                "partner_id": made["partner"],
                "currency_id": made["currency"],
                "move_ids": [(6, 0, [made[key]])],
                "amount": 250.0,
                "date_expiry": days(30),
            },
        )

    return attempt


def send_link_for(key):
    """The *Send a payment link* wizard, the way links are made, given ``made[key]``."""

    def attempt(caller, made):
        wizard = caller.call(
            "credit.payment.link.send", "create", {"move_ids": [(6, 0, [made[key]])]}
        )
        caller.call("credit.payment.link.send", "action_send", [wizard])

    return attempt


def links_with(key):
    def effect(records, made):
        return records.count("credit.payment.link", [("move_ids", "in", [made[key]])])

    return effect


def read_link_url(method):
    def attempt(caller, made):
        if method == "read":
            return caller.call("credit.dunning", "read", [made["id"]], ["payment_link_url"])
        return caller.call(
            "credit.dunning", "search_read", [("id", "=", made["id"])], ["payment_link_url"]
        )

    return attempt


ATTACKS = [
    # 1. The credit hold: a context key is no override; the override trail is no field to
    # write.
    Attack(
        "confirm_held_order_with_override_context",
        NON_MANAGERS,
        held_order,
        confirm_with_override_context,
        order_effect,
    ),
    # A manager may confirm (the override wizard opens): the key skips neither it nor the
    # reason.
    Attack(
        "confirm_held_order_with_override_context",
        ("manager",),
        held_order,
        confirm_with_override_context,
        order_effect,
        kind="no_effect",
    ),
    *(
        field_write(f"forge_{field}", EVERYONE, "sale.order", held_order, field, value)
        for field, value in (
            ("credit_override_reason", "Approved by the CFO"),
            ("credit_override_user_id", lambda made, caller: caller.uid),
            ("credit_override_date", "2026-01-01 10:00:00"),
        )
    ),
    Attack(
        "create_order_with_override_trail",
        NON_MANAGERS,
        overdue,
        create_order_with_trail,
        lambda records, made: records.count(
            "sale.order",
            [("partner_id", "=", made["partner"]), ("credit_override_reason", "!=", False)],
        ),
        kind="create",
    ),
    # 2. A customer's credit settings are a credit manager's.
    *(
        field_write(f"write_{field}", NON_MANAGERS, "res.partner", customer, field, value)
        for field, value in (
            ("dunning_block_until", FAR),
            ("dunning_scenario_id", lambda made, caller: made["scenario"]),
            ("payer_profile_id", lambda made, caller: made["profile"]),
            ("payer_profile_pinned", True),
        )
    ),
    field_write(
        "write_credit_group_id",
        EVERYONE,
        "res.partner",
        customer,
        "credit_group_id",
        lambda made, caller: made["other"],
    ),
    # 3. Workflow states are the models' own; the promise horizon holds for everyone.
    Attack(
        "create_promise_already_broken",
        NON_MANAGERS,
        overdue,
        create_promise(state="broken"),
        promises(("state", "!=", "open")),
        kind="create",
    ),
    # Only invoices the caller reads (another salesperson's here), as 19.0's ORM requires.
    Attack(
        "promise_on_an_invoice_not_readable",
        ("sales",),
        overdue,
        create_promise(),
        promises(),
    ),
    Attack(
        "create_dispute_already_rejected",
        NON_MANAGERS,
        overdue,
        create_rejected_dispute,
        closed_disputes,
        kind="create",
    ),
    Attack(
        "create_promise_dated_2099",
        EVERYONE,
        overdue,
        create_promise(date_promised=FAR),
        promises(),
    ),
    field_write(
        "postpone_promise_to_2099",
        EVERYONE,
        "credit.payment.promise",
        lambda records, caller: {"id": records.promise()},
        "date_promised",
        FAR,
    ),
    field_write(
        "write_promise_state",
        EVERYONE,
        "credit.payment.promise",
        lambda records, caller: {"id": records.promise()},
        "state",
        "kept",
    ),
    *(
        field_write(
            f"write_dispute_state_{state}",
            EVERYONE,
            "credit.dispute",
            lambda records, caller: {"id": records.dispute()},
            "state",
            state,
        )
        for state in ("in_progress", "resolved", "rejected")
    ),
    *(
        field_write(
            f"write_reminder_state_{state}",
            EVERYONE,
            "credit.dunning",
            lambda records, caller: {"id": records.reminder()},
            "state",
            state,
        )
        for state in ("sent", "cancelled")
    ),
    # 4. The company's dunning run: a manager's, and never for a date to come.
    Attack("run_dunning_for_2099", EVERYONE, fresh_overdue, run_dunning(FAR), reminders),
    Attack("run_dunning_for_today", NON_MANAGERS, fresh_overdue, run_dunning(days(0)), reminders),
    Attack(
        "run_dunning_today_from_the_menu",
        NON_MANAGERS,
        fresh_overdue,
        lambda caller, made: caller.call("credit.dunning", "action_run_dunning_today"),
        reminders,
    ),
    # 5. Payment links: their invoices (customer invoices of their own customer, fixed at
    # creation), state and expiry are the model's; their URL is a bearer token.
    field_write(
        "revive_revoked_link", EVERYONE, "credit.payment.link", revoked_link, "state", "active"
    ),
    field_write(
        "extend_link_to_2099", EVERYONE, "credit.payment.link", active_link, "date_expiry", FAR
    ),
    *(
        Attack(f"add_{key}_to_link", EVERYONE, link_and_stranger(key), add_to_link(key), link_moves)
        for key in ("other_invoice", "credit_note", "vendor_bill")
    ),
    *(
        Attack(
            f"create_link_with_{key}",
            EVERYONE,
            link_and_stranger(key),
            create_link_for(key),
            links_with(key),
        )
        for key in ("other_invoice", "credit_note", "vendor_bill")
    ),
    *(
        Attack(
            f"send_link_for_{key}",
            EVERYONE,
            link_and_stranger(key),
            send_link_for(key),
            links_with(key),
        )
        for key in ("credit_note", "vendor_bill")
    ),
    *(
        Attack(
            f"{method}_reminder_link_url",
            ("sales", "billing", "portal"),
            reminder_with_link,
            read_link_url(method),
            lambda records, made: None,
            kind="read",
            disclosed=lambda answer: "/pay/" in str(answer),
        )
        for method in ("read", "search_read")
    ),
    # 6. Where the insurer's credentials are sent is a system administrator's.
    *(
        field_write(
            f"write_policy_{field}",
            EVERYONE,
            "credit.insurance.policy",
            lambda records, caller: {"id": records.policy()},
            field,
            value,
        )
        for field, value in (
            ("api_base_url", "http://169.254.169.254/latest"),
            ("api_path_prefix", "../../collect"),
            ("soap_wsdl_url", "https://attacker.example/insurer.wsdl"),
        )
    ),
]

CASES = [
    pytest.param(attack, role, id=f"{attack.name}-{role}")
    for attack in ATTACKS
    for role in attack.roles
]


@pytest.mark.parametrize(("attack", "role"), CASES)
def test_attack_is_refused(records, callers, attack, role):
    """The attack over XML-RPC, then over JSON-RPC, on the same records."""
    made = attack.target(records, callers[role, TRANSPORTS[0]])
    before = attack.effect(records, made)
    for transport in TRANSPORTS:
        caller = callers[role, transport]
        refusal = answer = None
        try:
            answer = attack.attempt(caller, made)
        except Refused as error:
            refusal = error
        after = attack.effect(records, made)
        assert after == before, f"over {transport}, the attack took effect: {before} -> {after}"
        if refusal:
            assert refusal.deliberate, f"over {transport}, the server failed: {refusal}"
        elif attack.kind == "refused":
            pytest.fail(f"over {transport}, the call was accepted (with no effect)")
        elif attack.kind == "read":
            assert not attack.disclosed(answer), f"over {transport}, it was read: {answer}"


# ------------------------------------------------------------
# THE LEGITIMATE PATHS
# ------------------------------------------------------------


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_manager_overrides_a_hold_with_a_reason(records, callers, transport):
    manager = callers["manager", transport]
    order = records.held_order(records.admin.uid)
    action = manager.call("sale.order", "action_confirm", [order])
    assert action["res_model"] == "credit.hold.override", f"no override wizard: {action}"
    reason = "Strategic customer, payment guaranteed by the CFO"
    wizard = manager.call(
        "credit.hold.override", "create", {"reason": reason}, context=action["context"]
    )
    manager.call("credit.hold.override", "action_confirm", [wizard])
    values = records.read(
        "sale.order",
        order,
        ["state", "credit_override_reason", "credit_override_user_id", "credit_override_date"],
    )
    assert values["state"] == "sale", "the manager's override did not confirm the order"
    assert values["credit_override_reason"] == reason, "the reason is not on the order"
    assert values["credit_override_user_id"][0] == manager.uid, "the trail names someone else"
    assert values["credit_override_date"], "the trail has no date"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_collector_pauses_reminders_within_the_limit(records, callers, transport):
    collector = callers["collector", transport]
    partner = records.customer()
    collector.call("res.partner", "write", [partner], {"dunning_block_until": days(14)})
    paused = records.read("res.partner", partner, ["dunning_block_until"])["dunning_block_until"]
    assert paused == days(14), "the collector could not pause the customer's reminders"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_collector_works_a_dispute_through_its_actions(records, callers, transport):
    collector = callers["collector", transport]
    dispute = records.dispute()
    collector.call("credit.dispute", "action_start", [dispute])
    state = records.read("credit.dispute", dispute, ["state"])["state"]
    assert state == "in_progress", "the collector could not start the dispute"
    action = collector.call("credit.dispute", "action_reject", [dispute])
    wizard = collector.call(
        action["res_model"], "create", {"reason": "Delivered as ordered"}, context=action["context"]
    )
    collector.call(action["res_model"], "action_reject", [wizard])
    values = records.read("credit.dispute", dispute, ["state", "rejection_reason"])
    assert values == {
        "id": dispute,
        "state": "rejected",
        "rejection_reason": "Delivered as ordered",
    }


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_manager_resolves_a_dispute_with_a_credit_note(records, callers, transport):
    manager = callers["manager", transport]
    dispute = records.dispute()
    action = manager.call("credit.dispute", "action_resolve", [dispute])
    [invoice] = records.read("credit.dispute", dispute, ["move_ids"])["move_ids"]
    # The journal, as the form's onchange gives it to the web client.
    journal = records.read("account.move", invoice, ["journal_id"])["journal_id"][0]
    wizard = manager.call(
        action["res_model"], "create", {"journal_id": journal}, context=action["context"]
    )
    manager.call(action["res_model"], "reverse_moves", [wizard])
    values = records.read("credit.dispute", dispute, ["state", "refund_move_id"])
    assert values["state"] == "resolved", "the credit note did not resolve the dispute"
    assert values["refund_move_id"], "the dispute does not name its credit note"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_sales_user_records_a_promise_and_a_dispute(records, callers, transport):
    sales = callers["sales", transport]
    made = overdue(records, sales)
    # His customer's invoice: a salesperson sees his own (another's is refused below).
    records.call("account.move", "write", [made["invoice"]], {"invoice_user_id": sales.uid})
    create_promise()(sales, made)
    sales.call(
        "credit.dispute",
        "create",
        {
            "partner_id": made["partner"],
            "move_ids": [(6, 0, [made["invoice"]])],
            "reason_id": made["reason"],
        },
    )
    assert promises(("state", "=", "open"))(records, made) == 1, "the promise was not recorded"
    disputes = records.count("credit.dispute", [("partner_id", "=", made["partner"])])
    assert disputes == 1, "the dispute was not recorded"
