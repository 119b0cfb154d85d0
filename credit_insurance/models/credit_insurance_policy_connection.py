"""How a policy reaches its insurer's web services: address, credentials, token, cursor.

The credentials, the token cache, the webhook secret and the addresses the credentials are
sent to (API base URL and path prefix, WSDL URL) are read and written by system
administrators only (``base.group_system``), never copied: a credit manager can neither read
a credential nor send one elsewhere. Addresses are http or https (a constraint, checked again
before each call, see ``_insurer_url``). The cursor of the last
synchronisation moves only once the decisions read since it are stored; the daily cron reads
every active policy, one failing policy leaving the others untouched.

What the connectors (Allianz Trade, Coface, SOAP) share beyond the HTTP edge is here too, each
provider giving only its own part:

- ``_insurer_request_by_buyer(cover, send)``: a cover requested, its buyer looked up first
  when unknown, the insurer's id of the request kept on it;
- ``_insurer_sync_decisions(read)``: read the policy's new decisions, then move its cursor;
- ``_insurer_record_feed(items, parse)``: the decisions of a feed recorded on the covers of
  their buyers (each decision once);
- ``_insurer_declare_by_buyer(moves, declare)``: overdue invoices declared buyer by buyer,
  each buyer in a savepoint of its own (``_insurer_savepoint``): the insurer's reference of
  each declaration kept on its invoices, none declared twice, none lost when a later buyer
  fails (a warning then names the invoices left to declare).
"""

import contextlib
import logging

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo import modules
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import config
from odoo.tools import file_path

from .account_move import DECLARED_STATES
from .credit_insurance_policy_http import is_web_address
from .workflow import check_manager

_logger = logging.getLogger(__name__)

# Providers that talk to a web service: the Connection section is shown for them only.
CONNECTOR_CODES = ("allianz_trade", "coface", "soap")
DEFAULT_WSDL = "credit_insurance/static/wsdl/insurer.wsdl"
# The longest wait for one answer that a policy may set (seconds).
MAX_TIMEOUT = 300.0
# The keys of a candidate of a buyer search (see ``_insurer_search_buyer``).
CANDIDATE_KEYS = (
    "buyer_ref",
    "name",
    "street",
    "zip",
    "city",
    "country_code",
    "identifier_type",
    "identifier",
)


