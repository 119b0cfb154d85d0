from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestDsoSimulator(CreditCommon):
    """What N days less DSO would free: average daily credit sales (sales of 90 days / 90)
    x N, from the latest KPIs of the company or, without any, from the ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Snapshot = cls.env["credit.kpi.snapshot"]
        cls.Simulator = cls.env["credit.dso.simulator"]

    def _simulate(self, days, user=None):
        form = Form(self.Simulator.with_user(user or self.collector))
        form.days = days
        return form.save()

    def test_from_latest_snapshot(self):
        self.Snapshot.sudo().create(
            {
                "date": TODAY - timedelta(days=30),
                "company_id": self.company.id,
                "receivable": 1.0,
                "sales_90": 1.0,
                "dso": 1.0,
            }
        )
        latest = self.Snapshot.sudo().create(
            {
                "date": TODAY - timedelta(days=1),
                "company_id": self.company.id,
                "receivable": 9000.0,
                "sales_90": 27000.0,
                "dso": 30.0,
            }
        )
        simulator = self._simulate(5)
        self.assertEqual(simulator.snapshot_id, latest, "the latest KPIs of the company")
        self.assertEqual(simulator.date, latest.date)
        # 27,000 of sales in 90 days: 300 a day; 5 days less DSO free 1,500.
        self.assertEqual(simulator.daily_sales, 300.0)
        self.assertEqual(simulator.current_dso, 30.0)
        self.assertEqual(simulator.target_dso, 25.0)
        self.assertEqual(simulator.cash_released, 1500.0)
        self.assertEqual(simulator.currency_id, self.company.currency_id)
        simulator.days = 12
        self.assertEqual(simulator.target_dso, 18.0)
        self.assertEqual(simulator.cash_released, 3600.0)

    def test_from_ledger(self):
        # Before the sales window (90 days): receivable, not a sale of the period.
        self._invoice(self.customer, 6000.0, due_days=-70, invoice_date=TODAY - timedelta(days=100))
        self._invoice(self.customer, 3000.0, due_days=0, invoice_date=TODAY - timedelta(days=30))
        partly_paid = self._invoice(
            self.customer, 6000.0, due_days=25, invoice_date=TODAY - timedelta(days=5)
        )
        self._pay(partly_paid, 3000.0)
        simulator = self._simulate(10)
        self.assertFalse(simulator.snapshot_id, "no KPIs taken yet: read from the ledger")
        self.assertEqual(simulator.date, TODAY)
        # Receivable 6,000 + 3,000 + 3,000 = 12,000; sales of 90 days 9,000: DSO 120 days.
        self.assertEqual(simulator.receivable, 12000.0)
        self.assertEqual(simulator.sales_90, 9000.0)
        self.assertEqual(simulator.daily_sales, 100.0)
        self.assertAlmostEqual(simulator.current_dso, 120.0)
        self.assertAlmostEqual(simulator.target_dso, 110.0)
        self.assertEqual(simulator.cash_released, 1000.0)
        # DSO cannot go below zero: at most the whole receivable is freed.
        simulator.days = 200
        self.assertEqual(simulator.target_dso, 0.0)
        self.assertEqual(simulator.cash_released, 12000.0)

    def test_no_sales(self):
        simulator = self._simulate(5)
        self.assertEqual(
            (simulator.daily_sales, simulator.current_dso, simulator.cash_released),
            (0.0, 0.0, 0.0),
        )

    def test_negative_days(self):
        with self.assertRaises(ValidationError):
            self.Simulator.with_user(self.collector).create({"days": -3})

    def test_menu_and_buttons(self):
        action = self.env.ref("credit_management.credit_dso_simulator_action")
        menu = self.env.ref("credit_management.credit_dso_simulator_menu")
        self.assertEqual(menu.action, action)
        self.assertEqual(
            menu.parent_id, self.env.ref("credit_management.credit_management_menu_reporting")
        )
        for view in ("list", "form"):
            arch = self.Snapshot.get_view(view_type=view)["arch"]
            self.assertIn(f"{action.id}", arch, f"the KPI {view} opens the simulator")
