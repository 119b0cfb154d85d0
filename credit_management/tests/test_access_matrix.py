"""The rights table of credit_management (readme/CONFIGURE.md, "Rights"), tried cell by cell."""

import base64
from datetime import timedelta

from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .access_matrix import COLLECTORS
from .access_matrix import MANAGERS
from .access_matrix import NONE
from .access_matrix import AccessMatrixCase
from .access_matrix import fixed
from .access_matrix import free
from .access_matrix import method
from .common import TODAY
from .common import CreditCommon

# Configuration: everybody at work reads it, credit managers set it.
CONFIG = dict(NONE, sales="r", collector="r", manager="rwcu", billing="r", account_admin="rwcu")
CONFIG["system"] = "r"
# Reports: collectors and managers read them.
REPORT = dict(NONE, collector="r", manager="r", account_admin="r")
# A collector's wizards.
COLLECTOR_WIZARD = dict(NONE, collector="rwcu", manager="rwcu", account_admin="rwcu")
MANAGER_WIZARD = dict(NONE, manager="rwcu", account_admin="rwcu")
# Worked by collectors, read by sales users.
WORKED = dict(NONE, sales="r", collector="rwc", manager="rwcu", account_admin="rwcu")
# Opened by sales users too (a customer's dispute, a promise heard on the phone).
OPENED = dict(WORKED, sales="rc")

MAIL_FIELDS = (
    "activity_ids",
    "activity_summary",
    "activity_type_id",
    "message_follower_ids",
    "message_ids",
    "message_partner_ids",
    "website_message_ids",
)


