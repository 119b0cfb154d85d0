"""Risk-data providers: public registers and financial-data providers, one model.

Shaped like Odoo's ``payment.provider`` and credit_insurance's policies: ``provider_code``
says who the provider is; each provider's hooks live in a file of their own
(``credit_risk_provider_bodacc.py``, ``credit_risk_provider_register.py``) and return early
when the code is not theirs; every request goes through ``_risk_request``
(``credit_risk_provider_http.py``). What a provider can do is said by fields
(``can_fetch_notices``, ``can_search_register``, ``can_import_ratings``), not by lists of
codes in views.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat
from odoo.exceptions import AccessError

PROVIDER_CODES = [
    ("bodacc", "BODACC (insolvency proceedings)"),
    ("recherche_entreprises", "Recherche d'entreprises (company register)"),
    ("sirene", "INSEE API Sirene"),
    ("manual", "File import (ratings)"),
]
DEFAULT_URLS = {
    "bodacc": "https://bodacc-datadila.opendatasoft.com/api/explore/v2.1",
    "recherche_entreprises": "https://recherche-entreprises.api.gouv.fr",
    "sirene": "https://api.insee.fr/api-sirene/3.11",
}
MANAGER_GROUP = "credit_management.group_credit_manager"
# Set by the provider's actions and its daily job only.
WORKFLOW_FIELDS = ("state", "cursor_date", "last_run", "last_error")


class CreditRiskProvider(models.Model):
    _name = "credit.risk.provider"
    _description = "Risk Data Provider"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    provider_code = fields.Selection(
        selection=PROVIDER_CODES, string="Provider", required=True, default="bodacc"
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    state = fields.Selection(
        selection=[("disabled", "Disabled"), ("enabled", "Enabled")],
        default="disabled",
        required=True,
        readonly=True,
        copy=False,
    )
    api_base_url = fields.Char(
        string="API Base URL",
        compute="_compute_api_base_url",
        store=True,
        readonly=False,
        groups="base.group_system",
        help="Where the requests are sent (system administrators only).",
    )
    api_key = fields.Char(
        string="API Key",
        groups="base.group_system",
        copy=False,
        help="INSEE's API Sirene key (header X-INSEE-Api-Key-Integration).",
    )
    api_timeout = fields.Float(string="Timeout (seconds)", default=20.0)
    page_size = fields.Integer(
        default=100, help="Records asked per page (the Opendatasoft API gives at most 100)."
    )
    cursor_date = fields.Date(
        string="Read Up To",
        readonly=True,
        copy=False,
        help="Last publication day read in full: the next run starts the day after.",
    )
    last_run = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    exchange_ids = fields.One2many(
        comodel_name="credit.risk.exchange", inverse_name="provider_id", string="Exchanges"
    )
    # The columns of the rating files (saved mapping of the file import).
    column_identifier = fields.Char(default="siren", help="Column of the SIREN, SIRET or VAT.")
    column_date = fields.Char(default="date")
    column_score = fields.Char(default="score")
    column_grade = fields.Char(default="grade")
    column_default_probability = fields.Char(default="probability_of_default")
    column_recommended_limit = fields.Char(default="recommended_limit")
    can_fetch_notices = fields.Boolean(compute="_compute_capabilities")
    can_search_register = fields.Boolean(compute="_compute_capabilities")
    can_import_ratings = fields.Boolean(compute="_compute_capabilities")

    _reference_unique = compat.Constraint(
        "UNIQUE(company_id, provider_code, name)",
        "A provider of this name already exists in this company.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("provider_code")
    def _compute_api_base_url(self):
        for provider in self:
            provider.api_base_url = DEFAULT_URLS.get(provider.provider_code, False)

    @api.depends("provider_code")
    def _compute_capabilities(self):
        for provider in self:
            code = provider.provider_code
            provider.can_fetch_notices = code == "bodacc"
            provider.can_search_register = code in ("recherche_entreprises", "sirene")
            provider.can_import_ratings = code == "manual"

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            vals_list = [
                {k: v for k, v in vals.items() if k not in WORKFLOW_FIELDS} for vals in vals_list
            ]
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(WORKFLOW_FIELDS) & set(vals):
            raise AccessError(
                _(
                    "The state and the read cursor of a risk-data provider are set by its "
                    "actions and its daily job only."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def _check_manager(self):
        self.check_access("write")
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(_("Only credit managers can do this on risk-data providers."))

    def action_enable(self):
        self._check_manager()
        self.sudo().write({"state": "enabled", "last_error": False})
        return True

    def action_disable(self):
        self._check_manager()
        self.sudo().write({"state": "disabled"})
        return True

    def action_fetch(self):
        """Read now what was published since the cursor (the daily job, for this provider)."""
        self._check_manager()
        for provider in self.filtered("can_fetch_notices"):
            provider._fetch_notices()
        return True

    def action_view_exchanges(self):
        self.ensure_one()
        # The domain apart: Odoo 19's term extractor reads a tuple after ``_()`` as a term.
        domain = [("provider_id", "=", self.id)]
        return {
            "type": "ir.actions.act_window",
            "name": _("Exchanges"),
            "res_model": "credit.risk.exchange",
            "view_mode": "list,form",
            "domain": domain,
        }

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_fetch(self):
        """Read, for every enabled provider of notices, what was published since its cursor."""
        providers = self.sudo().search([("state", "=", "enabled")]).filtered("can_fetch_notices")
        for provider in providers:
            company = provider.company_id
            company._credit_in_users_lang(provider.with_company(company))._fetch_notices()
        self.env["credit.risk.claim"]._cron_deadline_alerts()

    # ------------------------------------------------------------
    # PROVIDER HOOKS (overridden per provider_code, early return)
    # ------------------------------------------------------------

    def _fetch_notices(self):
        """Read the notices published since the cursor and record their events."""
        self.ensure_one()

    def _register_search(self, query, postcode=None):
        """Companies of the register matching ``query`` (a name or a SIREN/SIRET).

        :return: a list of dicts ``siren, siret, name, street, zip, city, naf_code,
            legal_form, active``.
        """
        self.ensure_one()
        return []
