"""Customers likely to pay late: those with an open invoice the late-payment prediction
flags (``credit.move.prediction.likely_late``), in the current companies."""

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


# One concern of the customer per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    credit_likely_late = fields.Boolean(
        string="Likely to Pay Late",
        compute="_compute_credit_likely_late",
        search="_search_credit_likely_late",
        groups="credit_management.group_credit_collector",
        help="An open invoice of the customer is likely to be paid late.",
    )

    @api.depends_context("allowed_company_ids")
    def _compute_credit_likely_late(self):
        flagged = set(self._credit_likely_late_ids())
        for partner in self:
            partner.credit_likely_late = partner.commercial_partner_id.id in flagged

    def _credit_likely_late_ids(self):
        groups = self.env["credit.move.prediction"]._read_group(
            [("likely_late", "=", True), ("company_id", "in", self.env.companies.ids)],
            ["partner_id"],
        )
        return [partner.id for (partner,) in groups]

    def _search_credit_likely_late(self, operator, value):
        if operator in ("in", "not in"):
            positive = (True in value) == (operator == "in")
        elif operator in ("=", "!="):
            positive = bool(value) == (operator == "=")
        else:
            raise UserError(self.env._("Search the customers likely to pay late with = or !=."))
        ids = self._credit_likely_late_ids()
        return [("commercial_partner_id", "in" if positive else "not in", ids)]
