from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from ..models.credit_kpi_snapshot import DSO_DAYS


class CreditDsoSimulator(models.TransientModel):
    """What N days less DSO would free: cash released = average daily credit sales x N.

    The average daily credit sales are the sales of the last 90 days (customer invoices less
    credit notes, taxes included, as in the DSO) / 90, read from the company's latest KPI
    snapshot, or from the ledger today when no snapshot was taken yet. DSO cannot go below
    zero: the days saved are at most the current DSO."""

    _name = "credit.dso.simulator"
    _description = "DSO Simulator"

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    days = fields.Integer(
        string="Days Less DSO", default=5, help="How many days the DSO would be shortened by."
    )
    snapshot_id = fields.Many2one(
        comodel_name="credit.kpi.snapshot",
        string="KPIs of",
        compute="_compute_figures",
        help="The latest KPIs of the company; empty: the figures are read from the ledger today.",
    )
    date = fields.Date(string="Figures of", compute="_compute_figures")
    receivable = fields.Monetary(compute="_compute_figures")
    sales_90 = fields.Monetary(string="Sales (90 days)", compute="_compute_figures")
    daily_sales = fields.Monetary(
        string="Average Daily Credit Sales",
        compute="_compute_figures",
        help="Sales of the last 90 days / 90.",
    )
    current_dso = fields.Float(
        string="Current DSO (days)", digits=(16, 1), compute="_compute_figures"
    )
    target_dso = fields.Float(
        string="Target DSO (days)", digits=(16, 1), compute="_compute_figures"
    )
    cash_released = fields.Monetary(
        compute="_compute_figures",
        help="Average daily credit sales x the days saved: the receivable that would be cash.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("company_id", "days")
    def _compute_figures(self):
        for wizard in self:
            figures = wizard._get_figures()
            current = figures["dso"]
            saved = min(max(wizard.days, 0), current)
            currency = wizard.company_id.currency_id or self.env.company.currency_id
            daily = currency.round(figures["sales_90"] / DSO_DAYS)
            wizard.update(
                {
                    "snapshot_id": figures["snapshot"],
                    "date": figures["date"],
                    "receivable": figures["receivable"],
                    "sales_90": figures["sales_90"],
                    "daily_sales": daily,
                    "current_dso": current,
                    "target_dso": current - saved,
                    "cash_released": currency.round(figures["sales_90"] / DSO_DAYS * saved),
                }
            )

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("days")
    def _check_days(self):
        if any(wizard.days < 0 for wizard in self):
            raise ValidationError(self.env._("The days less DSO cannot be negative."))

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _get_figures(self):
        """The company's latest KPIs (company-level), or today's from the ledger."""
        self.ensure_one()
        Snapshot = self.env["credit.kpi.snapshot"]
        if not self.company_id:
            return {
                "snapshot": Snapshot,
                "date": False,
                "receivable": 0.0,
                "sales_90": 0.0,
                "dso": 0.0,
            }
        domain = [("company_id", "=", self.company_id.id)]
        if "user_id" in Snapshot._fields:
            domain.append(("user_id", "=", False))  # the company's row, not a collector's
        snapshot = Snapshot.search(domain, order="date desc", limit=1)
        if snapshot:
            values = snapshot.read(["date", "receivable", "sales_90", "dso"])[0]
        else:
            values = dict(
                Snapshot._snapshot_values(self.company_id, fields.Date.context_today(self))
            )
            values["date"] = fields.Date.context_today(self)
        return {
            "snapshot": snapshot,
            "date": values["date"],
            "receivable": float(values["receivable"]),
            "sales_90": float(values["sales_90"]),
            "dso": float(values["dso"]),
        }
