from contextlib import contextmanager

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCreditIdentifiers(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.Partner = cls.env["res.partner"]

    @contextmanager
    def assertRefused(self, pattern):
        """assertRaises (rolled back to a savepoint) + the message a user reads."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def test_valid_siren_siret_vat(self):
        partner = self.Partner.create(
            {
                "name": "Société Valide SA",
                "is_company": True,
                "country_id": self.france.id,
                "company_registry": "732 829 320",
                "vat": "FR44732829320",
            }
        )
        partner.company_registry = "73282932000074"
        self.assertEqual(partner.company_registry, "73282932000074")

    def test_invalid_siren_refused(self):
        with self.assertRefused("not a valid SIREN or SIRET"):
            self.Partner.create(
                {
                    "name": "Société Fantôme",
                    "country_id": self.france.id,
                    "company_registry": "732829321",
                }
            )
        self.assertFalse(self.Partner.search([("name", "=", "Société Fantôme")]))
        partner = self.Partner.create({"name": "Société Réelle", "country_id": self.france.id})
        with self.assertRefused("wrong length"):
            partner.company_registry = "12345"
        with self.assertRefused("wrong check digits"):
            partner.company_registry = "73282932000075"

    def test_invalid_vat_refused(self):
        with self.assertRefused("not a valid VAT number"):
            self.Partner.create(
                {"name": "TVA fausse", "country_id": self.france.id, "vat": "FR45732829320"}
            )
        with self.assertRefused("not a valid VAT number"):
            self.Partner.create({"name": "TVA belge fausse", "vat": "BE0123456788"})

    def test_foreign_registry_not_checked_as_siren(self):
        """A German Handelsregister number is none of our business."""
        partner = self.Partner.create(
            {
                "name": "Muster GmbH",
                "country_id": self.env.ref("base.de").id,
                "company_registry": "HRB 12345",
            }
        )
        self.assertEqual(partner.company_registry, "HRB 12345")

    def test_negative_limit_refused(self):
        with self.assertRefused("cannot be negative"):
            self.Partner.create({"name": "Limite négative", "credit_limit": -10.0})
