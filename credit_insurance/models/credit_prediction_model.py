"""The customers' insurance status as a feature of the late-payment prediction."""

from odoo import models
from odoo.tools import SQL

# engine.prediction.INSURED: none, granted, partial, refused.
STATUS_SQL = """
    MAX(CASE WHEN c.state = 'granted' THEN 1
             WHEN c.state IN ('partial', 'reduced') THEN 2
             WHEN c.state IN ('refused', 'cancelled') THEN 3
             ELSE 0 END)
"""


class CreditPredictionModel(models.Model):
    _inherit = "credit.prediction.model"

    def _prediction_insured(self, company):
        """The status of each customer's cover in the company's policies (the gravest when
        there are several: refused over partial over granted)."""
        statuses = super()._prediction_insured(company)
        self.env["credit.insurance.cover"].flush_model(["state", "partner_id", "company_id"])
        rows = self.env.execute_query(
            SQL(
                f"""
                SELECT c.partner_id, {STATUS_SQL}
                  FROM credit_insurance_cover c
                 WHERE c.company_id = %s
                 GROUP BY c.partner_id
                """,
                company.id,
            )
        )
        statuses.update((partner, status) for partner, status in rows if status)
        return statuses
