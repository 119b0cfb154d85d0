"""Credit insurance policies and their insurer providers.

A policy is a company's contract with a credit insurer. How an insurer is reached depends on
its ``provider_code``, as Odoo's payment providers do: the base model declares the hooks
(``_insurer_request_cover``, ``_insurer_read_decisions``, ``_insurer_declare_overdue``,
``_insurer_search_buyer``, ``_insurer_test_connection``) and each
provider overrides them, returning to ``super()`` when the policy is not its own. A connector
addon adds its code with ``selection_add`` and its overrides, nothing else.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

from .workflow import check_manager
from .workflow import check_workflow_write
from .workflow import workflow_create_vals

# Set by the policy's actions and its connector only (see workflow.py).
WORKFLOW_FIELDS = {"state": "draft", "sync_cursor": False}


class CreditInsurancePolicy(models.Model):
    _name = "credit.insurance.policy"
    _description = "Credit Insurance Policy"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    insurer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Credit Insurer",
        required=True,
        tracking=True,
    )
    policy_number = fields.Char(tracking=True)
    provider_code = fields.Selection(
        selection=[("manual", "Manual"), ("demo", "Demo (offline)")],
        string="Provider",
        required=True,
        default="manual",
        tracking=True,
        help="How the insurer is reached. Manual: requests are sent outside Odoo and a credit "
        "manager records each decision with the insurer's letter. Demo: an offline insurer "
        "that decides by a fixed rule, for trials and training.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the covers' amounts.",
    )
    coverage_rate = fields.Float(
        string="Coverage Rate (%)",
        default=90.0,
        tracking=True,
        help="Share of an insured invoice, excluding taxes, that the insurer indemnifies.",
    )
    max_credit_days = fields.Integer(
        string="Maximum Credit Period (days)",
        default=60,
        tracking=True,
        help="An invoice whose payment terms exceed this many days from its date is not insured.",
    )
    declaration_days = fields.Integer(
        string="Overdue Declaration Delay (days)",
        default=30,
        tracking=True,
        help="An unpaid invoice must be declared to the insurer within this many days of its "
        "due date, or its cover is lost.",
    )
    discretionary_limit = fields.Monetary(
        tracking=True,
        help="Customers without any cover decision are insured up to this amount without a "
        "request (unnamed buyers); 0: no discretionary limit.",
    )
    discretionary_coverage_rate = fields.Float(
        string="Discretionary Coverage Rate (%)",
        default=80.0,
        tracking=True,
    )
    date_start = fields.Date(string="Valid From", required=True, default=fields.Date.today)
    date_end = fields.Date(string="Valid Until")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("active", "Active"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    api_key = fields.Char(
        string="API Key",
        groups="base.group_system",
        copy=False,
        help="Credential of the insurer's web services (connectors only).",
    )
    cover_ids = fields.One2many(comodel_name="credit.insurance.cover", inverse_name="policy_id")
    cover_count = fields.Integer(compute="_compute_cover_count", string="Covers")

    _sql_constraints = [
        (
            "coverage_rate_range",
            "CHECK (coverage_rate >= 0 AND coverage_rate <= 100 "
            "AND discretionary_coverage_rate >= 0 AND discretionary_coverage_rate <= 100)",
            "Coverage rates are between 0 and 100 %.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("cover_ids")
    def _compute_cover_count(self):
        counts = dict(
            self.env["credit.insurance.cover"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.cover_count = counts.get(policy, 0)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("max_credit_days", "declaration_days", "discretionary_limit")
    def _check_figures(self):
        for policy in self:
            if min(policy.max_credit_days, policy.declaration_days) < 0:
                raise ValidationError(
                    _("The credit period and declaration delay cannot be negative.")
                )
            if policy.discretionary_limit < 0:
                raise ValidationError(_("The discretionary limit cannot be negative."))

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for policy in self:
            if policy.date_end and policy.date_end < policy.date_start:
                raise ValidationError(
                    _("The policy %(policy)s ends before it starts.", policy=policy.name)
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_activate(self):
        check_manager(self)
        self.sudo().state = "active"
        return True

    def action_close(self):
        check_manager(self)
        self.sudo().state = "closed"
        return True

    def action_fetch_decisions(self):
        check_manager(self)
        decisions = self._insurer_fetch_decisions()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if decisions else "info",
                "message": _("%(count)s new decisions received.", count=len(decisions)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_covers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_cover_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        action["context"] = {"default_policy_id": self.id}
        return action

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_fetch_decisions(self):
        for policy in self.search([("state", "=", "active")]):
            policy._insurer_fetch_decisions()

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    @api.model
    def _get_active(self, company, date=None):
        """The company's policy in force on ``date`` (today by default), or an empty record."""
        date = date or fields.Date.context_today(self)
        for policy_id, date_start, date_end in self._active_policies(company.id):
            if date_start <= date and (not date_end or date_end >= date):
                return self.sudo().browse(policy_id)
        return self.sudo().browse()

    @api.model
    @tools.ormcache("company_id")
    def _active_policies(self, company_id):
        """``(id, date_start, date_end)`` of the company's active policies, latest first.

        Cached: every credit check asks for the policy in force, and policies seldom change
        (``create``, ``write`` and ``unlink`` clear the cache).
        """
        policies = self.sudo().search(
            [("company_id", "=", company_id), ("state", "=", "active")],
            order="date_start desc, id desc",
        )
        return tuple((p.id, p.date_start, p.date_end) for p in policies)

    @api.model_create_multi
    def create(self, vals_list):
        # Odoo checks the fields' groups on write only: the system-only ones (credentials,
        # addresses) are refused at creation too.
        for vals in vals_list:
            self.check_field_access_rights("create", list(vals))
        policies = super().create(workflow_create_vals(self, vals_list, WORKFLOW_FIELDS))
        self.env.registry.clear_cache()
        return policies

    def write(self, vals):
        check_workflow_write(self, vals, WORKFLOW_FIELDS)
        result = super().write(vals)
        if {"company_id", "state", "date_start", "date_end"}.intersection(vals):
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _declaration_failures_text(self, failures):
        """The invoices of ``failures`` (``[(moves, error), …]``, one entry a buyer) and why
        each was not declared to this policy's insurer, one line each."""
        self.ensure_one()
        return "\n".join(
            self.env._(
                "- %(customer)s (%(invoices)s): %(reason)s",
                customer=", ".join(moves.commercial_partner_id.mapped("display_name")),
                invoices=", ".join(moves.mapped("name")),
                reason=str(error),
            )
            for moves, error in failures
        )

    def _declaration_warning(self, declared, failures):
        """A declaration run that the insurer accepted for ``declared`` and not for
        ``failures`` (``[(moves, error), …]``): the reason posted on each invoice left to
        declare, and a sticky warning that names them.

        :return: a ``display_notification`` client action.
        """
        self.ensure_one()
        for moves, error in failures:
            for move in moves:
                move.message_post(
                    body=_(
                        "Not declared to %(insurer)s (policy %(policy)s): %(reason)s",
                        insurer=self.insurer_id.name,
                        policy=self.name,
                        reason=str(error),
                    )
                )
        failures_text = self._declaration_failures_text(failures)
        if declared:
            message = _(
                "Invoices declared to %(insurer)s (policy %(policy)s): %(count)s. Not "
                "declared, to declare again once the cause is fixed:\n%(failures)s",
                insurer=self.insurer_id.name,
                policy=self.name,
                count=len(declared),
                failures=failures_text,
            )
        else:
            message = _(
                "Nothing declared to %(insurer)s (policy %(policy)s), to declare again once "
                "the cause is fixed:\n%(failures)s",
                insurer=self.insurer_id.name,
                policy=self.name,
                failures=failures_text,
            )
        return self._declaration_notification(message)

    @api.model
    def _declaration_notification(self, message, next_action=None):
        """The sticky warning of a declaration run that left invoices to declare."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": _("Some invoices were not declared"),
                "message": message,
                # One line per buyer left to declare.
                "className": "text-prewrap",
                "next": next_action or {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------
    # PROVIDER HOOKS (overridden by each provider, dispatched by provider_code)
    # ------------------------------------------------------------

    def _insurer_request_cover(self, cover):
        """Send the request of ``cover`` (its ``amount_requested``) to the insurer.

        Called by ``credit.insurance.cover.action_request`` once the cover is ``requested``.
        A provider that answers at once creates the decision here; one that answers later
        leaves it to ``_insurer_fetch_decisions``. The base knows no insurer.
        """
        self.ensure_one()
        raise UserError(
            _(
                "The provider %(provider)s of the policy %(policy)s cannot request covers.",
                provider=self.provider_code,
                policy=self.name,
            )
        )

    def _insurer_fetch_decisions(self):
        """Read the insurer's new decisions on the covers of these policies, each policy
        through its provider's ``_insurer_read_decisions``.

        :return: the ``credit.insurance.decision`` records created.
        """
        decisions = self.env["credit.insurance.decision"]
        for policy in self:
            decisions |= policy._insurer_read_decisions()
        return decisions

    def _insurer_read_decisions(self):
        """Read and record this policy's new decisions from its insurer.

        :return: the ``credit.insurance.decision`` records created. The base reads nothing
            (a provider without a feed, such as the manual one, has nothing to read).
        """
        self.ensure_one()
        return self.env["credit.insurance.decision"]

    def _insurer_declare_overdue(self, moves):
        """Declare the overdue invoices ``moves`` (all insured under this policy).

        Marks them ``declared`` when the insurer has them. The base knows no insurer.
        """
        self.ensure_one()
        raise UserError(
            _(
                "The provider %(provider)s of the policy %(policy)s cannot declare overdue "
                "invoices.",
                provider=self.provider_code,
                policy=self.name,
            )
        )

    def _insurer_search_buyer(self, partner):
        """Look ``partner`` up in the insurer's register of companies.

        Called with the identifiers of ``partner._insurance_buyer_identifiers()`` checked first.

        :return: a list of candidates, best first, each a dict with the keys ``buyer_ref`` (the
            insurer's buyer id), ``name``, ``street``, ``zip``, ``city``, ``country_code``,
            ``identifier_type`` and ``identifier`` (missing values are empty strings). The base
            knows no register.
        """
        self.ensure_one()
        raise UserError(
            _(
                "The provider %(provider)s of the policy %(policy)s cannot search buyers: enter "
                "the insurer's buyer id on the cover.",
                provider=self.provider_code,
                policy=self.name,
            )
        )

    def _insurer_test_connection(self):
        """Authenticate once against the insurer (the connectors override it; defined here, in
        the base every provider's file inherits, so that no override is shadowed). The base
        has nothing to test."""
        self.ensure_one()
        return True
