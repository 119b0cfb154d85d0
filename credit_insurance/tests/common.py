from odoo.addons.credit_management.tests.common import CreditCommon


class InsuranceCommon(CreditCommon):
    """A company with an active manual policy, and helpers for covers and decisions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The credit limit is Odoo's own hold: these tests look at the insurer's alone.
        cls.customer.credit_limit = 0.0
        cls.insurer = cls.env["res.partner"].create(
            {"name": "Allianz Trade France", "is_company": True}
        )
        cls.policy = cls.env["credit.insurance.policy"].create(
            {
                "name": "Police Allianz Trade 2026",
                "insurer_id": cls.insurer.id,
                "policy_number": "EH-2026-001",
                "provider_code": "manual",
                "date_start": "2026-01-01",
                "coverage_rate": 90.0,
                "max_credit_days": 60,
                "declaration_days": 30,
                "discretionary_limit": 0.0,
                "discretionary_coverage_rate": 80.0,
                "api_key": "secret-api-key",
            }
        )
        cls.policy.action_activate()

    @classmethod
    def _cover(cls, partner, amount_requested=5000.0, policy=None, buyer_ref="B-0001"):
        return cls.env["credit.insurance.cover"].create(
            {
                "policy_id": (policy or cls.policy).id,
                "partner_id": partner.id,
                "amount_requested": amount_requested,
                "buyer_ref": buyer_ref,
            }
        )

    @classmethod
    def _decide(cls, cover, state, amount, date="2026-01-10", reference=None, date_end=False):
        return cls.env["credit.insurance.decision"].create(
            {
                "cover_id": cover.id,
                "state": state,
                "amount": amount,
                "date": date,
                "date_end": date_end,
                "reference": reference or f"DEC-{cover.id}-{len(cover.decision_ids) + 1}",
            }
        )
