from lxml import etree

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditHold(CreditCommon):
    def test_credit_check_contract(self):
        """_credit_check returns exactly the keys DESIGN.md promises."""
        check = self.customer._credit_check(10.0)
        self.assertEqual(set(check), {"blocked", "warning", "reasons", "exposure", "limit"})
        self.assertEqual(
            check,
            {"blocked": False, "warning": False, "reasons": [], "exposure": 0.0, "limit": 1000.0},
        )

    def test_limit_exceeded(self):
        self._invoice(self.customer, 800.0, due_days=30)
        self.assertFalse(self.customer._credit_check(200.0)["blocked"])
        check = self.customer._credit_check(300.0)
        self.assertTrue(check["blocked"])
        self.assertFalse(check["warning"])
        self.assertEqual(check["exposure"], 800.0)
        self.assertEqual([code for code, _msg in check["reasons"]], ["limit"])
        self.assertIn("Credit limit exceeded", check["reasons"][0][1])
        # The customer itself is not held while under its limit.
        self.assertFalse(self.customer.credit_hold)
        self._invoice(self.customer, 300.0, due_days=30)
        self.env.invalidate_all()
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason, "limit")
        self.assertEqual(self.customer.credit_available, 0.0)

    def test_no_limit_no_limit_hold(self):
        self.customer.credit_limit = 0.0
        self._invoice(self.customer, 100000.0, due_days=30)
        self.assertFalse(self.customer._credit_check(50000.0)["blocked"])

    def test_overdue_beyond_days(self):
        self.company.credit_overdue_block_days = 30
        self.customer.credit_limit = 0.0
        self._invoice(self.customer, 100.0, due_days=-20)
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)
        late = self._invoice(self.customer, 100.0, due_days=-45)
        self.env.invalidate_all()
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason, "overdue")
        self.assertEqual(self.customer.credit_overdue_days, 45)
        self.assertIn(late.name, self.customer.credit_hold_message)
        check = self.customer._credit_check(10.0)
        self.assertTrue(check["blocked"])
        self.assertEqual(check["reasons"][0][0], "overdue")
        # Paying the late invoice lifts the hold.
        self._pay(late, 100.0)
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)

    def test_manual_hold(self):
        self.customer.with_user(self.manager).write(
            {"credit_hold_manual": True, "credit_hold_note": "Redressement judiciaire"}
        )
        self.env.invalidate_all()
        self.assertTrue(self.customer.credit_hold)
        self.assertEqual(self.customer.credit_hold_reason, "manual")
        self.assertIn("Redressement judiciaire", self.customer.credit_hold_message)
        self.assertTrue(self.contact.credit_hold)
        check = self.customer._credit_check(1.0)
        self.assertTrue(check["blocked"])
        self.assertEqual(check["reasons"][0][0], "manual")
        held = self.env["res.partner"].search([("credit_hold", "=", True)])
        self.assertIn(self.customer, held)
        self.assertIn(self.contact, held)
        free = self.env["res.partner"].search([("credit_hold", "=", False)])
        self.assertNotIn(self.customer, free)
        self.customer.with_user(self.manager).credit_hold_manual = False
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)

    def test_mode_none(self):
        self.company.credit_hold_mode = "none"
        self._invoice(self.customer, 5000.0, due_days=-100)
        self.env.invalidate_all()
        self.assertFalse(self.customer.credit_hold)
        check = self.customer._credit_check(1000.0)
        self.assertFalse(check["blocked"] or check["warning"])
        order = self._order(self.customer, 500.0, user=self.sales_user)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_block_sales_user(self):
        """In block mode a sales rep cannot confirm; the message says why."""
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.assertTrue(order.credit_check_blocked)
        self.assertIn("Credit limit exceeded", order.credit_check_message)
        self.assertIn("Available credit", order.credit_check_message)
        with self.assertRaises(UserError) as error:
            order.with_user(self.sales_user).action_confirm()
        message = str(error.exception)
        self.assertIn(order.name, message)
        self.assertIn(self.customer.name, message)
        self.assertIn("credit hold", message)
        self.assertIn("900.00", message)
        self.assertIn("500.00", message)
        self.assertIn("1,000.00", message)
        self.assertEqual(order.state, "draft")
        # An order that fits is confirmed.
        small = self._order(self.customer, 50.0, user=self.sales_user)
        small.with_user(self.sales_user).action_confirm()
        self.assertEqual(small.state, "sale")

    def test_warning_mode(self):
        """In warning mode the order is confirmed and the collector gets an activity."""
        self.company.credit_hold_mode = "warning"
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.assertFalse(order.credit_check_blocked)
        self.assertTrue(order.credit_check_message)
        self.assertTrue(self.customer._credit_check(500.0)["warning"])
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.state, "sale")
        activity = order.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("Credit limit exceeded", activity.note)
        notes = order.message_ids.filtered(lambda m: "credit hold" in (m.body or ""))
        self.assertTrue(notes)

    def test_warning_mode_partner_collector(self):
        """The customer's own collector gets the activity before the company's."""
        self.company.credit_hold_mode = "warning"
        other = self.collector.copy({"login": "credit_collector_2", "name": "Paul Relance"})
        self.customer.dunning_responsible_id = other
        self._invoice(self.customer, 1200.0, due_days=30)
        order = self._order(self.customer, 10.0, user=self.sales_user)
        order.with_user(self.sales_user).action_confirm()
        self.assertEqual(order.activity_ids.user_id, other)

    def test_banner_in_form(self):
        self._invoice(self.customer, 950.0, due_days=30)
        form = Form(self.env["sale.order"].with_user(self.sales_user))
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.product
            line.price_unit = 100.0
        self.assertTrue(form.credit_check_blocked)
        self.assertIn("Credit limit exceeded", form.credit_check_message)
        order = form.save()
        # The customer alone is under its limit: only this order would exceed it.
        self.assertFalse(order.partner_credit_hold)

    def _credit_banners(self, order):
        """Which credit banners the quotation's form shows: (Odoo's warning, ours)."""
        arch = etree.fromstring(self.env["sale.order"].get_view(view_type="form")["arch"])
        [odoo_banner] = arch.xpath("//div[field[@name='partner_credit_warning']]")
        [our_banner] = arch.xpath("//div[contains(@class, 'o_credit_hold_banner')]")
        names = ("partner_credit_warning", "credit_check_message", "state")
        values = {name: order[name] for name in names}
        return tuple(
            not safe_eval(banner.get("invisible"), values) for banner in (odoo_banner, our_banner)
        )

    def test_one_banner_on_quotations(self):
        """Ours replaces Odoo's credit warning when a hold mode is on; Odoo's stays when off."""
        self._invoice(self.customer, 900.0, due_days=30)
        for mode in ("block", "warning"):
            self.company.credit_hold_mode = mode
            order = self._order(self.customer, 500.0, user=self.sales_user)
            self.assertTrue(order.partner_credit_warning, "Odoo still computes its warning")
            self.assertIn("Credit limit exceeded", order.credit_check_message)
            self.assertEqual(self._credit_banners(order), (False, True), f"mode {mode}: ours")
        self.company.credit_hold_mode = "none"
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.assertFalse(order.credit_check_message)
        self.assertIn("has reached its credit limit", order.partner_credit_warning)
        self.assertEqual(self._credit_banners(order), (True, False), "no hold mode: Odoo's")
        # Under the limit: no banner at all.
        small = self._order(self.customer, 10.0, user=self.sales_user)
        self.assertEqual(self._credit_banners(small), (False, False))

    def test_override_logged(self):
        """A manager confirms a blocked order through the wizard; the reason is logged."""
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        action = order.with_user(self.manager).action_confirm()
        self.assertEqual(action["res_model"], "credit.hold.override")
        self.assertEqual(order.state, "draft")
        wizard_form = Form(
            self.env["credit.hold.override"]
            .with_user(self.manager)
            .with_context(**action["context"])
        )
        self.assertIn("Credit limit exceeded", wizard_form.check_message)
        wizard_form.reason = "Client stratégique, paiement garanti par le DAF"
        wizard = wizard_form.save()
        self.assertTrue(wizard.action_confirm())
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.credit_override_reason, wizard.reason)
        self.assertEqual(order.credit_override_user_id, self.manager)
        self.assertTrue(order.credit_override_date)
        for record in (order, self.customer):
            bodies = record.message_ids.mapped("body")
            self.assertTrue(
                any("paiement garanti par le DAF" in body for body in bodies),
                f"reason not in the chatter of {record.display_name}",
            )

    def test_override_needs_reason_and_manager(self):
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        wizard = (
            self.env["credit.hold.override"]
            .with_user(self.manager)
            .create({"order_ids": [(6, 0, order.ids)], "reason": "   "})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            self.env["credit.hold.override"].with_user(self.sales_user).create(
                {"order_ids": [(6, 0, order.ids)], "reason": "je force"}
            )
        self.assertEqual(order.state, "draft")

    def test_search_filter_orders(self):
        self.customer.with_user(self.manager).credit_hold_manual = True
        order = self._order(self.customer, 10.0)
        other = self._order(self.env["res.partner"].create({"name": "Client sain"}), 10.0)
        held = self.env["sale.order"].search([("partner_credit_hold", "=", True)])
        self.assertIn(order, held)
        self.assertNotIn(other, held)
