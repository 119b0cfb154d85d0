"""How a policy reaches its insurer's web services: address, credentials, token, cursor.

The credentials, the token cache and the webhook secret are readable by system
administrators only (``base.group_system``), never copied. The cursor of the last
synchronisation moves only once the decisions read since it are stored; the daily cron reads
every active policy, one failing policy leaving the others untouched.
"""

import logging

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import config
from odoo.tools import file_path

_logger = logging.getLogger(__name__)

# Providers that talk to a web service: the Connection section is shown for them only.
CONNECTOR_CODES = ("allianz_trade", "coface", "soap")
DEFAULT_WSDL = "credit_insurance/static/wsdl/insurer.wsdl"


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    api_base_url = fields.Char(
        string="API Base URL",
        help="Root of the insurer's service, e.g. https://api.allianz-trade.com (production) "
        "or its UAT host. For a SOAP insurer, overrides the address of the WSDL's service.",
    )
    api_path_prefix = fields.Char(
        string="API Path Prefix",
        help="Segment put between the base URL and every path (the UAT host's paths differ).",
    )
    api_timeout = fields.Float(
        string="Timeout (s)", default=20.0, help="Longest wait for an answer of the insurer."
    )
    api_username = fields.Char(string="Username", groups="base.group_system", copy=False)
    api_password = fields.Char(string="Password", groups="base.group_system", copy=False)
    coface_contract_id = fields.Char(string="Coface Contract Id", copy=False)
    allianz_business_unit_code = fields.Char(string="Business Unit Code", copy=False)
    allianz_policy_id = fields.Char(string="Allianz Trade Policy Id", copy=False)
    allianz_extension_id = fields.Char(
        string="Extension Id", copy=False, help="Line of the policy (DCL: discretionary)."
    )
    soap_wsdl_url = fields.Char(
        string="WSDL URL",
        help="Where the insurer's WSDL is read; empty: the WSDL shipped with the addon.",
    )
    webhook_secret = fields.Char(
        groups="base.group_system",
        copy=False,
        help="Key of the HMAC-SHA256 signature (header X-Signature: sha256=<hex>) that every "
        "notification to the webhook must carry; empty: notifications are refused.",
    )
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook URL")
    token_value = fields.Char(groups="base.group_system", copy=False, readonly=True)
    token_expiry = fields.Datetime(groups="base.group_system", copy=False, readonly=True)
    sync_cursor = fields.Datetime(
        string="Synchronised Until",
        copy=False,
        help="Decisions given after this moment are read at the next synchronisation.",
    )
    last_error = fields.Text(compute="_compute_exchange_facts")
    exchange_count = fields.Integer(compute="_compute_exchange_facts", string="Exchanges")

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    def _compute_exchange_facts(self):
        """The number of exchanges, and the error of the latest one when it failed."""
        Exchange = self.env["credit.insurance.exchange"].sudo()
        counts = dict(
            Exchange._read_group([("policy_id", "in", self.ids)], ["policy_id"], ["__count"])
        )
        for policy in self:
            policy.exchange_count = counts.get(policy, 0)
            latest = Exchange.search(
                [("policy_id", "=", policy.id), ("operation", "!=", "webhook")], limit=1
            )
            policy.last_error = latest.error or False

    def _compute_webhook_url(self):
        base = self.get_base_url() if self else ""
        for policy in self:
            policy.webhook_url = (
                f"{base}/credit_insurance/webhook/{policy.id}" if policy.id else False
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_test_connection(self):
        """Authenticate against the insurer: a readable error, or a success notification."""
        self.ensure_one()
        self._insurer_test_connection()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("Connection to %(insurer)s succeeded.", insurer=self.insurer_id.name),
            },
        }

    def action_view_exchanges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_insurance.credit_insurance_exchange_action"
        )
        action["domain"] = [("policy_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_fetch_decisions(self):
        """Read each active policy's decisions since its cursor, one policy at a time.

        A policy that fails keeps its cursor (its transaction is rolled back to the savepoint)
        and its error in the exchange log; the others go on. Each policy is committed on its
        own so that a later failure does not lose the decisions already read.
        """
        for policy in self.search([("state", "=", "active")]):
            try:
                with self.env.cr.savepoint():
                    policy._insurer_fetch_decisions()
            except Exception as error:
                _logger.warning("Credit insurance policy %s: fetch failed: %s", policy.id, error)
                if not getattr(error, "_credit_insurance_logged", False):
                    # Not logged, or logged in the transaction just rolled back: log it now.
                    policy._exchange_log(
                        getattr(error, "_credit_insurance_log", None)
                        or {"operation": "fetch_decisions", "error": str(error)}
                    )
            if not config["test_enable"] and not self.env.registry.in_test_mode():
                # Cron only: what was read for this policy is kept whatever comes next.
                self.env.cr.commit()  # pylint: disable=invalid-commit

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _soap_wsdl_location(self):
        self.ensure_one()
        return self.soap_wsdl_url or file_path(DEFAULT_WSDL)
