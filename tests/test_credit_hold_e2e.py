"""A sales rep and a credit manager use the credit hold through Odoo's external API."""

import xmlrpc.client

import pytest
from conftest import RpcError

REASON = "Strategic customer, payment guaranteed by the CFO"


@pytest.fixture(scope="module")
def setup(admin):
    """Block mode, a sales rep, a credit manager and a product."""
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    admin.call("res.company", "write", [company_id], {"credit_hold_mode": "block"})
    groups = {
        xmlid: admin.ref(xmlid)
        for xmlid in (
            "base.group_user",
            "base.group_partner_manager",
            "sales_team.group_sale_salesman",
            "sales_team.group_sale_salesman_all_leads",
            "credit_management.group_credit_manager",
        )
    }

    def user(login, xmlids):
        admin.call(
            "res.users",
            "create",
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": f"{login}-pwd-2026",
                admin.groups_field(): [(6, 0, [groups[x] for x in xmlids])],
            },
        )
        return admin.client.login(login, f"{login}-pwd-2026")

    sales = user(
        "e2e_sales",
        ["base.group_user", "base.group_partner_manager", "sales_team.group_sale_salesman"],
    )
    manager = user(
        "e2e_manager",
        [
            "base.group_user",
            "credit_management.group_credit_manager",
            "sales_team.group_sale_salesman_all_leads",
        ],
    )
    product = admin.call(
        "product.product",
        "create",
        {"name": "Palette de farine", "type": "consu", "list_price": 100.0, "taxes_id": [(5,)]},
    )
    return {"sales": sales, "manager": manager, "product": product, "company": company_id}


def make_customer(admin, unique, limit=1000.0, invoiced=900.0):
    """A customer with ``invoiced`` already owed on a posted invoice."""
    partner = admin.call(
        "res.partner",
        "create",
        {"name": f"Boulangerie {unique}", "is_company": True, "credit_limit": limit},
    )
    invoice = admin.call(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {"name": "Livraison", "quantity": 1, "price_unit": invoiced, "tax_ids": [(5,)]},
                )
            ],
        },
    )
    admin.call("account.move", "action_post", [invoice])
    return partner


def make_order(user, setup, partner, amount):
    return user.call(
        "sale.order",
        "create",
        {
            "partner_id": partner,
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": setup["product"],
                        "product_uom_qty": 1,
                        "price_unit": amount,
                    },
                )
            ],
        },
    )


def read(user, model, record_id, fields):
    return user.call(model, "read", [record_id], fields)[0]


def test_sales_rep_cannot_confirm_over_limit(admin, setup, unique):
    sales = setup["sales"]
    partner = make_customer(admin, unique)
    order = make_order(sales, setup, partner, 500.0)
    order_name = read(sales, "sale.order", order, ["name"])["name"]
    with pytest.raises(xmlrpc.client.Fault) as fault:
        sales.call("sale.order", "action_confirm", [order])
    message = fault.value.faultString
    # A business refusal reaches the client as its readable message, not a traceback.
    assert "Traceback" not in message
    assert f"{order_name} cannot be confirmed: Boulangerie {unique} is on credit hold." in message
    assert "Credit limit exceeded" in message
    assert "900.00" in message and "500.00" in message and "1,000.00" in message
    assert "Ask a credit manager to override the hold." in message
    assert read(sales, "sale.order", order, ["state"])["state"] == "draft"
    # The rep saw it coming: the quotation carries the reasons and the available credit.
    facts = read(sales, "sale.order", order, ["credit_check_blocked", "credit_check_message"])
    assert facts["credit_check_blocked"] is True
    assert "Available credit" in facts["credit_check_message"]


def test_sales_rep_cannot_raise_limit_or_lift_hold(admin, setup, unique):
    sales = setup["sales"]
    partner = make_customer(admin, unique)
    admin.call("res.partner", "write", [partner], {"credit_hold_manual": True})
    for field, value, label in (
        ("credit_limit", 1000000.0, "Credit Limit"),
        ("credit_hold_manual", False, "Manual Credit Hold"),
    ):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            sales.call("res.partner", "write", [partner], {field: value})
        assert (
            f"You are not allowed to change {label} on Contact: ask a credit manager."
            in fault.value.faultString
        )
    values = read(admin, "res.partner", partner, ["credit_limit", "credit_hold_manual"])
    assert values == {"id": partner, "credit_limit": 1000.0, "credit_hold_manual": True}


def test_manager_overrides_with_reason(admin, setup, unique):
    sales, manager = setup["sales"], setup["manager"]
    partner = make_customer(admin, unique)
    order = make_order(sales, setup, partner, 500.0)
    action = manager.call("sale.order", "action_confirm", [order])
    assert action["res_model"] == "credit.hold.override"
    assert read(manager, "sale.order", order, ["state"])["state"] == "draft"
    wizard = manager.call(
        "credit.hold.override", "create", {"reason": REASON}, context=action["context"]
    )
    assert manager.call("credit.hold.override", "action_confirm", [wizard]) is True
    values = read(manager, "sale.order", order, ["state", "credit_override_reason"])
    assert values == {"id": order, "state": "sale", "credit_override_reason": REASON}
    for model, res_id in (("sale.order", order), ("res.partner", partner)):
        bodies = [
            m["body"]
            for m in admin.call(
                "mail.message",
                "search_read",
                [("model", "=", model), ("res_id", "=", res_id)],
                fields=["body"],
            )
        ]
        assert any(REASON in body for body in bodies), f"reason missing on {model}"


def test_override_refused_to_sales_rep_and_without_reason(admin, setup, unique):
    sales, manager = setup["sales"], setup["manager"]
    partner = make_customer(admin, unique)
    order = make_order(sales, setup, partner, 500.0)
    context = {"default_order_ids": [(6, 0, [order])]}
    with pytest.raises(xmlrpc.client.Fault) as fault:
        sales.call("credit.hold.override", "create", {"reason": "je force"}, context=context)
    assert "AccessError" in fault.value.faultString or "not allowed" in fault.value.faultString
    with pytest.raises(xmlrpc.client.Fault):
        manager.call("credit.hold.override", "create", {"reason": False}, context=context)
    assert read(admin, "sale.order", order, ["state"])["state"] == "draft"


def test_json_rpc_session_sees_the_hold(odoo_server, admin, setup, unique):
    """The web client's own JSON-RPC path gives the same facts and the same refusal."""
    partner = make_customer(admin, unique, limit=500.0, invoiced=800.0)
    session = odoo_server.json_session("e2e_sales", "e2e_sales-pwd-2026")
    facts = session.call_kw(
        "res.partner",
        "read",
        [partner],
        ["credit_hold", "credit_hold_reason", "credit_exposure", "credit_available"],
    )[0]
    assert facts["credit_hold"] is True
    assert facts["credit_hold_reason"] == "limit"
    assert facts["credit_exposure"] == 800.0
    assert facts["credit_available"] == 0.0
    # As the web client does: a list of values in, a list of ids out.
    [order] = session.call_kw(
        "sale.order",
        "create",
        [{"partner_id": partner, "order_line": [(0, 0, {"product_id": setup["product"]})]}],
    )
    with pytest.raises(RpcError) as error:
        session.call_kw("sale.order", "action_confirm", [order])
    assert error.value.name == "odoo.exceptions.UserError", error.value.message
    assert "is on credit hold" in error.value.message
    held = session.call_kw(
        "res.partner", "search", [("credit_hold", "=", True), ("id", "=", partner)]
    )
    assert held == [partner]
