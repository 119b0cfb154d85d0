import polib

from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        reader = TranslationModuleReader(self.env.cr, modules=["credit_management"])
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "credit_management" and source and source.strip()
        }
        self.assertGreater(len(sources), 50)
        po = polib.pofile(file_path("credit_management/i18n/fr.po"))
        translated = {
            entry.msgid
            for entry in po
            if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(sources - translated)
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
