from unittest.mock import patch

from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models import credit_open_item
from .common import TODAY
from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestOpenItems(CreditCommon):
    """One source of open items: every figure reads the same items, with Odoo's company scope
    (the company and its branches, as ``partner.credit``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch = cls._create_company(name="Agence de Marseille", parent_id=cls.company.id)
        cls.env.user.company_ids += cls.branch
        cls.manager.company_ids += cls.branch
        cls.other_company = cls.setup_other_company()["company"]
        # Head office: 300 overdue by 10 days, 200 not due yet.
        cls._invoice(cls.customer, 300.0, due_days=-10)
        cls._invoice(cls.customer, 200.0, due_days=20)
        # Branch: 150 overdue by 40 days and a credit note of 50.
        cls._invoice(cls.customer, 150.0, due_days=-40, company=cls.branch)
        cls._invoice(cls.customer, 50.0, company=cls.branch, move_type="out_refund")
        # Another company's receivable is not ours.
        cls._invoice(cls.customer, 999.0, due_days=-5, company=cls.other_company)
        # Paid items are not open.
        paid = cls._invoice(cls.customer, 80.0, due_days=-3)
        cls._pay(paid, 80.0)

    def test_same_totals_from_company_and_branch(self):
        for company in (self.company, self.branch):
            customer = self.customer.with_company(company)
            odoo_credit = customer.credit
            self.assertAlmostEqual(odoo_credit, 600.0, msg=f"partner.credit in {company.name}")
            facts = customer._get_credit_facts(company)[self.customer.id]
            self.assertAlmostEqual(facts["receivable"], odoo_credit, msg=company.name)
            self.assertAlmostEqual(facts["overdue"], 450.0, msg=company.name)
            self.assertEqual(facts["overdue_count"], 2, msg=company.name)
            self.assertEqual(facts["overdue_days"], 40, msg=company.name)
            check = customer._credit_check(company=company)
            self.assertAlmostEqual(check["exposure"], 600.0, msg=company.name)

            aged = (
                self.env["credit.aged.balance"]
                .with_user(self.manager)
                .with_context(allowed_company_ids=company.ids)
                .search([("partner_id", "=", self.customer.id)])
            )
            self.assertEqual(len(aged), 1, f"one row for the company tree, from {company.name}")
            self.assertEqual(aged.company_id, self.company, "under the root company")
            self.assertAlmostEqual(aged.amount_total, odoo_credit, msg=company.name)
            self.assertAlmostEqual(aged.amount_overdue, 450.0, msg=company.name)
            self.assertAlmostEqual(aged.amount_1_30, 300.0, msg=company.name)
            self.assertAlmostEqual(aged.amount_31_60, 150.0, msg=company.name)
            self.assertAlmostEqual(aged.amount_not_due, 150.0, msg=company.name)

            kpis = self.env["credit.kpi.snapshot"]._snapshot_values(company, TODAY)
            self.assertAlmostEqual(kpis["receivable"], odoo_credit, msg=company.name)
            self.assertAlmostEqual(kpis["overdue"], 450.0, msg=company.name)

    def test_other_company_apart(self):
        customer = self.customer.with_company(self.other_company)
        facts = customer._get_credit_facts(self.other_company)[self.customer.id]
        self.assertAlmostEqual(facts["receivable"], 999.0)
        self.assertAlmostEqual(facts["receivable"], customer.credit)

    def test_query_rows(self):
        OpenItem = self.env["credit.open.item"]
        self.assertEqual(set(OpenItem._company_ids(self.branch)), {self.company.id, self.branch.id})
        self.assertEqual(OpenItem._company_ids(self.branch, branches=False), self.branch.ids)
        rows = self.env.execute_query_dict(OpenItem._query(self.company, [self.customer.id]))
        self.assertEqual(sorted(row["residual"] for row in rows), [-50.0, 150.0, 200.0, 300.0])
        self.assertEqual({row["commercial_partner_id"] for row in rows}, {self.customer.id})
        # A batch of many customers joins their contacts instead: the same rows.
        with patch.object(credit_open_item, "FEW_CONTACTS", 0):
            joined = self.env.execute_query_dict(OpenItem._query(self.company, [self.customer.id]))
        self.assertEqual(
            sorted(joined, key=lambda row: row["id"]), sorted(rows, key=lambda row: row["id"])
        )
        rows = self.env.execute_query_dict(
            OpenItem._query(self.branch, [self.customer.id], branches=False)
        )
        self.assertEqual(sorted(row["residual"] for row in rows), [-50.0, 150.0])
        # A reminder is sent by one company: the dunning plan keeps each company's own items.
        Dunning = self.env["credit.dunning"]
        branch_items = Dunning._dunning_open_items(self.branch, [self.customer.id])
        self.assertEqual(sorted(row["residual"] for row in branch_items), [-50.0, 150.0])
        head_items = Dunning._dunning_open_items(self.company, [self.customer.id])
        self.assertEqual(sorted(row["residual"] for row in head_items), [200.0, 300.0])
        forecast = (
            self.env["credit.cash.forecast"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, self.branch.id])
            .search([("partner_id", "=", self.customer.id), ("company_id", "=", self.branch.id)])
        )
        self.assertEqual(forecast.mapped("amount"), [150.0], "credit notes are no cash to come")
