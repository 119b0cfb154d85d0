"""The late-payment prediction on real invoices: trained from a generated ledger whose late
payers are known, its backtest against the customer's average, the scoring of the open
invoices (nightly and when posted), its uses (cash forecast, worklist, filters, courtesy
levels), the fallback with too little history, the signed model file, rights and two
companies."""

import base64
import logging
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..demo.credit_demo_history import create_history
from ..models import credit_prediction_model
from .common import TODAY
from .common import CreditCommon

_logger = logging.getLogger(__name__)
# The customers' habits (days late of their payments) and how many of each.
HABITS = {"good": 22, "late": 10, "worsening": 8, "big": 10}


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestPrediction(CreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Prediction = cls.env["credit.prediction.model"]
        cls._ledger()
        cls.record = cls.Prediction._prediction_of(cls.company)
        cls.record.action_train()

    @classmethod
    def _ledger(cls):
        """Fifty customers invoiced every four weeks over fifteen months, each paying as its
        habit says (``demo/credit_demo_history.py``); what would be paid after today is
        open."""
        Partner = cls.env["res.partner"]
        customers = {}
        for habit, count in HABITS.items():
            for number in range(1, count + 1):
                partner = Partner.create(
                    {"name": f"Client {habit} {number:02d}", "is_company": True}
                )
                customers[partner] = habit
        cls.habits = {partner.id: habit for partner, habit in customers.items()}
        create_history(cls.env, cls.company, TODAY, customers, months=15, every_days=28)

    def _open(self, habit=None):
        moves = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("company_id", "=", self.company.id),
                ("payment_state", "=", "not_paid"),
                ("state", "=", "posted"),
            ]
        )
        if habit:
            moves = moves.filtered(lambda move: self.habits.get(move.partner_id.id) == habit)
        return moves

    # ------------------------------------------------------------
    # TRAINING AND BACKTEST
    # ------------------------------------------------------------

    def test_the_backtest_beats_the_average_and_finds_the_late_payers(self):
        record = self.record
        _logger.info(
            "backtest on %s invoices (learnt from %s): AUC %.3f against %.3f, Brier %.3f "
            "against %.3f, date error %.1f days against %.1f",
            record.test_size,
            record.train_size,
            record.auc,
            record.auc_fallback,
            record.brier,
            record.brier_fallback,
            record.mae_days,
            record.mae_days_fallback,
        )
        self.assertEqual(record.state, "model")
        self.assertFalse(record.reason)
        self.assertGreater(record.auc, record.auc_fallback)
        self.assertLess(record.brier, record.brier_fallback)
        self.assertGreaterEqual(record.auc, 0.8)
        self.assertGreaterEqual(record.test_size, 100)
        self.assertEqual(record.date_cutoff, TODAY - timedelta(days=15 + 91))
        self.assertTrue(record.factor_ids)
        self.assertIn("learnt model is used", record.summary)
        # The model file: an attachment of the record, signed.
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("res_field", "=", "model_file"),
            ]
        )
        self.assertEqual(len(attachment), 1)

    def test_open_invoices_scored_with_dates_and_reasons(self):
        late = self._open("late")
        good = self._open("good")
        self.assertTrue(late and good)
        self.assertTrue(all(move.late_basis == "model" for move in late | good))
        self.assertGreater(min(late.mapped("late_probability")), 0.5)
        self.assertLess(max(good.mapped("late_probability")), 0.5)
        self.assertTrue(all(late.mapped("likely_late")))
        self.assertFalse(any(good.mapped("likely_late")))
        for move in late | good:
            self.assertGreaterEqual(move.date_expected_payment, TODAY)
            self.assertLessEqual(move.date_expected_payment_from, move.date_expected_payment)
            self.assertGreaterEqual(move.date_expected_payment_to, move.date_expected_payment)
        # A late payer's expected date is well after its due date; a good one's near it.
        move = late.sorted("invoice_date_due")[-1]
        self.assertGreater((move.date_expected_payment - move.invoice_date_due).days, 15)
        self.assertIn("raises the risk", move.late_factors)
        # Explained when read, for a collector too (the model file is not his to read).
        collector_sees = move.with_user(self.collector)
        collector_sees.invalidate_recordset(["late_factors"])
        self.assertEqual(collector_sees.late_factors, move.late_factors)
        # As the web client reads the form (binary fields as their sizes): the model's factors.
        sizes = collector_sees.with_context(bin_size=True)
        credit_prediction_model._LOADED.clear()  # the model file read again
        sizes.invalidate_recordset(["late_factors"])
        self.assertEqual(sizes.late_factors, move.late_factors)
        # In French.
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_management"], ["fr_FR"], overwrite=True
        )
        french = move.with_context(lang="fr_FR")
        french.invalidate_recordset(["late_factors"])
        self.assertIn("augmente le risque", french.late_factors)
        # Paid invoices carry no prediction.
        paid = self.env["account.move"].search(
            [("payment_state", "=", "paid"), ("move_type", "=", "out_invoice")], limit=5
        )
        self.assertFalse(any(paid.mapped("late_probability")))

    def test_a_new_invoice_is_scored_when_posted(self):
        customer = self._open("late").partner_id[:1]
        invoice = self._invoice(customer, 2000.0, due_days=30)
        self.assertEqual(invoice.late_basis, "model")
        self.assertTrue(invoice.likely_late)
        good = self._invoice(self._open("good").partner_id[:1], 2000.0, due_days=30)
        self.assertFalse(good.likely_late)

    def test_a_paid_invoice_loses_its_prediction_at_night(self):
        invoice = self._open("late")[:1]
        self._pay(invoice, invoice.amount_residual)
        self.Prediction._cron_score()
        self.assertFalse(invoice.late_probability)
        self.assertFalse(invoice.likely_late)

    def test_the_night_rewrites_only_what_changed(self):
        """A night when nothing changed writes no row (each keeps its place on disk, its
        ``ctid``); a row that differs from what the night finds is rewritten, alone."""

        def places():
            self.env.cr.execute("SELECT move_id, ctid::text FROM credit_move_prediction")
            return dict(self.env.cr.fetchall())

        before = places()
        self.Prediction._cron_score()
        self.assertEqual(places(), before)
        move = self._open("late")[:1]
        self.env.cr.execute(
            "UPDATE credit_move_prediction SET probability = 0.01 WHERE move_id = %s", [move.id]
        )
        changed = places()
        self.Prediction._cron_score()
        after = places()
        self.assertEqual([key for key in after if after[key] != changed[key]], move.ids)
        self.assertGreater(move.late_probability, 0.5)

    # ------------------------------------------------------------
    # USES
    # ------------------------------------------------------------

    def test_the_cash_forecast_dates_by_the_prediction(self):
        move = self._open("late").sorted("invoice_date_due")[-1]
        row = self.env["credit.cash.forecast"].search([("move_id", "=", move.id)])
        self.assertEqual(row.basis, "prediction")
        self.assertEqual(row.date_expected, move.date_expected_payment)
        self.assertEqual(row.date_expected_to, move.date_expected_payment_to)
        self.assertAlmostEqual(row.amount_weighted, row.amount * (1 - move.late_probability), 2)
        self.assertTrue(row.likely_late)

    def test_likely_late_filters(self):
        Partner = self.env["res.partner"].with_user(self.collector)
        flagged = Partner.search([("credit_likely_late", "=", True)])
        late = self._open("late").partner_id
        self.assertLessEqual(late, flagged)
        self.assertFalse(flagged & self._open("good").partner_id)
        self.assertTrue(late[:1].with_user(self.collector).credit_likely_late)
        moves = (
            self.env["account.move"].with_user(self.collector).search([("likely_late", "=", True)])
        )
        self.assertEqual(moves, self._open().filtered("likely_late"))
        # Searched and sorted like stored fields (their column is the prediction's).
        Move = self.env["account.move"].with_user(self.collector)
        opened = self._open()
        not_likely = Move.search([("id", "in", opened.ids), ("likely_late", "=", False)])
        self.assertEqual(not_likely, opened - moves)
        self.assertTrue(Move._fields["late_probability"]._description_sortable(Move.env))
        ranked = Move.search([("id", "in", opened.ids)], order="late_probability desc, id")
        risks = ranked.mapped("late_probability")
        self.assertEqual(risks, sorted(risks, reverse=True))
        self.assertEqual(len(ranked), len(opened))
        paid = self.env["account.move"].search(
            [("payment_state", "=", "paid"), ("move_type", "=", "out_invoice")], limit=5
        )
        self.assertEqual(
            Move.search([("id", "in", paid.ids), ("late_probability", "=", False)]), paid
        )
        self.assertFalse(Move.search([("id", "in", paid.ids), ("late_probability", ">", 0)]))
        # The riskiest first, those without a prediction last.
        both = Move.search([("id", "in", (opened | paid).ids)], order="late_probability desc")
        self.assertEqual(set(both[: len(opened)].ids), set(opened.ids))
        self.assertEqual(both[: len(opened)].mapped("late_probability"), risks)
        self.assertEqual(set(both[len(opened) :].ids), set(paid.ids))
        self.assertEqual(
            Move.search([("id", "in", opened.ids), ("late_probability", "!=", False)]), opened
        )

    def test_the_worklist_ranks_by_the_predicted_risk(self):
        rows = self.env["credit.worklist"].with_user(self.manager)._worklist_refresh(mine=False)
        by_partner = {row.partner_id.id: row for row in rows}
        overdue = self._open("late").filtered(lambda move: move.invoice_date_due < TODAY)
        late = overdue.partner_id[:1]
        self.assertGreater(by_partner[late.id].late_probability, 0.5)
        self.assertIn("risk of paying late", by_partner[late.id].reason)

    def test_a_courtesy_level_only_for_likely_late_invoices(self):
        scenario = self.env.ref("credit_management.dunning_scenario_standard")
        level = self.env["credit.dunning.level"].create(
            {
                "scenario_id": scenario.id,
                "name": "Rappel avant échéance",
                "days": -5,
                "sequence": 1,
                "only_likely_late": True,
                "mail_template_id": scenario.level_ids.mail_template_id[:1].id,
            }
        )
        self.company.credit_dunning_scenario_id = scenario
        late = self._open("late").partner_id[:1]
        good = self._open("good").partner_id[:1]
        soon_late = self._invoice(late, 1500.0, due_days=5)
        soon_good = self._invoice(good, 1500.0, due_days=5)
        self.assertTrue(soon_late.likely_late)
        self.assertFalse(soon_good.likely_late)
        plan = {
            row["move_id"]: row
            for row in self.env["credit.dunning"]._dunning_plan(self.company, TODAY)
        }
        self.assertEqual(plan[soon_late.id]["next_level"], level)
        self.assertNotEqual(plan[soon_good.id]["next_level"], level)
        with self.assertRaises(ValidationError):
            level.days = 10

    # ------------------------------------------------------------
    # SAFETY AND RIGHTS
    # ------------------------------------------------------------

    def test_a_model_file_not_signed_here_is_never_loaded(self):
        record = self.record.sudo()
        blob = base64.b64decode(record.model_file)
        tampered = blob[:-1] + bytes([blob[-1] ^ 1])
        # As a restore from another database would: the file changes, the record's date too.
        self.env.cr.execute(
            "UPDATE credit_prediction_model SET date_trained = date_trained - interval '1 day' "
            "WHERE id = %s",
            [record.id],
        )
        record.invalidate_recordset()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("res_field", "=", "model_file"),
                ]
            )
        )
        attachment.datas = base64.b64encode(tampered)
        record.invalidate_recordset()
        self.assertIsNone(record._prediction_trained())
        record._prediction_score()
        self.assertEqual(set(self._open().mapped("late_basis")), {"fallback"})

    def test_rights(self):
        record = self.record
        with self.assertRaises(AccessError):
            record.with_user(self.collector).action_train()
        with self.assertRaises(AccessError):
            record.with_user(self.manager).write({"state": "fallback", "auc": 0.5})
        record.with_user(self.manager).write({"late_days": 20})
        self.assertEqual(record.late_days, 20)
        with self.assertRaises(UserError):
            record.with_user(self.manager).write({"late_days": 0})
        move = self._open("good")[:1]
        with self.assertRaises(AccessError):
            move.with_user(self.manager).write({"late_probability": 0.9})
        with self.assertRaises(AccessError):
            move.with_user(self.sales_user).read(["late_probability"])
        # The prediction's own rows: read by collectors, written by nobody but the scoring.
        row = self.env["credit.move.prediction"].search([("move_id", "=", move.id)])
        self.assertEqual(row.with_user(self.collector).probability, move.late_probability)
        for user in (self.collector, self.manager):
            with self.assertRaises(AccessError):
                row.with_user(user).write({"probability": 0.9})
            with self.assertRaises(AccessError):
                row.with_user(user).unlink()
        with self.assertRaises(AccessError):
            row.with_user(self.sales_user).read(["probability"])
        self.assertEqual(record.with_user(self.collector).read(["auc"])[0]["auc"], record.auc)

    def test_a_company_without_invoices_is_scored_without_error(self):
        """A new company: nothing to learn from, nothing to score, the night goes on."""
        other = self.setup_other_company(name="Société Naissante")["company"]
        self.env.user.company_ids |= other
        record = self.Prediction.with_company(other)._prediction_of(other)
        record.with_company(other).action_train()
        self.assertEqual((record.state, record.reason), ("fallback", "history"))
        self.assertEqual(record.with_company(other)._prediction_score(), 0)
        self.assertEqual(record.scored_count, 0)
        self.assertFalse(self.env["credit.move.prediction"].search([("company_id", "=", other.id)]))

    def test_too_little_history_uses_the_average_and_says_so(self):
        other = self.setup_other_company(name="Petite Société")["company"]
        self.env.user.company_ids |= other
        record = self.Prediction.with_company(other)._prediction_of(other)
        customer = self.env["res.partner"].create({"name": "Épicerie Nouvelle", "is_company": True})
        invoice = self._invoice(customer, 500.0, due_days=-40, company=other)
        record.with_company(other).action_train()
        self.assertEqual(record.state, "fallback")
        self.assertEqual(record.reason, "history")
        self.assertIn("too little history", record.summary)
        self.assertEqual(invoice.late_basis, "fallback")
        # The other company's invoices were not read: its own (due 40 days ago, open, so
        # known to be late) is all it has.
        self.assertEqual((record.train_size, record.test_size), (0, 1))
        self.assertEqual(self.record.sudo().company_id, self.company)
        self.assertFalse(
            self.Prediction.with_user(self.collector).search([("company_id", "=", other.id)])
        )