class CreditInsurancePolicy(models.Model):
    _inherit = "credit.insurance.policy"  # pylint: disable=consider-merging-classes-inherited

    api_base_url = fields.Char(
        string="API Base URL",
        groups="base.group_system",
        help="Root of the insurer's service, e.g. https://api.allianz-trade.com (production) "
        "or its UAT host. For a SOAP insurer, overrides the address of the WSDL's service.",
    )
    api_path_prefix = fields.Char(
        string="API Path Prefix",
        groups="base.group_system",
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
        groups="base.group_system",
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
        readonly=True,
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
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("api_base_url", "soap_wsdl_url")
    def _check_addresses(self):
        for policy in self.sudo():  # the addresses are system-only
            for url in (policy.api_base_url, policy.soap_wsdl_url):
                if url and not is_web_address(url):
                    raise ValidationError(
                        _(
                            "The address %(url)s of the policy %(policy)s must be an http or "
                            "https address.",
                            url=url,
                            policy=policy.name,
                        )
                    )

    @api.constrains("api_timeout")
    def _check_timeout(self):
        for policy in self:
            if not 0 < policy.api_timeout <= MAX_TIMEOUT:
                raise ValidationError(
                    _(
                        "The timeout of the policy %(policy)s is between 0 and %(max)s seconds.",
                        policy=policy.name,
                        max=int(MAX_TIMEOUT),
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_test_connection(self):
        """Authenticate against the insurer: a readable error, or a success notification."""
        self.ensure_one()
        check_manager(self)
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
        for active in self.search([("state", "=", "active")]):
            # The notes of the decisions in the language of the company's users.
            policy = active.company_id._credit_in_users_lang(active)
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
        """The policy's WSDL URL (http or https), else the WSDL shipped with the addon."""
        self.ensure_one()
        url = self.sudo().soap_wsdl_url  # the address is system-only
        if not url:
            return file_path(DEFAULT_WSDL)
        self._insurer_check_address(url)
        return url

    # ------------------------------------------------------------
    # CONNECTOR HELPERS (shared by the providers, each giving its own part)
    # ------------------------------------------------------------

    def _insurer_sync_decisions(self, read):
        """Read the policy's new decisions with ``read()``, then move its cursor.

        The cursor moves to the moment the reading started, and only once what was read is
        stored: a failure (raised) leaves it behind, and the next fetch reads again what it
        missed (each decision recorded once, see ``_insurer_record_decisions``).

        :return: the ``credit.insurance.decision`` records created.
        """
        self.ensure_one()
        started = fields.Datetime.now()
        decisions = read()
        self.sudo().sync_cursor = started  # the cursor moves by this method only
        return decisions

    def _insurer_since(self):
        """Where the next reading of the insurer's feed starts: the cursor, else the policy's
        start."""
        self.ensure_one()
        return self.sync_cursor or fields.Datetime.to_datetime(self.date_start)

    def _insurer_record_feed(self, items, parse, operation="fetch_decisions"):
        """Record the decisions of an insurer's feed on the covers of their buyers.

        :param items: the feed's entries as the insurer sent them (a list of dicts).
        :param parse: ``parse(item)`` → ``(buyer_ref, vals)``: the insurer's buyer id and the
            decision's values (``date``, ``state``, ``amount``, ``reference``…); it checks the
            entry's shape with ``_insurer_check``.
        :return: the decisions created. Entries about a buyer without a cover under this
            policy are skipped; a cover whose decision came has no request pending any more.
        """
        self.ensure_one()
        self._insurer_check(isinstance(items, list), operation)
        covers = {
            cover.buyer_ref: cover
            for cover in self.env["credit.insurance.cover"].search(
                [("policy_id", "=", self.id), ("buyer_ref", "!=", False)]
            )
        }
        vals_list = []
        for item in items:
            self._insurer_check(isinstance(item, dict), operation)
            buyer_ref, vals = parse(item)
            cover = covers.get(buyer_ref)
            if cover:
                vals_list.append(dict(vals, cover_id=cover.id))
                cover.sudo().insurer_job_ref = False
        return self._insurer_record_decisions(vals_list)

    def _insurer_record_decisions(self, vals_list):
        """Create the decisions of ``vals_list`` whose reference this policy has not yet.

        :return: the decisions created (none twice, even within ``vals_list``).
        """
        self.ensure_one()
        Decision = self.env["credit.insurance.decision"]
        references = [vals["reference"] for vals in vals_list]
        known = set(
            Decision.search([("policy_id", "=", self.id), ("reference", "in", references)]).mapped(
                "reference"
            )
        )
        new = []
        for vals in vals_list:
            if vals["reference"] in known:
                continue
            known.add(vals["reference"])
            if vals["state"] in ("refused", "cancelled", "expired"):
                vals = dict(vals, amount=0.0)
            new.append(vals)
        return Decision.create(new)

    @staticmethod
    def _insurer_candidate(identifier, **values):
        """One candidate of ``_insurer_search_buyer``: ``values`` (``buyer_ref``, ``name``,
        ``street``, ``zip``, ``city``, ``country_code``) and the ``(type, value)`` of the
        identifier searched, every missing value an empty string."""
        candidate = dict.fromkeys(CANDIDATE_KEYS, "")
        candidate.update((key, str(value)) for key, value in values.items() if value)
        candidate["identifier_type"], candidate["identifier"] = identifier
        return candidate

    def _insurer_request_by_buyer(self, cover, send):
        """Request ``cover`` from the insurer, its buyer looked up first when unknown.

        :param send: ``send(cover)`` sends the request (the cover's ``buyer_ref`` known) and
            returns the insurer's id of the request, kept on the cover until its decision
            is read.
        """
        self.ensure_one()
        if not cover.buyer_ref:
            cover.buyer_ref = self._insurer_first_buyer(cover)
        request_ref = send(cover)
        self._insurer_check(request_ref, "request_cover", cover=cover)
        cover.sudo().insurer_job_ref = str(request_ref)

    def _insurer_first_buyer(self, cover):
        """The insurer's id of the cover's customer: the best candidate of a buyer search."""
        candidates = self._insurer_search_buyer(cover.partner_id)
        if not candidates:
            self._insurer_fail(
                _(
                    "%(insurer)s knows no company matching %(customer)s.",
                    insurer=self.insurer_id.name,
                    customer=cover.partner_id.display_name,
                ),
                {"operation": "search_buyer"},
                cover=cover,
            )
        return candidates[0]["buyer_ref"]

    def _insurer_declare_by_buyer(self, moves, declare):
        """Declare the overdue invoices ``moves`` to the insurer, one call per buyer.

        Each buyer's call and the recording of its answer run in a savepoint of their own: a
        buyer that fails (a fault, a timeout, no buyer id) is rolled back alone, and the
        declarations the insurer accepted before it or after it are kept, so that none is lost
        and none sent twice the next time. The exchange log keeps every try (see
        ``_insurer_savepoint``).

        :param declare: ``declare(cover, moves)`` sends the invoices ``moves`` of the buyer of
            ``cover`` (its ``buyer_ref`` known) and returns the insurer's reference of the
            declaration (``None`` when it gave none).
        :return: ``True`` when every buyer is declared; when some are and others not, a sticky
            warning (``display_notification``) naming the invoices left to declare and why,
            the reason also posted on each of them. Each invoice declared keeps the reference
            of its declaration; an invoice already declared is not sent again.
        :raise UserError: the readable reason, when no buyer could be declared (nothing kept).
        """
        self.ensure_one()
        moves = moves.filtered(lambda m: m.insurance_declaration_state not in DECLARED_STATES)
        covers = self._insurer_covers_of(moves)
        today = fields.Date.context_today(self)
        declared = self.env["account.move"]
        failures = []
        for partner, partner_moves in moves.grouped("commercial_partner_id").items():
            try:
                with self._insurer_savepoint():
                    cover = covers.get(partner.id)
                    if not cover or not cover.buyer_ref:
                        self._insurer_fail(
                            _(
                                "%(customer)s has no buyer id at %(insurer)s: request its "
                                "cover first.",
                                customer=partner.display_name,
                                insurer=self.insurer_id.name,
                            ),
                            {"operation": "declare_overdue"},
                        )
                    reference = declare(cover, partner_moves)
                    self._insurer_mark_declared(partner_moves, reference, today)
            except UserError as error:
                _logger.warning(
                    "Credit insurance policy %s: overdue declaration of %s failed: %s",
                    self.id,
                    partner_moves.ids,
                    error,
                )
                failures.append((partner_moves, error))
            else:
                declared |= partner_moves
        if not failures:
            return True
        if not declared:
            # Nothing accepted, nothing to keep: the reason, as a single buyer's error is.
            if len(failures) == 1:
                raise failures[0][1]
            raise UserError(
                _(
                    "No invoice could be declared to %(insurer)s (policy %(policy)s):\n"
                    "%(failures)s",
                    insurer=self.insurer_id.name,
                    policy=self.name,
                    failures=self._declaration_failures_text(failures),
                )
            )
        return self._declaration_warning(declared, failures)

    @contextlib.contextmanager
    def _insurer_savepoint(self):
        """A savepoint around exchanges with the insurer, whose rollback keeps their log.

        The exchange log goes through a cursor of its own (see ``_exchange_log``), out of
        reach of the rollback; in tests it shares the test's transaction instead, where the
        rollback would drop it: the entries written within the savepoint are then written
        again after it, as the own cursor would have kept them.

        The savepoint flushes, and runs the precommit hooks (the chatter's tracking of what was
        recorded before it) on entering: its rollback drops only what was done within it.
        """
        Exchange = self.env["credit.insurance.exchange"].sudo()
        shared = bool(modules.module.current_test)
        last_id = Exchange.search([], limit=1).id if shared else 0
        kept = []
        try:
            with self.env.cr.savepoint():
                try:
                    yield
                except UserError:
                    if shared:
                        kept = Exchange.search([("id", ">", last_id)], order="id").copy_data()
                    raise
        except UserError as error:
            if kept:
                Exchange.create(kept)
                self._exchange_invalidate()
                error._credit_insurance_logged = True
            raise

    def _insurer_covers_of(self, moves):
        covers = self.env["credit.insurance.cover"].search(
            [("policy_id", "=", self.id), ("partner_id", "in", moves.commercial_partner_id.ids)]
        )
        return {cover.partner_id.id: cover for cover in covers}

    @staticmethod
    def _insurer_invoice_vals(moves):
        return [
            {
                "number": move.name,
                "dueDate": fields.Date.to_string(move.invoice_date_due),
                "amount": move.amount_residual,
                "currencyCode": move.currency_id.name,
            }
            for move in moves.sorted(lambda m: (m.invoice_date_due, m.name))
        ]

    def _insurer_mark_declared(self, moves, reference, date):
        moves.sudo().write(
            {
                "insurance_declaration_state": "declared",
                "insurance_declaration_date": date,
                "insurance_declaration_ref": reference or False,
            }
        )
        for move in moves:
            move.message_post(
                body=_(
                    "Overdue declared to %(insurer)s (policy %(policy)s, reference %(reference)s).",
                    insurer=self.insurer_id.name,
                    policy=self.name,
                    reference=reference or "-",
                )
            )
