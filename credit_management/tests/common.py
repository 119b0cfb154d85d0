from datetime import timedelta

import polib

from odoo import fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .. import compat


def untranslated_terms(env, module):
    """The terms of ``module`` (code, views, data) without a French translation in its
    ``i18n/fr.po``, and how many terms it has.

    A record of ``module`` that an installed module depending on it rewrites (payment_link's
    SMS templates) reads as rewritten: its translation is in that module's catalogue."""
    reader = TranslationModuleReader(env.cr, modules=[module])
    sources = {
        source
        for term_module, _type, _name, _res_id, source, _value, _comments in reader
        if term_module == module and source and source.strip()
    }
    dependents = (
        env["ir.module.module"]
        .search([("state", "=", "installed"), ("dependencies_id.name", "=", module)])
        .mapped("name")
    )
    translated = set()
    for name in [module, *dependents]:
        try:
            path = file_path(f"{name}/i18n/fr.po")
        except FileNotFoundError:
            if name == module:
                raise
            continue
        translated.update(
            entry.msgid
            for entry in polib.pofile(path)
            if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
        )
    return sorted(sources - translated), len(sources)


# Every credit test runs on this day, so that due dates and overdue days are exact.
TODAY = fields.Date.to_date("2026-06-15")


class CreditCommon(AccountTestInvoicingCommon):
    """Customers, users and helpers shared by the credit tests (no demo data needed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "credit_hold_mode": "block",
                "credit_overdue_block_days": 0,
            }
        )
        cls.currency = cls.company.currency_id
        cls.group_manager = cls.env.ref("credit_management.group_credit_manager")
        cls.group_collector = cls.env.ref("credit_management.group_credit_collector")
        # The accountant running the set-up also manages credit (limits, manual holds).
        cls.env.user[compat.USER_GROUPS] = [Command.link(cls.group_manager.id)]
        company_ids = [Command.set(cls.company.ids)]
        cls.sales_user = new_test_user(
            cls.env,
            login="credit_sales",
            name="Sophie Vendeuse",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.collector = new_test_user(
            cls.env,
            login="credit_collector",
            name="Claire Relance",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.manager = new_test_user(
            cls.env,
            login="credit_manager",
            name="Marc Credit",
            groups="base.group_user,credit_management.group_credit_manager,"
            "sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=company_ids,
        )
        cls.company.credit_responsible_id = cls.collector
        cls.customer = cls.env["res.partner"].create(
            {"name": "Boulangeries Martin SAS", "is_company": True, "credit_limit": 1000.0}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Julie Martin", "parent_id": cls.customer.id, "type": "invoice"}
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Farine T65 (sac 25 kg)",
                "type": "consu",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "property_account_income_id": cls.company_data["default_account_revenue"].id,
                "invoice_policy": "order",
            }
        )

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @classmethod
    def _invoice(
        cls,
        partner,
        amount,
        due_days=30,
        currency=None,
        company=None,
        post=True,
        move_type="out_invoice",
        invoice_date=None,
    ):
        """A customer invoice of ``amount`` (no tax), due ``due_days`` after TODAY.

        A negative ``due_days`` gives an invoice already overdue by that many days.
        """
        company = company or cls.company
        date = invoice_date or min(TODAY, TODAY + timedelta(days=due_days))
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": date,
                    "date": date,
                    "invoice_date_due": TODAY + timedelta(days=due_days),
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Livraison",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _order(cls, partner, amount, user=None, company=None, pricelist=None):
        """A quotation of ``amount`` (no tax) created by ``user``."""
        env = cls.env(user=user) if user else cls.env
        company = company or cls.company
        vals = {
            "partner_id": partner.id,
            "company_id": company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": cls.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                    }
                )
            ],
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        return env["sale.order"].with_company(company).create(vals)

    @classmethod
    def _pay(cls, invoice, amount, date=TODAY):
        """Register a customer payment of ``amount`` on ``invoice``."""
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": date})
            ._create_payments()
        )
