import base64

from odoo.addons.credit_management import compat
from odoo.exceptions import UserError
from odoo.fields import Date
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models.account_move import insured_amount
from .common import InsuranceCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestInsuranceInvoice(InsuranceCommon):
    def test_insured_amount_rule(self):
        self.assertEqual(insured_amount(1000.0, 600.0, 90.0, 30, 60), 540.0)
        self.assertEqual(insured_amount(1000.0, 5000.0, 90.0, 60, 60), 900.0)
        self.assertEqual(insured_amount(1000.0, 5000.0, 90.0, 61, 60), 0.0)
        self.assertEqual(insured_amount(1000.0, 0.0, 90.0, 30, 60), 0.0)

    def test_insured_amount(self):
        """Coverage rate x the part within the cover; beyond the max credit period: none."""
        self._decide(self._cover(self.customer), "granted", 5000.0)
        invoice = self._invoice(self.customer, 1000.0, due_days=30)
        self.assertTrue(invoice.insurance_insured)
        self.assertEqual(invoice.insurance_policy_id, self.policy)
        self.assertEqual(invoice.insurance_insured_amount, 900.0)
        big = self._invoice(self.customer, 8000.0, due_days=30)
        self.assertEqual(big.insurance_insured_amount, 4500.0, "within the 5,000 cover")
        long_term = self._invoice(self.customer, 1000.0, due_days=90)
        self.assertFalse(long_term.insurance_insured, "terms beyond 60 days")
        self.assertEqual(long_term.insurance_insured_amount, 0.0)
        self.assertFalse(long_term.insurance_declaration_deadline)

    def test_insured_at_invoice_date(self):
        """The cover in force at the invoice date counts, not a later decision."""
        cover = self._cover(self.customer)
        self._decide(cover, "granted", 5000.0, date="2026-02-01")
        self._decide(cover, "cancelled", 0.0, date="2026-05-01")
        before = self._invoice(
            self.customer, 1000.0, due_days=-120, invoice_date=Date.to_date("2026-03-01")
        )
        after = self._invoice(self.customer, 1000.0, due_days=30)
        self.assertEqual(before.insurance_insured_amount, 900.0)
        self.assertFalse(after.insurance_insured)

    def test_discretionary_rate(self):
        self.policy.discretionary_limit = 3000.0
        invoice = self._invoice(self.customer, 5000.0, due_days=30)
        self.assertEqual(invoice.insurance_insured_amount, 2400.0, "3,000 x 80 %")

    def test_declaration_deadline_and_export(self):
        """Deadline = due date + declaration days; declaring exports the invoices."""
        self._decide(self._cover(self.customer, buyer_ref="EH-42"), "granted", 5000.0)
        # Invoiced on 28 February, due on 31 March (31 days): declare by 30 April.
        overdue = self._invoice(
            self.customer, 1000.0, due_days=-76, invoice_date=Date.to_date("2026-02-28")
        )
        self.assertEqual(str(overdue.invoice_date_due), "2026-03-31")
        self.assertEqual(str(overdue.insurance_declaration_deadline), "2026-04-30")
        self.assertEqual(overdue.insurance_declaration_state, "to_declare")
        current = self._invoice(self.customer, 500.0, due_days=30)
        self.assertEqual(str(current.insurance_declaration_deadline), "2026-08-14")
        self.assertEqual(current.insurance_declaration_state, "none")
        with self.assertRaises(UserError):
            current.action_insurance_declare()
        action = (overdue | current).action_insurance_declare()
        self.assertEqual(overdue.insurance_declaration_state, "declared")
        self.assertEqual(str(overdue.insurance_declaration_date), "2026-06-15")
        self.assertFalse(overdue.insurance_declaration_ref, "an export has no insurer's id")
        self.assertEqual(current.insurance_declaration_state, "none")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "credit.insurance.policy"), ("res_id", "=", self.policy.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertIn(str(attachment.id), action["url"])
        lines = base64.b64decode(attachment.datas).decode().splitlines()
        self.assertEqual(len(lines), 2, "a header and the one overdue invoice")
        self.assertIn(overdue.name, lines[1])
        self.assertIn("EH-42", lines[1])
        self.assertIn("2026-03-31", lines[1])
        self.assertIn(attachment, self.policy.message_ids[0].attachment_ids)
        # Paid later: the declaration stays.
        self._pay(overdue, 1000.0)
        self.assertEqual(overdue.insurance_declaration_state, "declared")

    def test_declare_from_invoice_list(self):
        """The list's action declares the selection, for credit managers only."""
        self._decide(self._cover(self.customer), "granted", 5000.0)
        overdue = self._invoice(self.customer, 1000.0, due_days=-10)
        action = self.env.ref("credit_insurance.account_move_action_insurance_declare")
        self.assertIn(self.group_manager, action[compat.RECORD_GROUPS])
        result = (
            action.with_user(self.manager)
            .with_context(active_model="account.move", active_ids=overdue.ids)
            .run()
        )
        self.assertEqual(result["type"], "ir.actions.act_url")
        self.assertEqual(overdue.insurance_declaration_state, "declared")
        self.assertIn("Overdue declared", overdue.message_ids[0].body)

    def test_paid_invoice_not_to_declare(self):
        self._decide(self._cover(self.customer), "granted", 5000.0)
        overdue = self._invoice(self.customer, 1000.0, due_days=-10)
        self.assertEqual(overdue.insurance_declaration_state, "to_declare")
        self._pay(overdue, 1000.0)
        self.assertEqual(overdue.insurance_declaration_state, "none")

    def test_cron_marks_invoices_falling_due(self):
        self._decide(self._cover(self.customer), "granted", 5000.0)
        invoice = self._invoice(self.customer, 1000.0, due_days=5)
        self.assertEqual(invoice.insurance_declaration_state, "none")
        with freeze_time("2026-06-21"):
            self.env["account.move"]._cron_update_declaration_state()
        self.assertEqual(invoice.insurance_declaration_state, "to_declare")

    def test_declare_one_policy_failing(self):
        """Invoices under two policies: the one whose insurer fails is named in a warning,
        the other's declaration kept (and its export downloaded after the warning)."""
        old_policy = self.env["credit.insurance.policy"].create(
            {
                "name": "Police 2025",
                "insurer_id": self.insurer.id,
                "provider_code": "manual",
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "discretionary_limit": 5000.0,
            }
        )
        old_policy.action_activate()
        # The policy in force now reaches its insurer, whose address is missing.
        self.policy.write({"provider_code": "allianz_trade", "api_base_url": False})
        self._decide(self._cover(self.customer, buyer_ref="AT-1"), "granted", 5000.0)
        old = self._invoice(
            self.customer, 1000.0, due_days=-182, invoice_date=Date.to_date("2025-11-15")
        )
        current = self._invoice(self.customer, 500.0, due_days=-10)
        self.assertEqual(
            (old.insurance_policy_id, current.insurance_policy_id), (old_policy, self.policy)
        )

        result = (old | current).action_insurance_declare()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(current.name, result["params"]["message"])
        self.assertIn("API base URL", result["params"]["message"])
        self.assertNotIn(old.name, result["params"]["message"])
        self.assertEqual(result["params"]["next"]["type"], "ir.actions.act_url", "the export")
        self.assertEqual(old.insurance_declaration_state, "declared")
        self.assertEqual(current.insurance_declaration_state, "to_declare")
        self.assertIn("API base URL", current.message_ids[0].body)

        # Only the failing policy's invoices: its error, nothing to keep.
        with self.assertRaisesRegex(UserError, "API base URL"):
            (old | current).action_insurance_declare()
