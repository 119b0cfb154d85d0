"""What a new risk event does, as its kind's line says (``credit.risk.event.action``).

For an opening of proceedings (by default): the customer goes on credit hold (reason
``insolvency``), its payer profile changes when the line names one, the reminders of its
invoices dated before the judgment stop (debts born before the judgment are claims to
declare, Code de commerce L622-21), a claim declaration is prepared with those invoices
(deadline: publication + two months, R622-24), the collector and the credit manager get an
activity, and with credit insurance an insurer alert is raised (``_notify_insurer``,
credit_risk_data_insurance). A plan or a closure lifts nothing: an activity for the credit
manager only.
"""

from odoo import _
from odoo import models
from odoo.addons.credit_management import compat
from odoo.tools import format_date

from ..engine.bodacc import OPENING_KINDS

MANAGER_GROUP = "credit_management.group_credit_manager"


class CreditRiskEvent(models.Model):
    _inherit = "credit.risk.event"  # pylint: disable=consider-merging-classes-inherited

    def _apply_effects(self):
        Action = self.env["credit.risk.event.action"]
        for event in self.sudo():
            company = event.company_id
            event = company._credit_in_users_lang(event.with_company(company))
            steps = Action._steps(company, event.event_type)
            partner = event.partner_id.with_company(company)
            if steps["hold"]:
                partner.credit_risk_hold_event_id = event
            if steps["payer_profile"]:
                partner.payer_profile_id = steps["payer_profile"]
            moves = event._claim_moves() if steps["claim"] or steps["stop_dunning"] else None
            if steps["stop_dunning"] and moves:
                event._stop_dunning(moves)
            if steps["claim"] and moves:
                event.env["credit.risk.claim"].create(event._prepare_claim_vals(moves))
            if steps["activity"]:
                event._schedule_activities(
                    event._activity_summary(), managers_only=event.event_type not in OPENING_KINDS
                )
            if steps["insurer_alert"]:
                event._notify_insurer(moves or event.env["account.move"])

    def _recollect_claim(self, old_judgment):
        """The judgment's date was corrected: the invoices dated before the new date are the
        claim's and their reminders stop; those no longer before it are taken out of the
        claim and reminded again. A claim already declared is left as it is, with a note."""
        self.ensure_one()
        steps = self.env["credit.risk.event.action"]._steps(self.company_id, self.event_type)
        if not (steps["claim"] or steps["stop_dunning"]):
            return
        before = self.date_judgment or self.date_published
        claims = self.claim_ids
        # What the event stopped: its claim's invoices, else those before the former date.
        old_moves = claims.move_ids or self._claim_moves(old_judgment or self.date_published)
        kept = old_moves.filtered(lambda m: m.invoice_date and m.invoice_date < before)
        moves = kept | self._claim_moves()
        judgment = format_date(self.env, self.date_judgment)
        if steps["stop_dunning"]:
            self._stop_dunning(moves - old_moves)
            resumed = (old_moves - moves).filtered("dunning_excluded")
            resumed.write({"dunning_excluded": False})
            for move in resumed:
                move.message_post(
                    body=_(
                        "Reminded again: the judgment of %(event)s is now dated %(date)s, "
                        "after this invoice.",
                        event=self.name,
                        date=judgment,
                    )
                )
        open_claims = claims.filtered(lambda c: c.state == "to_declare")
        if steps["claim"] and open_claims:
            open_claims.write({"move_ids": [(6, 0, moves.ids)]})
        elif steps["claim"] and not claims and moves:
            self.env["credit.risk.claim"].create(self._prepare_claim_vals(moves))
        for claim in claims - open_claims:
            claim.message_post(
                body=_(
                    "The judgment is now dated %(date)s: review the invoices of this claim, "
                    "already declared.",
                    date=judgment,
                )
            )

    def _stop_dunning(self, moves):
        """No more reminders for ``moves``: debts born before the judgment."""
        self.ensure_one()
        moves.filtered(lambda m: not m.dunning_excluded).write({"dunning_excluded": True})
        for move in moves:
            move.message_post(
                body=_(
                    "No more reminders: the debt was born before the judgment of "
                    "%(date)s (%(event)s); it is to be declared, not reminded.",
                    date=format_date(self.env, self.date_judgment),
                    event=self.name,
                )
            )

    def _claim_moves(self, before=None):
        """The customer's open invoices of the company dated before the judgment (or
        ``before``)."""
        self.ensure_one()
        before = before or self.date_judgment or self.date_published
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.partner_id.id),
                ("company_id", "=", self.company_id.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date", "<", before),
            ],
            order="invoice_date, id",
        )

    def _prepare_claim_vals(self, moves):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "event_id": self.id,
            "company_id": self.company_id.id,
            "move_ids": [(6, 0, moves.ids)],
        }

    def _activity_summary(self):
        self.ensure_one()
        if self.event_type in OPENING_KINDS:
            return _(
                "Insolvency proceedings (%(kind)s) of %(partner)s: declare the claim",
                kind=dict(self._fields["event_type"]._description_selection(self.env))[
                    self.event_type
                ],
                partner=self.partner_id.name,
            )
        return _("Credit risk: %(event)s", event=self.name)

    def _schedule_activities(self, summary, managers_only=False):
        """A to-do for the customer's collector and the company's credit manager."""
        self.ensure_one()
        company = self.company_id
        users = self.env["res.users"]
        if not managers_only:
            users |= (
                self.partner_id.with_company(company).dunning_responsible_id
                or company.credit_responsible_id
            )
        users |= company.credit_manager_id or self._default_manager(company)
        for user in users.filtered(lambda u: not u.share):
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=user.id,
                date_deadline=self.date_published,
            )

    def _default_manager(self, company):
        """A credit manager of ``company`` (not the superuser), when none is set."""
        group = self.env.ref(MANAGER_GROUP)
        users = compat.group_users(group).filtered(
            lambda u: company in u.company_ids and not u.share and u.id != 1 and u.active
        )
        return users.sorted("id")[:1]

    def _notify_insurer(self, moves):
        """Hook: tell the credit insurer (credit_risk_data_insurance). Nothing here."""
        return False