# The customer's credit settings, on the partner and on its user (Odoo's res.users inherits
# res.partner: the same rule holds through either).
PARTNER_FIELDS = {
    "credit_limit": MANAGERS,
    "credit_hold_manual": MANAGERS,
    "credit_hold_note": MANAGERS,
    "credit_group_limit": MANAGERS,
    "dunning_scenario_id": MANAGERS,
    "payer_profile_id": MANAGERS,
    "payer_profile_pinned": MANAGERS,
    "dunning_responsible_id": COLLECTORS,
    "dunning_block_until": COLLECTORS,
}
INVOICE_FIELDS = {
    "dunning_scenario_id": MANAGERS,
    "dunning_excluded": MANAGERS,
    "dunning_block_until": COLLECTORS,
    "third_party_payer_id": COLLECTORS,
}


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestCreditAccessMatrix(AccessMatrixCase, CreditCommon):
    MODULE = "credit_management"
    MODEL_ACCESS = {
        "credit.aged.balance": REPORT,
        "credit.aged.balance.as.of": dict(
            REPORT, collector="rwc", manager="rwc", account_admin="rwc"
        ),
        "credit.cash.forecast": REPORT,
        "credit.collector.desk": COLLECTOR_WIZARD,
        "credit.dispute": OPENED,
        "credit.dispute.reason": CONFIG,
        "credit.dispute.reject": COLLECTOR_WIZARD,
        "credit.dso.simulator": COLLECTOR_WIZARD,
        # Created by the run (managers) and "send now" (under sudo, once the collector is
        # checked): collectors work them, create none.
        "credit.dunning": dict(WORKED, collector="rw"),
        "credit.dunning.level": CONFIG,
        # Written with their reminder, never changed: the proof of what was sent.
        "credit.dunning.line": dict(
            NONE, sales="r", collector="r", manager="rc", account_admin="rc"
        ),
        "credit.dunning.preview": MANAGER_WIZARD,
        "credit.dunning.preview.line": MANAGER_WIZARD,
        "credit.dunning.scenario": CONFIG,
        "credit.dunning.send": COLLECTOR_WIZARD,
        "credit.ecb.rate": CONFIG,
        "credit.hold.override": MANAGER_WIZARD,
        "credit.invoices.mixin": NONE,
        "credit.kpi.snapshot": REPORT,
        "credit.open.item": NONE,
        "credit.partner.score": dict(NONE, manager="r", account_admin="r"),
        # One per company, made by the model; credit managers set its threshold and train it.
        "credit.prediction.model": dict(REPORT, manager="rwc", account_admin="rwc"),
        # Written by the training only.
        "credit.prediction.factor": REPORT,
        "credit.move.prediction": REPORT,
        "credit.payer.profile": CONFIG,
        "credit.payment.promise": OPENED,
        # Made by the mail gateway from a customer's reply: collectors read, correct and
        # decide them, create none.
        "credit.reply": dict(WORKED, collector="rw"),
        "credit.statement.send": dict(NONE, collector="rwc", manager="rwc", account_admin="rwc"),
        "credit.workflow.mixin": NONE,
        # Ranked by the model for the user who opens it: read only, his own rows.
        "credit.worklist": REPORT,
        "report.credit_management.report_credit_aged_balance": NONE,
        "report.credit_management.report_credit_statement": NONE,
    }
    FIELD_ACCESS = {
        # Customers and their users.
        **{("res.partner", fname): who for fname, who in PARTNER_FIELDS.items()},
        **method("res.partner", "credit_group_id"),
        **{("res.users", fname): who for fname, who in PARTNER_FIELDS.items()},
        # Invoices (and bank statement lines, which inherit them).
        **{("account.move", fname): who for fname, who in INVOICE_FIELDS.items()},
        **{("account.bank.statement.line", fname): who for fname, who in INVOICE_FIELDS.items()},
        **method(
            "account.move",
            "dunning_level_id",
            "dunning_date",
            "dunning_line_ids",
            "dunning_handoff_date",
            "dunning_handoff_id",
            "dispute_ids",
            "promise_ids",
            "in_dispute",
        ),
        **free("account.move.reversal", "credit_dispute_id"),
        # Sales orders: the override's trail.
        **method(
            "sale.order",
            "credit_override_reason",
            "credit_override_user_id",
            "credit_override_date",
        ),
        # Settings: Odoo's rights on companies and settings (administrators) say it all.
        **free(
            "res.company",
            "credit_dunning_pause_max_days",
            "credit_dunning_scenario_id",
            "credit_ecb_rate_ids",
            "credit_formal_notice_days",
            "credit_group_by_siren",
            "credit_hold_mode",
            "credit_late_fee_indemnity",
            "credit_late_fee_product_id",
            "credit_late_interest_fixed_rate",
            "credit_late_interest_mode",
            "credit_late_interest_points",
            "credit_manager_id",
            "credit_overdue_block_days",
            "credit_promise_grace_days",
            "credit_promise_kept_share",
            "credit_promise_max_days",
            "credit_promise_partial_rule",
            "credit_reply_auto_promise",
            "credit_responsible_id",
            "credit_statement_last_date",
            "credit_statement_monthly",
        ),
        **free(
            "res.config.settings",
            "credit_dunning_pause_max_days",
            "credit_dunning_scenario_id",
            "credit_formal_notice_days",
            "credit_group_by_siren",
            "credit_hold_mode",
            "credit_late_fee_indemnity",
            "credit_late_fee_product_id",
            "credit_late_interest_fixed_rate",
            "credit_late_interest_mode",
            "credit_late_interest_points",
            "credit_manager_id",
            "credit_overdue_block_days",
            "credit_promise_grace_days",
            "credit_promise_kept_share",
            "credit_promise_max_days",
            "credit_promise_partial_rule",
            "credit_reply_auto_promise",
            "credit_responsible_id",
            "credit_statement_monthly",
        ),
        # Reports (read-only views and tables written by their computation).
        **free(
            "credit.aged.balance",
            "amount_1_30",
            "amount_31_60",
            "amount_61_90",
            "amount_91_120",
            "amount_not_due",
            "amount_over_120",
            "amount_overdue",
            "amount_total",
            "avg_days_late",
            "company_id",
            "credit_group_id",
            "currency_id",
            "dso",
            "oldest_due_date",
            "partner_id",
            "partner_name",
            "payer_profile_id",
            "sales_90",
            "user_id",
        ),
        **free(
            "credit.cash.forecast",
            "amount",
            "basis",
            "company_id",
            "amount_weighted",
            "currency_id",
            "date_due",
            "date_expected",
            "date_expected_from",
            "date_expected_to",
            "late_probability",
            "likely_late",
            "move_id",
            "partner_id",
            "user_id",
        ),
        **free(
            "credit.kpi.snapshot",
            "cei",
            "company_id",
            "date",
            "dispute_count",
            "dispute_resolution_days",
            "dso",
            "is_latest",
            "overdue",
            "overdue_rate",
            "promise_count",
            "promise_kept_rate",
            "receivable",
            "sales_90",
            "user_id",
        ),
        **free(
            "credit.partner.score",
            "avg_days_late",
            "company_id",
            "date",
            "disputes_rejected",
            "grade",
            "invoice_count",
            "late_share",
            "overdue_ratio",
            "partner_id",
            "promises_broken",
            "score",
        ),
        # Configuration (its access rights: credit managers).
        **free(
            "credit.dispute.reason",
            "active",
            "company_id",
            "description",
            "name",
            "resolution_days",
            "sequence",
            "user_id",
        ),
        **free(
            "credit.dunning.level",
            "apply_late_fees",
            "channel_email",
            "channel_letter",
            "channel_phone",
            "channel_sms",
            "company_id",
            "days",
            "is_formal_notice",
            "is_litigation",
            "mail_template_id",
            "message",
            "min_amount",
            "min_interval_days",
            "name",
            "only_likely_late",
            "requires_validation",
            "scenario_id",
            "sequence",
            "sms_template_id",
        ),
        # The prediction: its settings are the credit managers' (access rights), its
        # figures and its model file the training's.
        **free("credit.prediction.model", "late_days", "threshold"),
        **fixed("credit.prediction.model", "company_id"),
        **method(
            "credit.prediction.model",
            "auc",
            "auc_fallback",
            "brier",
            "brier_fallback",
            "date_cutoff",
            "date_scored",
            "date_trained",
            "factor_ids",
            "late_share",
            "mae_days",
            "mae_days_fallback",
            "model_file",
            "reason",
            "scored_count",
            "state",
            "test_size",
            "train_size",
        ),
        **free(
            "credit.prediction.factor",
            "company_id",
            "feature",
            "importance",
            "model_id",
            "sequence",
        ),
        # Read by collectors, written by the prediction's scoring only (nobody has the right).
        **free(
            "credit.move.prediction",
            "basis",
            "company_id",
            "date_expected",
            "date_expected_from",
            "date_expected_to",
            "likely_late",
            "move_id",
            "partner_id",
            "probability",
        ),
        **free(
            "credit.dunning.scenario",
            "active",
            "company_id",
            "description",
            "grouping",
            "level_ids",
            "min_amount",
            "name",
            "sequence",
        ),
        **free("credit.ecb.rate", "company_id", "date_from", "rate", *MAIL_FIELDS),
        **free(
            "credit.payer.profile",
            "active",
            "auto_assign",
            "avg_days_late_max",
            "code",
            "color",
            "company_id",
            "description",
            "dunning_scenario_id",
            "name",
            "score_max",
            "score_min",
            "sequence",
        ),
        # Wizards (their access rights and their actions' checks).
        **free("credit.aged.balance.as.of", "aging_basis", "date"),
        **free("credit.collector.desk", "scope", "user_id"),
        **free("credit.dispute.reject", "dispute_id", "reason"),
        **free("credit.dso.simulator", "company_id", "days"),
        **free("credit.dunning.preview", "company_id", "date", "is_done", "line_ids"),
        **free(
            "credit.dunning.preview.line",
            "amount_due",
            "channels",
            "currency_id",
            "invoice_count",
            "level_id",
            "partner_id",
            "preview_id",
            "requires_validation",
            "user_id",
        ),
        **free("credit.dunning.send", "company_id", "level_id", "overdue_only", "partner_id"),
        **free("credit.hold.override", "order_ids", "reason"),
        **free(
            "credit.statement.send",
            "company_id",
            "partner_ids",
            "sent_count",
            "skipped_partner_ids",
            "state",
            "target",
            "template_id",
        ),
        # The invoices of a dispute or a promise (the models below give their own rights).
        **free(
            "credit.invoices.mixin",
            "amount",
            "company_id",
            "currency_id",
            "move_ids",
            "partner_id",
            "message_follower_ids",
            "message_ids",
            "message_partner_ids",
            "website_message_ids",
        ),
        # Disputes: opened with their invoices, then worked through their actions.
        **free(
            "credit.dispute",
            "amount",
            "currency_id",
            "date_deadline",
            "description",
            "move_ids",
            "reason_id",
            "user_id",
            *MAIL_FIELDS,
        ),
        **fixed(
            "credit.dispute",
            "company_id",
            "date_opened",
            "dunning_id",
            "name",
            "partner_id",
            "source",
        ),
        **method(
            "credit.dispute",
            "date_resolved",
            "deadline_notified",
            "refund_move_id",
            "rejection_reason",
            "state",
        ),
        # Promises: made with their date and amount, kept or broken by the payments.
        **free(
            "credit.payment.promise",
            "amount",
            "currency_id",
            "date_promised",
            "move_ids",
            "note",
            "user_id",
            *MAIL_FIELDS,
        ),
        **fixed(
            "credit.payment.promise",
            "company_id",
            "date_made",
            "dunning_id",
            "partner_id",
            "source",
        ),
        **method("credit.payment.promise", "amount_paid", "date_closed", "date_grace", "state"),
        # Reminders: made by the dunning run or the "send now" wizard, then sent, validated
        # or cancelled through their actions; a collector takes one over.
        **free("credit.dunning", "user_id", *MAIL_FIELDS),
        **method(
            "credit.dunning",
            "amount_credit",
            "amount_due",
            "amount_overdue",
            "amount_total",
            "commercial_partner_id",
            "company_id",
            "currency_id",
            "date",
            "date_sent",
            "email_state",
            "error_message",
            "formal_notice_deadline",
            "handoff_attachment_id",
            "invoice_count",
            "is_formal_notice",
            "is_manual",
            "late_fee_move_id",
            "letter_attachment_id",
            "letter_state",
            "level_id",
            "line_ids",
            "mail_message_id",
            "name",
            "partner_id",
            "phone_state",
            "reply_ids",
            "scenario_id",
            "sms_message_id",
            "sms_state",
            "state",
        ),
        # Replies: the analyser's reading and the decision are the model's; the collector
        # corrects the suggestion while it is new.
        **free("credit.reply", "amount", "date", "intent", "move_ids", "reason_id", "user_id"),
        **fixed(
            "credit.reply", "company_id", "currency_id", "dunning_id", "message_id", "partner_id"
        ),
        **method(
            "credit.reply",
            "auto_decided",
            "automatic",
            "confidence",
            "date_decided",
            "date_received",
            "decided_uid",
            "dispute_id",
            "email_from",
            "is_corrected",
            "promise_id",
            "state",
            "subject",
            "suggested_amount",
            "suggested_date",
            "suggested_intent",
            "text",
        ),
        **method(
            "credit.worklist",
            "collector_id",
            "company_id",
            "date",
            "days_overdue",
            "done",
            "late_probability",
            "next_action",
            "overdue_amount",
            "partner_id",
            "rank",
            "reason",
            "user_id",
            "value",
        ),
        **method(
            "credit.dunning.line",
            "amount_residual",
            "amount_residual_company",
            "amount_total",
            "date_due",
            "days_overdue",
            "dunning_id",
            "level_id",
            "line_type",
            "move_id",
            "state",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.invoice = cls._invoice(cls.customer, 800.0, due_days=-20)
        cls.other_invoice = cls._invoice(cls.customer, 300.0, due_days=-5)
        cls.order = cls._order(cls.customer, 100.0)
        cls.order.user_id = cls.matrix_users["sales"]
        cls.scenario = env.ref("credit_management.dunning_scenario_standard")
        level = cls.scenario.level_ids.sorted("sequence")[1]
        cls.dispute = env["credit.dispute"].create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(cls.invoice.ids)],
                "reason_id": env["credit.dispute.reason"].search([], limit=1).id,
            }
        )
        cls.promise = env["credit.payment.promise"].create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(cls.other_invoice.ids)],
                "date_promised": TODAY + timedelta(days=10),
            }
        )
        cls.reminder = env["credit.dunning"].create(
            {
                "partner_id": cls.customer.id,
                "currency_id": cls.currency.id,
                "scenario_id": cls.scenario.id,
                "level_id": level.id,
                "line_ids": [
                    Command.create(
                        {
                            "move_id": cls.other_invoice.id,
                            "level_id": level.id,
                            "amount_residual": 300.0,
                            "amount_total": 300.0,
                            "days_overdue": 5,
                        }
                    )
                ],
            }
        )
        cls.reply = env["credit.reply"].create(
            {
                "dunning_id": cls.reminder.id,
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "currency_id": cls.currency.id,
                "intent": "promise",
                "date": TODAY + timedelta(days=5),
            }
        )
        journal = cls.company_data["default_journal_bank"]
        cls.statement_line = env["account.bank.statement.line"].create(
            {"journal_id": journal.id, "amount": 50.0, "payment_ref": "Virement", "date": TODAY}
        )
        cls.records = {
            "res.partner": cls.customer,
            "res.users": cls.collector,
            "account.move": cls.other_invoice,
            "account.bank.statement.line": cls.statement_line,
            "sale.order": cls.order,
            "credit.dispute": cls.dispute,
            "credit.payment.promise": cls.promise,
            "credit.dunning": cls.reminder,
            "credit.dunning.line": cls.reminder.line_ids,
            "credit.reply": cls.reply,
            "credit.prediction.model": env["credit.prediction.model"]._prediction_of(cls.company),
        }

    def _matrix_record(self, model):
        return self.records.get(model)

    def _matrix_create_vals(self, model):
        if model == "credit.dispute":
            return {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "reason_id": self.dispute.reason_id.id,
            }
        if model == "credit.payment.promise":
            return {
                "partner_id": self.customer.id,
                "move_ids": [Command.set(self.invoice.ids)],
                "date_promised": TODAY + timedelta(days=5),
            }
        return None

    def _matrix_value(self, model, field, record):
        # A pause within the company's limit (a longer one is a manager's: tested apart).
        if field == "dunning_block_until":
            return TODAY + timedelta(days=10)
        if model == "credit.prediction.model" and field == "factor_ids":
            return [Command.create({"feature": "late_share", "importance": 0.1})]
        if field == "model_file":
            return base64.b64encode(b"not a model of this database")
        if model in ("res.partner", "res.users") and field == "dunning_responsible_id":
            return self.manager.id
        return super()._matrix_value(model, field, record)
