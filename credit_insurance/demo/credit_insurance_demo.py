"""Demo data of credit insurance: a policy whose covers show every state of the insurer's
decisions, on the demo customers of credit management.

Nothing but the demo data (``credit_insurance_demo.xml``) calls this module, through
``account.chart.template._credit_demo_load`` (credit_management's entry point, extended
here): it first lets credit_management generate its receivable, then builds, once and
deterministically, with dates relative to today:

1. an active policy of the **demo provider** (offline insurer) for the main company, valid
   from 400 days ago, with a discretionary limit for the customers without a decision, and the
   company's "under watch" profile for the customers whose cover is reduced or cancelled;
2. a cover per customer of ``COVERS``, with the buyer id of the demo insurer's register
   (``DEMO-<siren>``) and its decisions, dated and referenced, some with a history of two
   (an increase, a reduction, a cancellation, an expiry): draft, requested, granted, partial,
   refused, reduced, cancelled and expired; one customer is over its cover;
3. the insured amounts of the invoices already generated, computed anew under the policy (an
   invoice is insured by the decision in force at its date), then the oldest overdue insured
   invoice still within its declaration deadline declared through the policy's provider,
   the others left to declare.

The notes of the decisions are translated (``_()``) in the language of the company, so that
the French demo reads in French.
"""

import logging
from datetime import timedelta

from odoo import _
from odoo import api
from odoo import fields
from odoo import models

from ..models.credit_insurance_alert import DECLARATION_WARNING_DAYS
from ..models.credit_insurance_policy_demo import demo_buyer_ref

_logger = logging.getLogger(__name__)

POLICY_NUMBER = "CAA-2026-0418"
REFERENCE_PREFIX = "CAA-AGR"
POLICY_START_DAYS = 400  # the policy started this many days ago
# Unnamed buyers insured up to this amount; above it, a named cover is needed (the demo's
# largest customers without one raise "exposure over cover").
DISCRETIONARY_LIMIT = 30000.0

# Customer (credit_management's demo XML id): (amount requested, decisions), a decision being
# (days before today, state, amount, note key, days of validity or None). "requested": sent
# to the insurer, no answer yet; "draft": not sent.
COVERS = {
    "partner_delmas_group": (
        120000.0,
        [(365, "granted", 80000.0, "granted", None), (120, "granted", 120000.0, "raised", None)],
    ),
    "partner_fournier": (40000.0, [(300, "granted", 40000.0, "granted", None)]),
    "partner_kerbrat_holding": (150000.0, [(330, "partial", 100000.0, "partial", None)]),
    "partner_kerbrat_maree": (
        30000.0,
        [(365, "granted", 30000.0, "granted", None), (20, "reduced", 15000.0, "reduced", None)],
    ),
    "partner_kerbrat_transports": (
        50000.0,
        [(365, "granted", 50000.0, "granted", None), (45, "cancelled", 0.0, "cancelled", None)],
    ),
    "partner_mercier": (45000.0, [(200, "refused", 0.0, "refused", None)]),
    "partner_pont_neuf": (
        20000.0,
        [(365, "granted", 20000.0, "granted", 335), (30, "expired", 0.0, "expired", None)],
    ),
    # Over its cover: a partial grant far below what it owes.
    "partner_alpine": (40000.0, [(250, "partial", 10000.0, "partial", None)]),
    "partner_varenne": (60000.0, "requested"),
    "partner_quatre_vents": (15000.0, "draft"),
}


def load_demo_data(env):
    """The insurance demo of the main company, once its receivable exists (see the module)."""
    company = env.ref("base.main_company")
    customers = {}
    for xml_id in COVERS:
        partner = env.ref(f"credit_management.{xml_id}", raise_if_not_found=False)
        if partner:
            customers[xml_id] = partner
    if len(customers) < len(COVERS):
        _logger.info("Credit insurance demo: the credit management demo customers are missing.")
        return
    generate(env, company, customers)


