"""The customer's risk data: SIREN, insolvency hold, register facts, ratings."""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_field_rights import COLLECTOR
from odoo.addons.credit_management.models.credit_field_rights import METHOD
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..engine.bodacc import siren_from_identifier


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_siren = fields.Char(
        string="SIREN",
        compute="_compute_credit_siren",
        store=True,
        index="btree_not_null",
        help="The SIREN read from the company registry (SIREN or SIRET) or the French VAT "
        "number, checked: how notices of the registers are matched (never by name).",
    )
    credit_risk_hold_event_id = fields.Many2one(
        comodel_name="credit.risk.event",
        string="Insolvency Event",
        company_dependent=True,
        help="The event that keeps this customer on credit hold (insolvency).",
        groups=COLLECTOR,
    )
    credit_hold_reason = fields.Selection(selection_add=[("insolvency", "Insolvency proceedings")])
    credit_risk_event_ids = fields.One2many(
        comodel_name="credit.risk.event",
        inverse_name="partner_id",
        string="Risk Events",
        groups=COLLECTOR,
    )
    credit_risk_rating_ids = fields.One2many(
        comodel_name="credit.risk.rating",
        inverse_name="partner_id",
        string="Ratings",
        groups=COLLECTOR,
    )
    credit_risk_rating_id = fields.Many2one(
        comodel_name="credit.risk.rating",
        string="Latest Rating",
        compute="_compute_credit_risk_rating",
        groups=COLLECTOR,
    )
    credit_risk_trend = fields.Selection(
        selection=[("up", "Improving"), ("down", "Worsening"), ("stable", "Stable")],
        string="Rating Trend",
        compute="_compute_credit_risk_rating",
        groups=COLLECTOR,
    )
    # The latest rating among the behaviour score's factors (credit_partner_score.py).
    credit_score_rating_probability = fields.Float(
        string="Rating: Probability of Default (%)",
        compute="_compute_credit_score_rating",
        digits=(16, 4),
        groups="credit_management.group_credit_manager",
    )
    credit_score_rating_penalty = fields.Integer(
        string="Rating: Points Lost",
        compute="_compute_credit_score_rating",
        groups="credit_management.group_credit_manager",
    )
    credit_naf_code = fields.Char(string="NAF Code", help="Main activity (APE/NAF code).")
    credit_legal_form = fields.Char(string="Legal Form", help="Legal category code (INSEE).")
    credit_register_ceased = fields.Boolean(
        string="Ceased (Register)",
        readonly=True,
        copy=False,
        help="The company register says this company has ceased.",
    )
    credit_register_date = fields.Date(
        string="Checked in the Register On", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("company_registry", "vat")
    def _compute_credit_siren(self):
        for partner in self:
            partner.credit_siren = siren_from_identifier(
                partner.company_registry
            ) or siren_from_identifier(partner.vat)

    @api.depends_context("company")
    def _compute_credit_score_rating(self):
        for partner in self:
            score = partner.sudo().credit_score_id
            partner.credit_score_rating_probability = score.rating_default_probability
            partner.credit_score_rating_penalty = score.rating_penalty

    @api.depends_context("company")
    def _compute_credit_risk_rating(self):
        Rating = self.env["credit.risk.rating"]
        commercial = self.commercial_partner_id
        ratings = {}
        if commercial.ids:
            for rating in Rating.search(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "in", self.env.companies.ids),
                ],
                order="date desc, id desc",
            ):
                ratings.setdefault(rating.partner_id.id, []).append(rating)
        for partner in self:
            history = ratings.get(partner.commercial_partner_id.id) or []
            partner.credit_risk_rating_id = history[0] if history else False
            trend = False
            if len(history) > 1:
                trend = (
                    "up"
                    if history[0].score > history[1].score
                    else "down"
                    if history[0].score < history[1].score
                    else "stable"
                )
            partner.credit_risk_trend = trend

    # ------------------------------------------------------------
    # CREDIT HOLD (credit_management's extension point)
    # ------------------------------------------------------------

    def _credit_hold_reasons(self, facts, limit, amount, company):
        reasons = super()._credit_hold_reasons(facts, limit, amount, company)
        if company.credit_hold_mode == "none":
            return reasons
        event = self.with_company(company).sudo().credit_risk_hold_event_id
        if event:
            reasons.append(
                (
                    "insolvency",
                    _(
                        "Insolvency proceedings: %(event)s, judgment of %(date)s (%(court)s).",
                        event=event.name,
                        date=format_date(self.env, event.date_judgment or event.date_published),
                        court=event.court or "-",
                    ),
                )
            )
        return reasons

    def _credit_hold_candidates(self, company):
        held = self.with_company(company).search([("credit_risk_hold_event_id", "!=", False)])
        return super()._credit_hold_candidates(company) | held.commercial_partner_id

    @api.model
    def _credit_field_rights(self):
        return {
            **super()._credit_field_rights(),
            "credit_siren": METHOD,
            "credit_risk_hold_event_id": METHOD,
            "credit_register_ceased": METHOD,
            "credit_register_date": METHOD,
        }

    # ------------------------------------------------------------
    # MATCHING
    # ------------------------------------------------------------

    @api.model
    def _credit_risk_by_siren(self, sirens, company):
        """``{siren: customer}`` of the commercial entities of ``company`` (or shared) with
        these SIRENs, in one query; the oldest customer when several share one."""
        if not sirens:
            return {}
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("credit_siren", "in", list(sirens)),
                    ("company_id", "in", [False, company.id]),
                ],
                ["credit_siren", "commercial_partner_id"],
                order="id",
            )
        )
        result = {}
        for partner in partners:
            if partner.commercial_partner_id == partner:
                result.setdefault(partner.credit_siren, partner)
        return result

    # ------------------------------------------------------------
    # COMPANY REGISTER
    # ------------------------------------------------------------

    def _credit_register_provider(self):
        provider = (
            self.env["credit.risk.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "enabled"),
                    ("provider_code", "in", ("recherche_entreprises", "sirene")),
                ],
                limit=1,
            )
        )
        if not provider:
            raise UserError(
                _(
                    "No company register is enabled for %(company)s: enable the provider "
                    "Recherche d'entreprises or API Sirene in the credit settings.",
                    company=self.env.company.name,
                )
            )
        return provider

    def action_credit_register_check(self):
        """Check this customer in the company register by its SIREN: fill what is empty,
        flag a ceased company (and raise an event)."""
        self.ensure_one()
        self.check_access("write")
        partner = self.commercial_partner_id
        if not partner.credit_siren:
            raise UserError(
                _(
                    "%(partner)s has no valid SIREN, SIRET or French VAT number: search the "
                    "register by name instead.",
                    partner=partner.display_name,
                )
            )
        candidates = self._credit_register_provider()._register_search(partner.credit_siren)
        found = [c for c in candidates if c["siren"] == partner.credit_siren]
        if not found:
            raise UserError(
                _("The register knows no company with the SIREN %s.", partner.credit_siren)
            )
        partner._credit_register_apply(found[0], overwrite=False)
        return True

    def action_credit_register_search(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Search the Company Register"),
            "res_model": "credit.risk.register.search",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_query": self.commercial_partner_id.credit_siren
                or self.commercial_partner_id.name,
                "default_postcode": self.zip,
            },
        }

    def _credit_register_apply(self, candidate, overwrite=True):
        """Write the register's facts of ``candidate`` on this customer (the caller may
        write it); a ceased company is flagged and raises an event."""
        self.ensure_one()
        self.check_access("write")
        vals = {
            "name": candidate["name"],
            "street": candidate["street"],
            "zip": candidate["zip"],
            "city": candidate["city"],
            "company_registry": candidate["siret"] or candidate["siren"],
            "credit_naf_code": candidate["naf_code"],
            "credit_legal_form": candidate["legal_form"],
        }
        if not self.country_id:
            vals["country_id"] = self.env.ref("base.fr").id
        if not overwrite:
            vals = {key: value for key, value in vals.items() if value and not self[key]}
        vals = {key: value for key, value in vals.items() if value}
        if not self.is_company:
            vals["is_company"] = True
        self.write(vals)
        ceased = not candidate["active"]
        was_ceased = self.credit_register_ceased
        # The register's verdict, written by this method only (credit_field_rights).
        self.sudo().write(
            {"credit_register_ceased": ceased, "credit_register_date": fields.Date.today()}
        )
        if ceased and not was_ceased:
            event = (
                self.env["credit.risk.event"]
                .sudo()
                .create(
                    {
                        "partner_id": self.id,
                        "company_id": self.env.company.id,
                        "event_type": "ceased",
                        "text": _("The company register says the company has ceased."),
                    }
                )
            )
            event._apply_effects()
        return True
