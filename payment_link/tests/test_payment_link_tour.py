from odoo.tests import tagged

from .common import TODAY
from .common import PaymentLinkCommon


@tagged("post_install", "-at_install")
class TestPaymentLinkTour(PaymentLinkCommon):
    def test_customer_pays_a_selection(self):
        self.company.credit_dunning_scenario_id = self.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        older = self._invoice(self.customer, 300.0, due_days=-20)
        newer = self._invoice(self.customer, 120.0, due_days=-15)
        reminder = self.env["credit.dunning"].run_dunning(TODAY)
        link = reminder.payment_link_id
        self.assertEqual(link.move_ids, older | newer)
        self.start_tour(f"/pay/{link._token()}", "payment_link_pay_tour", login=None)
        tx = link.transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, older)
        tx._post_process()
        self.assertIn(older.payment_state, ("paid", "in_payment"))
        self.assertEqual(newer.payment_state, "not_paid")
        self._pay_by_link(link, newer)
        self.assertEqual(link.state, "paid")
        receipts = self.env["mail.mail"].search(
            [("model", "=", "payment.transaction"), ("res_id", "in", link.transaction_ids.ids)]
        )
        self.assertEqual(len(receipts), 2)
