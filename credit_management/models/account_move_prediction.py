"""The late-payment prediction of customer invoices, as fields of the invoice: kept in
``credit.move.prediction`` (one narrow row per open invoice, written by
``credit.prediction.model._prediction_score`` every night and when an invoice is posted), read
by the cash forecast, the worklist, the "likely late" filters and the courtesy levels that
only remind invoices likely to be late. Searchable and sortable like stored fields: their SQL
is the prediction's column (``_field_to_sql``)."""

from datetime import date

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_amount
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

from .credit_field_rights import METHOD
from .credit_field_rights import check_field_rights
from .credit_move_prediction import BASES

_lt = LazyTranslate(__name__)

PREDICTION_GROUPS = "credit_management.group_credit_collector"
# The invoice's fields and their columns in credit_move_prediction.
PREDICTION_COLUMNS = {
    "late_probability": "probability",
    "likely_late": "likely_late",
    "date_expected_payment": "date_expected",
    "date_expected_payment_from": "date_expected_from",
    "date_expected_payment_to": "date_expected_to",
    "late_basis": "basis",
}
DATE_FIELDS = ("date_expected_payment", "date_expected_payment_from", "date_expected_payment_to")
# Written by the prediction's own methods only (in credit_move_prediction).
FIELD_RIGHTS = dict.fromkeys(PREDICTION_COLUMNS, METHOD)
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


def _matches_nothing(operator, value):
    """Whether an invoice without a prediction (no value) meets ``operator value``, as a
    stored field without a value would."""
    if operator in ("=", "!="):
        value = [value]
        operator = "in" if operator == "=" else "not in"
    if operator == "in":
        return any(item is False or item is None for item in value)
    if operator == "not in":
        return not any(item is False or item is None for item in value)
    return False


# One concern of the invoice per file, as account splits its models.
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    late_probability = fields.Float(
        string="Risk of Paying Late",
        digits=(16, 4),
        compute="_compute_late_prediction",
        search="_search_late_probability",
        groups=PREDICTION_GROUPS,
        help="Probability that the invoice is paid more than the prediction's days late "
        "(credit management, late-payment prediction).",
    )
    likely_late = fields.Boolean(
        compute="_compute_late_prediction",
        search="_search_likely_late",
        groups=PREDICTION_GROUPS,
    )
    date_expected_payment = fields.Date(
        string="Expected Payment",
        compute="_compute_late_prediction",
        search="_search_date_expected_payment",
        groups=PREDICTION_GROUPS,
    )
    date_expected_payment_from = fields.Date(
        string="Expected Payment From",
        compute="_compute_late_prediction",
        search="_search_date_expected_payment_from",
        groups=PREDICTION_GROUPS,
        help="Nine invoices in ten like this one were paid after this day in the backtest.",
    )
    date_expected_payment_to = fields.Date(
        string="Expected Payment Until",
        compute="_compute_late_prediction",
        search="_search_date_expected_payment_to",
        groups=PREDICTION_GROUPS,
        help="Nine invoices in ten like this one were paid before this day in the backtest.",
    )
    late_basis = fields.Selection(
        selection=BASES,
        string="Predicted From",
        compute="_compute_late_prediction",
        search="_search_late_basis",
        groups=PREDICTION_GROUPS,
    )
    late_factors = fields.Text(
        string="Why", compute="_compute_late_factors", groups=PREDICTION_GROUPS
    )

    @api.depends_context("lang")
    def _compute_late_prediction(self):
        rows = {
            row.move_id.id: row
            for row in self.env["credit.move.prediction"].search(
                [("move_id", "in", self._origin.ids)]
            )
        }
        today = fields.Date.context_today(self)
        for move in self:
            row = rows.get(move._origin.id)
            for fname, column in PREDICTION_COLUMNS.items():
                move[fname] = row[column] if row else False
            if row:
                # Stored as predicted: an expected day already past is today.
                for fname in DATE_FIELDS:
                    move[fname] = max(move[fname], today)

    @api.depends_context("lang")
    def _compute_late_factors(self):
        """Worked out when read, from the invoice's features of today: explaining costs
        a prediction per factor tried, too much for every open invoice every night, and the
        form shows one invoice at a time."""
        scored = (
            self.env["credit.move.prediction"].search([("move_id", "in", self._origin.ids)]).move_id
        )
        found = {}
        Model = self.env["credit.prediction.model"].sudo()
        for company in scored.company_id:
            record = Model.search([("company_id", "=", company.id)], limit=1)
            mine = scored.filtered(lambda move, company=company: move.company_id == company)
            if record:
                found.update(record.with_company(company)._prediction_explain(mine.ids))
        for move in self:
            basis, factors = found.get(move._origin.id, (None, ()))
            move.late_factors = move._late_factors_text(basis, factors) if basis else False

    def _search_prediction(self, fname, operator, value):
        """The invoices whose prediction meets ``(fname, operator, value)``; an invoice
        without a prediction has none of its values (``= False`` finds it)."""
        Prediction = self.env["credit.move.prediction"]
        predicted = Prediction._search([(PREDICTION_COLUMNS[fname], operator, value)])
        condition = [("id", "in", predicted.subselect("move_id"))]
        if _matches_nothing(operator, value):
            scored = Prediction._search([]).subselect("move_id")
            condition = ["|", *condition, ("id", "not in", scored)]
        return condition

    def _search_late_probability(self, operator, value):
        return self._search_prediction("late_probability", operator, value)

    def _search_likely_late(self, operator, value):
        return self._search_prediction("likely_late", operator, value)

    def _search_date_expected_payment(self, operator, value):
        return self._search_prediction("date_expected_payment", operator, value)

    def _search_date_expected_payment_from(self, operator, value):
        return self._search_prediction("date_expected_payment_from", operator, value)

    def _search_date_expected_payment_to(self, operator, value):
        return self._search_prediction("date_expected_payment_to", operator, value)

    def _search_late_basis(self, operator, value):
        return self._search_prediction("late_basis", operator, value)

    def _late_factors_text(self, basis, factors):
        """The ``factors`` of a prediction (``engine.prediction.Prediction.factors``) made
        from ``basis``, a line each, in the reader's language."""
        labels = dict(
            self.env["credit.prediction.factor"]._fields["feature"]._description_selection(self.env)
        )
        lines = []
        for name, value, change in factors:
            shown = self._late_factor_value(name, value)
            if change is None:
                lines.append(self.env._("%(factor)s: %(value)s", factor=labels[name], value=shown))
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
        if basis == "fallback":
            lines.append(self.env._("From the customer's own history (no learnt model)."))
        return "\n".join(lines) or False

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

    def _field_to_sql(self, alias, fname, query=None, *args, **kwargs):
        """The prediction's fields in SQL: their column of credit_move_prediction, joined
        (so that the invoices sort by them like stored fields)."""
        column = PREDICTION_COLUMNS.get(fname)
        if column is None or query is None:
            return super()._field_to_sql(alias, fname, query, *args, **kwargs)
        self.check_field_access_rights("read", [fname])
        joined = query.make_alias(alias, "credit_prediction")
        query.add_join(
            "LEFT JOIN",
            joined,
            self.env["credit.move.prediction"]._table,
            SQL("%s = %s", SQL.identifier(joined, "move_id"), SQL.identifier(alias, "id")),
        )
        return SQL.identifier(joined, column)

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        """The invoices without a prediction (paid, draft) last, whichever the direction."""
        if field_name in PREDICTION_COLUMNS and not nulls.code:
            nulls = SQL("NULLS LAST")
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

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
