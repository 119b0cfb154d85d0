"""Risk events: what a register or a provider says about a customer, once per notice.

How it works: the BODACC provider hands the records it read to ``_record_notices``, which
reads each into facts (``engine.bodacc``), leaves out the notices already recorded (one
``credit.risk.notice`` per record and provider, a unique constraint), matches the others to
customers by SIREN only (``res.partner.credit_siren``, from the company registry's SIREN or
SIRET or the French VAT number, checked with python-stdnum: never by name), in one query for
the whole day, and records one event per notice. A corrective notice (rectificatif)
updates the event of the notice it names; a cancellation cancels it. What a new event does
(hold, dunning, claim, activities, insurer alert) is in ``credit_risk_event_effects.py``.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat
from odoo.exceptions import AccessError
from odoo.tools import format_date

from .credit_risk_event_action import EVENT_TYPES

EVENT_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]
WORKFLOW_FIELDS = {
    "partner_id",
    "provider_id",
    "company_id",
    "event_type",
    "date_judgment",
    "date_published",
    "reference",
    "court",
    "text",
    "state",
    "notice_ids",
    "claim_ids",
    "rating_id",
}


class CreditRiskEvent(models.Model):
    _name = "credit.risk.event"
    _description = "Credit Risk Event"
    _inherit = [
        "credit.risk.customer.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "credit.workflow.mixin",
    ]
    _order = "date_published desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    provider_id = fields.Many2one(
        comodel_name="credit.risk.provider", string="Source", index=True, check_company=True
    )
    event_type = fields.Selection(selection=EVENT_TYPES, string="Kind", required=True)
    date_judgment = fields.Date(string="Judgment Date")
    date_published = fields.Date(
        string="Published On", default=fields.Date.context_today, required=True
    )
    reference = fields.Char(help="The register's id of the notice (unique per source).")
    court = fields.Char()
    text = fields.Text(string="Notice", help="The judgment as the notice gives it.")
    note = fields.Text(help="The credit manager's notes.")
    state = fields.Selection(
        selection=EVENT_STATES, default="new", required=True, tracking=True, index=True
    )
    notice_ids = fields.One2many(
        comodel_name="credit.risk.notice", inverse_name="event_id", string="Notices"
    )
    claim_ids = fields.One2many(
        comodel_name="credit.risk.claim", inverse_name="event_id", string="Claims"
    )
    rating_id = fields.Many2one(comodel_name="credit.risk.rating")
    holding = fields.Boolean(
        string="Holds the Customer",
        compute="_compute_holding",
        help="This event keeps the customer on credit hold (reason: insolvency).",
    )

    _reference_unique = compat.Constraint(
        "UNIQUE(provider_id, reference)", "This notice is already an event of this source."
    )

    # ------------------------------------------------------------
    # WORKFLOW (credit.workflow.mixin)
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | WORKFLOW_FIELDS

    @api.model
    def _workflow_initial_values(self):
        return dict(super()._workflow_initial_values(), state="new")

    @api.model
    def _workflow_fixed_fields(self):
        return super()._workflow_fixed_fields() | {"partner_id", "company_id", "provider_id"}

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("event_type", "partner_id.name")
    def _compute_name(self):
        labels = dict(self._fields["event_type"]._description_selection(self.env))
        for event in self:
            event.name = f"{labels.get(event.event_type, '')} - {event.partner_id.name or ''}"

    @api.depends_context("company")
    def _compute_holding(self):
        for event in self:
            partner = event.partner_id.with_company(event.company_id).sudo()
            event.holding = partner.credit_risk_hold_event_id == event

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        self._workflow_check()
        self.filtered(lambda e: e.state == "new")._workflow_write({"state": "acknowledged"})
        return True

    def action_done(self):
        self._workflow_check()
        self.filtered(lambda e: e.state != "cancelled")._workflow_write({"state": "done"})
        return True

    def action_lift_hold(self):
        """Lift the insolvency hold this event put on its customer (credit managers)."""
        self._check_manager()
        for event in self.filtered("holding"):
            partner = event.partner_id.with_company(event.company_id).sudo()
            partner.credit_risk_hold_event_id = False
            event.invalidate_recordset(["holding"])
            event.message_post(body=_("Insolvency hold lifted by %s.", self.env.user.name))
        return True

    def action_view_claims(self):
        self.ensure_one()
        # The domain apart: Odoo 19's term extractor reads a tuple after ``_()`` as a term.
        domain = [("event_id", "=", self.id)]
        return {
            "type": "ir.actions.act_window",
            "name": _("Claim Declarations"),
            "res_model": "credit.risk.claim",
            "view_mode": "list,form",
            "domain": domain,
        }

    def _check_manager(self):
        self.check_access("write")
        if not (self.env.su or self.env.user.has_group("credit_management.group_credit_manager")):
            raise AccessError(_("Only credit managers can lift an insolvency hold."))

    # ------------------------------------------------------------
    # NOTICES
    # ------------------------------------------------------------

    @api.model
    def _record_notices(self, provider, records):
        """Record the events of ``records`` (a day's records of ``provider``).

        :return: the events created.
        """
        notices = provider._bodacc_notices(records)
        company = provider.company_id
        Notice = self.env["credit.risk.notice"].sudo()
        refs = [notice.reference for notice in notices if notice.reference]
        known = set(
            Notice.search_fetch(
                [("provider_id", "=", provider.id), ("reference", "in", refs)], ["reference"]
            ).mapped("reference")
        )
        sirens = {n.siren for n in notices if n.siren and n.reference not in known}
        partners = self.env["res.partner"]._credit_risk_by_siren(sirens, company)
        created = self.browse()
        for notice in notices:
            partner = partners.get(notice.siren)
            if not notice.reference or notice.reference in known or not partner:
                continue
            known.add(notice.reference)
            earlier = notice.corrects and Notice.search(
                [("provider_id", "=", provider.id), ("key", "=", notice.corrects)], limit=1
            )
            if notice.correction and earlier:
                earlier.event_id._apply_correction(notice)
                continue
            event = (
                self.sudo()
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "provider_id": provider.id,
                        "company_id": company.id,
                        "event_type": notice.kind,
                        "date_judgment": notice.date_judgment,
                        "date_published": notice.date_published or fields.Date.today(),
                        "reference": notice.reference,
                        "court": notice.court,
                        "text": notice.text,
                        "notice_ids": [fields.Command.create(self._notice_vals(provider, notice))],
                    }
                )
            )
            created |= event
        created._apply_effects()
        return created

    @api.model
    def _notice_vals(self, provider, notice):
        return {
            "provider_id": provider.id,
            "reference": notice.reference,
            "key": notice.key,
            "kind": notice.correction or "initial",
            "date_published": notice.date_published,
            "text": notice.text,
        }

    def _apply_correction(self, notice):
        """A corrective notice changes this event; a cancellation cancels it."""
        self.ensure_one()
        vals = {"notice_ids": [fields.Command.create(self._notice_vals(self.provider_id, notice))]}
        if notice.correction == "cancellation":
            vals["state"] = "cancelled"
            message = _(
                "The notice was cancelled by the notice %(reference)s published on %(date)s. "
                "Nothing is lifted by itself: review the hold and the claim.",
                reference=notice.reference,
                date=format_date(self.env, notice.date_published),
            )
        else:
            if notice.kind != "other":
                vals["event_type"] = notice.kind
            if notice.date_judgment:
                vals["date_judgment"] = notice.date_judgment
            vals.update(court=notice.court or self.court, text=notice.text or self.text)
            message = _(
                "Corrected by the notice %(reference)s published on %(date)s.",
                reference=notice.reference,
                date=format_date(self.env, notice.date_published),
            )
        event = self.sudo()
        judgment = event.date_judgment
        event.write(vals)
        event.message_post(body=message)
        if event.state != "cancelled" and event.date_judgment != judgment:
            event._recollect_claim(judgment)
        event._schedule_activities(message, managers_only=True)
