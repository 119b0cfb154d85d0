"""The late-payment prediction of customer invoices: written by
``credit.prediction.model._prediction_score`` (every night, and when an invoice is posted),
read by the cash forecast, the worklist, the "likely late" filters and the courtesy levels
that only remind invoices likely to be late."""

from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import format_amount
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

from .credit_field_rights import METHOD
from .credit_field_rights import check_field_rights

_lt = LazyTranslate(__name__)

# Written by the prediction's own methods only.
FIELD_RIGHTS = dict.fromkeys(
    (
        "late_probability",
        "date_expected_payment",
        "date_expected_payment_from",
        "date_expected_payment_to",
        "likely_late",
        "late_basis",
        "late_factors_data",
    ),
    METHOD,
)
PREDICTION_GROUPS = "credit_management.group_credit_collector"
# The codes of engine.prediction.CHANNELS and INSURED, as the user reads them.
CHANNEL_LABELS = (
    _lt("none"),
    _lt("email"),
    _lt("SMS"),
    _lt("letter"),
    _lt("phone call"),
    _lt("formal notice"),
    _lt("handed off"),
)
INSURED_LABELS = (
    _lt("not insured"),
    _lt("cover granted"),
    _lt("partial cover"),
    _lt("cover refused"),
)


# One concern of the invoice per file, as account splits its models.
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    late_probability = fields.Float(
        string="Risk of Paying Late",
        digits=(16, 4),
        readonly=True,
        copy=False,
        groups=PREDICTION_GROUPS,
        help="Probability that the invoice is paid more than the prediction's days late "
        "(credit management, late-payment prediction).",
    )
    likely_late = fields.Boolean(
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups=PREDICTION_GROUPS,
    )
    date_expected_payment = fields.Date(
        string="Expected Payment", readonly=True, copy=False, groups=PREDICTION_GROUPS
    )
    date_expected_payment_from = fields.Date(
        string="Expected Payment From",
        readonly=True,
        copy=False,
        groups=PREDICTION_GROUPS,
        help="Nine invoices in ten like this one were paid after this day in the backtest.",
    )
    date_expected_payment_to = fields.Date(
        string="Expected Payment Until",
        readonly=True,
        copy=False,
        groups=PREDICTION_GROUPS,
        help="Nine invoices in ten like this one were paid before this day in the backtest.",
    )
    late_basis = fields.Selection(
        selection=[("model", "Learnt model"), ("fallback", "Customer's average")],
        string="Predicted From",
        readonly=True,
        copy=False,
        groups=PREDICTION_GROUPS,
    )
    late_factors_data = fields.Json(readonly=True, copy=False, groups=PREDICTION_GROUPS)
    late_factors = fields.Text(
        string="Why", compute="_compute_late_factors", groups=PREDICTION_GROUPS
    )

    @api.depends("late_factors_data", "late_basis")
    @api.depends_context("lang")
    def _compute_late_factors(self):
        labels = dict(
            self.env["credit.prediction.factor"]._fields["feature"]._description_selection(self.env)
        )
        for move in self:
            lines = []
            for name, value, change in move.late_factors_data or []:
                shown = move._late_factor_value(name, value)
                if change is None:
                    lines.append(
                        self.env._("%(factor)s: %(value)s", factor=labels[name], value=shown)
                    )
                elif change >= 0:
                    lines.append(
                        self.env._(
                            "%(factor)s: %(value)s (raises the risk by %(points)s points)",
                            factor=labels[name],
                            value=shown,
                            points=round(100 * change),
                        )
                    )
                else:
                    lines.append(
                        self.env._(
                            "%(factor)s: %(value)s (lowers the risk by %(points)s points)",
                            factor=labels[name],
                            value=shown,
                            points=round(-100 * change),
                        )
                    )
            if move.late_basis == "fallback":
                lines.append(self.env._("From the customer's own history (no learnt model)."))
            move.late_factors = "\n".join(lines) or False

    def _late_factor_value(self, name, value):
        """A feature's value as the user reads it."""
        env = self.env
        if name in ("avg_days_late", "recent_days_late", "last_days_late", "terms_days"):
            return env._("%(days)s days", days=round(value))
        if name == "trend_days_late":
            return env._("%(days)+d days", days=round(value))
        if name == "late_share":
            return f"{round(100 * value)} %"
        if name == "amount":
            return format_amount(env, 10**value, self.company_id.currency_id)
        if name == "amount_ratio":
            return env._("%(ratio)s times", ratio=round(value, 1))
        if name == "month":
            return format_date(env, date(2000, min(max(int(value), 1), 12), 1), date_format="MMMM")
        if name == "last_channel":
            return str(CHANNEL_LABELS[min(max(int(value), 0), len(CHANNEL_LABELS) - 1)])
        if name == "insured":
            return str(INSURED_LABELS[min(max(int(value), 0), len(INSURED_LABELS) - 1)])
        return str(round(value)) if float(value).is_integer() else str(round(value, 1))

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_field_rights(self.browse(), vals, FIELD_RIGHTS)
        return super().create(vals_list)

    def write(self, vals):
        check_field_rights(self, vals, FIELD_RIGHTS)
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        invoices = posted.filtered(lambda move: move.move_type in ("out_invoice", "out_receipt"))
        Prediction = self.env["credit.prediction.model"].sudo()
        for company in invoices.company_id:
            record = Prediction.search([("company_id", "=", company.id)], limit=1)
            if record:
                mine = invoices.filtered(lambda move, company=company: move.company_id == company)
                record.with_company(company)._prediction_score(move_ids=mine.ids)
        return posted
