import base64

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceCover(InsuranceCommon):
    def test_cover_follows_latest_decision(self):
        """State, granted amount and dates follow the latest decision, whatever the order
        in which decisions are entered; every decision is kept."""
        cover = self._cover(self.customer, 5000.0)
        self.assertEqual(cover.state, "draft")
        cover.action_request()
        self.assertEqual(cover.state, "requested")
        self.assertIn("requested from Allianz Trade France", cover.message_ids[0].body)
        self._decide(cover, "granted", 5000.0, date="2026-03-01", reference="A1")
        self.assertEqual((cover.state, cover.amount_granted), ("granted", 5000.0))
        self.assertEqual(str(cover.date_start), "2026-03-01")
        self._decide(cover, "reduced", 2000.0, date="2026-05-01", reference="A2")
        self.assertEqual((cover.state, cover.amount_granted), ("reduced", 2000.0))
        # A decision entered late but dated before: history only.
        self._decide(cover, "partial", 3000.0, date="2026-02-01", reference="A0")
        self.assertEqual((cover.state, cover.amount_granted), ("reduced", 2000.0))
        self.assertEqual(str(cover.date_start), "2026-05-01")
        self._decide(cover, "cancelled", 0.0, date="2026-06-01", reference="A3")
        self.assertEqual((cover.state, cover.amount_granted), ("cancelled", 0.0))
        self.assertEqual(
            cover.decision_ids.sorted().mapped("reference"),
            ["A3", "A2", "A1", "A0"],
            "every decision kept, newest first",
        )

    def test_rerequest_keeps_standing_decision(self):
        """A new request on a granted cover leaves the grant in force until the insurer
        answers; its answer settles the pending request."""
        cover = self._cover(self.customer, 5000.0)
        cover.action_request()
        self.assertTrue(cover.request_pending)
        self._decide(cover, "granted", 5000.0, date="2026-03-01", reference="R1")
        self.assertFalse(cover.request_pending)
        cover.amount_requested = 9000.0
        cover.action_request()
        self.assertEqual((cover.state, cover.amount_granted), ("granted", 5000.0))
        self.assertTrue(cover.request_pending)
        self.assertEqual(str(cover.date_requested), "2026-06-15")
        self.assertEqual(self.customer.insured_limit, 5000.0, "the grant still insures")
        self._decide(cover, "partial", 7000.0, date="2026-06-15", reference="R2")
        self.assertEqual((cover.state, cover.amount_granted), ("partial", 7000.0))
        self.assertFalse(cover.request_pending)

    def test_future_decision_held_back(self):
        """A reduction effective in ten days is kept, not applied before its date; the daily
        scheduled action puts it in force on that date."""
        cover = self._cover(self.customer, 5000.0)
        self._decide(cover, "granted", 5000.0, date="2026-03-01", reference="F1")
        self._decide(cover, "reduced", 1500.0, date="2026-06-25", reference="F2")
        self.assertEqual((cover.state, cover.amount_granted), ("granted", 5000.0))
        self.assertEqual(str(cover.date_next_decision), "2026-06-25")
        Cover = self.env["credit.insurance.cover"]
        with freeze_time("2026-06-24"):
            self.assertFalse(Cover._cron_apply_due_decisions())
        self.assertEqual(cover.state, "granted")
        with freeze_time("2026-06-25"):
            self.assertEqual(Cover._cron_apply_due_decisions(), cover)
            self.assertEqual((cover.state, cover.amount_granted), ("reduced", 1500.0))
            self.assertEqual(str(cover.date_start), "2026-06-25")
            self.assertFalse(cover.date_next_decision)
            self.assertFalse(Cover._cron_apply_due_decisions(), "applied once")

    def test_first_decision_in_the_future(self):
        """Before its first decision is in force, a named buyer is insured as an unnamed one
        (the discretionary limit), not refused."""
        self.policy.discretionary_limit = 2500.0
        cover = self._cover(self.customer, 5000.0)
        self._decide(cover, "granted", 5000.0, date="2026-07-01", reference="N1")
        self.assertEqual(cover.state, "draft")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.insured_limit, 2500.0)
        with freeze_time("2026-07-01"):
            self.env["credit.insurance.cover"]._cron_apply_due_decisions()
            self.customer.invalidate_recordset()
            self.assertEqual(self.customer.insured_limit, 5000.0)

    def test_manual_decision_in_form(self):
        """The manual provider: a credit manager types the decision in, letter attached."""
        cover = self._cover(self.customer, 5000.0).with_user(self.manager)
        cover.action_request()
        with Form(cover) as form:
            with form.decision_ids.new() as decision:
                decision.date = "2026-06-10"
                decision.state = "partial"
                decision.amount = 3000.0
                decision.reference = "EH-2026-0042"
                decision.letter = base64.b64encode(b"%PDF-1.4 lettre")
                decision.letter_filename = "agrement.pdf"
        self.assertEqual((cover.state, cover.amount_granted), ("partial", 3000.0))
        self.assertEqual(cover.decision_ids.letter_filename, "agrement.pdf")
        self.assertIn("EH-2026-0042", cover.message_ids[0].body)

    def test_reference_unique_per_policy(self):
        cover = self._cover(self.customer)
        other = self._cover(
            self.env["res.partner"].create({"name": "Minoterie Dupont", "is_company": True})
        )
        self._decide(cover, "granted", 1000.0, reference="REF-1")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self._decide(other, "granted", 1000.0, reference="REF-1")
            self.env.flush_all()
        # The same reference under another policy is another decision.
        policy = self.policy.copy({"name": "Police Coface"})
        self._decide(self._cover(self.customer, policy=policy), "granted", 1.0, reference="REF-1")
        self.env.flush_all()

    def test_cover_on_commercial_entity(self):
        with self.assertRaises(ValidationError):
            self._cover(self.contact)

    def test_request_wizard_from_customer(self):
        """The customer form's Request Cover: the cover is created and sent to the provider."""
        wizard = Form(
            self.env["credit.insurance.cover.request"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_id=self.contact.id)
        )
        self.assertEqual(wizard.partner_id, self.customer, "the contact's company")
        self.assertEqual(wizard.policy_id, self.policy)
        wizard.amount = 12000.0
        wizard.buyer_ref = "EH-778"
        action = wizard.save().action_request()
        cover = self.env["credit.insurance.cover"].browse(action["res_id"])
        self.assertEqual(
            (cover.partner_id, cover.amount_requested, cover.buyer_ref, cover.state),
            (self.customer, 12000.0, "EH-778", "requested"),
        )
        # A second request updates the same cover.
        wizard = Form(
            self.env["credit.insurance.cover.request"]
            .with_user(self.manager)
            .with_context(active_model="res.partner", active_id=self.customer.id)
        )
        wizard.amount = 15000.0
        self.assertEqual(wizard.save().action_request()["res_id"], cover.id)
        self.assertEqual(cover.amount_requested, 15000.0)

    def test_demo_provider(self):
        """The demo insurer: full up to 50,000, partial above, refused when 60+ days late."""
        policy = self.policy.copy({"name": "Démo", "provider_code": "demo"})
        policy.action_activate()
        # The demo insurer is asked only about customers with valid identifiers.
        self.customer.company_registry = "707688172"
        big = self.env["res.partner"].create(
            {"name": "Grands Moulins", "is_company": True, "company_registry": "629057100"}
        )
        late = self.env["res.partner"].create(
            {"name": "Mauvais Payeur", "is_company": True, "company_registry": "592765309"}
        )
        self._invoice(late, 100.0, due_days=-61)
        covers = (
            self._cover(self.customer, 30000.0, policy=policy)
            | self._cover(big, 80000.0, policy=policy)
            | self._cover(late, 1000.0, policy=policy)
        )
        covers.action_request()
        self.assertEqual(set(covers.mapped("state")), {"requested"})
        decisions = policy._insurer_fetch_decisions()
        self.assertEqual(len(decisions), 3)
        self.assertEqual(
            [(c.state, c.amount_granted) for c in covers],
            [("granted", 30000.0), ("partial", 50000.0), ("refused", 0.0)],
        )
        self.assertFalse(policy._insurer_fetch_decisions(), "nothing decided twice")

    def test_watch_profile_on_reduction(self):
        """A reduction moves the customer to the company's watch profile, unless pinned."""
        watch = self.env.ref("credit_management.payer_profile_watch")
        standard = self.env.ref("credit_management.payer_profile_standard")
        self.company.credit_insurance_watch_profile_id = watch
        pinned = self.env["res.partner"].create({"name": "Client Stratégique", "is_company": True})
        pinned.payer_profile_id = standard
        self.assertTrue(pinned.payer_profile_pinned)
        self.customer.with_context(credit_profile_auto=True).payer_profile_id = standard
        self.assertFalse(self.customer.payer_profile_pinned)
        cover = self._cover(self.customer)
        other = self._cover(pinned)
        self._decide(cover, "granted", 5000.0)
        self._decide(other, "granted", 5000.0)
        self.assertEqual(self.customer.payer_profile_id, standard, "a grant moves no one")
        self._decide(cover, "reduced", 1000.0, date="2026-06-01")
        self._decide(other, "cancelled", 0.0, date="2026-06-01")
        self.assertEqual(self.customer.payer_profile_id, watch)
        self.assertFalse(self.customer.payer_profile_pinned, "still follows events")
        self.assertIn("Under watch", self.customer.message_ids[0].body)
        self.assertEqual(pinned.payer_profile_id, standard, "a pinned profile stays")
