"""The manual provider: the insurer is reached outside Odoo.

A cover request is sent by the credit manager (insurer's portal, letter, email); each decision
is typed in on the cover with the insurer's letter attached. Overdue invoices are declared
with a CSV export of the invoices, attached to the policy for upload to the insurer's portal.
"""

import csv
import io

from markupsafe import Markup

from odoo import _
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

EXPORT_COLUMNS = [
    "invoice",
    "customer",
    "buyer_ref",
    "vat",
    "invoice_date",
    "date_due",
    "amount_total",
    "amount_residual",
    "currency",
    "insured_amount",
]


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    def _insurer_request_cover(self, cover):
        if self.provider_code != "manual":
            return super()._insurer_request_cover(cover)
        cover.message_post(
            body=_(
                "Cover of %(amount)s requested from %(insurer)s: record the insurer's decision "
                "on this cover when it arrives, with its letter.",
                amount=cover._format_amount(cover.amount_requested),
                insurer=self.insurer_id.display_name,
            )
        )
        return None

    def _insurer_declare_overdue(self, moves):
        if self.provider_code != "manual":
            return super()._insurer_declare_overdue(moves)
        return self._manual_declare_overdue(moves)

    def _manual_declare_overdue(self, moves):
        """Mark ``moves`` declared, attach their CSV export to the policy and log it."""
        self.ensure_one()
        covers = self.env["credit.insurance.cover"].search(
            [("policy_id", "=", self.id), ("partner_id", "in", moves.commercial_partner_id.ids)]
        )
        buyer_refs = {cover.partner_id.id: cover.buyer_ref or "" for cover in covers}
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(EXPORT_COLUMNS)
        for move in moves.sorted(lambda m: (m.invoice_date_due, m.name)):
            partner = move.commercial_partner_id
            writer.writerow(
                [
                    move.name,
                    partner.name,
                    buyer_refs.get(partner.id, ""),
                    partner.vat or "",
                    fields.Date.to_string(move.invoice_date),
                    fields.Date.to_string(move.invoice_date_due),
                    f"{move.amount_total:.2f}",
                    f"{move.amount_residual:.2f}",
                    move.currency_id.name,
                    f"{move.insurance_insured_amount:.2f}",
                ]
            )
        today = fields.Date.context_today(self)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"overdue-declaration-{self.policy_number or self.id}-{today}.csv",
                "raw": buffer.getvalue().encode(),
                "mimetype": "text/csv",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        moves.sudo().write(
            {"insurance_declaration_state": "declared", "insurance_declaration_date": today}
        )
        self.message_post(
            body=Markup("%s<br/>%s")
            % (
                _("%(count)s overdue invoices declared:", count=len(moves)),
                ", ".join(moves.mapped("name")),
            ),
            attachment_ids=attachment.ids,
        )
        for move in moves:
            move.message_post(
                body=_(
                    "Overdue declared to the credit insurer (policy %(policy)s).", policy=self.name
                )
            )
        return attachment

    def _insurer_search_buyer(self, partner):
        if self.provider_code != "manual":
            return super()._insurer_search_buyer(partner)
        raise UserError(
            _(
                "The policy %(policy)s has no connection to %(insurer)s: search %(partner)s on "
                "the insurer's portal and type its buyer id on the cover.",
                policy=self.name,
                insurer=self.insurer_id.display_name,
                partner=partner.commercial_partner_id.display_name,
            )
        )
