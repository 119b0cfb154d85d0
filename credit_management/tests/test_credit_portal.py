from datetime import timedelta

from odoo import fields
from odoo import http
from odoo.tests import HttpCase
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditPortal(CreditCommon, HttpCase):
    """The customer contests an invoice and promises a payment from the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.credit_promise_max_days = 30
        cls.portal_user = new_test_user(
            cls.env,
            login="credit_portal",
            password="credit_portal_pw",
            name="Julie Portail",
            groups="base.group_portal",
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.invoice = cls._invoice(cls.customer, 700.0, due_days=-10)
        stranger = cls.env["res.partner"].create({"name": "Autre client SA", "is_company": True})
        cls.foreign = cls._invoice(stranger, 300.0, due_days=-10)
        cls.reason = cls.env.ref("credit_management.dispute_reason_quantity")

    def setUp(self):
        super().setUp()
        self.authenticate("credit_portal", "credit_portal_pw")

    def _post(self, invoice, action, **data):
        return self.url_open(
            f"/my/invoices/{invoice.id}/credit/{action}",
            data={"csrf_token": http.Request.csrf_token(self), **data},
        )

    def test_contest_own_invoice(self):
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Contest this invoice", page.text)
        self.assertIn("I will pay on", page.text)
        response = self._post(
            self.invoice, "dispute", reason_id=self.reason.id, message="Il manque 2 sacs."
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("your message was sent", response.text)
        dispute = self.invoice.dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(dispute.source, "portal")
        self.assertEqual(dispute.reason_id, self.reason)
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertIn("Il manque 2 sacs.", str(dispute.description))
        self.assertTrue(self.invoice.in_dispute)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "credit.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(activity.user_id, self.collector, "the responsible is told")
        # Contesting twice opens nothing more.
        response = self._post(self.invoice, "dispute", reason_id=self.reason.id)
        self.assertIn("already contested", response.text)
        self.assertEqual(len(self.invoice.dispute_ids), 1)

    def test_promise_within_the_maximum_delay(self):
        today = fields.Date.today()
        response = self._post(
            self.invoice, "promise", date_promised=str(today + timedelta(days=31))
        )
        self.assertIn("Choose a payment date", response.text)
        self.assertFalse(self.invoice.promise_ids, "not beyond the longest delay")
        response = self._post(self.invoice, "promise", date_promised="not a date")
        self.assertFalse(self.invoice.promise_ids)
        response = self._post(self.invoice, "promise", date_promised=str(today - timedelta(days=1)))
        self.assertFalse(self.invoice.promise_ids, "not in the past")
        response = self._post(
            self.invoice, "promise", date_promised=str(today + timedelta(days=12))
        )
        self.assertIn("your payment promise was recorded", response.text)
        promise = self.invoice.promise_ids
        self.assertEqual(promise.source, "portal")
        self.assertEqual(promise.amount, 700.0)
        self.assertEqual(promise.date_promised, today + timedelta(days=12))
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "credit.payment.promise"), ("res_id", "=", promise.id)]
        )
        self.assertEqual(activity.user_id, self.collector, "the collector is notified")
        page = self.url_open(f"/my/invoices/{self.invoice.id}")
        self.assertIn("Payment promised for", page.text)

    def test_other_customers_invoice_is_out_of_reach(self):
        page = self.url_open(f"/my/invoices/{self.foreign.id}", allow_redirects=False)
        self.assertNotEqual(page.status_code, 200)
        response = self._post(self.foreign, "dispute", reason_id=self.reason.id)
        self.assertEqual(response.status_code, 404)
        response = self._post(
            self.foreign, "promise", date_promised=str(fields.Date.today() + timedelta(days=5))
        )
        self.assertEqual(response.status_code, 404)
        # A wrong token does not open it either; nor an id that does not exist.
        response = self._post(
            self.foreign, "dispute", reason_id=self.reason.id, access_token="forged"
        )
        self.assertEqual(response.status_code, 404)
        response = self._post(self.foreign.browse(10**8), "dispute", reason_id=self.reason.id)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.foreign.dispute_ids)
        self.assertFalse(self.foreign.promise_ids)

    def test_anonymous_visitor(self):
        self.logout()
        response = self._post(self.invoice, "dispute", reason_id=self.reason.id)
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.invoice.dispute_ids)
        # With the invoice's own link (its access token), the customer can act.
        self.invoice._portal_ensure_token()
        response = self._post(
            self.invoice,
            "promise",
            date_promised=str(fields.Date.today() + timedelta(days=3)),
            access_token=self.invoice.access_token,
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.invoice.promise_ids.source, "portal")
