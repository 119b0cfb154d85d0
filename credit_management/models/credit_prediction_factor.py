from odoo import fields
from odoo import models

from .credit_prediction_model import FEATURE_LABELS


class CreditPredictionFactor(models.Model):
    _name = "credit.prediction.factor"
    _description = "Factor of the Late-Payment Prediction"
    _order = "model_id, sequence"

    model_id = fields.Many2one(
        comodel_name="credit.prediction.model", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="model_id.company_id", store=True)
    sequence = fields.Integer(readonly=True)
    feature = fields.Selection(selection=FEATURE_LABELS, required=True, readonly=True)
    importance = fields.Float(
        digits=(16, 3),
        readonly=True,
        help="How much the AUC of the test period falls when this factor is shuffled.",
    )
