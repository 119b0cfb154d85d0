"""Letters printed by a running Odoo server as real PDFs (wkhtmltopdf), read back with
poppler's pdftotext: what a collector gets from the Print menu."""

import subprocess
import tempfile

import pytest

RUN_DATE = "2026-03-31"
DUE_DATE = "2026-02-10"


def pdf_text(pdf):
    assert pdf.startswith(b"%PDF"), pdf[:200]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], check=True, capture_output=True, text=True
        ).stdout


def letter_scenario(admin, unique):
    """A scenario of two letter levels: a reminder at +5 days, a formal notice at +45."""
    template = admin.ref("credit_management.mail_template_dunning_formal_notice")
    return admin.call(
        "credit.dunning.scenario",
        "create",
        {
            "name": f"Letters {unique}",
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Letter",
                        "sequence": 1,
                        "days": 5,
                        "channel_email": False,
                        "channel_letter": True,
                    },
                ),
                (
                    0,
                    0,
                    {
                        "name": "Formal notice",
                        "sequence": 2,
                        "days": 45,
                        "channel_email": True,
                        "mail_template_id": template,
                        "channel_letter": True,
                        "is_formal_notice": True,
                        "apply_late_fees": True,
                    },
                ),
            ],
        },
    )


def customer_with_invoice(admin, unique, scenario, name, street, amount):
    partner = admin.call(
        "res.partner",
        "create",
        {
            "name": f"{name} {unique}",
            "is_company": True,
            "email": f"compta-{unique}@example.com",
            "street": street,
            "zip": "69002",
            "city": "Lyon",
            "country_id": admin.ref("base.fr"),
            "dunning_scenario_id": scenario,
        },
    )
    invoice = admin.call(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner,
            "invoice_date": DUE_DATE,
            "invoice_date_due": DUE_DATE,
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {"name": "Livraison", "quantity": 1, "price_unit": amount, "tax_ids": [(5,)]},
                ),
            ],
        },
    )
    admin.call("account.move", "action_post", [invoice])
    name = admin.call("account.move", "read", [invoice], ["name"])[0]["name"]
    return partner, name


@pytest.fixture
def unstyled_reports(admin):
    """Reports printed without their stylesheets: this machine's wkhtmltopdf (Debian's, on an
    unpatched Qt) prints every Odoo report blank once the report stylesheets load, Odoo's own
    invoices included; Odoo's supported wkhtmltopdf 0.12.6 does not. With report.url on a
    closed port wkhtmltopdf cannot fetch them and prints the text."""
    previous = admin.call("ir.config_parameter", "get_param", "report.url")
    admin.call("ir.config_parameter", "set_param", "report.url", "http://127.0.0.1:9")
    yield
    admin.call("ir.config_parameter", "set_param", "report.url", previous or "")


def test_letters_are_real_pdfs(odoo_server, admin, unique, unstyled_reports):
    scenario = letter_scenario(admin, unique)
    first, first_invoice = customer_with_invoice(
        admin, unique, scenario, "Boulangerie Lettre", "12 rue des Tanneurs", 1234.0
    )
    second, second_invoice = customer_with_invoice(
        admin, unique, scenario, "Fromagerie Lettre", "3 quai Saint-Vincent", 560.0
    )
    admin.call("credit.dunning", "run_dunning", RUN_DATE)
    reminders = admin.call(
        "credit.dunning",
        "search_read",
        [("partner_id", "in", [first, second])],
        fields=["name", "partner_id", "state", "letter_state", "letter_attachment_id"],
        order="partner_id",
    )
    assert [r["state"] for r in reminders] == ["sent", "sent"]
    assert [r["letter_state"] for r in reminders] == ["done", "done"]
    session = odoo_server.json_session("admin", "admin")

    def download(path):
        with session.opener.open(odoo_server.url + path, timeout=120) as response:
            return response.read()

    # The letter attached when the reminder was sent.
    attachment = reminders[0]["letter_attachment_id"][0]
    text = pdf_text(download(f"/web/content/{attachment}?download=true"))
    assert first_invoice in text
    assert "12 rue des Tanneurs" in text
    assert "69002" in text
    assert reminders[0]["name"] in text
    assert "1,234.00" in text
    # Several letters printed at once: one merged PDF, a page each at least.
    action = session.call_kw("credit.dunning", "action_print_letters", [r["id"] for r in reminders])
    text = pdf_text(download(action["url"]))
    assert text.count("\f") >= 2
    for reminder, invoice in zip(reminders, (first_invoice, second_invoice), strict=True):
        assert reminder["name"] in text
        assert invoice in text
    assert "3 quai Saint-Vincent" in text
    # The formal notice, 45 days later: legal wording, deadline and late fees.
    admin.call("credit.dunning", "run_dunning", "2026-05-20")
    notice = admin.call(
        "credit.dunning",
        "search_read",
        [("partner_id", "=", first), ("is_formal_notice", "=", True)],
        fields=["name", "formal_notice_deadline", "letter_attachment_id", "mail_message_id", "id"],
    )
    assert len(notice) == 1
    assert notice[0]["formal_notice_deadline"] == "2026-05-28"
    text = pdf_text(download(f"/web/content/{notice[0]['letter_attachment_id'][0]}"))
    assert "FORMAL NOTICE TO PAY" in text
    assert "formally demand payment" in text
    assert "05/28/2026" in text
    assert "L441-10" in text
    # Its email copy carries the letter.
    mails = admin.call(
        "mail.mail",
        "search_read",
        [("mail_message_id", "=", notice[0]["mail_message_id"][0])],
        fields=["attachment_ids"],
    )
    assert mails and mails[0]["attachment_ids"]
