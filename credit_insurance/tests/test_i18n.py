import polib

from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        reader = TranslationModuleReader(self.env.cr, modules=["credit_insurance"])
        sources = {
            source
            for module, _type, _name, _res_id, source, _value, _comments in reader
            if module == "credit_insurance" and source and source.strip()
        }
        self.assertGreater(len(sources), 50)
        po = polib.pofile(file_path("credit_insurance/i18n/fr.po"))
        translated = {
            entry.msgid
            for entry in po
            if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        missing = sorted(sources - translated)
        self.assertFalse(
            missing, "Terms without a French translation in i18n/fr.po:\n" + "\n".join(missing)
        )
