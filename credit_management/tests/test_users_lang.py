from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .. import compat
from .common import TODAY
from .common import CreditCommon


@tagged("post_install", "-at_install")
@freeze_time(TODAY)
class TestUsersLanguage(CreditCommon):
    """On a French database, what the scheduled actions write for the users (notes,
    activities) is in French; what the customer receives is in the customer's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_management"], ["fr_FR"], overwrite=True
        )
        # The people of the company read French; the customer reads English.
        (cls.manager | cls.collector | cls.sales_user).lang = "fr_FR"
        cls.company.credit_manager_id = cls.manager
        cls.customer.write({"email": "accounts@martin.example", "lang": "en_US"})

    def test_users_lang_of_the_company(self):
        self.assertEqual(self.company._credit_users_lang(), "fr_FR", "the credit manager's")
        self.company.credit_manager_id = False
        self.collector.lang = "en_US"
        self.assertEqual(self.company._credit_users_lang(), "en_US", "the default collector's")
        self.company.credit_responsible_id = False
        # Nobody in charge: the language most of the company's internal users have.
        users = self.env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", self.company.ids)]
        )
        self.assertGreater(len(users), 2)
        users.lang = "fr_FR"
        self.collector.lang = "en_US"
        self.assertEqual(self.company._credit_users_lang(), "fr_FR")
        users.lang = "en_US"
        self.manager.lang = "fr_FR"
        self.assertEqual(self.company._credit_users_lang(), "en_US")
        # A user's own language wins when a user runs it.
        partners = self.env["res.partner"].with_context(lang="fr_FR")
        self.assertEqual(self.company._credit_in_users_lang(partners).env.lang, "fr_FR")

    def test_score_cron_notes_in_french(self):
        standard = self.env.ref("credit_management.payer_profile_standard")
        good = self.env.ref("credit_management.payer_profile_good")
        self.customer.write({"payer_profile_id": standard.id, "payer_profile_pinned": False})
        invoice = self._invoice(
            self.customer, 1000.0, due_days=-100, invoice_date=TODAY - timedelta(days=130)
        )
        self._pay(invoice, 1000.0, date=TODAY - timedelta(days=100))
        # As the scheduler runs it: as OdooBot, no language in the context.
        compat.run_cron(self, self.env.ref("credit_management.ir_cron_credit_score"))
        self.assertEqual(self.customer.payer_profile_id, good)
        note = self.customer.message_ids.filtered(lambda m: "(100)" in str(m.body))
        self.assertEqual(len(note), 1, "the change of profile is logged once")
        body = str(note.body)
        self.assertIn("Profil de payeur passé de", body, "the note is in French")
        self.assertIn(good.with_context(lang="fr_FR").name, body, "with the French names")
        self.assertNotIn("Payer profile", body)

    def test_dunning_run_note_in_french_email_in_english(self):
        self.company.credit_dunning_scenario_id = self.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        self._invoice(self.customer, 1234.5, due_days=-20)
        # As the scheduled action runs it: no language in the context.
        reminder = self.env["credit.dunning"].with_context(lang=None).run_dunning(TODAY)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.state, "sent", reminder.error_message)
        note = self.customer.message_ids.filtered(lambda m: reminder.name in str(m.body))
        self.assertEqual(len(note), 1, "the customer's chatter keeps a trace of the reminder")
        self.assertIn(f"Relance {reminder.name} envoyée", str(note.body), "in French")
        mail = self.env["mail.mail"].search(
            [("model", "=", "credit.dunning"), ("res_id", "=", reminder.id)]
        )
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertIn("payment reminder", mail.subject, "in the customer's English")
        self.assertNotIn("relance", mail.subject.lower())
