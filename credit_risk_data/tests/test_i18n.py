from odoo.addons.credit_management.tests.common import untranslated_terms
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRiskTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        missing, count = untranslated_terms(self.env, "credit_risk_data")
        self.assertGreater(count, 50)
        self.assertFalse(
            missing, "Terms without a French translation in i18n/fr.po:\n" + "\n".join(missing)
        )