def generate(env, company, customers):
    """The policy, covers, decisions and declaration of ``company`` on ``customers``
    (``{COVERS key: partner}``); nothing when the demo policy exists already.

    :return: the demo policy
    """
    lang = company.partner_id.lang or env.user.lang
    env = (
        env["res.company"]
        .sudo()
        .with_company(company)
        .with_context(lang=lang, mail_create_nolog=True)
        .env
    )
    return InsuranceDemo(env).run(company, customers)


class InsuranceDemo:
    """The generator, on an environment of the company (superuser, the company's language)."""

    def __init__(self, env):
        self.env = env

    def run(self, company, customers):
        Policy = self.env["credit.insurance.policy"]
        policy = Policy.search(
            [("company_id", "=", company.id), ("policy_number", "=", POLICY_NUMBER)], limit=1
        )
        if policy:
            return policy
        today = fields.Date.context_today(self.env.user)
        # The alerts raised below (on each decision, then as the daily action does) are named
        # in the company's language: Odoo loads the addon's translations only once its demo
        # data is in, too late for their to-dos.
        self.env["ir.module.module"]._load_module_terms(
            ["credit_insurance"], [self.env.context["lang"]]
        )
        policy = self._policy(company, today)
        if not company.credit_insurance_watch_profile_id:
            watch = self.env.ref("credit_management.payer_profile_watch", raise_if_not_found=False)
            company.credit_insurance_watch_profile_id = watch
        covers = self._covers(policy, customers, today)
        self._insure_invoices()
        declared = self._declare(policy, today)
        # The alerts a credit manager finds on the first morning, raised as the daily
        # scheduled action raises them (over cover, reductions, expiring covers, deadlines).
        alerts = self.env["credit.insurance.alert"].with_company(company)._generate(company)
        _logger.info(
            "Credit insurance demo: policy %s, %s covers, %s decisions, %s invoice declared, "
            "%s alerts.",
            policy.name,
            len(covers),
            len(covers.decision_ids),
            len(declared),
            len(alerts),
        )
        return policy

    def _policy(self, company, today):
        insurer = self.env["res.partner"].create(
            {
                "name": "Crédit Assurance Atlantique",
                "is_company": True,
                "street": "8 quai de la Fosse",
                "zip": "44000",
                "city": "Nantes",
                "country_id": self.env.ref("base.fr").id,
                "email": "agrements@credit-assurance-atlantique.example",
            }
        )
        policy = self.env["credit.insurance.policy"].create(
            {
                "name": _("Credit insurance %(year)s", year=today.year),
                "insurer_id": insurer.id,
                "policy_number": POLICY_NUMBER,
                "provider_code": "demo",
                "company_id": company.id,
                "currency_id": company.currency_id.id,
                "coverage_rate": 90.0,
                "max_credit_days": 60,
                "declaration_days": 30,
                "discretionary_limit": DISCRETIONARY_LIMIT,
                "discretionary_coverage_rate": 80.0,
                "date_start": today - timedelta(days=POLICY_START_DAYS),
            }
        )
        policy.action_activate()
        return policy

    def _notes(self):
        return {
            "granted": _("Limit granted on the buyer's latest annual accounts."),
            "raised": _("Limit raised after the annual review of the buyer."),
            "partial": _("Part of the amount granted: the buyer's equity is too low for more."),
            "reduced": _("Limit reduced: late payments reported by other suppliers."),
            "cancelled": _("Cover cancelled: the buyer's rating was downgraded."),
            "refused": _("Cover refused: payment incidents recorded in the last 12 months."),
            "expired": _("The limit was granted for a fixed period, now over."),
        }

    def _covers(self, policy, customers, today):
        Cover = self.env["credit.insurance.cover"]
        notes = self._notes()
        covers = decided = to_request = Cover.browse()
        decision_vals = []
        number = 0
        for key, (amount, plan) in COVERS.items():
            partner = customers[key]
            siren = dict(partner._insurance_buyer_identifiers()).get("SIREN")
            cover = Cover.create(
                {
                    "policy_id": policy.id,
                    "partner_id": partner.id,
                    "amount_requested": amount,
                    "buyer_ref": demo_buyer_ref(siren) if siren else False,
                }
            )
            covers |= cover
            if plan == "requested":
                to_request |= cover
            if not isinstance(plan, list):
                continue
            decided |= cover
            for days, state, granted, note, valid_days in plan:
                number += 1
                date = today - timedelta(days=days)
                decision_vals.append(
                    {
                        "cover_id": cover.id,
                        "date": date,
                        "date_end": date + timedelta(days=valid_days) if valid_days else False,
                        "state": state,
                        "amount": granted,
                        "reference": f"{REFERENCE_PREFIX}-{date.year}-{number:05d}",
                        "note": notes[note],
                    }
                )
        # Decided covers were requested before their decisions came.
        decided.write({"requested": True})
        self.env["credit.insurance.decision"].create(decision_vals)
        # Sent to the demo insurer, which answers on its next fetch.
        to_request.action_request()
        return covers

    def _insure_invoices(self):
        """The insured amounts of the company's invoices, generated before the policy."""
        Move = self.env["account.move"]
        moves = Move.search(
            [
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
            ]
        )
        for names in (
            [
                "insurance_policy_id",
                "insurance_insured",
                "insurance_insured_amount",
                "insurance_declaration_deadline",
            ],
            ["insurance_declaration_state"],
        ):
            for fname in names:
                self.env.add_to_compute(Move._fields[fname], moves)
            moves._recompute_recordset(names)

    def _declare(self, policy, today):
        """The overdue insured invoices of the demo's past: those whose deadline is more
        than a week behind were declared in time (ten days before it, by an export), as a
        careful credit manager does; then the oldest one still within its deadline is
        declared through the policy's provider. The others are left to declare: the
        deadlines of the first morning's alerts.

        :return: the invoice declared through the provider
        """
        Move = self.env["account.move"]
        to_declare = [
            ("insurance_policy_id", "=", policy.id),
            ("insurance_declaration_state", "=", "to_declare"),
        ]
        long_ago = today - timedelta(days=DECLARATION_WARNING_DAYS)
        past = Move.search([*to_declare, ("insurance_declaration_deadline", "<", long_ago)])
        for deadline, moves in past.grouped("insurance_declaration_deadline").items():
            moves.write(
                {
                    "insurance_declaration_state": "declared",
                    "insurance_declaration_date": deadline - timedelta(days=10),
                }
            )
        self._claim(policy, past)
        move = Move.search(
            [*to_declare, ("insurance_declaration_deadline", ">=", today)],
            order="invoice_date_due, id",
            limit=1,
        )
        if move:
            policy._insurer_declare_overdue(move)
        return move

    def _claim(self, policy, declared):
        """A claim filed with the insurer for the customer owing the most on the invoices
        declared longest ago (the insurer's file number given), the others waiting."""
        if not declared:
            return self.env["credit.insurance.claim"]
        by_customer = declared.grouped("commercial_partner_id")
        partner = max(
            by_customer, key=lambda p: (sum(by_customer[p].mapped("amount_residual")), -p.id)
        )
        claim = self.env["credit.insurance.claim"].create(
            {
                "policy_id": policy.id,
                "partner_id": partner.id,
                "move_ids": [fields.Command.set(by_customer[partner].ids)],
                "insurer_reference": "CAA-SIN-2026-0042",
            }
        )
        claim.action_file()
        return claim


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _credit_demo_load(self):
        """credit_management's demo first (its receivable), then the insurance demo: right
        away when the receivable exists, or right after it when Odoo installs the chart of
        accounts at the end of this run (see credit_management's demo module)."""
        super()._credit_demo_load()
        deferred = getattr(self.env.registry, "_auto_install_template", None)
        if not deferred:
            load_demo_data(self.env)
            return

        def install_chart_then_demo(env):
            deferred(env)
            try:
                with env.cr.savepoint():
                    load_demo_data(env)
            except Exception:
                # As Odoo's own demo data: a failed demo never fails the installation.
                _logger.exception("Credit insurance demo: the covers could not be generated.")

        self.env.registry._auto_install_template = install_chart_then_demo
