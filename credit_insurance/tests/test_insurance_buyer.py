from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import SQL

from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceBuyer(InsuranceCommon):
    """Buyer identification: identifiers checked before any request, the buyer search from the
    customer and the insurer's buyer id kept on the cover."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.france = cls.env.ref("base.fr")
        cls.customer.write(
            {
                "company_registry": "707688172",
                "vat": "FR17707688172",
                "country_id": cls.france.id,
                "street": "12 rue des Forges",
                "zip": "69007",
                "city": "Lyon",
            }
        )
        cls.demo_policy = cls.policy.copy(
            {"name": "Police démo", "provider_code": "demo", "policy_number": "DEMO-1"}
        )

    def _use_demo_policy(self):
        self.policy.action_close()
        self.demo_policy.action_activate()
        self.assertEqual(
            self.env["credit.insurance.policy"]._get_active(self.company), self.demo_policy
        )

    def _search(self, partner, user=None):
        action = partner.with_user(user or self.manager).action_insurance_search_buyer()
        self.assertEqual(action["res_model"], "credit.insurance.buyer.search")
        return self.env["credit.insurance.buyer.search"].browse(action["res_id"])

    def _set_raw(self, partner, column, value):
        """Store an identifier as an import made before the checks would have: the
        constraints of the save refuse an invalid one."""
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET %s = %s WHERE id = %s",
                SQL.identifier(column),
                value,
                partner.id,
            )
        )
        partner.invalidate_recordset([column])

    # ------------------------------------------------------------
    # IDENTIFIERS
    # ------------------------------------------------------------

    def test_identifiers_checked(self):
        self.assertEqual(
            self.customer._insurance_buyer_identifiers(),
            [("SIREN", "707688172"), ("VAT", "FR17707688172")],
        )
        self.assertEqual(
            self.contact._insurance_buyer_identifiers(),
            [("SIREN", "707688172"), ("VAT", "FR17707688172")],
            "a contact is identified by its company",
        )
        self.customer.company_registry = "930 945 084 00943"
        self.assertEqual(
            self.customer._insurance_buyer_identifiers()[:2],
            [("SIRET", "93094508400943"), ("SIREN", "930945084")],
        )

    def test_invalid_siren_refused_before_any_search(self):
        self._use_demo_policy()
        self._set_raw(self.customer, "company_registry", "707688173")
        with self.assertRaises(UserError) as caught:
            self._search(self.customer)
        message = str(caught.exception)
        self.assertIn("707688173", message)
        self.assertIn("not valid", message)
        self.assertIn("wrong check digits", message)
        self.assertFalse(
            self.env["credit.insurance.buyer.search"].search(
                [("partner_id", "=", self.customer.id)]
            ),
            "no search made",
        )

    def test_invalid_vat_refused(self):
        self._use_demo_policy()
        self._set_raw(self.customer, "vat", "FR00707688172")
        with self.assertRaises(UserError) as caught:
            self._search(self.customer)
        self.assertIn("The VAT number FR00707688172", str(caught.exception))

    def test_no_identifier_refused(self):
        self._use_demo_policy()
        anonymous = self.env["res.partner"].create({"name": "Sans Numéro", "is_company": True})
        with self.assertRaisesRegex(UserError, "has no SIREN, SIRET or VAT number"):
            self._search(anonymous)

    def test_request_checks_identifiers(self):
        """Requesting a cover from an insurer with an API checks the identifiers first:
        nothing is sent, the cover stays a draft; the manual provider sends nothing itself
        and needs none."""
        self._use_demo_policy()
        self._set_raw(self.customer, "company_registry", "707688173")
        cover = self._cover(self.customer, 10000.0, policy=self.demo_policy)
        with self.assertRaisesRegex(UserError, "707688173 of Boulangeries Martin SAS is not valid"):
            cover.with_user(self.manager).action_request()
        self.assertEqual(cover.state, "draft")
        self.assertFalse(cover.requested)
        self.assertFalse(self.demo_policy._insurer_fetch_decisions(), "nothing to decide")
        # Corrected, the request goes to the insurer, which decides it.
        self.customer.company_registry = "707688172"
        cover.with_user(self.manager).action_request()
        self.assertEqual(cover.state, "requested")
        self.assertEqual(len(self.demo_policy._insurer_fetch_decisions()), 1)
        self.assertEqual(cover.state, "granted")
        # Manual: a customer without any identifier can still be requested by hand.
        self.demo_policy.action_close()
        self.policy.action_activate()
        anonymous = self.env["res.partner"].create({"name": "Sans Numéro", "is_company": True})
        manual_cover = self._cover(anonymous, 2000.0)
        manual_cover.with_user(self.manager).action_request()
        self.assertEqual(manual_cover.state, "requested")

    # ------------------------------------------------------------
    # SEARCH
    # ------------------------------------------------------------

    def test_demo_search_keeps_buyer_id(self):
        """The demo register finds the customer by its SIREN; choosing the candidate creates a
        draft cover with the buyer id, logged on the customer."""
        self._use_demo_policy()
        wizard = self._search(self.contact)
        self.assertEqual(wizard.partner_id, self.customer, "the contact's company is searched")
        self.assertEqual(wizard.policy_id, self.demo_policy)
        self.assertEqual(wizard.identifiers, "SIREN 707688172, VAT FR17707688172")
        self.assertFalse(wizard.current_buyer_ref)
        self.assertEqual(len(wizard.line_ids), 1)
        line = wizard.line_ids
        self.assertEqual(
            (line.buyer_ref, line.name, line.identifier_type, line.identifier),
            ("DEMO-707688172", "Boulangeries Martin SAS", "SIREN", "707688172"),
        )
        self.assertEqual(line.address, "12 rue des Forges, 69007 Lyon, FR")
        Cover = self.env["credit.insurance.cover"]
        self.assertFalse(Cover.search([("partner_id", "=", self.customer.id)]))
        action = line.with_user(self.manager).action_choose()
        cover = Cover.browse(action["res_id"])
        self.assertEqual(
            (cover.partner_id, cover.policy_id, cover.buyer_ref, cover.state),
            (self.customer, self.demo_policy, "DEMO-707688172", "draft"),
        )
        self.assertIn("DEMO-707688172", self.customer.message_ids[0].body)
        self.assertIn("SIREN 707688172", self.customer.message_ids[0].body)
        # Searched again: the kept id is shown, the same cover is updated.
        cover.buyer_ref = "DEMO-OLD"
        wizard = self._search(self.customer)
        self.assertEqual(wizard.current_buyer_ref, "DEMO-OLD")
        wizard.line_ids.with_user(self.manager).action_choose()
        self.assertEqual(Cover.search([("partner_id", "=", self.customer.id)]), cover)
        self.assertEqual(cover.buyer_ref, "DEMO-707688172")
        self.assertIn("DEMO-OLD", self.customer.message_ids[0].body)

    def test_demo_search_by_siret_and_by_vat(self):
        self._use_demo_policy()
        self.customer.write({"company_registry": "93094508400943", "vat": False})
        line = self._search(self.customer).line_ids
        self.assertEqual(
            (line.buyer_ref, line.identifier_type, line.identifier),
            ("DEMO-930945084", "SIRET", "93094508400943"),
        )
        self.customer.write({"company_registry": False, "vat": "FR17707688172"})
        line = self._search(self.customer).line_ids
        self.assertEqual(
            (line.buyer_ref, line.identifier_type, line.identifier),
            ("DEMO-707688172", "VAT", "FR17707688172"),
        )

    def test_demo_search_nothing_found(self):
        """A company known only by a foreign VAT number is not in the demo's French register:
        the search says so, and no cover is created."""
        self._use_demo_policy()
        belgian = self.env["res.partner"].create(
            {
                "name": "Brasserie de Bruxelles",
                "is_company": True,
                "country_id": self.env.ref("base.be").id,
                "vat": "BE0477472701",
            }
        )
        wizard = self._search(belgian)
        self.assertEqual(wizard.identifiers, "VAT BE0477472701")
        self.assertFalse(wizard.line_ids)
        self.assertFalse(
            self.env["credit.insurance.cover"].search([("partner_id", "=", belgian.id)])
        )

    def test_manual_provider_refuses_search(self):
        with self.assertRaises(UserError) as caught:
            self._search(self.customer)
        message = str(caught.exception)
        self.assertIn("Police Allianz Trade 2026", message)
        self.assertIn("insurer's portal", message)
        self.assertIn("Boulangeries Martin SAS", message)

    def test_no_policy_in_force(self):
        self.policy.action_close()
        with self.assertRaisesRegex(UserError, "no credit insurance policy in force"):
            self._search(self.customer)

    def test_only_credit_managers_search(self):
        self._use_demo_policy()
        for user in (self.collector, self.sales_user):
            with self.assertRaises(AccessError):
                self._search(self.customer, user=user)
