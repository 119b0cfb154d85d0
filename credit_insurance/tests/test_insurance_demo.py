from datetime import timedelta

from odoo.addons.credit_management.tests.common import TODAY
from odoo.addons.credit_management.tests.common import CreditCommon
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..demo.credit_insurance_demo import COVERS
from ..demo.credit_insurance_demo import POLICY_NUMBER
from ..demo.credit_insurance_demo import generate
from ..models.credit_insurance_cover import COVER_STATES

# A valid SIREN for each demo customer.
SIRENS = {
    "partner_delmas_group": "930945084",
    "partner_fournier": "400223202",
    "partner_kerbrat_holding": "775362098",
    "partner_kerbrat_maree": "592765309",
    "partner_kerbrat_transports": "743238776",
    "partner_mercier": "739049468",
    "partner_pont_neuf": "744027442",
    "partner_alpine": "466676293",
    "partner_varenne": "872850482",
    "partner_quatre_vents": "587302530",
}


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceDemo(CreditCommon):
    """The insurance demo generator, on this test company and customers of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = {
            key: cls.env["res.partner"].create(
                {
                    "name": key.removeprefix("partner_").title(),
                    "is_company": True,
                    "company_registry": siren,
                }
            )
            for key, siren in SIRENS.items()
        }
        group = cls.customers["partner_delmas_group"]
        # Two insured invoices overdue (10 and 20 days), a third not due.
        cls.overdue_old = cls._invoice(
            group, 3000.0, due_days=-20, invoice_date=TODAY - timedelta(days=50)
        )
        cls.overdue_recent = cls._invoice(
            group, 2000.0, due_days=-10, invoice_date=TODAY - timedelta(days=40)
        )
        # Overdue for so long that its deadline is weeks behind: declared in the demo's past.
        cls.overdue_long_ago = cls._invoice(
            group, 1000.0, due_days=-45, invoice_date=TODAY - timedelta(days=75)
        )
        # Far more than its 10,000 partial cover.
        cls._invoice(
            cls.customers["partner_alpine"], 30000.0, invoice_date=TODAY - timedelta(days=20)
        )

    def test_demo_policy(self):
        self.assertEqual(set(COVERS), set(SIRENS), "a SIREN for each demo customer")
        policy = generate(self.env, self.company, self.customers)
        self.assertEqual(
            (policy.provider_code, policy.state, policy.policy_number),
            ("demo", "active", POLICY_NUMBER),
        )
        self.assertEqual(self.env["credit.insurance.policy"]._get_active(self.company), policy)
        self.assertEqual(policy.discretionary_limit, 30000.0)
        covers = policy.cover_ids
        self.assertEqual(
            set(covers.mapped("state")),
            {state for state, _label in COVER_STATES},
            "a cover in every state",
        )
        self.assertEqual(len(covers), len(COVERS))
        # 4 covers with two decisions, 4 with one.
        self.assertEqual(len(covers.decision_ids), 12)
        self.assertEqual(
            len(covers.filtered(lambda c: len(c.decision_ids) == 2)), 4, "decision histories"
        )
        for cover in covers:
            siren = SIRENS[next(k for k, p in self.customers.items() if p == cover.partner_id)]
            self.assertEqual(cover.buyer_ref, f"DEMO-{siren}")
        decisions = covers.decision_ids
        self.assertTrue(all(decisions.mapped("reference")), "referenced")
        self.assertTrue(all(decisions.mapped("note")), "explained")
        self.assertTrue(all(d.date <= TODAY for d in decisions), "dated in the past")
        states = {c.partner_id: c for c in covers}
        group = self.customers["partner_delmas_group"]
        self.assertEqual((states[group].state, states[group].amount_granted), ("granted", 120000.0))
        self.assertEqual(states[self.customers["partner_varenne"]].state, "requested")
        self.assertEqual(states[self.customers["partner_quatre_vents"]].state, "draft")
        self.assertEqual(states[self.customers["partner_pont_neuf"]].state, "expired")
        # One customer over its cover; one without decision on the discretionary limit.
        alpine = self.customers["partner_alpine"]
        self.assertEqual((alpine.insurance_status, alpine.insured_limit), ("over_limit", 10000.0))
        self.assertEqual(self.customers["partner_quatre_vents"].insured_limit, 30000.0)
        # The invoices generated before the policy are insured under it; the oldest overdue
        # one within its deadline is declared, the other is still to declare.
        self.assertEqual(self.overdue_old.insurance_insured_amount, 2700.0, "3,000 x 90 %")
        self.assertEqual(self.overdue_old.insurance_declaration_state, "declared")
        self.assertEqual(self.overdue_recent.insurance_declaration_state, "to_declare")
        # Its deadline (due date + 30 days) 15 days behind: declared 10 days before it, then
        # claimed from the insurer.
        self.assertEqual(
            (
                self.overdue_long_ago.insurance_declaration_state,
                self.overdue_long_ago.insurance_declaration_date,
            ),
            ("claim", TODAY - timedelta(days=25)),
        )
        claim = self.env["credit.insurance.claim"].search([("policy_id", "=", policy.id)])
        self.assertEqual(
            (claim.state, claim.partner_id, claim.move_ids, claim.insurer_reference),
            ("filed", group, self.overdue_long_ago, "CAA-SIN-2026-0042"),
        )
        self.assertEqual(claim.amount_claimed, 1000.0)
        self.assertTrue(claim.pack_attachment_id, "the pack the insurer asks for")
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", policy._name), ("res_id", "=", policy.id)]
            ),
            "the declaration is attached to the policy",
        )
        # Open alerts on the first morning: the customer over its cover, the reduced and
        # cancelled covers; none for the invoice declared, nor for the one whose deadline is
        # 20 days away.
        alerts = self.env["credit.insurance.alert"].search(
            [("company_id", "=", self.company.id), ("state", "=", "new")]
        )
        self.assertIn(alpine, alerts.filtered(lambda a: a.alert_type == "over_cover").partner_id)
        self.assertIn("cover_reduced", alerts.mapped("alert_type"))
        self.assertFalse(alerts.filtered(lambda a: a.alert_type == "declaration_due"))
        # Once: a second run changes nothing.
        self.assertEqual(generate(self.env, self.company, self.customers), policy)
        self.assertEqual(len(policy.cover_ids), len(COVERS))
        self.assertEqual(
            self.env["credit.insurance.policy"].search_count(
                [("policy_number", "=", POLICY_NUMBER)]
            ),
            1,
        )
