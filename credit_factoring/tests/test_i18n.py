from odoo.addons.credit_management.tests.common import TODAY
from odoo.addons.credit_management.tests.common import untranslated_terms
from odoo.tests import TransactionCase
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import FactoringCommon


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_french_complete(self):
        """Every term of the module has a French translation in i18n/fr.po."""
        missing, count = untranslated_terms(self.env, "credit_factoring")
        self.assertGreater(count, 50)
        self.assertFalse(
            missing, "Terms without a French translation in i18n/fr.po:\n" + "\n".join(missing)
        )


@tagged("post_install", "-at_install")
class TestSubrogationMentionInFrench(FactoringCommon):
    def test_mention_in_the_customers_language(self):
        """A French customer's letter carries the French subrogation mention."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_factoring"], ["fr_FR"], overwrite=True
        )
        contract = self._contract(kind="notified", collected_by="company")
        self.assertIn(
            "Pour être libératoire", contract.with_context(lang="fr_FR").subrogation_mention
        )
        self.assertIn("To discharge your debt", contract.subrogation_mention)
        text = contract._subrogation_text("fr_FR")
        self.assertIn("à l'ordre de Factor Finance SA", text)
        self.assertIn("FR76 3000 4000 0312 3456 7890 143", text)
        self.customer.lang = "fr_FR"
        self.company.credit_dunning_scenario_id = self.env.ref(
            "credit_management.dunning_scenario_standard"
        )
        invoice = self._invoice(self.customer, 500.0, due_days=-10)
        self._batch(contract, invoice)
        with freeze_time(TODAY):
            reminder = self.env["credit.dunning"].run_dunning(TODAY)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "credit_management.action_report_credit_dunning_letter", reminder.ids
        )
        text = html2plaintext(html.decode())
        self.assertIn("Pour être libératoire", text)
        self.assertIn("Paiement à Factor Finance SA", text)
