from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import errors as pg_errors

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import TODAY
from .common import CreditCommon


def day(offset):
    return TODAY + timedelta(days=offset)


@tagged("post_install", "-at_install")
class TestDunningEngine(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        cls.standard = cls.env.ref("credit_management.dunning_scenario_standard")
        cls.gentle = cls.env.ref("credit_management.dunning_scenario_gentle")
        cls.firm = cls.env.ref("credit_management.dunning_scenario_firm")
        cls.company.credit_dunning_scenario_id = cls.standard
        cls.levels = cls.standard.level_ids.sorted("sequence")
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "credit_limit": 0.0})
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "email": "paiement@dupuis.fr"}
        )

    def _run(self, offset=0, **context):
        """The run of the day ``offset``, on that day (no run is dated in the future)."""
        with freeze_time(day(offset)):
            return self.Dunning.with_context(**context).run_dunning(day(offset))

    def _mails(self, reminders):
        return self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "in", reminders.ids)]
        )

    # ------------------------------------------------------------
    # LEVELS AND ESCALATION
    # ------------------------------------------------------------

    def test_pre_due_courtesy_reminder(self):
        invoice = self._invoice(self.customer, 500.0, due_days=2)
        reminders = self._run()
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.level_id, self.levels[0])
        self.assertEqual(reminders.state, "sent")
        self.assertEqual(reminders.email_state, "queued")
        self.assertEqual(invoice.dunning_level_id, self.levels[0])
        self.assertEqual(invoice.dunning_date, TODAY)
        self.assertEqual(len(self._mails(reminders)), 1)
        # Not before the courtesy window (due date - 3 days) ...
        other = self._invoice(self.customer2, 300.0, due_days=10)
        self.assertFalse(self._run().filtered(lambda r: r.partner_id == self.customer2))
        # ... and never once the due date is passed: the first overdue level comes instead.
        reminders = self._run(offset=15)
        reminder = reminders.filtered(lambda r: r.partner_id == self.customer2)
        self.assertEqual(reminder.level_id, self.levels[1])
        self.assertEqual(other.dunning_level_id, self.levels[1])

    def test_each_level_one_per_run(self):
        invoice = self._invoice(self.customer, 800.0, due_days=0)
        expected = [
            (5, self.levels[1], "sent"),
            (15, self.levels[2], "sent"),
            (30, self.levels[3], "sent"),
            (45, self.levels[4], "to_validate"),
            (60, self.levels[5], "to_validate"),
        ]
        for offset, level, state in expected:
            self.assertFalse(self._run(offset=offset - 1), f"nothing before day {offset}")
            reminder = self._run(offset=offset)
            self.assertEqual(reminder.level_id, level)
            self.assertEqual(reminder.state, state)
            self.assertEqual(reminder.line_ids.filtered("level_id").move_id, invoice)
            if state == "to_validate":
                reminder.with_user(self.collector).action_validate()
                self.assertEqual(reminder.state, "sent")
            self.assertEqual(invoice.dunning_level_id, level)
        self.assertFalse(self._run(offset=200), "the last level is never repeated")
        call = self.env["mail.activity"].search(
            [("res_model", "=", "credit.dunning"), ("user_id", "=", self.collector.id)]
        )
        self.assertEqual(len(call), 2, "the call levels give the collector a call activity")
        self.assertIn(invoice.name, call[0].note)

    def test_escalation_one_level_per_run_and_min_interval(self):
        invoice = self._invoice(self.customer, 800.0, due_days=-40)
        first = self._run()
        self.assertEqual(first.level_id, self.levels[1], "never reminded: first overdue level")
        self.assertFalse(self._run(), "running twice on the same day creates nothing")
        # Level 3 (+15 days) is due by date but needs 7 days since the previous reminder.
        self.assertFalse(self._run(offset=6))
        second = self._run(offset=7)
        self.assertEqual(second.level_id, self.levels[2])
        self.assertEqual(invoice.dunning_date, day(7))
        self.assertFalse(self._run(offset=13))
        third = self._run(offset=14)
        self.assertEqual(third.level_id, self.levels[3])

    def test_pending_reminder_blocks_next_level(self):
        invoice = self._invoice(self.customer, 800.0, due_days=-50)
        self.levels[1].requires_validation = True
        pending = self._run()
        self.assertEqual(pending.state, "to_validate")
        self.assertFalse(self._run(offset=30), "not escalated while waiting for validation")
        pending.action_cancel()
        again = self._run(offset=30)
        self.assertEqual(again.level_id, self.levels[1], "a cancelled reminder frees its level")
        self.assertFalse(invoice.dunning_level_id)

    def _scenario(self, name, *levels):
        """A scenario of email levels ``(days, vals)``, without intervals nor validation."""
        template = self.env.ref("credit_management.mail_template_dunning_reminder")
        return self.env["credit.dunning.scenario"].create(
            {
                "name": name,
                "level_ids": [
                    Command.create(
                        dict(
                            {
                                "name": f"{name} +{days}",
                                "sequence": index,
                                "days": days,
                                "min_interval_days": 0,
                                "mail_template_id": template.id,
                            },
                            **vals,
                        )
                    )
                    for index, (days, vals) in enumerate(levels)
                ],
            }
        )

    def test_rerun_same_day_escalates_no_further(self):
        scenario = self._scenario("Quick", (5, {}), (10, {}), (20, {}))
        self.customer.dunning_scenario_id = scenario
        invoice = self._invoice(self.customer, 800.0, due_days=-40)
        levels = scenario.level_ids.sorted("sequence")
        first = self._run()
        self.assertEqual(first.level_id, levels[0], "never reminded: first overdue level")
        self.assertFalse(self._run(), "a second run on the same day creates nothing")
        self.assertFalse(self._run(), "nor a third one")
        self.assertEqual(invoice.dunning_level_id, levels[0])
        self.assertEqual(len(invoice.dunning_line_ids), 1, "one level a day")
        # The next day, the next level (one only), then the last one the day after.
        self.assertEqual(self._run(offset=1).level_id, levels[1])
        self.assertFalse(self._run(offset=1))
        self.assertEqual(self._run(offset=2).level_id, levels[2])
        self.assertEqual(invoice.dunning_level_id, levels[2])

    def test_scenario_change_continues_at_the_same_days(self):
        before = self._scenario("Before", (5, {}), (30, {}))
        after = self._scenario("After", (3, {}), (10, {}), (40, {}))
        profile = self.env["credit.payer.profile"].create(
            {"name": "Watched", "code": "watched_test", "dunning_scenario_id": after.id}
        )
        self.customer.dunning_scenario_id = before
        invoice = self._invoice(self.customer, 800.0, due_days=-20)
        self.assertEqual(self._run().level_id, before.level_ids[0])
        # The customer's payer profile changes (its score moved): the new scenario's level
        # after +5 days is +10, neither its +3 (from the start) nor its +40 (skipping).
        self.customer.write({"dunning_scenario_id": False, "payer_profile_id": profile.id})
        reminder = self._run(offset=1)
        self.assertEqual(reminder.scenario_id, after)
        self.assertEqual(reminder.level_id, after.level_ids.filtered(lambda lvl: lvl.days == 10))
        self.assertEqual(invoice.dunning_level_id.days, 10)
        self.assertFalse(self._run(offset=19), "+40 days is not reached yet")
        self.assertEqual(self._run(offset=20).level_id.days, 40)

    def test_scenario_change_sends_no_second_formal_notice(self):
        before = self._scenario("Before", (5, {}), (30, {"is_formal_notice": True}))
        after = self._scenario("After", (10, {}), (40, {"is_formal_notice": True}), (50, {}))
        self.customer.dunning_scenario_id = before
        invoice = self._invoice(self.customer, 800.0, due_days=-35)
        self._run()
        notice = self._run(offset=1)
        self.assertTrue(notice.is_formal_notice)
        # An override moves the customer to a scenario with a later formal notice: the
        # invoice already got one, it gets the level after it, at its date.
        self.customer.dunning_scenario_id = after
        self.assertFalse(self._run(offset=5), "no second formal notice at +40 days")
        self.assertFalse(self._run(offset=14))
        reminder = self._run(offset=15)
        self.assertEqual(reminder.level_id.days, 50)
        self.assertFalse(reminder.is_formal_notice)
        noticed = invoice.dunning_line_ids.dunning_id.filtered("is_formal_notice")
        self.assertEqual(noticed, notice, "a single formal notice")

    def test_scenario_change_never_reminds_a_handed_off_invoice(self):
        before = self._scenario("Before", (5, {}), (10, {"is_litigation": True}))
        after = self._scenario("After", (5, {}), (20, {}), (30, {}))
        self.customer.dunning_scenario_id = before
        invoice = self._invoice(self.customer, 800.0, due_days=-40)
        self._run()
        handoff = self._run(offset=1)
        self.assertEqual(handoff.level_id.days, 10)
        self.assertEqual(invoice.dunning_handoff_date, day(1))
        # Moved to a scenario whose levels go further: still out of the scenario.
        self.customer.dunning_scenario_id = after
        for offset in (2, 30, 31, 60):
            self.assertFalse(self._run(offset=offset), f"never reminded again (day {offset})")
        self.assertEqual(invoice.dunning_level_id, handoff.level_id)
        self.assertEqual(len(invoice.dunning_line_ids), 2)

    # ------------------------------------------------------------
    # EXCLUSIONS
    # ------------------------------------------------------------

    def test_exclusions(self):
        paid = self._invoice(self.customer, 100.0, due_days=-20)
        self._pay(paid, 100.0)
        excluded = self._invoice(self.customer, 110.0, due_days=-20)
        excluded.dunning_excluded = True
        disputed = self._invoice(self.customer, 120.0, due_days=-20)
        self.env["credit.dispute"].create(
            {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(disputed.ids)],
                "reason_id": self.env.ref("credit_management.dispute_reason_price").id,
            }
        )
        self.assertTrue(disputed.in_dispute)
        blocked = self._invoice(self.customer, 130.0, due_days=-20)
        blocked.dunning_block_until = day(10)
        reminded = self._invoice(self.customer, 140.0, due_days=-20)
        reminder = self._run()
        self.assertEqual(reminder.line_ids.move_id, reminded)
        self.assertEqual(reminder.amount_due, 140.0)
        # The block ends: the invoice is reminded again from its first level.
        later = self._run(offset=10)
        line = later.line_ids.filtered(lambda line: line.move_id == blocked)
        self.assertEqual(line.level_id, self.levels[1])
        # A customer blocked until a date is not reminded at all.
        self._invoice(self.customer2, 200.0, due_days=-20)
        self.customer2.dunning_block_until = day(30)
        self.assertFalse(self._run(offset=10))

    def test_minimum_amounts(self):
        self._invoice(self.customer, 20.0, due_days=-10)
        self.standard.min_amount = 50.0
        self.assertFalse(self._run(), "under the scenario's minimum")
        self.standard.min_amount = 0.0
        self.levels[1].min_amount = 25.0
        self.assertFalse(self._run(), "under the level's minimum")
        self._invoice(self.customer, 10.0, due_days=-10)
        reminder = self._run()
        self.assertEqual(reminder.amount_due, 30.0)

    # ------------------------------------------------------------
    # SCENARIOS AND GROUPING
    # ------------------------------------------------------------

    def test_scenario_priority(self):
        profile = self.env.ref("credit_management.payer_profile_late")
        self.assertEqual(profile.dunning_scenario_id, self.firm)
        custom = self.firm.copy({"name": "Custom"})
        customers = self.env["res.partner"].create(
            [
                {"name": f"Client {i}", "is_company": True, "email": f"c{i}@example.fr"}
                for i in range(4)
            ]
        )
        customers[1].payer_profile_id = profile
        customers[2].write({"payer_profile_id": profile.id, "dunning_scenario_id": self.gentle.id})
        customers[3].write({"payer_profile_id": profile.id, "dunning_scenario_id": self.gentle.id})
        for customer in customers:
            invoice = self._invoice(customer, 100.0, due_days=-20)
        invoice.dunning_scenario_id = custom
        reminders = self._run()
        scenario_of = {r.partner_id: r.scenario_id for r in reminders}
        self.assertEqual(scenario_of[customers[0]], self.standard, "company default")
        self.assertEqual(scenario_of[customers[1]], self.firm, "payer profile")
        self.assertEqual(scenario_of[customers[2]], self.gentle, "customer override")
        self.assertEqual(scenario_of[customers[3]], custom, "invoice override")

    def test_grouping_commercial_entity(self):
        site = self.env["res.partner"].create(
            {"name": "Boulangerie Martin Lyon", "parent_id": self.customer.id, "type": "invoice"}
        )
        first = self._invoice(self.customer, 100.0, due_days=-20)
        second = self._invoice(site, 200.0, due_days=-10)
        not_due = self._invoice(site, 50.0, due_days=20)
        reminder = self._run()
        self.assertEqual(len(reminder), 1, "one reminder per customer")
        self.assertEqual(reminder.partner_id, self.customer)
        self.assertEqual(reminder.line_ids.filtered("level_id").move_id, first | second)
        open_line = reminder.line_ids.filtered(lambda line: line.line_type == "open")
        self.assertEqual(open_line.move_id, not_due, "other open items are listed")
        self.assertEqual(reminder.amount_total, 350.0)
        self.assertEqual(reminder.amount_overdue, 300.0)

    def test_grouping_invoice_address(self):
        self.standard.grouping = "invoice_address"
        sites = self.env["res.partner"].create(
            [
                {
                    "name": f"Site {city}",
                    "parent_id": self.customer.id,
                    "type": "invoice",
                    "email": f"{city}@martin.fr",
                }
                for city in ("lyon", "lille")
            ]
        )
        self._invoice(sites[0], 100.0, due_days=-20)
        self._invoice(sites[1], 200.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(reminders.partner_id, sites)
        self.assertEqual(sorted(reminders.mapped("amount_due")), [100.0, 200.0])

    def test_grouping_per_invoice(self):
        self.standard.grouping = "invoice"
        self._invoice(self.customer, 100.0, due_days=-20)
        self._invoice(self.customer, 200.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(len(reminders), 2)
        self.assertEqual(reminders.partner_id, self.customer)

    def test_third_party_payer(self):
        payer = self.env["res.partner"].create(
            {"name": "Factor Finance SA", "is_company": True, "email": "relances@factor.fr"}
        )
        own = self._invoice(self.customer, 100.0, due_days=-20)
        paid_by_payer = self._invoice(self.customer, 300.0, due_days=-20)
        paid_by_payer.third_party_payer_id = payer
        reminders = self._run()
        self.assertEqual(len(reminders), 2)
        to_payer = reminders.filtered(lambda r: r.partner_id == payer)
        self.assertEqual(to_payer.line_ids.move_id, paid_by_payer)
        to_customer = reminders - to_payer
        self.assertEqual(to_customer.line_ids.move_id, own)
        mail = self._mails(to_payer)
        self.assertEqual(mail.recipient_ids, payer)

    def test_credit_notes_and_payments_netted(self):
        invoice = self._invoice(self.customer, 1000.0, due_days=-20)
        refund = self._invoice(self.customer, 300.0, due_days=-20, move_type="out_refund")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 100.0,
                "date": TODAY,
            }
        )
        payment.action_post()
        reminder = self._run()
        credits = reminder.line_ids.filtered(lambda line: line.line_type == "credit")
        self.assertIn(refund, credits.move_id)
        self.assertEqual(len(credits), 2, "the credit note and the unallocated payment")
        self.assertEqual(reminder.amount_total, 1000.0)
        self.assertEqual(reminder.amount_credit, -400.0)
        self.assertEqual(reminder.amount_due, 600.0)
        self.assertEqual(reminder.line_ids.filtered("level_id").move_id, invoice)
        # A credit covering everything: nothing to claim, no reminder.
        other = self._invoice(self.customer2, 100.0, due_days=-20)
        self._invoice(self.customer2, 150.0, due_days=-20, move_type="out_refund")
        self.assertFalse(self._run().filtered(lambda r: r.partner_id == self.customer2))
        self.assertFalse(other.dunning_level_id)

    def test_two_currencies(self):
        foreign = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        self._invoice(self.customer, 100.0, due_days=-20)
        self._invoice(self.customer, 400.0, due_days=-20, currency=foreign)
        reminders = self._run()
        self.assertEqual(len(reminders), 2, "one reminder per currency")
        in_foreign = reminders.filtered(lambda r: r.currency_id == foreign)
        self.assertEqual(in_foreign.amount_due, 400.0, "amounts in the invoice currency")
        self.assertEqual(in_foreign.line_ids.amount_residual_company, 200.0)

    def test_two_companies_kept_apart(self):
        company2 = self.setup_other_company(name="Filiale Lyon")["company"]
        self.env.user.company_ids |= company2
        self.assertEqual(company2.credit_dunning_scenario_id, self.standard)
        own = self._invoice(self.customer, 100.0, due_days=-20)
        other = self._invoice(self.customer, 700.0, due_days=-20, company=company2)
        reminder = (
            self.Dunning.with_company(self.company)
            .with_context(allowed_company_ids=self.company.ids)
            .run_dunning(TODAY)
        )
        self.assertEqual(reminder.line_ids.move_id, own)
        self.assertEqual(reminder.company_id, self.company)
        reminder2 = (
            self.Dunning.with_company(company2)
            .with_context(allowed_company_ids=company2.ids)
            .run_dunning(TODAY)
        )
        self.assertEqual(reminder2.line_ids.move_id, other)
        self.assertEqual(reminder2.company_id, company2)
        # A collector of the first company does not see the second's reminders.
        visible = self.Dunning.with_user(self.collector).search([])
        self.assertIn(reminder, visible)
        self.assertNotIn(reminder2, visible)

    # ------------------------------------------------------------
    # BATCHES, CRASHES AND CONCURRENT RUNS
    # ------------------------------------------------------------

    def _many_customers(self, count):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Client {i}", "is_company": True, "email": f"client{i}@example.fr"}
                for i in range(count)
            ]
        )
        for customer in customers:
            self._invoice(customer, 100.0, due_days=-20)
        return customers

    def test_interrupted_run_then_rerun(self):
        customers = self._many_customers(5)
        done_batches = []

        def crash_after_two(this, done, total):
            done_batches.append(done)
            if len(done_batches) == 2:
                raise KeyboardInterrupt("worker killed")

        # No assertRaises here: it would roll back the batches "committed" before the crash.
        interrupted = False
        with patch.object(type(self.Dunning), "_dunning_batch_done", crash_after_two):
            try:
                self._run(credit_dunning_batch_size=2)
            except KeyboardInterrupt:
                interrupted = True
        self.assertTrue(interrupted)
        # The two first batches (4 customers) were committed before the crash.
        first = self.Dunning.search([("partner_id", "in", customers.ids)])
        self.assertEqual(len(first), 4)
        rerun = self._run(credit_dunning_batch_size=2)
        self.assertEqual(len(rerun), 1)
        everything = self.Dunning.search([("partner_id", "in", customers.ids)])
        self.assertEqual(everything.partner_id, customers, "each customer reminded once")
        self.assertEqual(len(everything), 5)
        self.assertEqual(len(self._mails(everything)), 5, "each email queued once")

    def test_concurrent_run_creates_no_duplicate(self):
        customers = self._many_customers(3)
        Dunning = self.Dunning.with_company(self.company)
        groups = Dunning._dunning_groups(Dunning._dunning_plan(self.company, TODAY), TODAY)
        self.assertEqual(len(groups), 3)
        # Another worker created the reminder of the second customer meanwhile.
        other_worker = Dunning._dunning_create_batch(groups[1:2])
        with mute_logger("odoo.sql_db"):
            created = Dunning._dunning_create_batch(groups)
        self.assertEqual(len(created), 2)
        self.assertEqual((created | other_worker).partner_id, customers)
        # The database refuses a second live line for the same invoice and level.
        line = other_worker.line_ids
        with self.assertRaises(pg_errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env["credit.dunning.line"].create(
                    {
                        "dunning_id": created[0].id,
                        "move_id": line.move_id.id,
                        "level_id": line.level_id.id,
                    }
                )

    def test_cron_runs_every_company(self):
        self._many_customers(2)
        cron = self.env.ref("credit_management.ir_cron_credit_dunning")
        self.assertTrue(cron.active)
        commits = []
        with patch.object(self.env.cr, "commit", lambda: commits.append(1)):
            self.Dunning.with_context(credit_dunning_commit=True)._cron_run_dunning()
        self.assertEqual(self.Dunning.search_count([("company_id", "=", self.company.id)]), 2)
        self.assertTrue(commits, "the scheduled action commits each batch")

    # ------------------------------------------------------------
    # CHANNELS AND ERRORS
    # ------------------------------------------------------------

    def test_failing_template_isolated(self):
        broken = self.env["mail.template"].create(
            {
                "name": "Broken",
                "model_id": self.env["ir.model"]._get_id("credit.dunning"),
                "subject": "Reminder",
                "use_default_to": True,
                "body_html": "<p><t t-out='object.partner_id.no_such_field'/></p>",
            }
        )
        custom = self.standard.copy({"name": "Broken scenario"})
        custom.level_ids.write({"mail_template_id": broken.id})
        bad = self.env["res.partner"].create(
            {
                "name": "Client cassé",
                "is_company": True,
                "email": "bad@example.fr",
                "dunning_scenario_id": custom.id,
            }
        )
        no_email = self.env["res.partner"].create({"name": "Client sans email", "is_company": True})
        customers = self._many_customers(3)
        for partner in bad | no_email:
            self._invoice(partner, 100.0, due_days=-20)
        with mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            reminders = self._run()
        self.assertEqual(len(reminders), 5)
        failed = reminders.filtered(lambda r: r.state == "error")
        self.assertEqual(failed.partner_id, bad | no_email)
        self.assertIn("no_such_field", failed.filtered(lambda r: r.partner_id == bad).error_message)
        self.assertIn(
            "no email address", failed.filtered(lambda r: r.partner_id == no_email).error_message
        )
        sent = reminders - failed
        self.assertEqual(sent.partner_id, customers)
        self.assertEqual(set(sent.mapped("state")), {"sent"})
        self.assertEqual(len(self._mails(sent)), 3)
        self.assertFalse(self._mails(failed))
        # Fixed, then retried from the reminder: sent once.
        no_email.email = "compta@sans-email.fr"
        failed.filtered(lambda r: r.partner_id == no_email).with_user(self.collector).action_retry()
        self.assertEqual(len(self._mails(failed)), 1)
        self.assertEqual(failed.filtered(lambda r: r.partner_id == no_email).state, "sent")

    def test_mail_server_failure_puts_reminder_in_error(self):
        reminders = self._many_customers(2) and self._run()
        mails = self._mails(reminders)
        refused = mails.filtered(lambda m: m.res_id == reminders[0].id)
        refused._postprocess_sent_message(
            success_pids=[],
            failure_reason="550 5.1.1 mailbox unavailable",
            failure_type="mail_smtp",
        )
        (mails - refused)._postprocess_sent_message(success_pids=[])
        self.assertEqual(reminders[0].state, "error")
        self.assertIn("550 5.1.1", reminders[0].error_message)
        self.assertEqual(reminders[1].email_state, "sent")
        self.assertEqual(reminders[1].state, "sent")

    def test_email_content_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["credit_management"], ["fr_FR"])
        self.customer.lang = "fr_FR"
        invoices = self._invoice(self.customer, 1234.5, due_days=-20) | self._invoice(
            self.customer, 99.0, due_days=-8
        )
        reminder = self._run()
        mail = self._mails(reminder)
        self.assertEqual(mail.recipient_ids, self.customer)
        body = str(mail.body_html)
        for invoice in invoices:
            self.assertIn(invoice.name, body)
        self.assertIn("1&nbsp;234,50", body, "amounts formatted the French way")
        self.assertIn("99,00", body)
        self.assertIn("Solde dû", body)
        self.assertIn("Sauf erreur de notre part", body)
        self.assertIn("relance", mail.subject.lower())
        self.assertEqual(mail.email_from, self.collector.email_formatted)
        self.assertIn(self.collector.partner_id, reminder.message_partner_ids)
        log = self.customer.message_ids.filtered(lambda m: reminder.name in str(m.body))
        self.assertTrue(log, "the customer's chatter keeps a trace of the reminder")

    @freeze_time(TODAY)
    def test_send_reminder_now(self):
        invoice = self._invoice(self.customer, 300.0, due_days=-3)
        not_due = self._invoice(self.customer, 100.0, due_days=10)
        self.assertEqual(self.customer.dunning_next_level_id, self.levels[1])
        self.assertEqual(self.customer.dunning_next_date, TODAY + timedelta(days=2))
        wizard = (
            self.env["credit.dunning.send"]
            .with_user(self.collector)
            .with_context(default_partner_id=self.customer.id)
            .create({"level_id": self.levels[3].id})
        )
        action = wizard.action_send()
        reminder = self.Dunning.browse(action["res_id"])
        self.assertTrue(reminder.is_manual)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.line_ids.filtered("level_id").move_id, invoice)
        self.assertEqual(
            reminder.line_ids.filtered(lambda line: line.line_type == "open").move_id, not_due
        )
        self.assertEqual(invoice.dunning_level_id, self.levels[3])
        self.assertEqual(self.customer.dunning_count, 1)
        with self.assertRaises(UserError):
            self.env["credit.dunning.send"].with_context(
                default_partner_id=self.customer2.id
            ).create({"level_id": self.levels[1].id}).action_send()

    # ------------------------------------------------------------
    # CONFIGURATION AND ACCESS
    # ------------------------------------------------------------

    def test_configuration_errors(self):
        template = self.env.ref("credit_management.mail_template_dunning_reminder")
        with self.assertRaises(ValidationError):
            self.env["credit.dunning.scenario"].create(
                {
                    "name": "Wrong order",
                    "level_ids": [
                        Command.create(
                            {
                                "name": "A",
                                "sequence": 1,
                                "days": 10,
                                "mail_template_id": template.id,
                            }
                        ),
                        Command.create(
                            {
                                "name": "B",
                                "sequence": 2,
                                "days": 10,
                                "mail_template_id": template.id,
                            }
                        ),
                    ],
                }
            )
        scenario = self.env["credit.dunning.scenario"].create({"name": "Test"})
        with self.assertRaises(ValidationError):
            self.env["credit.dunning.level"].create(
                {
                    "scenario_id": scenario.id,
                    "name": "Silent",
                    "days": 5,
                    "channel_email": False,
                    "channel_phone": False,
                }
            )
        with self.assertRaises(ValidationError):
            self.env["credit.dunning.level"].create(
                {"scenario_id": scenario.id, "name": "No template", "days": 5}
            )
        level = self.env["credit.dunning.level"].create(
            {"scenario_id": scenario.id, "name": "Ok", "days": 5, "mail_template_id": template.id}
        )
        with self.assertRaises(ValidationError):
            self.env["credit.dunning.level"].create(
                {
                    "scenario_id": scenario.id,
                    "name": "Earlier",
                    "sequence": 20,
                    "days": 3,
                    "channel_email": False,
                    "channel_phone": True,
                }
            )
        partner_template = self.env.ref(
            "mail.mail_template_data_notification_email_default", raise_if_not_found=False
        )
        if partner_template:
            with self.assertRaises(ValidationError):
                level.mail_template_id = partner_template

    def test_access_rights(self):
        self._invoice(self.customer, 300.0, due_days=-20)
        self.levels[1].requires_validation = True
        reminder = self._run()
        # Sales users read reminders, nothing more.
        as_sales = reminder.with_user(self.sales_user)
        self.assertEqual(as_sales.amount_due, 300.0)
        with self.assertRaises(AccessError):
            as_sales.action_validate()
        with self.assertRaises(AccessError):
            self.standard.with_user(self.sales_user).write({"name": "Mine"})
        # Collectors work reminders but do not configure scenarios nor delete reminders.
        as_collector = reminder.with_user(self.collector)
        with self.assertRaises(AccessError):
            self.standard.with_user(self.collector).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            as_collector.unlink()
        as_collector.action_validate()
        self.assertEqual(reminder.state, "sent")
        with self.assertRaises(UserError):
            as_collector.action_cancel()
        # Managers configure.
        self.standard.with_user(self.manager).write({"min_amount": 5.0})
        self.assertEqual(self.standard.min_amount, 5.0)
