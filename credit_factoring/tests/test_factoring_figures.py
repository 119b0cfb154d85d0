from odoo.addons.credit_management.tests.common import TODAY
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import FactoringCommon


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFactoringFigures(FactoringCommon):
    def test_aged_balance_and_dso_with_and_without_factored_invoices(self):
        contract = self._contract(kind="confidential")
        factored = self._invoice(self.customer, 1000.0, due_days=-10)
        self._invoice(self.customer, 3000.0, due_days=-40)
        self._batch(contract, factored)
        AgedBalance = self.env["credit.aged.balance"]
        row = AgedBalance.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            (row.amount_total, row.amount_1_30, row.amount_31_60), (4000.0, 1000.0, 3000.0)
        )
        row = AgedBalance.with_context(credit_without_factored=True).search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            (row.amount_total, row.amount_1_30, row.amount_31_60), (3000.0, 0.0, 3000.0)
        )
        # 4,000 owed on 4,000 of sales in 90 days: 90 days; 3,000 without the factor's: 67.5.
        self.assertEqual(contract.dso_with_factored, 90.0)
        self.assertEqual(contract.dso_without_factored, 67.5)
