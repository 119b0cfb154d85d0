"""The rights table of payment_link (readme/CONFIGURE.md, "Rights"), tried cell by cell."""

from datetime import timedelta

from odoo.addons.credit_management.tests.access_matrix import NONE
from odoo.addons.credit_management.tests.access_matrix import AccessMatrixCase
from odoo.addons.credit_management.tests.access_matrix import free
from odoo.addons.credit_management.tests.access_matrix import method
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import TODAY
from .common import PaymentLinkCommon

# Links: sent (created from invoices or customers, through the model) and revoked by
# collectors and billing users, deleted by credit managers; their content is the model's.
LINKS = dict(NONE, collector="rwc", billing="rwc", manager="rwcu", account_admin="rwcu")
# The "Send a payment link" wizard: whoever sends links.
SEND = dict(NONE, collector="rwcu", billing="rwcu", manager="rwcu", account_admin="rwcu")

LINK_MAIL_FIELDS = (
    "message_follower_ids",
    "message_ids",
    "message_partner_ids",
    "website_message_ids",
)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestPaymentLinkAccessMatrix(AccessMatrixCase, PaymentLinkCommon):
    MODULE = "payment_link"
    MODEL_ACCESS = {
        "credit.payment.link": LINKS,
        # The page's technical tables: written by the page only, read by administrators.
        "credit.payment.link.attempt": dict(NONE, system="ru"),
        "credit.payment.link.claim": dict(NONE, system="r"),
        "credit.payment.link.send": SEND,
    }
    FIELD_ACCESS = {
        # A link's content, token (its id and expiry), workflow and figures: the model's own
        # methods only (created from invoices, revoked, expired, paid, opened).
        **method(
            "credit.payment.link",
            "name",
            "partner_id",
            "company_id",
            "currency_id",
            "move_ids",
            "amount",
            "date_expiry",
            "state",
            "open_count",
            "date_first_opened",
            "date_last_opened",
            "transaction_ids",
            "amount_collected",
            "paid_move_count",
            "date_paid",
            "dunning_id",
        ),
        **free("credit.payment.link", *LINK_MAIL_FIELDS),
        **method("credit.payment.link.attempt", "ip", "date"),
        **method("credit.payment.link.claim", "move_id", "date"),
        **free("credit.payment.link.send", "move_ids", "channel"),
        # A reminder's links are made when it is sent.
        **method("credit.dunning", "payment_link_ids"),
        # Which link a transaction pays and its receipt: the page and the post-processing.
        **method("payment.transaction", "payment_link_id", "payment_link_receipt_sent"),
        # Settings: Odoo's rights on companies and settings (administrators) say it all.
        **free("res.company", "payment_link_validity_days"),
        **free("res.config.settings", "payment_link_validity_days"),
        # The KPI snapshots' figures (written by their computation).
        **free(
            "credit.kpi.snapshot",
            "payment_link_amount",
            "payment_link_median_days",
            "payment_link_opened_count",
            "payment_link_paid_move_count",
        ),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        invoice = cls._invoice(cls.customer, 300.0, due_days=-20)
        level = cls.env.ref("credit_management.dunning_level_standard_2")
        cls.reminder = cls.env["credit.dunning"].create(
            {
                "partner_id": cls.customer.id,
                "currency_id": cls.currency.id,
                "level_id": level.id,
                "line_ids": [
                    Command.create(
                        {"move_id": invoice.id, "level_id": level.id, "line_type": "invoice"}
                    )
                ],
            }
        )
        cls.link = cls.env["credit.payment.link"]._create_for_moves(invoice, dunning=cls.reminder)
        tx_vals = cls._matrix_tx_vals()
        cls.transaction = cls.env["payment.transaction"].sudo().create(tx_vals)
        cls.free_transaction = (
            cls.env["payment.transaction"].sudo().create(dict(tx_vals, reference="PL-MATRIX-2"))
        )
        cls.records = {
            "credit.payment.link": cls.link,
            "credit.dunning": cls.reminder,
            "payment.transaction": cls.transaction,
        }

    @classmethod
    def _matrix_tx_vals(cls):
        return {
            "provider_id": cls.provider.id,
            "payment_method_id": cls.env.ref("payment_demo.payment_method_demo").id,
            "reference": "PL-MATRIX-1",
            "amount": 300.0,
            "currency_id": cls.currency.id,
            "partner_id": cls.customer.id,
        }

    def _matrix_record(self, model):
        return self.records.get(model)

    def _matrix_create_vals(self, model):
        if model == "credit.payment.link":
            return {
                "partner_id": self.customer.id,
                "currency_id": self.currency.id,
                "date_expiry": TODAY + timedelta(days=30),
            }
        if model == "payment.transaction":
            return dict(self._matrix_tx_vals(), reference="PL-MATRIX-NEW")
        return None

    def _matrix_value(self, model, field, record):
        if (model, field) == ("credit.payment.link", "transaction_ids"):
            return [Command.link(self.free_transaction.id)]
        if (model, field) == ("credit.payment.link", "move_ids"):
            other = self._invoice(self.env["res.partner"].create({"name": "Autre Client"}), 50.0)
            return [Command.link(other.id)]
        return super()._matrix_value(model, field, record)
