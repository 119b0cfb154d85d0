from odoo.addons.credit_management.tests.common import untranslated_terms
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRiskInsuranceTranslations(TransactionCase):
    def test_french_complete(self):
        missing, count = untranslated_terms(self.env, "credit_risk_data_insurance")
        self.assertGreater(count, 2)
        self.assertFalse(missing, "Terms without a French translation:\n" + "\n".join(missing))
