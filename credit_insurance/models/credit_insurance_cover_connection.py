"""What a connector keeps on a cover: the insurer's job and cover ids, the last error."""

from odoo import fields
from odoo import models


class CreditInsuranceCover(models.Model):
    _inherit = "credit.insurance.cover"  # pylint: disable=consider-merging-classes-inherited

    insurer_job_ref = fields.Char(
        string="Insurer's Request Id",
        readonly=True,
        copy=False,
        help="Id of the pending request at the insurer (Allianz Trade's job, Coface's "
        "delivery, the SOAP request); cleared once its decision is read.",
    )
    insurer_cover_ref = fields.Char(
        string="Insurer's Cover Id", readonly=True, copy=False, index=True
    )
    insurer_error = fields.Text(compute="_compute_insurer_error")

    def _compute_insurer_error(self):
        Exchange = self.env["credit.insurance.exchange"].sudo()
        for cover in self:
            latest = Exchange.search([("cover_id", "=", cover.id)], limit=1) if cover.id else None
            cover.insurer_error = (latest and latest.error) or False
