"""The credit hold and the customers' credit settings hold against RPC calls (issue T, 1-2).

Each test calls the models as a client would (any method, any values, any context) and
reads the effect back."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditHoldRights(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._invoice(cls.customer, 900.0, due_days=30)
        cls.held = cls._order(cls.customer, 500.0, user=cls.sales_user)

    def test_context_key_grants_nothing(self):
        """``credit_hold_override`` in the context no longer confirms a held order."""
        order = self.held.with_user(self.sales_user)
        for context in ({"credit_hold_override": True}, {"credit_hold_override": 1}):
            with self.assertRaises(UserError, msg=f"confirmed with {context}"):
                order.with_context(**context).action_confirm()
        self.assertEqual(self.held.state, "draft")

    def test_state_written_directly_is_held(self):
        """Writing ``state = 'sale'`` (RPC ``write``) meets the same check as confirming."""
        with self.assertRaises(UserError):
            self.held.with_user(self.sales_user).write({"state": "sale"})
        self.assertEqual(self.held.state, "draft")
        # A credit manager too: the override goes through the wizard, with a reason.
        with self.assertRaises(UserError):
            self.held.with_user(self.manager).write({"state": "sale"})
        self.assertEqual(self.held.state, "draft")

    def test_order_created_confirmed_is_held(self):
        vals = {
            "partner_id": self.customer.id,
            "state": "sale",
            "order_line": [Command.create({"product_id": self.product.id, "price_unit": 700.0})],
        }
        Order = self.env["sale.order"].with_user(self.sales_user)
        with self.assertRaises(UserError):
            Order.create(vals)
        self.assertFalse(
            self.env["sale.order"].search(
                [("partner_id", "=", self.customer.id), ("state", "=", "sale")]
            )
        )
        # Within the limit, an order may be created confirmed, as Odoo allows.
        small = Order.create(
            dict(
                vals,
                order_line=[Command.create({"product_id": self.product.id, "price_unit": 20.0})],
            )
        )
        self.assertEqual(small.state, "sale")

    def test_override_trail_cannot_be_forged(self):
        trail = {
            "credit_override_reason": "Accord du DAF",
            "credit_override_user_id": self.manager.id,
            "credit_override_date": "2026-06-15 09:00:00",
        }
        for user in (self.sales_user, self.collector, self.manager):
            for fname, value in trail.items():
                with self.assertRaises(AccessError, msg=f"{user.login} wrote {fname}"):
                    self.held.with_user(user).write({fname: value})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.sales_user).create(
                {"partner_id": self.customer.id, **trail}
            )
        self.assertFalse(self.held.credit_override_reason)
        self.assertFalse(self.held.credit_override_user_id)

    def test_override_checks_the_manager(self):
        """The override's own method checks the group, whoever calls it."""
        with self.assertRaises(AccessError):
            self.held.with_user(self.sales_user)._credit_confirm_overridden("je force")
        self.assertEqual(self.held.state, "draft")
        self.held.with_user(self.manager)._credit_confirm_overridden("Client stratégique")
        self.assertEqual(self.held.state, "sale")
        self.assertEqual(self.held.credit_override_user_id, self.manager)
        self.assertEqual(self.held.credit_override_reason, "Client stratégique")

    def test_confirmation_is_cleared_once(self):
        """An order confirmed, put back to quotation, then confirmed again is checked again."""
        small = self._order(self.customer, 50.0, user=self.sales_user)
        small.with_user(self.sales_user).action_confirm()
        self.assertEqual(small.state, "sale")
        small.with_user(self.sales_user)._action_cancel()
        small.with_user(self.sales_user).action_draft()
        self.customer.with_user(self.manager).credit_hold_manual = True
        with self.assertRaises(UserError):
            small.with_user(self.sales_user).action_confirm()
        self.assertEqual(small.state, "draft")


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCustomerCreditSettingsRights(CreditCommon):
    """What sales users and collectors may change of a customer's credit settings."""

    MANAGER_FIELDS = (
        "dunning_scenario_id",
        "payer_profile_id",
        "payer_profile_pinned",
        "credit_group_limit",
    )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scenario = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.profile = cls.env.ref("credit_management.payer_profile_late")
        cls.head = cls.env["res.partner"].create({"name": "Groupe Martin", "is_company": True})

    def _values(self):
        return {
            "dunning_scenario_id": self.scenario.id,
            "payer_profile_id": self.profile.id,
            "payer_profile_pinned": True,
            "credit_group_limit": 50000.0,
        }

    def test_sales_user_and_collector_refused(self):
        for user in (self.sales_user, self.collector):
            customer = self.customer.with_user(user)
            for fname, value in self._values().items():
                with self.assertRaises(AccessError, msg=f"{user.login} wrote {fname}"):
                    customer.write({fname: value})
            with self.assertRaises(AccessError):
                customer.write({"credit_group_id": self.head.id})
        self.assertFalse(self.customer.dunning_scenario_id)
        self.assertFalse(self.customer.payer_profile_id)
        self.assertFalse(self.customer.payer_profile_pinned)
        self.assertEqual(self.customer.credit_group_id, self.customer)
        # Not on a new customer either, nor through the context's defaults.
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.sales_user).create(
                {"name": "Nouveau client", "payer_profile_id": self.profile.id}
            )
        Partner = self.env["res.partner"].with_user(self.sales_user)
        with self.assertRaises(AccessError, msg="a context key never grants a right"):
            Partner.with_context(default_dunning_scenario_id=self.scenario.id).create(
                {"name": "Client par défaut"}
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Client par défaut")]))
        # A field's own default is no change: a customer created plainly passes.
        self.assertTrue(Partner.create({"name": "Client ordinaire", "is_company": True}))

    def test_sales_user_cannot_pause_reminders(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.sales_user).write({"dunning_block_until": "2099-12-31"})
        with self.assertRaises(AccessError):
            self.customer.with_user(self.sales_user).write(
                {"dunning_responsible_id": self.sales_user.id}
            )
        self.assertFalse(self.customer.dunning_block_until)

    def test_collector_pauses_within_the_company_limit(self):
        self.company.credit_dunning_pause_max_days = 30
        customer = self.customer.with_user(self.collector)
        customer.write({"dunning_block_until": TODAY + timedelta(days=30)})
        self.assertEqual(self.customer.dunning_block_until, TODAY + timedelta(days=30))
        with self.assertRaises(AccessError) as error:
            customer.write({"dunning_block_until": "2099-12-31"})
        self.assertIn("ask a credit manager", str(error.exception))
        self.assertEqual(self.customer.dunning_block_until, TODAY + timedelta(days=30))
        # A credit manager sets any date.
        self.customer.with_user(self.manager).write({"dunning_block_until": "2027-06-30"})
        self.assertEqual(str(self.customer.dunning_block_until), "2027-06-30")

    def test_manager_sets_everything(self):
        self.customer.with_user(self.manager).write(self._values())
        self.assertEqual(self.customer.dunning_scenario_id, self.scenario)
        self.assertEqual(self.customer.payer_profile_id, self.profile)
        self.assertTrue(self.customer.payer_profile_pinned)
        self.assertEqual(self.customer.credit_group_limit, 50000.0)
        # The head of a group follows the hierarchy, never a hand, a manager's included.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.manager).write({"credit_group_id": self.head.id})

    def test_same_value_passes(self):
        """Writing a customer's own value back (an import, a merge) changes nothing."""
        self.customer.with_user(self.manager).payer_profile_id = self.profile
        self.customer.with_user(self.sales_user).write(
            {"payer_profile_id": self.profile.id, "phone": "+33 1 23 45 67 89"}
        )
        self.assertEqual(self.customer.phone, "+33 1 23 45 67 89")

    def test_invoice_dunning_settings(self):
        invoice = self._invoice(self.customer, 100.0, due_days=-10)
        billing = new_test_user(
            self.env,
            login="credit_billing_t",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
        )
        # Odoo's invoicing users write invoices, not their dunning settings (nor do
        # collectors, who only read invoices).
        for user in (billing, self.collector):
            for fname, value in (
                ("dunning_excluded", True),
                ("dunning_block_until", "2099-12-31"),
                ("third_party_payer_id", self.head.id),
                ("dunning_scenario_id", self.scenario.id),
                ("dunning_level_id", self.scenario.level_ids[:1].id),
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} wrote {fname}"):
                    invoice.with_user(user).write({fname: value})
        self.assertFalse(invoice.dunning_excluded)
        self.assertFalse(invoice.dunning_block_until)
        # Their other fields stay theirs.
        invoice.with_user(billing).write({"ref": "BC 4471"})
        self.assertEqual(invoice.ref, "BC 4471")
        invoice.with_user(self.manager).write(
            {"dunning_excluded": True, "third_party_payer_id": self.head.id}
        )
        self.assertTrue(invoice.dunning_excluded)
        self.assertEqual(invoice.third_party_payer_id, self.head)
