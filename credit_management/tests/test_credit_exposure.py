from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCommon):
    def test_exposure_breakdown(self):
        """Exposure = open receivable + draft invoices + confirmed orders not invoiced."""
        self._invoice(self.customer, 300.0, due_days=10)
        self._invoice(self.customer, 200.0, due_days=-5)
        self._invoice(self.customer, 50.0, post=False)
        self._invoice(self.customer, 20.0, post=False, move_type="out_refund")
        order = self._order(self.customer, 150.0)
        order.action_confirm()
        self.env.invalidate_all()
        customer = self.customer
        self.assertEqual(customer.credit, 500.0)
        self.assertEqual(customer.credit_draft_invoice_amount, 30.0)
        self.assertEqual(customer.credit_to_invoice, 150.0)
        self.assertEqual(customer.credit_exposure, 680.0)
        self.assertEqual(customer.credit_overdue_amount, 200.0)
        self.assertEqual(customer.credit_overdue_days, 5)
        self.assertEqual(customer.credit_available, 320.0)
        self.assertFalse(customer.credit_hold)

    def test_partial_payment_lowers_exposure(self):
        invoice = self._invoice(self.customer, 800.0, due_days=-3)
        self._pay(invoice, 300.0)
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_exposure, 500.0)
        self.assertEqual(self.customer.credit_overdue_amount, 500.0)
        self._pay(invoice, 500.0)
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_exposure, 0.0)
        self.assertEqual(self.customer.credit_overdue_days, 0)

    def test_invoiced_order_counted_once(self):
        """A draft invoice made from an order is counted in the order, not twice."""
        order = self._order(self.customer, 400.0)
        order.action_confirm()
        order._create_invoices()
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_exposure, 400.0)
        order.invoice_ids.action_post()
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_to_invoice, 0.0)
        self.assertEqual(self.customer.credit_exposure, 400.0)

    def test_child_contacts_count_to_parent(self):
        """Invoices and orders of a contact count toward its company's limit."""
        self._invoice(self.contact, 700.0, due_days=15)
        self.env.invalidate_all()
        self.assertEqual(self.customer.credit_exposure, 700.0)
        # The contact shows its company's facts.
        self.assertEqual(self.contact.credit_exposure, 700.0)
        self.assertEqual(self.contact.credit_available, 300.0)
        check = self.contact._credit_check(400.0)
        self.assertTrue(check["blocked"])
        self.assertEqual(check["limit"], 1000.0)
        order = self._order(self.contact, 400.0, user=self.sales_user)
        self.assertTrue(order.credit_check_blocked)

    def test_exposure_in_company_currency(self):
        """Invoices and orders in another currency count at their company-currency value."""
        foreign = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        self.assertNotEqual(foreign, self.currency)
        self._invoice(self.customer, 1000.0, due_days=20, currency=foreign)
        self._invoice(self.customer, 100.0, due_days=20)
        self.env.invalidate_all()
        # 1000 EUR at 2 EUR per company unit = 500.
        self.assertEqual(self.customer.credit_exposure, 600.0)
        pricelist = self.env["product.pricelist"].create(
            {"name": "Tarif EUR", "currency_id": foreign.id}
        )
        order = self._order(self.customer, 900.0, pricelist=pricelist)
        self.assertEqual(order.currency_id, foreign)
        check = order._credit_check_details()
        self.assertAlmostEqual(check["amount"], 450.0)
        self.assertTrue(check["blocked"])
        small = self._order(self.customer, 700.0, pricelist=pricelist)
        self.assertFalse(small._credit_check_details()["blocked"])

    def test_limit_per_company(self):
        """Limits, exposure and holds are per company."""
        company2 = self.setup_other_company(name="Filiale Lyon")["company"]
        company2.credit_hold_mode = "block"
        self.assertTrue(company2.account_use_credit_limit)
        customer2 = self.customer.with_company(company2)
        customer2.credit_limit = 5000.0
        self.assertEqual(self.customer.credit_limit, 1000.0)
        self._invoice(self.customer, 3000.0, due_days=30, company=company2)
        self._invoice(self.customer, 200.0, due_days=30)
        self.env.invalidate_all()
        self.assertEqual(self.customer.with_company(company2).credit_exposure, 3000.0)
        self.assertEqual(self.customer.credit_exposure, 200.0)
        self.assertFalse(self.customer.credit_hold)
        self.assertFalse(self.customer._credit_check(1500.0, company=company2)["blocked"])
        self.assertTrue(self.customer._credit_check(1500.0)["blocked"])
        customer2.credit_limit = 2000.0
        self.env.invalidate_all()
        self.assertTrue(self.customer.with_company(company2).credit_hold)
        self.assertFalse(self.customer.credit_hold)

    def test_batch_queries_do_not_grow_with_invoices(self):
        """Facts of a batch of customers take the same queries for 1 or many invoices."""
        customers = self.env["res.partner"].create(
            [{"name": f"Client {i}", "is_company": True} for i in range(5)]
        )
        for customer in customers:
            self._invoice(customer, 100.0, due_days=-10)
        few = self._count_fact_queries(customers)
        for customer in customers:
            for _i in range(3):
                self._invoice(customer, 50.0, due_days=-20)
        many = self._count_fact_queries(customers)
        self.assertEqual(few[0], many[0], "\n".join(few[1] + ["----"] + many[1]))
        self.assertLessEqual(many[0], 8, "\n".join(many[1]))
        facts = customers._get_credit_facts(self.company)
        self.assertEqual({f["receivable"] for f in facts.values()}, {250.0})
        self.assertEqual({f["overdue_count"] for f in facts.values()}, {4})

    def test_with_owing_a_whole_portfolio(self):
        """Asked with the owing customers: every customer owing something comes too, with
        the same facts as when asked by name; one whose items are all credits does not."""
        owing, refunded, named = self.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Owing", "Refunded", "Named")]
        )
        self._invoice(owing, 300.0, due_days=-10)
        self._invoice(self.contact, 120.0, due_days=5)
        self._invoice(refunded, 80.0, move_type="out_refund")
        self._invoice(named, 50.0, post=False)
        order = self._order(owing, 150.0)
        order.action_confirm()
        self.env.invalidate_all()
        facts = named._get_credit_facts(self.company, with_owing=True)
        self.assertIn(owing.id, facts)
        self.assertIn(self.customer.id, facts, "owing through its contact")
        self.assertNotIn(refunded.id, facts, "nothing owed: a credit only")
        self.assertNotIn(self.contact.id, facts, "counted in its company")
        self.assertEqual(facts[named.id]["exposure"], 50.0, "asked by name, owing nothing")
        by_name = (owing | self.customer)._get_credit_facts(self.company)
        for partner in owing | self.customer:
            self.assertEqual(facts[partner.id], by_name[partner.id])
        self.assertEqual(
            (facts[owing.id]["receivable"], facts[owing.id]["to_invoice"]), (300.0, 150.0)
        )

    def _count_fact_queries(self, partners):
        self.env.flush_all()
        self.env.invalidate_all()
        # Warm the registry caches (access rules, companies) emptied by the new invoices.
        partners._get_credit_facts(self.company)
        self.env.invalidate_all()
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            partners._get_credit_facts(self.company)
        queries = [line for line in logs.output if "query:" in line]
        return len(queries), queries
