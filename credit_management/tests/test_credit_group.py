from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditGroup(CreditCommon):
    """A group: the holding, its subsidiary Lyon and Lyon's own subsidiary Lyon Sud."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.head = Partner.create(
            {"name": "Groupe Martin Holding", "is_company": True, "email": "siege@martin.fr"}
        )
        cls.lyon = Partner.create(
            {
                "name": "Martin Lyon SAS",
                "is_company": True,
                "parent_id": cls.head.id,
                "email": "lyon@martin.fr",
            }
        )
        cls.lyon_sud = Partner.create(
            {
                "name": "Martin Lyon Sud SARL",
                "is_company": True,
                "parent_id": cls.lyon.id,
                "email": "lyon-sud@martin.fr",
            }
        )
        cls.lyon_sud_contact = Partner.create(
            {"name": "Paul Compta", "parent_id": cls.lyon_sud.id, "type": "invoice"}
        )
        cls.members = cls.head | cls.lyon | cls.lyon_sud

    # ------------------------------------------------------------
    # GROUP HEAD
    # ------------------------------------------------------------

    def test_group_head_three_levels(self):
        for partner in self.members | self.lyon_sud_contact:
            self.assertEqual(partner.credit_group_id, self.head, partner.name)
        self.assertEqual(self.customer.credit_group_id, self.customer, "alone: its own head")
        self.assertEqual(self.contact.credit_group_id, self.customer)
        self.assertEqual(self.head.credit_group_member_ids, self.members)
        self.assertEqual(self.lyon_sud_contact.credit_group_member_count, 3)
        # Lyon leaves the group with its subsidiary: it heads its own.
        self.lyon.parent_id = False
        self.assertEqual(self.lyon.credit_group_id, self.lyon)
        self.assertEqual(self.lyon_sud.credit_group_id, self.lyon)
        self.assertEqual(self.lyon_sud_contact.credit_group_id, self.lyon)
        self.assertEqual(self.head.credit_group_id, self.head)
        self.assertEqual(self.head.credit_group_member_ids, self.head)
        # ... and comes back under another company of the group.
        self.lyon.parent_id = self.customer
        self.assertEqual(self.lyon_sud_contact.credit_group_id, self.customer)
        # The full recomputation (install, settings) finds the same heads.
        self.env["res.partner"]._credit_group_recompute()
        self.assertEqual(self.lyon_sud.credit_group_id, self.customer)
        self.assertEqual(self.head.credit_group_id, self.head)

    def test_group_by_siren(self):
        Partner = self.env["res.partner"]
        paris = Partner.create(
            {"name": "Dupont Paris", "is_company": True, "company_registry": "732829320"}
        )
        lille = Partner.create(
            {"name": "Dupont Lille", "is_company": True, "company_registry": "732 829 320 00025"}
        )
        lille_shop = Partner.create(
            {"name": "Dupont Lille Boutique", "is_company": True, "parent_id": lille.id}
        )
        other = Partner.create(
            {"name": "Durand SA", "is_company": True, "company_registry": "552081317"}
        )
        self.assertFalse(self.company.credit_group_by_siren, "off by default")
        self.assertEqual(lille.credit_group_id, lille, "setting off: no SIREN grouping")
        self.assertEqual(lille_shop.credit_group_id, lille)
        self.company.credit_group_by_siren = True
        self.assertEqual(paris.credit_group_id, paris, "the lowest id is the head office")
        self.assertEqual(lille.credit_group_id, paris, "same SIREN (its SIRET's first digits)")
        self.assertEqual(lille_shop.credit_group_id, paris, "with its subsidiaries")
        self.assertEqual(other.credit_group_id, other)
        self.assertEqual(paris.credit_group_member_ids, paris | lille | lille_shop)
        # A new branch sharing the SIREN joins; one whose SIREN changes leaves.
        nice = Partner.create(
            {"name": "Dupont Nice", "is_company": True, "company_registry": "73282932000017"}
        )
        shop_contact = Partner.create({"name": "Anne Dupont", "parent_id": lille_shop.id})
        self.assertEqual(nice.credit_group_id, paris)
        self.assertEqual(shop_contact.credit_group_id, paris, "its root's head")
        lille.company_registry = "404833048"
        self.assertEqual(lille.credit_group_id, lille)
        self.assertEqual(lille_shop.credit_group_id, lille)
        self.assertEqual(shop_contact.credit_group_id, lille)
        # Off again: the hierarchy alone.
        lille.company_registry = "73282932000025"
        self.assertEqual(lille.credit_group_id, paris)
        self.company.credit_group_by_siren = False
        self.assertEqual(lille.credit_group_id, lille)
        self.assertEqual(nice.credit_group_id, nice)

    # ------------------------------------------------------------
    # GROUP EXPOSURE AND LIMIT
    # ------------------------------------------------------------

    def test_group_exposure_is_sum_of_members(self):
        self._invoice(self.head, 100.0)
        self._invoice(self.lyon, 200.0, due_days=-10)
        self._invoice(self.lyon, 30.0, post=False)
        self._invoice(self.lyon_sud_contact, 400.0)
        self._order(self.lyon_sud, 70.0).action_confirm()
        self._invoice(self.customer, 999.0)  # not in the group
        self.env.invalidate_all()
        self.assertEqual(self.head.credit_exposure, 100.0)
        self.assertEqual(self.lyon.credit_exposure, 230.0)
        self.assertEqual(self.lyon_sud.credit_exposure, 470.0)
        for partner in self.members | self.lyon_sud_contact:
            self.assertEqual(partner.credit_group_exposure, 800.0, partner.name)
        self.assertEqual(self.customer.credit_group_exposure, 999.0)

    def test_group_limit_blocks_member_within_its_own_limit(self):
        self.head.credit_group_limit = 1000.0
        self.lyon.credit_limit = 5000.0
        self._invoice(self.head, 400.0)
        self._invoice(self.lyon_sud, 500.0)
        # Lyon owes nothing and is far within its own limit: the group is not.
        order = self._order(self.lyon, 200.0, user=self.sales_user)
        check = self.lyon._credit_check(200.0)
        self.assertTrue(check["blocked"])
        self.assertEqual([code for code, _message in check["reasons"]], ["group_limit"])
        self.assertIn("Groupe Martin Holding", check["reasons"][0][1])
        self.assertTrue(order.credit_check_blocked)
        self.assertIn(
            "The group Groupe Martin Holding is over its credit limit", order.credit_check_message
        )
        with self.assertRaises(UserError) as error:
            order.with_user(self.sales_user).action_confirm()
        message = str(error.exception)
        self.assertIn("The group Groupe Martin Holding is over its credit limit", message)
        self.assertIn("900.00", message, "the group exposure")
        self.assertIn("1,000.00", message, "the group limit")
        self.assertEqual(order.state, "draft")
        # Up to the group limit, the order goes through.
        small = self._order(self.lyon, 100.0, user=self.sales_user)
        small.with_user(self.sales_user).action_confirm()
        self.assertEqual(small.state, "sale")
        # Now at 1,000 the group is not over; one more euro puts every member on hold.
        self.env.invalidate_all()
        self.assertFalse(self.lyon_sud.credit_hold)
        self._invoice(self.lyon_sud_contact, 1.0)
        self.env.invalidate_all()
        self.assertTrue(self.lyon_sud.credit_hold)
        self.assertEqual(self.lyon.credit_hold_reason, "group_limit")
        self.assertIn("Groupe Martin Holding", self.lyon_sud_contact.credit_hold_message)
        self.assertFalse(self.customer.credit_hold, "other customers are not concerned")
        # A member owing nothing is held too, and found by the filter.
        annecy = self.env["res.partner"].create(
            {"name": "Martin Annecy", "is_company": True, "parent_id": self.head.id}
        )
        held = self.env["res.partner"].search([("credit_hold", "=", True)])
        self.assertIn(annecy, held)
        self.assertNotIn(self.customer, held)

    def test_group_limit_managers_only(self):
        with self.assertRaises(AccessError):
            self.head.with_user(self.sales_user).credit_group_limit = 10.0
        self.head.with_user(self.manager).credit_group_limit = 10.0
        self.assertEqual(self.head.credit_group_limit, 10.0)
        with self.assertRaises(ValidationError):
            self.head.credit_group_limit = -1.0
        other_company = self.setup_other_company()["company"]
        self.assertEqual(
            self.head.with_company(other_company).credit_group_limit, 0.0, "per company"
        )

    # ------------------------------------------------------------
    # CONSOLIDATED AGED BALANCE
    # ------------------------------------------------------------

    def test_consolidated_aged_balance(self):
        self._invoice(self.head, 100.0, due_days=10)
        self._invoice(self.lyon, 200.0, due_days=-10)
        self._invoice(self.lyon_sud_contact, 400.0, due_days=-45)
        self._invoice(self.customer, 50.0, due_days=-10)
        Aged = self.env["credit.aged.balance"]
        rows = Aged.search([("credit_group_id", "=", self.head.id)])
        self.assertEqual(rows.partner_id, self.members)
        groups = {
            group: (not_due, late_1_30, late_31_60, total)
            for group, not_due, late_1_30, late_31_60, total in Aged._read_group(
                [("partner_id", "in", (self.members | self.customer).ids)],
                ["credit_group_id"],
                ["amount_not_due:sum", "amount_1_30:sum", "amount_31_60:sum", "amount_total:sum"],
            )
        }
        self.assertEqual(groups[self.head], (100.0, 200.0, 400.0, 700.0))
        self.assertEqual(groups[self.customer], (0.0, 50.0, 0.0, 50.0))

    # ------------------------------------------------------------
    # CENTRALISED GROUP DUNNING
    # ------------------------------------------------------------

    def _dunning_setup(self, grouping):
        standard = self.env.ref("credit_management.dunning_scenario_standard")
        standard.grouping = grouping
        self.company.credit_dunning_scenario_id = standard
        return standard, standard.level_ids.sorted("sequence")

    def _run(self, offset=0):
        """The run of the day ``offset``, on that day (no run is dated in the future)."""
        with freeze_time(day(offset)):
            return self.env["credit.dunning"].run_dunning(day(offset))

    def _mails(self, reminders):
        return self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "in", reminders.ids)]
        )

    def test_group_reminder_to_head_office(self):
        standard, levels = self._dunning_setup("group")
        head_invoice = self._invoice(self.head, 100.0, due_days=-20)
        lyon_invoice = self._invoice(self.lyon, 200.0, due_days=-20)
        sud_invoice = self._invoice(self.lyon_sud_contact, 300.0, due_days=-10)
        not_due = self._invoice(self.lyon, 50.0, due_days=20)
        excluded = self._invoice(self.lyon_sud, 80.0, due_days=-20)
        excluded.dunning_excluded = True
        own = self._invoice(self.customer, 500.0, due_days=-20)
        # The minimum is on the group's claim: each member alone is under it.
        standard.min_amount = 400.0
        reminders = self._run()
        group_reminder = reminders.filtered(lambda r: r.partner_id == self.head)
        self.assertEqual(len(reminders), 2, "one for the group, one for the other customer")
        self.assertEqual(
            reminders.filtered(lambda r: r.partner_id == self.customer).line_ids.move_id, own
        )
        self.assertEqual(group_reminder.level_id, levels[1])
        reminded = group_reminder.line_ids.filtered(lambda line: line.line_type == "invoice")
        self.assertEqual(reminded.move_id, head_invoice | lyon_invoice | sud_invoice)
        listed = group_reminder.line_ids.filtered(lambda line: line.line_type == "open")
        self.assertEqual(listed.move_id, not_due)
        self.assertNotIn(excluded, group_reminder.line_ids.move_id, "excluded: on no reminder")
        self.assertEqual(
            group_reminder.line_ids.mapped("customer_id"), self.head | self.lyon | self.lyon_sud
        )
        self.assertEqual(group_reminder.amount_total, 650.0)
        self.assertEqual(group_reminder.amount_overdue, 600.0)
        self.assertEqual(group_reminder.amount_due, 650.0)
        self.assertTrue(group_reminder.show_line_customer)
        # Sent to the head office's address, listing each member's invoices.
        mail = self._mails(group_reminder)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.head)
        body = str(mail.body_html)
        for invoice in head_invoice | lyon_invoice | sud_invoice | not_due:
            self.assertIn(invoice.name, body)
        for member in self.members:
            self.assertIn(member.name, body)
        self.assertFalse((reminders - group_reminder).show_line_customer)
        # A dispute opened from it is one customer's: the head office's own invoices.
        context = group_reminder.action_open_dispute()["context"]
        self.assertEqual(context["default_partner_id"], self.head.id)
        self.assertEqual(context["default_move_ids"], head_invoice.ids)
        # The members' invoices advance: each keeps its own level, the reminder the highest.
        self.assertEqual(sud_invoice.dunning_level_id, levels[1])
        late = self._invoice(self.lyon, 90.0, due_days=5)
        second = self._run(offset=15).filtered(lambda r: r.partner_id == self.head)
        self.assertEqual(second.level_id, levels[2], "the highest level reached across them")
        levels_of = {line.move_id: line.level_id for line in second.line_ids if line.level_id}
        self.assertEqual(levels_of[late], levels[1])
        self.assertEqual(levels_of[lyon_invoice], levels[2])
        self.assertFalse(self._run(offset=15), "nothing twice")
        # The letter of the reminder lists the members too.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("credit_management.report_credit_dunning_letter", second.ids)[0]
            .decode()
        )
        self.assertIn("Martin Lyon Sud SARL", html)
        self.assertIn(late.name, html)

    def test_per_member_reminders(self):
        standard, _levels = self._dunning_setup("commercial")
        standard.min_amount = 250.0
        self._invoice(self.head, 100.0, due_days=-20)
        lyon_invoice = self._invoice(self.lyon, 260.0, due_days=-20)
        sud_invoice = self._invoice(self.lyon_sud_contact, 300.0, due_days=-10)
        reminders = self._run()
        self.assertEqual(reminders.partner_id, self.lyon | self.lyon_sud, "head under minimum")
        for reminder in reminders:
            self.assertEqual(self._mails(reminder).recipient_ids, reminder.partner_id)
            self.assertFalse(reminder.show_line_customer)
        by_partner = {r.partner_id: r.line_ids.move_id for r in reminders}
        self.assertEqual(by_partner[self.lyon], lyon_invoice)
        self.assertEqual(by_partner[self.lyon_sud], sud_invoice)

    def test_group_mode_follows_head_scenario(self):
        """Only a head office whose scenario groups by group gets its members' invoices."""
        standard, _levels = self._dunning_setup("commercial")
        central = standard.copy({"name": "Centralised", "grouping": "group"})
        self._invoice(self.lyon, 200.0, due_days=-20)
        self._invoice(self.lyon_sud, 300.0, due_days=-20)
        # A member's own centralised scenario does not make its own head office collect.
        self.lyon.dunning_scenario_id = central
        self.assertEqual(self._run().partner_id, self.lyon | self.lyon_sud)
        # Once the head office's scenario is centralised, every member follows it.
        self.lyon.dunning_scenario_id = False
        self.head.dunning_scenario_id = central
        reminders = self._run(offset=30)
        self.assertEqual(reminders.partner_id, self.head)
        self.assertEqual(reminders.scenario_id, central)
