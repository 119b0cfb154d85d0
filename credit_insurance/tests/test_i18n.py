from odoo.addons.credit_management.tests.common import untranslated_terms
from odoo.tests import TransactionCase
from odoo.tests import tagged

from .common import InsuranceCommon


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        missing, count = untranslated_terms(self.env, "credit_insurance")
        self.assertGreater(count, 50)
        self.assertFalse(
            missing, "Terms without a French translation in i18n/fr.po:\n" + "\n".join(missing)
        )


@tagged("post_install", "-at_install")
class TestDecisionNotesInFrench(InsuranceCommon):
    def test_decision_note_in_the_users_language(self):
        """The cover's note of a decision reads in French for a French user: state, date."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_insurance"], ["fr_FR"], overwrite=True
        )
        cover = self._cover(self.customer)
        self.env["credit.insurance.decision"].with_context(lang="fr_FR").create(
            {
                "cover_id": cover.id,
                "state": "reduced",
                "amount": 2500.0,
                "date": "2026-01-10",
                "reference": "AT-FR-1",
            }
        )
        body = cover.message_ids[0].body
        self.assertIn("Réduite", body)
        self.assertIn("10/01/2026", body)
        self.assertNotIn("Reduced", body)
