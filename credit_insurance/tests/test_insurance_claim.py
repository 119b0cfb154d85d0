import io
import zipfile

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models.credit_insurance_claim import expected_indemnity
from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceClaim(InsuranceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._decide(cls._cover(cls.customer, buyer_ref="EH-42"), "granted", 5000.0)
        # 1,000 insured 900 (90 %); 8,000 insured 4,500 (90 % of the 5,000 cover).
        cls.small = cls._invoice(cls.customer, 1000.0, due_days=-40)
        cls.big = cls._invoice(cls.customer, 8000.0, due_days=-35)
        cls.current = cls._invoice(cls.customer, 500.0, due_days=20)
        (cls.small | cls.big).action_insurance_declare()
        cls.Claim = cls.env["credit.insurance.claim"]

    def test_expected_indemnity_rule(self):
        self.assertEqual(expected_indemnity(900.0, 1200.0, 600.0), 450.0)
        self.assertEqual(expected_indemnity(900.0, 1200.0, 0.0), 0.0)
        self.assertEqual(expected_indemnity(900.0, 1000.0, 1000.0), 900.0)

    def test_claim_flow(self):
        self.assertEqual(
            (self.small.insurance_insured_amount, self.big.insurance_insured_amount),
            (900.0, 4500.0),
        )
        self._pay(self.big, 2000.0)
        action = (
            self.env.ref("credit_insurance.account_move_action_insurance_claim")
            .with_user(self.manager)
            .with_context(active_model="account.move", active_ids=(self.small | self.big).ids)
            .run()
        )
        claim = self.Claim.browse(action["res_id"])
        self.assertEqual(claim.state, "draft")
        self.assertEqual((claim.policy_id, claim.partner_id), (self.policy, self.customer))
        self.assertEqual(claim.move_ids, self.small | self.big)
        # Unpaid: 1,000 + 6,000; expected: 900 + 4,500 x 6,000 / 8,000 = 900 + 3,375.
        self.assertEqual(claim.amount_outstanding, 7000.0)
        self.assertEqual(claim.amount_claimed, 7000.0)
        self.assertEqual(claim.amount_expected, 4275.0)
        claim = claim.with_user(self.manager)
        claim.action_build_pack()
        pack = zipfile.ZipFile(io.BytesIO(claim.pack_attachment_id.raw))
        names = pack.namelist()
        self.assertIn("invoices.csv", names)
        self.assertIn("invoices.xlsx", names)
        self.assertEqual(len([n for n in names if n.startswith("invoices/")]), 2)
        rows = pack.read("invoices.csv").decode("utf-8-sig").splitlines()
        self.assertEqual(len(rows), 3, "a header and the two invoices")
        self.assertIn(self.small.name, rows[1] + rows[2])
        self.assertIn("3375.0", rows[1] + rows[2])
        claim.insurer_reference = "SIN-2026-77"
        claim.action_file()
        self.assertEqual((claim.state, str(claim.date_filed)), ("filed", "2026-06-15"))
        self.assertEqual(
            set((self.small | self.big).mapped("insurance_declaration_state")), {"claim"}
        )
        # The indemnity received is entered in the action's wizard, nowhere else.
        action = claim.action_indemnified()
        Indemnity = self.env[action["res_model"]].with_user(self.manager)
        with self.assertRaises(UserError):
            Form(Indemnity.with_context(**action["context"])).save().action_confirm()
        wizard = Form(Indemnity.with_context(**action["context"]))
        wizard.amount = 4200.0
        wizard.save().action_confirm()
        self.assertEqual(
            (claim.amount_indemnified, str(claim.date_indemnified)), (4200.0, "2026-06-15")
        )
        self.assertEqual(claim.state, "indemnified")
        self.assertEqual(self.big.insurance_declaration_state, "indemnified")
        # A payment does not undo it.
        self._pay(self.small, 1000.0)
        self.assertEqual(self.small.insurance_declaration_state, "indemnified")
        claim.action_close()
        self.assertEqual((claim.state, str(claim.date_closed)), ("closed", "2026-06-15"))
        self.assertEqual(
            set((self.small | self.big).mapped("insurance_declaration_state")), {"closed"}
        )
        self.assertEqual(self.policy.claim_count, 1)

    def test_only_declared_invoices_of_one_customer_and_policy(self):
        with self.assertRaises(ValidationError):
            self.Claim.create(
                {
                    "policy_id": self.policy.id,
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, self.current.ids)],
                }
            )
        other = self.env["res.partner"].create({"name": "Moulins Dupuis", "is_company": True})
        with self.assertRaises(ValidationError):
            self.Claim.create(
                {
                    "policy_id": self.policy.id,
                    "partner_id": other.id,
                    "move_ids": [(6, 0, self.small.ids)],
                }
            )
        with self.assertRaises(UserError):
            self.Claim.with_context(active_ids=self.current.ids).action_create_from_invoices()
        claim = self.Claim.with_context(active_ids=self.small.ids).action_create_from_invoices()
        self.assertTrue(claim["res_id"])
        with self.assertRaises(ValidationError):
            self.Claim.create(
                {
                    "policy_id": self.policy.id,
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, self.small.ids)],
                }
            )

    def test_from_the_customer_and_refused(self):
        action = self.customer.with_user(self.manager).action_create_insurance_claim()
        claim = self.Claim.browse(action["res_id"]).with_user(self.manager)
        self.assertEqual(claim.move_ids, self.small | self.big, "its declared invoices")
        claim.action_file()
        self.assertTrue(claim.pack_attachment_id, "filing builds the pack")
        claim.action_refuse()
        self.assertEqual(claim.state, "refused")
        self.assertEqual(self.small.insurance_declaration_state, "declared")
        self.assertEqual(self.customer.insurance_claim_count, 1)

    def test_collector_reads_manager_manages(self):
        claim = self.Claim.create(
            {
                "policy_id": self.policy.id,
                "partner_id": self.customer.id,
                "move_ids": [(6, 0, self.small.ids)],
            }
        )
        self.assertEqual(claim.with_user(self.collector).amount_expected, 900.0)
        with self.assertRaises(AccessError):
            claim.with_user(self.collector).write({"insurer_reference": "X"})
        with self.assertRaises(AccessError):
            self.Claim.with_user(self.collector).create(
                {
                    "policy_id": self.policy.id,
                    "partner_id": self.customer.id,
                    "move_ids": [(6, 0, self.big.ids)],
                }
            )
        with self.assertRaises(AccessError):
            claim.with_user(self.collector).action_file()
        claim.with_user(self.manager).write({"insurer_reference": "SIN-1"})
        self.Claim.with_user(self.manager).create(
            {
                "policy_id": self.policy.id,
                "partner_id": self.customer.id,
                "move_ids": [(6, 0, self.big.ids)],
            }
        )
        with self.assertRaises(AccessError):
            claim.with_user(self.sales_user).read(["state"])

    def test_companies_kept_apart(self):
        company_2 = self.setup_other_company()["company"]
        claim = self.Claim.create(
            {
                "policy_id": self.policy.id,
                "partner_id": self.customer.id,
                "move_ids": [(6, 0, self.small.ids)],
            }
        )
        self.manager.company_ids = [(4, company_2.id)]
        in_company_2 = claim.with_user(self.manager).with_context(allowed_company_ids=company_2.ids)
        with self.assertRaises(AccessError):
            in_company_2.read(["state"])
        self.assertFalse(in_company_2.search([]))
        self.assertEqual(claim.with_user(self.manager).search([]), claim)
