"""Replies to reminders through Odoo's mail gateway: the suggestion and its one-click result."""

from email.message import EmailMessage
from email.utils import make_msgid

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon

JULY_10 = TODAY.replace(month=7, day=10)


@freeze_time("2026-06-15 10:00:00")
@tagged("post_install", "-at_install")
class TestReplySuggestion(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "compta@boulangeries-martin.fr"
        cls.Reply = cls.env["credit.reply"]
        cls.level = cls.env.ref("credit_management.dunning_scenario_standard").level_ids.sorted(
            "sequence"
        )[1]
        cls.invoice = cls._invoice(cls.customer, 5040.0, due_days=-20)
        cls.other_invoice = cls._invoice(cls.customer, 1200.0, due_days=-10)
        cls.reminder = cls._reminder(cls.company, cls.invoice | cls.other_invoice)

    @classmethod
    def _reminder(cls, company, invoices):
        reminder = (
            cls.env["credit.dunning"]
            .with_company(company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": company.id,
                    "currency_id": company.currency_id.id,
                    "level_id": cls.level.id,
                    "user_id": cls.collector.id,
                    "line_ids": [
                        Command.create(
                            {
                                "move_id": invoice.id,
                                "level_id": cls.level.id,
                                "amount_residual": invoice.amount_residual,
                                "amount_total": invoice.amount_total,
                                "days_overdue": 10,
                            }
                        )
                        for invoice in invoices
                    ],
                }
            )
        )
        # The reminder's email, as the customer received it.
        reminder.message_post(
            body="Merci de régler les factures échues.",
            partner_ids=cls.customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return reminder

    def _reply(self, reminder, body, headers=None, subject="Re: Relance", attachment=None):
        """The customer answers ``reminder`` by email, through the mail gateway."""
        sent = reminder.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        email = EmailMessage()
        email["From"] = f"Boulangeries Martin <{self.customer.email}>"
        email["To"] = "relance@example.com"
        email["Subject"] = subject
        email["Message-Id"] = make_msgid(domain="boulangeries-martin.fr")
        email["In-Reply-To"] = sent.message_id
        email["References"] = sent.message_id
        email["Date"] = "Mon, 15 Jun 2026 09:30:00 +0000"
        for name, value in (headers or {}).items():
            email[name] = value
        email.set_content(body)
        if attachment:
            email.add_attachment(
                attachment[1], maintype="application", subtype="pdf", filename=attachment[0]
            )
        thread_id = self.env["mail.thread"].message_process(False, email.as_string())
        self.assertEqual(thread_id, reminder.id, "the reply is routed to the reminder")
        return self.Reply.search([("dunning_id", "=", reminder.id)], order="id desc", limit=1)

    # ------------------------------------------------------------
    # SUGGESTIONS
    # ------------------------------------------------------------

    def test_promise_suggested_then_accepted(self):
        reply = self._reply(
            self.reminder,
            f"Bonjour,\nJe vous règle la facture {self.invoice.name}, soit 5 040,00 €, le "
            "10 juillet.\nCordialement\n\nLe 14 juin 2026, Relance a écrit :\n> Merci de régler",
        )
        self.assertRecordValues(
            reply,
            [
                {
                    "intent": "promise",
                    "date": JULY_10,
                    "amount": 5040.0,
                    "state": "new",
                    "automatic": False,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "user_id": self.collector.id,
                    "suggested_intent": "promise",
                }
            ],
        )
        self.assertEqual(reply.move_ids, self.invoice, "the invoice named in the reply")
        self.assertIn("5", reply.summary)
        self.assertNotIn("Merci de régler", reply.text, "the quoted reminder is cut off")
        self.assertFalse(
            self.env["credit.payment.promise"].search([("dunning_id", "=", self.reminder.id)]),
            "nothing applied without the collector's click",
        )
        self.assertEqual(self.reminder.reply_new_count, 1)
        desk = self.env["credit.collector.desk"].with_user(self.collector).create({})
        self.assertEqual(desk.reply_count, 1, "on the collector's desk")

        reply.with_user(self.collector).action_accept()
        promise = reply.promise_id
        self.assertRecordValues(
            promise,
            [
                {
                    "partner_id": self.customer.id,
                    "amount": 5040.0,
                    "date_promised": JULY_10,
                    "state": "open",
                    "source": "reminder",
                    "dunning_id": self.reminder.id,
                }
            ],
        )
        self.assertEqual(promise.move_ids, self.invoice)
        self.assertRecordValues(
            reply,
            [{"state": "accepted", "decided_uid": self.collector.id, "is_corrected": False}],
        )
        with self.assertRaises(UserError, msg="a decided reply is not applied twice"):
            reply.with_user(self.collector).action_accept()

    def test_the_collector_is_notified(self):
        """The reply reaches the reminder's collector in Odoo (his inbox or his email, as
        he chose), whoever follows the reminder: he need not open his desk to learn of it."""
        reply = self._reply(self.reminder, "Nous allons vous payer la semaine prochaine.")
        notified = self.env["mail.notification"].search(
            [("mail_message_id", "=", reply.message_id.id)]
        )
        self.assertIn(self.collector.partner_id, notified.res_partner_id)
        self.assertNotIn(self.customer, notified.res_partner_id, "not sent back to its author")
        self.assertIn(self.collector.partner_id, self.reminder.message_partner_ids)
        # An automatic reply makes nobody follow the reminder.
        other = self._reminder(self.company, self._invoice(self.customer, 300.0, due_days=-5))
        self._reply(other, "Bonjour, je suis actuellement absente et serai de retour le 22 juin.")
        self.assertNotIn(self.collector.partner_id, other.message_partner_ids)

    def test_promise_corrected_before_accepting(self):
        reply = self._reply(self.reminder, "Nous allons vous payer la semaine prochaine.")
        self.assertEqual(reply.intent, "promise")
        reply.with_user(self.collector).write({"amount": 1000.0})
        reply.with_user(self.collector).action_accept()
        self.assertEqual(reply.promise_id.amount, 1000.0)
        self.assertEqual(reply.promise_id.move_ids, self.invoice | self.other_invoice)
        self.assertTrue(reply.is_corrected, "kept to measure the analyser")
        with self.assertRaises(UserError, msg="an accepted suggestion stays as accepted"):
            reply.with_user(self.collector).write({"amount": 10.0})

    def test_dispute_one_click(self):
        reply = self._reply(
            self.reminder,
            f"La facture {self.other_invoice.name} est un doublon, elle a déjà été facturée.",
        )
        self.assertEqual((reply.intent, reply.move_ids), ("dispute", self.other_invoice))
        self.assertEqual(
            reply.reason_id, self.env.ref("credit_management.dispute_reason_duplicate")
        )
        reply.with_user(self.collector).action_accept()
        self.assertRecordValues(
            reply.dispute_id,
            [{"state": "new", "source": "reminder", "dunning_id": self.reminder.id}],
        )
        self.assertEqual(reply.dispute_id.move_ids, self.other_invoice)
        self.assertTrue(self.other_invoice.in_dispute, "its reminders stop")

    def test_copy_sends_the_invoice(self):
        reply = self._reply(
            self.reminder, f"Pouvez-vous nous renvoyer la facture {self.invoice.name} ?"
        )
        self.assertEqual(reply.intent, "copy")
        before = self.reminder.message_ids
        reply.with_user(self.collector).action_accept()
        sent = (self.reminder.message_ids - before).filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(sent), 1, "the copy is emailed in the reminder's thread")
        self.assertEqual(sent.partner_ids, self.customer)
        self.assertEqual(len(sent.attachment_ids), 1)

    def test_paid_schedules_a_check(self):
        reply = self._reply(
            self.reminder,
            "La facture a été réglée hier par virement, avis de virement joint.",
            attachment=("avis-virement.pdf", b"%PDF-1.4 avis"),
        )
        self.assertEqual((reply.intent, reply.date), ("paid", TODAY.replace(day=14)))
        self.assertEqual(reply.attachment_ids.mapped("name"), ["avis-virement.pdf"])
        reply.with_user(self.collector).action_accept()
        activity = self.reminder.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("avis-virement.pdf", str(activity.note), "the remittance named")

    # ------------------------------------------------------------
    # AUTOMATIC REPLIES
    # ------------------------------------------------------------

    def test_out_of_office_ignored(self):
        by_header = self._reply(
            self.reminder,
            "Nous vous réglerons 5 040,00 € le 10 juillet.",
            headers={"Auto-Submitted": "auto-replied"},
        )
        by_body = self._reply(
            self.reminder,
            "Bonjour, je suis actuellement absente et serai de retour le 22 juin.",
            subject="Réponse automatique",
        )
        for reply in by_header | by_body:
            self.assertRecordValues(
                reply,
                [{"intent": "out_of_office", "automatic": True, "state": "ignored"}],
            )
            with self.assertRaises(UserError):
                reply.with_user(self.collector).action_accept()
        self.assertFalse(
            self.env["credit.payment.promise"].search([("dunning_id", "=", self.reminder.id)])
        )
        self.assertEqual(self.reminder.reply_new_count, 0, "nothing to read")
        self.assertEqual(self.reminder.state, "draft", "an auto-reply stops nothing")

    def test_auto_apply_only_when_allowed(self):
        self.company.credit_reply_auto_promise = True
        sure = self._reply(self.reminder, "Je vous règle 5 040,00 € le 10 juillet.")
        self.assertRecordValues(sure, [{"state": "accepted", "auto_decided": True}])
        self.assertEqual(sure.promise_id.date_promised, JULY_10)
        unsure = self._reply(self.reminder, "On vous paiera bientôt.")
        self.assertRecordValues(unsure, [{"state": "new", "promise_id": False}])

    def test_internal_note_is_no_reply(self):
        self.reminder.with_user(self.collector).message_post(
            body="J'ai appelé, il paiera le 10 juillet 5 040,00 €.", message_type="comment"
        )
        self.assertFalse(self.reminder.reply_ids)

    # ------------------------------------------------------------
    # RIGHTS AND COMPANIES
    # ------------------------------------------------------------

    def test_rights(self):
        reply = self._reply(self.reminder, "Je vous règle 5 040,00 € le 10 juillet.")
        with self.assertRaises(AccessError, msg="a sales user reads, never applies"):
            reply.with_user(self.sales_user).action_accept()
        with self.assertRaises(AccessError, msg="the state is the actions'"):
            reply.with_user(self.collector).write({"state": "accepted"})
        with self.assertRaises(AccessError, msg="the gateway makes suggestions, not collectors"):
            self.Reply.with_user(self.collector).create(
                {
                    "dunning_id": self.reminder.id,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                }
            )
        reply.with_user(self.collector).action_ignore()
        self.assertRecordValues(reply, [{"state": "ignored", "decided_uid": self.collector.id}])

    def test_two_companies_kept_apart(self):
        other_company = self.setup_other_company(name="Filiale Lyon")["company"]
        self.env.user.company_ids |= other_company
        foreign_invoice = self._invoice(self.customer, 700.0, due_days=-20, company=other_company)
        foreign_reminder = self._reminder(other_company, foreign_invoice)
        own = self._reply(
            self.reminder, f"Je vous règle la facture {self.invoice.name} le 10 juillet."
        )
        foreign = self._reply(
            foreign_reminder,
            f"Je vous règle les factures {self.invoice.name} et {foreign_invoice.name} "
            "le 10 juillet.",
        )
        self.assertEqual(foreign.company_id, other_company)
        self.assertEqual(
            foreign.move_ids, foreign_invoice, "only the open invoices of the reminder's company"
        )
        visible = self.Reply.with_user(self.collector).search([])
        self.assertIn(own, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.collector).action_accept()
