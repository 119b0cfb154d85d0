from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase
from odoo.tests import tagged

from .. import compat


@tagged("post_install", "-at_install")
class TestCreditIdentifiers(TransactionCase):
    """SIREN/SIRET by our own check; VAT numbers by Odoo's base_vat (python-stdnum)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.Partner = cls.env["res.partner"]
        # Never to the network: no company asks base_vat for a VIES check, as base_vat's own
        # tests do, and a VIES call would fail the test instead of reaching the service.
        cls.env["res.company"].search([]).vat_check_vies = False
        cls.startClassPatcher(
            patch(compat.VIES_CHECK, side_effect=AssertionError("VIES called in a test"))
        )

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
        # base_vat's message: the number (19.0 leaves its country code out), the partner and
        # the expected format.
        with self.assertRefused(
            r"VAT number \[(FR)?45732829320\] for partner \[TVA fausse\] does not seem to be valid"
        ):
            self.Partner.create(
                {"name": "TVA fausse", "country_id": self.france.id, "vat": "FR45732829320"}
            )
        self.assertFalse(self.Partner.search([("name", "=", "TVA fausse")]))
        with self.assertRefused(
            r"VAT number \[(BE)?0123456788\] for partner \[TVA belge fausse\] does not seem "
            r"to be valid"
        ):
            self.Partner.create(
                {
                    "name": "TVA belge fausse",
                    "country_id": self.env.ref("base.be").id,
                    "vat": "BE0123456788",
                }
            )

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
