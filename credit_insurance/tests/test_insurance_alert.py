from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.fields import Date
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from ..models import credit_insurance_alert as alert_module
from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceAlert(InsuranceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert = cls.env["credit.insurance.alert"]
        cls.company.credit_manager_id = cls.manager
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _alerts(self, alert_type, **domain):
        return self.Alert.search(
            [("alert_type", "=", alert_type)] + [(k, "=", v) for k, v in domain.items()],
            order="id",
        )

    def _run(self, day):
        with freeze_time(day):
            self.Alert._cron_generate()

    # ------------------------------------------------------------
    # EACH CAUSE
    # ------------------------------------------------------------

    def test_over_cover_once_ended_and_raised_again(self):
        cover = self._cover(self.customer)
        self._decide(cover, "granted", 5000.0)
        invoice = self._invoice(self.customer, 6000.0, due_days=30)
        self._run("2026-06-15")
        alert = self._alerts("over_cover", partner_id=self.customer.id)
        self.assertEqual(len(alert), 1)
        self.assertEqual((alert.amount_exposure, alert.amount_cover), (6000.0, 5000.0))
        self.assertEqual((alert.state, str(alert.date)), ("new", "2026-06-15"))
        self.assertEqual(alert.cover_id, cover)
        self.assertIn("1,000.00", alert.with_context(lang="en_US").description, "uncovered part")
        # The next day, the cause lasts: no second alert, the figures follow the ledger.
        self._invoice(self.customer, 500.0, due_days=30)
        self._run("2026-06-16")
        self.assertEqual(self._alerts("over_cover", partner_id=self.customer.id), alert)
        self.assertEqual(alert.amount_exposure, 6500.0)
        # Paid down under the cover: the alert is done with the day the cause ended.
        self._pay(invoice, 2000.0)
        self._run("2026-06-17")
        self.assertEqual((alert.state, str(alert.date_end)), ("done", "2026-06-17"))
        self.assertFalse(alert.activity_ids, "its to-do is closed")
        self._run("2026-06-18")
        self.assertEqual(len(self._alerts("over_cover")), 1)
        # Over the cover again: a new alert.
        self._invoice(self.customer, 3000.0, due_days=30)
        self._run("2026-06-19")
        alerts = self._alerts("over_cover", partner_id=self.customer.id)
        self.assertEqual(len(alerts), 2)
        self.assertEqual((alerts[1].state, alerts[1].amount_exposure), ("new", 7500.0))

    def test_unnamed_buyer_over_the_discretionary_limit(self):
        """A customer without any decision is insured up to the discretionary limit: owing
        more raises the alert; a customer owing nothing (a credit note) raises none."""
        self.policy.discretionary_limit = 1000.0
        unnamed, refunded = self.env["res.partner"].create(
            [{"name": name, "is_company": True} for name in ("Sans Nom SARL", "Avoir SA")]
        )
        self._invoice(unnamed, 1500.0, due_days=30)
        self._invoice(refunded, 400.0, move_type="out_refund")
        self._run("2026-06-15")
        alert = self._alerts("over_cover", partner_id=unnamed.id)
        self.assertEqual(
            (alert.amount_exposure, alert.amount_cover, alert.cover_id),
            (1500.0, 1000.0, alert.cover_id.browse()),
        )
        self.assertFalse(self._alerts("over_cover", partner_id=refunded.id))
        # Paid down under the limit: ended.
        self._invoice(unnamed, 800.0, move_type="out_refund")
        self._run("2026-06-16")
        self.assertEqual((alert.state, str(alert.date_end)), ("done", "2026-06-16"))

    def test_done_by_hand_not_raised_again_while_cause_lasts(self):
        self._decide(self._cover(self.customer), "granted", 1000.0)
        self._invoice(self.customer, 2000.0, due_days=30)
        self._run("2026-06-15")
        alert = self._alerts("over_cover")
        alert.with_user(self.manager).action_acknowledge()
        self.assertEqual(alert.state, "acknowledged")
        alert.with_user(self.manager).action_done()
        self._run("2026-06-16")
        self.assertEqual(self._alerts("over_cover"), alert)
        self.assertEqual(alert.state, "done")
        self.assertFalse(alert.date_end, "the cause lasts")

    def test_cover_reduced_on_each_decision(self):
        cover = self._cover(self.customer)
        self._decide(cover, "granted", 5000.0)
        self.assertFalse(self._alerts("cover_reduced"))
        reduced = self._decide(cover, "reduced", 2000.0, date="2026-06-10")
        alert = self._alerts("cover_reduced")
        self.assertEqual(len(alert), 1, "raised at once, without the cron")
        self.assertEqual((alert.decision_id, alert.amount_cover), (reduced, 2000.0))
        self.assertEqual(alert.activity_ids.user_id, self.manager)
        # The cron finds the same cause: nothing more, on this day or the next.
        self._run("2026-06-15")
        self._run("2026-06-16")
        self.assertEqual(self._alerts("cover_reduced"), alert)
        # A newer withdrawal: its own alert, the older one ended.
        cancelled = self._decide(cover, "cancelled", 0.0, date="2026-06-12")
        alerts = self._alerts("cover_reduced")
        self.assertEqual(len(alerts), 2)
        self.assertEqual(alerts[1].decision_id, cancelled)
        self.assertEqual((alert.state, str(alert.date_end)), ("done", "2026-06-15"))
        # Granted again: the cause is gone.
        self._decide(cover, "granted", 5000.0, date="2026-06-14")
        self.assertEqual(alerts[1].state, "done")
        self.assertTrue(alerts[1].date_end)
        # Refused later: raised again.
        self._decide(cover, "refused", 0.0, date="2026-06-15")
        self.assertEqual(len(self._alerts("cover_reduced")), 3)

    def test_unused_cover_from_the_ledger(self):
        """No exposure for 90 days: since the last receivable entry (or the cover's start)."""
        idle = self.env["res.partner"].create({"name": "Moulins Dupuis", "is_company": True})
        self._decide(self._cover(idle, buyer_ref="B-IDLE"), "granted", 3000.0)
        paid_up = self.env["res.partner"].create({"name": "Farines Roux", "is_company": True})
        self._decide(self._cover(paid_up, buyer_ref="B-PAID"), "granted", 4000.0)
        invoice = self._invoice(
            paid_up, 500.0, due_days=-60, invoice_date=Date.to_date("2026-04-01")
        )
        self._pay(invoice, 500.0, date=Date.to_date("2026-04-10"))
        self._run("2026-06-15")
        alert = self._alerts("unused_cover")
        self.assertEqual(alert.partner_id, idle, "paid on 10 April: 66 days only")
        self.assertEqual(str(alert.date_idle), "2026-01-10", "the cover's start")
        self.assertEqual(alert.amount_cover, 3000.0)
        self._run("2026-07-08")
        self.assertEqual(self._alerts("unused_cover"), alert, "89 days since the payment")
        self._run("2026-07-09")
        later = self._alerts("unused_cover", partner_id=paid_up.id)
        self.assertEqual(len(later), 1, "90 days since the payment")
        self.assertEqual(str(later.date_idle), "2026-04-10")
        self.assertEqual(len(self._alerts("unused_cover")), 2)
        # An invoice: exposure again, the alert ends.
        self._invoice(idle, 100.0, due_days=30)
        self._run("2026-07-10")
        self.assertEqual(alert.state, "done")
        self.assertEqual(later.state, "new")

    def test_declaration_due_within_seven_days_or_passed(self):
        self._decide(self._cover(self.customer), "granted", 9000.0)
        # Due 21 May: declare by 20 June (in 5 days).
        soon = self._invoice(self.customer, 1000.0, due_days=-25)
        # Due 5 June: declare by 5 July (in 20 days).
        later = self._invoice(self.customer, 1000.0, due_days=-10)
        self.assertEqual(str(soon.insurance_declaration_deadline), "2026-06-20")
        self._run("2026-06-15")
        alert = self._alerts("declaration_due")
        self.assertEqual(alert.move_id, soon)
        self.assertEqual(str(alert.date_due), "2026-06-20")
        self.assertEqual(alert.activity_ids.date_deadline, soon.insurance_declaration_deadline)
        # 28 June: the first deadline passed (still one alert), the second within 7 days.
        self._run("2026-06-28")
        alerts = self._alerts("declaration_due")
        self.assertEqual(alerts.move_id, soon | later)
        self.assertEqual(len(alerts), 2)
        # Declared: its alert ends at the next run.
        with freeze_time("2026-06-28"):
            soon.action_insurance_declare()
        self._run("2026-06-29")
        self.assertEqual(alert.state, "done")
        self.assertEqual(alerts[1].state, "new")

    def test_cover_expiring_within_thirty_days(self):
        cover = self._cover(self.customer)
        self.env["credit.insurance.decision"].create(
            {
                "cover_id": cover.id,
                "state": "granted",
                "amount": 5000.0,
                "date": "2026-01-10",
                "date_end": "2026-07-20",
                "reference": "AT-EXP-1",
            }
        )
        self._invoice(self.customer, 100.0, due_days=30)
        self._run("2026-06-15")
        self.assertFalse(self._alerts("cover_expiring"), "35 days left")
        self._run("2026-06-20")
        alert = self._alerts("cover_expiring")
        self.assertEqual((str(alert.date_due), alert.cover_id), ("2026-07-20", cover))
        self._run("2026-06-21")
        self.assertEqual(self._alerts("cover_expiring"), alert)
        # Expired: no longer expiring.
        self._run("2026-07-21")
        self.assertEqual((alert.state, str(alert.date_end)), ("done", "2026-07-21"))

    # ------------------------------------------------------------
    # ACTIVITIES, DIGEST, DESK, COMPANIES
    # ------------------------------------------------------------

    def test_activity_user(self):
        """The company's credit manager, else its default collector."""
        self._decide(self._cover(self.customer), "granted", 1000.0)
        self._invoice(self.customer, 2000.0, due_days=30)
        self._run("2026-06-15")
        activity = self._alerts("over_cover").activity_ids
        self.assertEqual((activity.user_id, activity.activity_type_id), (self.manager, self.todo))
        self.assertIn("Boulangeries Martin SAS", activity.summary)
        self.company.credit_manager_id = False
        other = self.env["res.partner"].create({"name": "Pâtisserie Leroy", "is_company": True})
        self._decide(self._cover(other, buyer_ref="B-2"), "reduced", 500.0)
        self.assertEqual(self._alerts("cover_reduced").activity_ids.user_id, self.collector)

    def test_digest_once_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_insurance"], ["fr_FR"], overwrite=True
        )
        self.manager.lang = "fr_FR"
        Mail = self.env["mail.mail"]

        def digests():
            return Mail.search(
                [
                    ("recipient_ids", "in", self.manager.partner_id.ids),
                    "|",
                    ("subject", "ilike", "insurance"),
                    ("subject", "ilike", "assurance"),
                ]
            )

        cover = self._cover(self.customer)
        self._decide(cover, "granted", 5000.0)
        self._decide(cover, "reduced", 2000.0, date="2026-06-10")
        self._run("2026-06-15")
        sent = digests()
        self.assertEqual(len(sent), 1)
        self.assertIn("Réduite", sent.body_html, "the decision's state in French")
        self.assertIn("10/06/2026", sent.body_html, "a French date")
        self.assertIn("2\xa0000,00", sent.body_html, "a French amount")
        self.assertNotIn("Reduced, ", sent.body_html, "not the English state")
        self.assertIn(">1<", sent.body_html.replace(" ", ""), "one open alert")
        self.assertTrue(self._alerts("cover_reduced").digest_sent)
        # Nothing new the next day: nothing sent.
        self._run("2026-06-16")
        self.assertEqual(digests(), sent)
        # A new alert: a second digest with it alone.
        self._invoice(self.customer, 3000.0, due_days=30)
        self._run("2026-06-17")
        self.assertEqual(len(digests()), 2)
        latest = digests() - sent
        self.assertIn("Boulangeries Martin SAS", latest.body_html)
        self.assertNotIn("Réduite", latest.body_html, "only the new alerts")

    def test_digest_lists_the_first_alerts_and_counts_the_others(self):
        others = self.env["res.partner"].create(
            [{"name": f"Client {n}", "is_company": True} for n in range(3)]
        )
        for n, partner in enumerate(others):
            self._decide(self._cover(partner, buyer_ref=f"B-{n}"), "refused", 0.0)
        with patch.object(alert_module, "DIGEST_LIMIT", 2):
            self._run("2026-06-15")
        digest = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.manager.partner_id.ids), ("subject", "ilike", "alerts")]
        )
        self.assertEqual(len(digest), 1)
        self.assertIn("3 new alerts", digest.subject)
        listed = [name for name in others.mapped("name") if name in digest.body_html]
        self.assertEqual(len(listed), 2, "the first two listed")
        self.assertIn("And 1 more", " ".join(digest.body_html.split()))
        self.assertIn(
            "/odoo/action-credit_insurance.credit_insurance_alert_action", digest.body_html
        )

    def test_todo_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_insurance"], ["fr_FR"], overwrite=True
        )
        self.manager.lang = "fr_FR"
        cover = self._cover(self.customer)
        self._decide(cover, "refused", 0.0)
        alert = self._alerts("cover_reduced")
        self.assertTrue(alert.activity_ids.summary.startswith("Garantie réduite ou retirée"))
        # Raised by a process in English (the scheduled action's user): the alert's name
        # read in English first must not leak into the French to-do.
        alert.activity_ids.unlink()
        english = alert.with_context(lang="en_US")
        self.assertTrue(english.display_name.startswith("Cover Reduced or Withdrawn"))
        english._schedule_activities()
        self.assertTrue(
            alert.activity_ids.summary.startswith("Garantie réduite ou retirée"),
            alert.activity_ids.summary,
        )
        self.assertIn("Refusée", alert.activity_ids.note)

    def test_desk_count(self):
        desk = self.env["credit.collector.desk"].with_user(self.collector).create({})
        self.assertEqual(desk.insurance_alert_count, 0)
        cover = self._cover(self.customer)
        self._decide(cover, "reduced", 2000.0)
        desk.invalidate_recordset()
        self.assertEqual(desk.insurance_alert_count, 1)
        action = desk.with_context(count_field="insurance_alert_count").action_open()
        self.assertEqual(action["res_model"], "credit.insurance.alert")
        self.assertEqual(
            desk.env[action["res_model"]].search(action["domain"]), self._alerts("cover_reduced")
        )
        # The desk's own counts still open.
        self.assertEqual(
            desk.with_context(count_field="dispute_count").action_open()["res_model"],
            "credit.dispute",
        )
        self._alerts("cover_reduced").action_done()
        desk.invalidate_recordset()
        self.assertEqual(desk.insurance_alert_count, 0)

    def test_companies_kept_apart(self):
        company_2 = self.setup_other_company()["company"]
        policy_2 = self.env["credit.insurance.policy"].create(
            {
                "name": "Police Coface Filiale",
                "insurer_id": self.insurer.id,
                "company_id": company_2.id,
                "currency_id": company_2.currency_id.id,
                "date_start": "2026-01-01",
            }
        )
        policy_2.action_activate()
        company_2.credit_insurance_unused_days = 0  # off: the reduction alone in company 2
        self._decide(self._cover(self.customer, policy=policy_2, buyer_ref="C-1"), "reduced", 10.0)
        self._decide(self._cover(self.customer), "granted", 1000.0)
        self._invoice(self.customer, 2000.0, due_days=30)
        self._run("2026-06-15")
        alert_2 = self._alerts("cover_reduced")
        self.assertEqual(alert_2.company_id, company_2)
        mine = self.Alert.with_user(self.manager).search([])
        self.assertEqual(mine, self._alerts("over_cover"))
        self.assertEqual(mine.company_id, self.company)
        with self.assertRaises(AccessError):
            alert_2.with_user(self.manager).read(["state"])
        self.assertEqual(self.customer.with_user(self.manager).insurance_alert_count, 1)
        self.assertEqual(self.policy.alert_count, 1)
        self.assertEqual(policy_2.alert_count, 1)

    def test_collector_reads_only(self):
        self._decide(self._cover(self.customer), "reduced", 500.0)
        alert = self._alerts("cover_reduced").with_user(self.collector)
        self.assertEqual(alert.state, "new")
        with self.assertRaises(AccessError):
            alert.action_acknowledge()
        other = new_test_user(
            self.env, login="plain_user", groups="base.group_user", company_id=self.company.id
        )
        with self.assertRaises(AccessError):
            alert.with_user(other).read(["state"])
