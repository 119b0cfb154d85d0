"""The late-payment prediction of one open customer invoice (``credit.move.prediction``).

A narrow table of its own, one row per open invoice scored: the nightly scoring rewrites the
rows that changed without touching ``account_move``'s wide rows and its many indexes (on
100,000 invoices that rewrite was most of the night's time). The invoice shows them as its
own fields (``account_move_prediction.py``: ``late_probability``, ``likely_late``,
``date_expected_payment``..., searchable and sortable). Written only by
``credit.prediction.model._prediction_score``; read by collectors. Why an invoice is at risk
is worked out when it is read, not stored (``account.move.late_factors``).
"""

from odoo import fields
from odoo import models
from odoo.tools import SQL

from .. import compat

BASES = [("model", "Learnt model"), ("fallback", "Customer's average")]


class CreditMovePrediction(models.Model):
    _name = "credit.move.prediction"
    _description = "Late-Payment Prediction of an Invoice"
    _order = "probability desc, id"
    _rec_name = "move_id"
    _log_access = False

    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True, readonly=True, index=True
    )
    # Double precision (no digits): read back exactly as the scoring rounded it.
    probability = fields.Float(string="Risk of Paying Late", readonly=True)
    likely_late = fields.Boolean(readonly=True)
    # As predicted, even when already past (the invoice shows them from today on).
    date_expected = fields.Date(string="Expected Payment", readonly=True)
    date_expected_from = fields.Date(string="Expected Payment From", readonly=True)
    date_expected_to = fields.Date(string="Expected Payment Until", readonly=True)
    basis = fields.Selection(selection=BASES, string="Predicted From", readonly=True)

    _move_uniq = compat.Constraint("UNIQUE (move_id)", "An invoice has one prediction.")

    def init(self):
        # Half of each page left free: the night's rewrite of a row finds room on its page
        # and stays a heap-only update (no index touched, no page more).
        self.env.cr.execute(
            SQL("ALTER TABLE %s SET (fillfactor = 50)", SQL.identifier(self._table))
        )
