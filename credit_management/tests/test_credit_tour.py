from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditTour(CreditCommon, HttpCase):
    def test_sales_rep_sees_hold_and_cannot_confirm(self):
        self._invoice(self.customer, 900.0, due_days=30)
        order = self._order(self.customer, 500.0, user=self.sales_user)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "credit_management_hold_tour",
            login=self.sales_user.login,
        )
        self.assertEqual(order.state, "draft")
