from odoo.tests import TransactionCase
from odoo.tests import tagged

from .common import untranslated_terms


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        missing, count = untranslated_terms(self.env, "credit_management")
        self.assertGreater(count, 50)
        self.assertFalse(
            missing, "Terms without a French translation in i18n/fr.po:\n" + "\n".join(missing)
        )

    def test_messages_in_french(self):
        """A French user reads the hold reasons in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_management"], ["fr_FR"], overwrite=True
        )
        company = self.env.company
        company.credit_hold_mode = "block"
        partner = self.env["res.partner"].create(
            {"name": "Client Manuel", "credit_hold_manual": True, "credit_hold_note": "Litige"}
        )
        check = partner.with_context(lang="fr_FR")._credit_check(10.0)
        self.assertTrue(check["blocked"])
        message = check["reasons"][0][1]
        self.assertIn("Litige", message)
        self.assertNotIn("Manual credit hold", message)
