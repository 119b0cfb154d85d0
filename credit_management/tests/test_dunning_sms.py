from unittest import skipUnless

from odoo.addons.sms.tests.common import SMSCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .. import compat
from .common import TODAY
from .common import CreditCommon

# Invoices of these tests are due 20 days before TODAY (2026-06-15).
DUE_DATE_EN = "05/26/2026"
DUE_DATE_FR = "26/05/2026"


@tagged("post_install", "-at_install")
class TestDunningSms(CreditCommon, SMSCase):
    """The SMS channel of reminders: text, number, Odoo's SMS queue and the gateway's answer.

    The gateway is Odoo's own SMS test double (``mockSMSGateway``): in Odoo's test mode IAP
    calls are refused, the real HTTP exchange is covered by tests/test_dunning_sms_e2e.py.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dunning = cls.env["credit.dunning"]
        cls.firm = cls.env.ref("credit_management.dunning_scenario_firm")
        cls.level = cls.env.ref("credit_management.dunning_level_firm_1")
        cls.template = cls.env.ref("credit_management.sms_template_dunning_overdue")
        cls.company.credit_dunning_scenario_id = cls.firm
        cls.france = cls.env.ref("base.fr")
        cls.customer.write(
            {
                "email": "compta@boulangeries-martin.fr",
                "phone": "06 12 34 56 78",
                "country_id": cls.france.id,
                "credit_limit": 0.0,
            }
        )

    def _customer(self, name, **values):
        return self.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.lower().replace(' ', '.')}@example.fr",
                    "country_id": self.france.id,
                },
                **values,
            )
        )

    def _run(self):
        return self.Dunning.run_dunning(TODAY)

    def _sms_of(self, reminders):
        return (
            self.env["sms.sms"]
            .sudo()
            .search([("mail_message_id", "in", reminders.sms_message_id.ids)])
        )

    def _process_queue(self, **gateway):
        """The SMS queue sent as its scheduled action sends it, without its commits."""
        queued = (
            self.env["sms.sms"]
            .sudo()
            .search([("state", "=", "outgoing"), ("to_delete", "!=", True)], order="id")
        )
        with self.mockSMSGateway(**gateway):
            queued.send(unlink_failed=False, unlink_sent=True, raise_exception=False)

    # ------------------------------------------------------------
    # TEXT AND NUMBER
    # ------------------------------------------------------------

    def test_sms_queued_then_sent(self):
        self.assertTrue(self.level.channel_sms, "the firm scenario reminds by SMS too")
        self.assertEqual(self.level.sms_template_id, self.template)
        invoice = self._invoice(self.customer, 1234.5, due_days=-20)
        reminder = self._run()
        self.assertEqual(reminder.level_id, self.level)
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(reminder.email_state, "queued")
        self.assertEqual(reminder.sms_state, "queued")
        self.assertEqual(reminder.date_due_oldest, invoice.invoice_date_due)
        # The SMS is in the reminder's chatter and in Odoo's SMS queue, not sent yet.
        message = reminder.sms_message_id
        self.assertEqual(message.message_type, "sms")
        self.assertEqual((message.model, message.res_id), ("credit.dunning", reminder.id))
        self.assertEqual(message.record_company_id, self.company, "sent with its company's account")
        sms = self._sms_of(reminder)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.number, "+33612345678", "the mobile, formatted for the gateway")
        self.assertEqual(sms.partner_id, self.customer)
        for text in ("1,234.50", DUE_DATE_EN, reminder.name, self.company.name):
            self.assertIn(text, sms.body)
        self.assertIn("1,234.50", str(message.body))
        self.assertEqual(reminder.sms_preview, sms.body)
        self.assertEqual(message.notification_ids.notification_status, "ready")
        cron = self.env.ref("sms.ir_cron_sms_scheduler_action")
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            "the SMS queue is woken up",
        )
        log = self.customer.message_ids.filtered(lambda m: reminder.name in str(m.body))
        self.assertIn("SMS", str(log.body), "the customer's chatter names the SMS")
        # Odoo's SMS queue sends it; the gateway accepts it.
        self._process_queue()
        self.assertSMSIapSent(["+33612345678"], content="1,234.50")
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(reminder.sms_state, "sent")
        self.assertEqual(reminder.state, "sent")
        self.assertEqual(message.notification_ids.notification_status, "pending")
        # Nothing sent twice: the queue has nothing left for this reminder.
        self._process_queue()
        self.assertFalse(self._sms)

    def test_sms_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        self.template.with_context(lang="fr_FR").body = (
            "{{ object.company_id.name }} : relance {{ object.name }}. "
            "{{ format_amount(object.amount_due, object.currency_id) }} impayés depuis le "
            "{{ format_date(object.date_due_oldest) }}. Merci de régler aujourd'hui."
        )
        self._invoice(self.customer, 1234.5, due_days=-20)
        self._invoice(self.customer, 100.0, due_days=-10)
        reminder = self._run()
        self._process_queue()
        body = self._sms[0]["body"]
        self.assertIn("impayés depuis le", body)
        # Thousands separated by a (narrow) no-break space, decimals after a comma.
        self.assertRegex(body, "1[\xa0\u202f]334,50")
        self.assertIn(DUE_DATE_FR, body, "the oldest due date, the French way")
        self.assertIn(reminder.name, body)
        self.assertNotIn("overdue", body)
        self.assertEqual(reminder.sms_state, "sent")

    def test_number_fallbacks(self):
        phone_only = self._customer("Phone Only", phone="04 78 85 12 40")
        through_contact = self._customer("Through Contact")
        contact = self.env["res.partner"].create(
            {
                "name": "Service comptable",
                "parent_id": through_contact.id,
                "type": "invoice",
                "phone": "07 81 22 33 44",
                "country_id": self.france.id,
            }
        )
        # A delivery address's number is not the invoicing contact's.
        self.env["res.partner"].create(
            {
                "name": "Dépôt",
                "parent_id": phone_only.id,
                "type": "delivery",
                "phone": "06 99 99 99 99",
            }
        )
        for partner in (self.customer, phone_only, through_contact):
            self._invoice(partner, 300.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(set(reminders.mapped("sms_state")), {"queued"})
        by_partner = {sms.partner_id: sms.number for sms in self._sms_of(reminders)}
        self.assertEqual(
            by_partner,
            {
                self.customer: "+33612345678",
                phone_only: "+33478851240",
                contact: "+33781223344",
            },
        )
        self._process_queue()
        self.assertSMSIapSent(["+33612345678", "+33478851240", "+33781223344"])
        self.assertEqual(set(reminders.mapped("sms_state")), {"sent"})

    @skipUnless(compat.BEFORE_19, "Odoo 19.0 has no mobile on partners: the phone is the number")
    def test_mobile_before_phone(self):
        """On 18.0 a customer with a mobile and a phone gets the SMS on its mobile."""
        both = self._customer("Both Numbers", mobile="06 11 22 33 44", phone="04 72 00 00 00")
        self._invoice(both, 300.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(
            {sms.partner_id: sms.number for sms in self._sms_of(reminders)},
            {both: "+33611223344"},
            "the mobile before the phone",
        )

    def test_no_number_puts_only_that_reminder_in_error(self):
        no_number = self._customer("No Number")
        wrong_number = self._customer("Wrong Number", phone="12")
        for partner in (self.customer, no_number, wrong_number):
            self._invoice(partner, 300.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(len(reminders), 3)
        ok = reminders.filtered(lambda r: r.partner_id == self.customer)
        missing = reminders.filtered(lambda r: r.partner_id == no_number)
        wrong = reminders.filtered(lambda r: r.partner_id == wrong_number)
        self.assertEqual((ok.state, ok.sms_state), ("sent", "queued"))
        for reminder in missing | wrong:
            self.assertEqual(reminder.state, "error")
            self.assertEqual(reminder.sms_state, "error")
            self.assertEqual(reminder.email_state, "queued", "the email went all the same")
            self.assertFalse(reminder.sms_message_id)
        self.assertIn("no mobile or phone number", missing.error_message)
        self.assertIn("No valid phone number", wrong.error_message)
        self.assertIn("12", wrong.error_message)
        self.assertEqual(self._sms_of(reminders).partner_id, self.customer)
        # The number is added; the collector retries: only the SMS goes, the email is not
        # sent twice.
        no_number.phone = "06 55 44 33 22"
        missing.with_user(self.collector).action_retry()
        self.assertEqual((missing.state, missing.sms_state), ("sent", "queued"))
        self.assertFalse(missing.error_message)
        mails = self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "=", missing.id)]
        )
        self.assertEqual(len(mails), 1)
        self._process_queue()
        self.assertSMSIapSent(["+33655443322", "+33612345678"])
        self.assertEqual(missing.sms_state, "sent")
        self.assertEqual(wrong.state, "error", "still waiting for a correct number")

    def test_failing_template_isolated(self):
        broken = self.env["sms.template"].create(
            {
                "name": "Broken",
                "model_id": self.env["ir.model"]._get_id("credit.dunning"),
                "body": "{{ object.partner_id.no_such_field }}",
            }
        )
        custom = self.firm.copy({"name": "Broken SMS"})
        custom.level_ids.filtered("channel_sms").sms_template_id = broken
        bad = self._customer("Broken Template", phone="06 00 00 00 01")
        bad.dunning_scenario_id = custom
        for partner in (self.customer, bad):
            self._invoice(partner, 300.0, due_days=-20)
        with mute_logger("odoo.addons.mail.models.mail_render_mixin"):
            reminders = self._run()
        failed = reminders.filtered(lambda r: r.partner_id == bad)
        self.assertEqual((failed.state, failed.sms_state), ("error", "error"))
        self.assertIn("Broken", failed.error_message)
        self.assertIn("no_such_field", failed.error_message)
        self.assertFalse(failed.sms_message_id, "no SMS logged for it")
        self.assertEqual((reminders - failed).sms_state, "queued")
        self.assertEqual(self._sms_of(reminders).partner_id, self.customer)

    # ------------------------------------------------------------
    # GATEWAY ANSWERS
    # ------------------------------------------------------------

    def test_gateway_refusal_isolated(self):
        others = self._customer("Client A", phone="06 00 00 00 02") | self._customer(
            "Client B", phone="06 00 00 00 03"
        )
        for partner in self.customer | others:
            self._invoice(partner, 300.0, due_days=-20)
        reminders = self._run()
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        self._process_queue(nbr_t_error={"+33600000002": "wrong_number_format"})
        refused = reminders.filtered(lambda r: r.partner_id == others[0])
        self.assertEqual((refused.state, refused.sms_state), ("error", "error"))
        self.assertIn("Wrong Number Format", refused.error_message)
        self.assertIn("+33600000002", refused.error_message)
        self.assertEqual(refused.sms_message_id.notification_ids.notification_status, "exception")
        self.assertEqual(refused.email_state, "queued", "the email is not touched")
        for reminder in reminders - refused:
            self.assertEqual((reminder.state, reminder.sms_state), ("sent", "sent"))
        self.assertSMSIapSent(["+33612345678", "+33600000003"])
        # The number was right after all (the gateway had a hiccup): retried, it goes.
        refused.with_user(self.collector).action_retry()
        self.assertEqual(refused.state, "sent")
        self._process_queue()
        self.assertSMSIapSent(["+33600000002"])
        self.assertEqual(refused.sms_state, "sent")

    def test_gateway_unreachable_keeps_reminders_retryable(self):
        self._invoice(self.customer, 300.0, due_days=-20)
        other = self._customer("Client C", phone="06 00 00 00 04")
        self._invoice(other, 200.0, due_days=-20)
        reminders = self._run()
        self._process_queue(sim_error="jsonrpc_exception")
        self.assertFalse(self._sms)
        for reminder in reminders:
            self.assertEqual((reminder.state, reminder.sms_state), ("error", "error"))
            self.assertIn("Server Error", reminder.error_message)
        reminders.with_user(self.collector).action_retry()
        self._process_queue()
        self.assertSMSIapSent(["+33612345678", "+33600000004"])
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        self.assertEqual(set(reminders.mapped("sms_state")), {"sent"})

    def test_delivery_report_failure(self):
        """The gateway's later delivery report (``/sms/status``) that the SMS never arrived."""
        other = self._customer("Client D", phone="06 00 00 00 05")
        for partner in self.customer | other:
            self._invoice(partner, 300.0, due_days=-20)
        reminders = self._run()
        self._process_queue()
        self.assertEqual(set(reminders.mapped("sms_state")), {"sent"})
        lost = reminders.filtered(lambda r: r.partner_id == other)
        arrived = reminders - lost
        report = {
            "message_statuses": [
                {"sms_status": "invalid_destination", "uuids": self._sms_of(lost).mapped("uuid")},
                {"sms_status": "delivered", "uuids": self._sms_of(arrived).mapped("uuid")},
            ]
        }
        self.assertEqual(self.make_jsonrpc_request("/sms/status", report), "OK")
        self.assertEqual((lost.state, lost.sms_state), ("error", "error"))
        self.assertIn("Invalid Destination", lost.error_message)
        self.assertIn("+33600000005", lost.error_message)
        self.assertEqual((arrived.state, arrived.sms_state), ("sent", "sent"))
        self.assertEqual(arrived.sms_message_id.notification_ids.notification_status, "sent")

    def test_late_refusal_leaves_cancelled_reminder_cancelled(self):
        no_email = self._customer("No Email", phone="06 00 00 00 06", email=False)
        self._invoice(no_email, 300.0, due_days=-20)
        reminder = self._run()
        self.assertEqual((reminder.state, reminder.email_state), ("error", "error"))
        self.assertEqual(reminder.sms_state, "queued", "the SMS left all the same")
        reminder.with_user(self.collector).action_cancel()
        self._process_queue(nbr_t_error={"+33600000006": "wrong_number_format"})
        self.assertEqual((reminder.state, reminder.sms_state), ("cancelled", "error"))

    # ------------------------------------------------------------
    # BATCHES
    # ------------------------------------------------------------

    def test_queries_do_not_grow_with_reminders(self):
        """Sending SMS costs a few queries per batch, not per reminder."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Client {i}",
                    "is_company": True,
                    "phone": f"06 10 00 00 {i:02d}",
                    "country_id": self.france.id,
                }
                for i in range(30)
            ]
        )
        self.level.channel_email = False
        for customer in customers:
            self._invoice(customer, 100.0, due_days=-20)
        Dunning = self.Dunning.with_company(self.company)
        groups = Dunning._dunning_groups(Dunning._dunning_plan(self.company, TODAY), TODAY)
        reminders = Dunning._dunning_create_batch(groups)
        self.assertEqual(len(reminders), 30)

        def queries(batch):
            self.env.flush_all()
            self.env.invalidate_all()
            batch = self.Dunning.browse(batch.ids)
            start = self.env.cr.sql_log_count
            batch._send()
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        queries(reminders[:2])  # caches warmed up (templates, scheduled action, models)
        few = queries(reminders[2:7])
        many = queries(reminders[7:])
        self.assertEqual(set(reminders.mapped("sms_state")), {"queued"})
        self.assertEqual(len(self._sms_of(reminders)), 30)
        self.assertLessEqual(
            many, few + 5, f"{few} queries for 5 reminders, {many} for 23: not one per reminder"
        )
