from odoo.exceptions import AccessError
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import CreditCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditAccess(CreditCommon):
    def test_sales_user_reads_but_cannot_change(self):
        self._invoice(self.customer, 1500.0, due_days=30)
        customer = self.customer.with_user(self.sales_user)
        self.assertTrue(customer.credit_hold)
        self.assertEqual(customer.credit_exposure, 1500.0)
        self.assertIn("Credit limit exceeded", customer.credit_hold_message)
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 100000.0})
        with self.assertRaises(AccessError):
            customer.write({"credit_hold_manual": True})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.sales_user).create(
                {"name": "Nouveau client", "credit_limit": 5000.0}
            )
        # Other fields stay editable for the rep.
        customer.write({"phone": "+33 1 23 45 67 89"})
        self.assertEqual(self.customer.credit_limit, 1000.0)

    def test_sales_user_cannot_lift_hold(self):
        self.customer.with_user(self.manager).credit_hold_manual = True
        with self.assertRaises(AccessError):
            self.customer.with_user(self.sales_user).write({"credit_hold_manual": False})
        self.env.invalidate_all()
        self.assertTrue(self.customer.credit_hold)

    def test_accounting_administrator_keeps_odoo_rights(self):
        """Odoo's accounting administrators set credit limits without us: they still do."""
        admin = new_test_user(
            self.env,
            login="credit_account_admin",
            name="Hélène Comptable",
            groups="base.group_user,account.group_account_manager",
            company_id=self.company.id,
        )
        self.assertTrue(admin.has_group("credit_management.group_credit_manager"))
        customer = self.customer.with_user(admin)
        customer.write({"credit_limit": 4000.0})
        self.assertEqual(self.customer.credit_limit, 4000.0)
        customer.write({"credit_hold_manual": True})
        customer.write({"credit_hold_manual": False})
        new = (
            self.env["res.partner"]
            .with_user(admin)
            .create({"name": "Client comptable", "credit_limit": 750.0})
        )
        self.assertEqual(new.credit_limit, 750.0)
        # Odoo's invoicing users (billing, not administrators) get nothing more from us.
        billing = new_test_user(
            self.env,
            login="credit_billing",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
        )
        self.assertFalse(billing.has_group("credit_management.group_credit_manager"))

    def test_collector_cannot_change_limit(self):
        customer = self.customer.with_user(self.collector)
        self.assertEqual(customer.credit_limit, 1000.0)
        with self.assertRaises(AccessError):
            customer.write({"credit_limit": 2000.0})
        with self.assertRaises(AccessError):
            customer.write({"credit_hold_manual": True})
        # A collector can take a customer into its portfolio.
        customer.write({"dunning_responsible_id": self.collector.id})
        self.assertEqual(self.customer.dunning_responsible_id, self.collector)

    def test_manager_changes_limit_tracked(self):
        # Records created in this transaction are not tracked until it commits: close it.
        self.env.flush_all()
        self.env.cr.precommit.run()
        customer = self.customer.with_context(tracking_disable=False, mail_notrack=False)
        customer.with_user(self.manager).write({"credit_limit": 2500.0})
        self.assertEqual(self.customer.credit_limit, 2500.0)
        # Tracking values are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", "res.partner"),
                    ("mail_message_id.res_id", "=", self.customer.id),
                    ("field_id.name", "=", "credit_limit"),
                ]
            )
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked[0].new_value_float, 2500.0)

    def test_payer_profiles_rights(self):
        profiles = self.env["credit.payer.profile"].with_user(self.sales_user).search([])
        self.assertGreaterEqual(len(profiles), 5)
        with self.assertRaises(AccessError):
            profiles[0].write({"name": "Renamed"})
        self.env["credit.payer.profile"].with_user(self.manager).create(
            {"name": "Grand compte export", "code": "export"}
        )
        profile = self.env.ref("credit_management.payer_profile_late")
        # A customer's profile is a credit manager's choice, not a collector's.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.collector).payer_profile_id = profile
        self.customer.with_user(self.manager).payer_profile_id = profile
        self.assertEqual(profile.partner_count, 1)
