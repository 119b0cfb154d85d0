from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import PaymentLinkCommon


@tagged("post_install", "-at_install")
class TestPaymentLinkRights(PaymentLinkCommon):
    """A link is what its token gives to whoever holds it: its invoices are posted customer
    invoices of its own customer, fixed when it is created; its content, expiry and state are
    the model's own (readme/CONFIGURE.md, "Rights")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env,
            login="payment_link_billing",
            name="Bruno Facturation",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Minoterie Durand", "is_company": True}
        )

    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(self.customer, 300.0, due_days=-10)
        self.link = self.Link._create_for_moves(self.invoice)

    def test_revoked_or_expired_link_cannot_be_revived(self):
        expired = self.Link._create_for_moves(self._invoice(self.customer, 80.0, due_days=-5))
        expired.sudo().date_expiry = fields.Date.today() - timedelta(days=1)
        self.Link._cron_expire()
        self.link.with_user(self.collector).action_revoke()
        self.assertEqual(self.link.state, "revoked", "a collector revokes through the action")
        for user in (self.collector, self.billing, self.manager):
            for link in (self.link, expired):
                with self.assertRaises(AccessError, msg=f"{user.login} revives {link.state}"):
                    link.with_user(user).write({"state": "active"})
        for user in (self.collector, self.billing):
            with self.assertRaises(AccessError, msg=f"{user.login} extends an expired link"):
                expired.with_user(user).write({"date_expiry": fields.Date.today()})
        self.link.invalidate_recordset()
        expired.invalidate_recordset()
        self.assertEqual((self.link.state, expired.state), ("revoked", "expired"))
        self.assertEqual(self._open(self.link).status_code, 404, "the page stays refused")
        with self.assertRaises(AccessError, msg="a sales user revokes no link"):
            expired.with_user(self.sales_user).action_revoke()

    def test_link_content_fixed_at_creation(self):
        """Another customer's invoice cannot be added to a link, nor its amount, customer,
        currency or expiry changed, by any user: a new link is made for other invoices."""
        theirs = self._invoice(self.other_customer, 70.0, due_days=-5)
        eur = self.setup_other_currency("EUR")
        changes = {
            "move_ids": [Command.link(theirs.id)],
            "partner_id": self.other_customer.id,
            "amount": 1.0,
            "currency_id": eur.id,
            "date_expiry": fields.Date.today() + timedelta(days=400),
            "open_count": 5,
        }
        for user in (self.collector, self.billing, self.manager):
            for fname, value in changes.items():
                with self.assertRaises(AccessError, msg=f"{user.login} writes {fname}"):
                    self.link.with_user(user).write({fname: value})
        self.link.invalidate_recordset()
        self.assertEqual(self.link.move_ids, self.invoice)
        self.assertEqual(self.link.amount, 300.0)
        page = self._open(self.link)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(theirs.name, page.text)

    def test_links_created_by_the_model_only(self):
        theirs = self._invoice(self.other_customer, 70.0, due_days=-5)
        forged = {
            "partner_id": self.customer.id,
            "company_id": self.company.id,
            "currency_id": self.currency.id,
            "move_ids": [Command.set(theirs.ids)],
            "amount": 70.0,
            "date_expiry": fields.Date.today() + timedelta(days=3000),
        }
        for user in (self.collector, self.billing, self.manager):
            with self.assertRaises(AccessError, msg=f"{user.login} creates a link directly"):
                self.Link.with_user(user).create(forged)
            with self.assertRaises(AccessError, msg=f"{user.login} copies a link"):
                self.link.with_user(user).copy()
        # Through the model's method: the caller's rights checked, the values the model's.
        for user in (self.collector, self.billing):
            invoice = self._invoice(self.customer, 25.0, due_days=-5)
            link = self.Link.with_user(user)._create_for_moves(invoice)
            self.assertEqual(link.move_ids, invoice, user.login)
            self.assertEqual(link.partner_id, self.customer, user.login)
            self.assertEqual(link.env.uid, user.id, "returned in the caller's environment")
        with self.assertRaises(AccessError, msg="a sales user creates no link"):
            self.Link.with_user(self.sales_user)._create_for_moves(self.invoice)

    def test_only_customer_invoices_of_the_customer(self):
        """Even as superuser, a link takes no credit note, vendor bill, draft invoice or
        invoice of another customer (the model's constraint)."""
        refund = self._invoice(self.customer, 40.0, due_days=-5, move_type="out_refund")
        bill = self._invoice(self.customer, 60.0, due_days=-5, move_type="in_invoice")
        draft = self._invoice(self.customer, 20.0, due_days=-5, post=False)
        theirs = self._invoice(self.other_customer, 70.0, due_days=-5)
        for move in (refund, bill, draft, theirs):
            with self.assertRaises(ValidationError, msg=move.display_name):
                self.link.sudo().write({"move_ids": [Command.link(move.id)]})
            with self.assertRaises(ValidationError, msg=move.display_name):
                self.Link.sudo().create(
                    {
                        "partner_id": self.customer.id,
                        "currency_id": self.currency.id,
                        "move_ids": [Command.set(move.ids)],
                        "date_expiry": fields.Date.today(),
                    }
                )
        self.assertFalse(self.Link._create_for_moves(refund | bill | draft), "nothing to pay")
        links = self.Link._create_for_moves(self.invoice | theirs)
        self.assertEqual(len(links), 2, "one link per customer")
        self.assertEqual({link.partner_id for link in links}, {self.customer, self.other_customer})

    def test_payable_moves_check_type_and_customer(self):
        """A link whose relation was written around the model (before these rules, or in SQL):
        its foreign moves are neither shown nor offered nor paid."""
        refund = self._invoice(self.customer, 40.0, due_days=-5, move_type="out_refund")
        bill = self._invoice(self.customer, 60.0, due_days=-5, move_type="in_invoice")
        theirs = self._invoice(self.other_customer, 70.0, due_days=-5)
        for move in (refund, bill, theirs):
            self.env.cr.execute(
                "INSERT INTO credit_payment_link_account_move_rel (link_id, move_id) "
                "VALUES (%s, %s)",
                (self.link.id, move.id),
            )
        self.link.invalidate_recordset()
        self.assertEqual(self.link.move_ids, self.invoice | refund | bill | theirs)
        self.assertEqual(self.link._payable_moves(), self.invoice)
        self.assertEqual(self.link.amount_residual, 300.0)
        page = self._open(self.link)
        self.assertEqual(page.status_code, 200)
        for move in (refund, bill, theirs):
            self.assertNotIn(f'data-move-id="{move.id}"', page.text, move.display_name)
            self.assertNotIn(move.name, page.text, move.display_name)
        answer = self._transaction(self.link, theirs, 70.0)
        self.assertIn("error", answer, "another customer's invoice is not paid")
        self.assertFalse(self.link.transaction_ids)

    def test_reminder_link_url_only_for_those_who_send_links(self):
        """The link's URL is its bearer token: sales users read reminders, not their links'
        URLs (nor in the email's preview); collectors and managers do."""
        level = self.env.ref("credit_management.dunning_level_standard_2")
        reminder = self.env["credit.dunning"].create(
            {
                "partner_id": self.customer.id,
                "level_id": level.id,
                "currency_id": self.currency.id,
                "line_ids": [
                    Command.create(
                        {"move_id": self.invoice.id, "level_id": level.id, "line_type": "invoice"}
                    )
                ],
            }
        )
        link = self.Link._create_for_moves(self.invoice, dunning=reminder)
        self.assertEqual(reminder.payment_link_id, link)
        as_sales = reminder.with_user(self.sales_user)
        self.assertFalse(as_sales.payment_link_url, "no token for a sales user")
        self.assertEqual(
            as_sales.read(["payment_link_url"]), [{"id": reminder.id, "payment_link_url": False}]
        )
        self.assertNotIn(link._token(), as_sales.preview or "")
        self.assertNotIn(link._token(), str(as_sales.read(["payment_link_id"])))
        for user in (self.collector, self.manager):
            self.assertEqual(reminder.with_user(user).payment_link_url, link.url, user.login)

    def test_transaction_link_set_by_the_page_only(self):
        """A billing user may write transactions, not make one count for a link."""
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "reference": "PL-RIGHTS-1",
                    "amount": 300.0,
                    "currency_id": self.currency.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        for fname, value in (
            ("payment_link_id", self.link.id),
            ("payment_link_receipt_sent", True),
        ):
            with self.assertRaises(AccessError, msg=fname):
                tx.with_user(self.billing).write({fname: value})
        with self.assertRaises(AccessError):
            self.env["payment.transaction"].with_user(self.billing).create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "reference": "PL-RIGHTS-2",
                    "amount": 300.0,
                    "currency_id": self.currency.id,
                    "partner_id": self.customer.id,
                    "payment_link_id": self.link.id,
                }
            )
        self.assertFalse(self.link.transaction_ids)

    def test_validity_bounded(self):
        """A validity beyond what a token carries would break every reminder's link."""
        with self.assertRaises(ValidationError):
            self.company.payment_link_validity_days = 100000
        self.company.payment_link_validity_days = 3650
        link = self.Link._create_for_moves(self._invoice(self.customer, 10.0, due_days=-5))
        self.assertEqual(self.Link._get_by_token(link._token()), link)
