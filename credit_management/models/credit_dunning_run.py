"""The dunning run: which reminders to create on a date, created and sent in batches.

How a run works (``run_dunning``), for each company of the environment:

1. ``_dunning_plan`` reads, in one grouped query, every open receivable item of the company
   (``_dunning_open_items``: posted, not reconciled, one row per document and currency) with
   the dunning facts of its document, then the customers' facts in one batched read and the
   formal notices already sent. For each invoice it finds the scenario (invoice override,
   customer override, payer profile, company default), and asks the engine
   (``engine.dunning.next_level``) for the next level and the date it becomes due: one level
   a day at most, after the level with the same or fewer days when the scenario changed,
   never a second formal notice because of that change, nothing once handed off.
2. ``_dunning_groups`` gives those rows to ``engine.dunning.group_reminders``: the invoices
   that reach their next level on the run's date, grouped by addressee and currency
   (customer, invoice address, third-party payer or the head office of the customer's group,
   per the scenario), with the customer's other open items and credits, without what is
   under the minimum amounts. The members of a group whose head office's scenario groups by
   group follow that scenario (``_dunning_group_heads``): one reminder to the head office.
3. Reminders are created (``_bulk_create``) and sent in batches: each batch in a savepoint,
   committed when the run comes from the scheduled action. The database refuses a second
   live line for the same invoice and level, so a rerun after a crash or a second worker
   never reminds twice.

A run acts for every customer of the company: ``run_dunning`` lets credit managers (the
*Run the Reminders of the Day* menu) and the superuser (the scheduled action) run it, on a
day that is neither to come nor more than five years ago.
"""

import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import compat
from ..engine import dunning
from .credit_dunning import PENDING_STATES
from .credit_workflow_mixin import MANAGER_GROUP

_logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# How far back a run may be dated: five years, the limitation period of a debt between
# traders (article L110-4 of the French Commercial Code). Only the superuser goes further.
RUN_MAX_PAST_DAYS = 5 * 365
# What the plan reads of the customers, the payers and the group heads it meets.
PLAN_PARTNER_FIELDS = [
    "dunning_scenario_id",
    "dunning_block_until",
    "payer_profile_id",
    "dunning_responsible_id",
    "commercial_partner_id",
    "credit_group_id",
]
INVOICE_TYPES = ("out_invoice", "out_receipt")


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ENTRY POINTS AND BATCHES
    # ------------------------------------------------------------

    @api.model
    @compat.returns_records
    def run_dunning(self, date=None):
        """Create (and send, when no validation is needed) the reminders due on ``date``.

        Runs for the companies of the environment and returns the reminders created. Every
        reminder of every customer of those companies, formal notices included: credit
        managers only (the scheduled action runs it as the superuser), on a day between
        today and ``RUN_MAX_PAST_DAYS`` ago (the superuser may replay any day).
        """
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(_("Only credit managers can run the reminders of the company."))
        date = self._dunning_run_date(date)
        created = self.browse()
        for company in self.env.companies:
            # Notes and activities in the language of the company's users when no user runs
            # it (a scheduled action); emails, SMS and letters in the customer's.
            run = company._credit_in_users_lang(self.with_company(company))
            created |= run._dunning_run_company(date)
        return created

    @api.model
    def _dunning_run_date(self, date):
        """The day of a run: ``date`` (a date or an ISO string; today if empty), checked."""
        today = fields.Date.context_today(self)
        if not date:
            return today
        try:
            day = fields.Date.to_date(date)
        except (TypeError, ValueError):
            day = None
        if not day:
            raise UserError(
                _("%(date)s is not a date: give the run's day as YYYY-MM-DD.", date=date)
            )
        if self.env.su:
            return day
        if day > today:
            raise UserError(
                _(
                    "The reminders cannot be run for %(date)s: that day is still to come.",
                    date=day,
                )
            )
        if day < today - timedelta(days=RUN_MAX_PAST_DAYS):
            raise UserError(
                _(
                    "The reminders cannot be run for %(date)s: a run goes back %(days)s days "
                    "at most.",
                    date=day,
                    days=RUN_MAX_PAST_DAYS,
                )
            )
        return day

    @api.model
    def _cron_run_dunning(self):
        """Daily scheduled action: every company, a commit per batch; then a reminder to
        enter the ECB rate of the half-year where it is missing."""
        # Every company, however many: the scheduled action reminds them all.
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        for company in companies:
            self.sudo().with_context(
                allowed_company_ids=company.ids, credit_dunning_commit=True
            ).run_dunning()
        # Late interest needs the ECB rate of the half-year: remind whoever enters it.
        self.env["credit.ecb.rate"]._remind_missing_rates(companies)

    def _dunning_run_company(self, date):
        company = self.env.company
        plan = self._dunning_plan(company, date)
        groups = self._dunning_groups(plan, date)
        batch_size = self.env.context.get("credit_dunning_batch_size") or BATCH_SIZE
        created = self.browse()
        total = len(groups)
        _logger.info("Dunning %s on %s: %d reminders to create", company.name, date, total)
        for start in range(0, total, batch_size):
            batch = groups[start : start + batch_size]
            reminders = self._dunning_create_batch(batch)
            reminders.filtered(lambda r: r.state == "draft")._send()
            created |= reminders
            self._dunning_batch_done(done=min(start + batch_size, total), total=total)
        return created

    def _dunning_batch_done(self, done, total):
        """End of a batch: commit when the scheduled action runs, report the progress."""
        # Safe to interrupt: what is committed is never redone (unique live lines).
        commit = self.env.context.get("credit_dunning_commit")
        compat.batch_done(self.env, done=done, remaining=total - done, commit=commit)

    def _dunning_create_batch(self, groups):
        """Create the reminders of ``groups``; skip those another run created meanwhile."""
        vals_list = [self._dunning_prepare_vals(group) for group in groups]
        try:
            with self.env.cr.savepoint():
                return self._bulk_create(vals_list)
        except pg_errors.UniqueViolation:
            _logger.info("Dunning: another run created some of these reminders, one by one now")
        reminders = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    reminders |= self._bulk_create([vals])
            except pg_errors.UniqueViolation:
                _logger.info("Dunning: reminder for partner %s already created", vals["partner_id"])
        return reminders

    def _dunning_prepare_vals(self, group):
        level = group["level"]
        return {
            "partner_id": group["partner_id"],
            "company_id": self.env.company.id,
            "currency_id": group["currency_id"],
            "scenario_id": level.scenario_id.id,
            "level_id": level.id,
            "date": group["date"],
            "user_id": group["user_id"],
            "is_manual": group.get("is_manual", False),
            "state": "to_validate" if level.requires_validation else "draft",
            "line_ids": [
                fields.Command.create(
                    {
                        "move_id": item["move_id"],
                        "line_type": line_type,
                        "level_id": item["next_level"].id if line_type == "invoice" else False,
                        "date_due": item["date_due"],
                        "days_overdue": item["days_overdue"],
                        "amount_total": item["amount_total"],
                        "amount_residual": item["residual_currency"],
                        "amount_residual_company": item["residual"],
                    }
                )
                for line_type, item in group["lines"]
            ],
        }

    @api.model
    def action_run_dunning_today(self):
        """Managers' menu entry: run today's reminders now and show what was created."""
        reminders = self.run_dunning()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reminders Created Today"),
            "res_model": self._name,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", reminders.ids)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------
    # SELECTION
    # ------------------------------------------------------------

    @api.model
    def _dunning_open_items(self, company, commercial_ids=None):
        """Open receivable items of ``company``: one row per document and currency.

        The open items (``credit.open.item``) of the company alone (not its branches: each
        company reminds its own invoices) and of the customers ``commercial_ids`` (all if
        None), grouped by document and currency. Each row is a dict:

        - ``move_id``, ``move_type``, ``address_id`` (the document's partner),
          ``commercial_partner_id``, ``third_party_payer_id``, ``currency_id`` (the line's,
          else the company's);
        - ``residual`` (company currency) and ``residual_currency`` (document currency), the
          open balance, negative for a credit; ``amount_total`` (document total, signed, in
          its currency); ``date_due``: the earliest due date of its open lines;
        - the document's dunning facts: ``dunning_level_id``, ``dunning_date``,
          ``dunning_excluded``, ``in_dispute``, ``dunning_block_until``,
          ``dunning_scenario_id``, ``dunning_handoff_date``, ``likely_late`` (the
          late-payment prediction's flag).
        """
        self.env.flush_all()
        # A reminder is sent by one company: its own items, not its whole tree's.
        open_items = self.env["credit.open.item"]._query(
            company, partner_ids=commercial_ids, branches=False
        )
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT i.move_id, m.move_type, m.partner_id AS address_id,
                       i.commercial_partner_id, m.third_party_payer_id, i.currency_id,
                       SUM(i.residual) AS residual,
                       SUM(i.residual_currency) AS residual_currency,
                       MIN(COALESCE(i.date_maturity, m.invoice_date_due, i.date)) AS date_due,
                       m.amount_total_in_currency_signed AS amount_total,
                       m.dunning_level_id, m.dunning_date, m.dunning_excluded, m.in_dispute,
                       m.dunning_block_until, m.dunning_scenario_id, m.dunning_handoff_date,
                       COALESCE(pred.likely_late, FALSE) AS likely_late
                  FROM (%(open_items)s) i
                  JOIN account_move m ON m.id = i.move_id
             LEFT JOIN credit_move_prediction pred ON pred.move_id = i.move_id
                 GROUP BY i.move_id, m.id, i.commercial_partner_id, i.currency_id,
                          pred.likely_late
                """,
                open_items=open_items,
            )
        )
        return rows

    @api.model
    def _dunning_plan(self, company, date, commercial_ids=None):
        """Open items of ``company`` with their scenario, next level and the date it is due.

        Returns a list of dicts (one per document and currency) with the row of
        ``_dunning_open_items`` and: ``kind`` (invoice, debit, credit), ``listed`` (shown on a
        reminder), ``blocked`` (no reminder for now), ``pending`` (on a reminder not sent
        yet), ``user_id`` (the collector), ``scenario_id``, ``next_level`` (a level record,
        empty if none), ``eligible_date`` and ``days_overdue`` on ``date``.
        """
        rows = self._dunning_open_items(company, commercial_ids)
        if not rows:
            return []
        Partner = self.env["res.partner"].with_company(company)
        partner_ids = {row["commercial_partner_id"] for row in rows}
        partner_ids |= {row["third_party_payer_id"] for row in rows if row["third_party_payer_id"]}
        partner_facts = {
            values["id"]: values
            for values in Partner.browse(partner_ids).read(
                PLAN_PARTNER_FIELDS,
                load=None,
            )
        }
        profiles = (
            self.env["credit.payer.profile"]
            .sudo()
            .search_read([("dunning_scenario_id", "!=", False)], ["dunning_scenario_id"], load=None)
        )
        profile_scenario = {p["id"]: p["dunning_scenario_id"] for p in profiles}
        scenarios = (
            self.env["credit.dunning.scenario"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )
        # The engine's levels of each scenario, in order; the records to map its answer back.
        level_records = {}
        scenario_levels = {}
        for scenario in scenarios:
            levels = scenario.level_ids.sorted(lambda lvl: (lvl.sequence, lvl.days, lvl.id))
            level_records.update((level.id, level) for level in levels)
            scenario_levels[scenario.id] = [self._dunning_engine_level(lvl) for lvl in levels]
        level_days = {
            level.id: level.days
            for level in self.env["credit.dunning.level"]
            .sudo()
            .with_context(active_test=False)
            .search([])
        }
        default_scenario = company.credit_dunning_scenario_id.id
        group_heads = self._dunning_group_heads(
            Partner, partner_facts, profile_scenario, default_scenario, scenarios
        )
        pending_moves = self._dunning_pending_moves(company)
        formal_notices = self._dunning_formal_notices(company)
        # An open payment promise suspends the reminders of its invoices until its grace end.
        promised = self.env["credit.payment.promise"]._promise_suspensions(company, date)
        Level = self.env["credit.dunning.level"].sudo()
        never_reminded = dunning.History()
        for row in rows:
            customer = partner_facts[row["commercial_partner_id"]]
            payer = partner_facts.get(row["third_party_payer_id"]) or {}
            # Centralised dunning: the head office's scenario, collector and block.
            head = group_heads.get(row["commercial_partner_id"]) or {}
            row["group_id"] = head.get("id")
            residual = row["residual"]
            row["kind"] = (
                "credit"
                if residual < 0
                else "invoice"
                if row["move_type"] in INVOICE_TYPES
                else "debit"
            )
            row["days_overdue"] = (date - row["date_due"]).days if row["date_due"] else 0
            blocked_until = max(
                (
                    d
                    for d in (
                        row["dunning_block_until"],
                        customer["dunning_block_until"],
                        payer.get("dunning_block_until"),
                        head.get("dunning_block_until"),
                        promised.get(row["move_id"]),
                    )
                    if d
                ),
                default=None,
            )
            row["blocked"] = bool(blocked_until and blocked_until > date)
            # Handed off to litigation: out of the scenario, on no reminder.
            row["listed"] = not (
                row["dunning_excluded"]
                or row["in_dispute"]
                or row["blocked"]
                or row["dunning_handoff_date"]
            )
            row["pending"] = row["move_id"] in pending_moves
            row["user_id"] = (
                head.get("dunning_responsible_id") or customer["dunning_responsible_id"]
            )
            scenario_id = (
                row["dunning_scenario_id"]
                or head.get("scenario_id")
                or customer["dunning_scenario_id"]
                or profile_scenario.get(customer["payer_profile_id"])
                or default_scenario
            )
            row["scenario_id"] = scenario_id if scenario_id in scenario_levels else False
            row["next_level"] = Level
            row["eligible_date"] = None
            if row["kind"] == "invoice" and row["listed"] and row["scenario_id"]:
                history = never_reminded
                if row["dunning_level_id"] or row["dunning_date"]:
                    history = dunning.History(
                        level_days=level_days.get(row["dunning_level_id"]),
                        last_date=row["dunning_date"],
                        formal_notice_scenarios=formal_notices.get(row["move_id"], frozenset()),
                        handed_off=bool(row["dunning_handoff_date"]),
                    )
                step = dunning.next_level(
                    scenario_levels[row["scenario_id"]],
                    row["date_due"],
                    date,
                    history,
                    likely_late=bool(row.get("likely_late")),
                )
                if step:
                    row["next_level"] = level_records[step.level.id]
                    row["eligible_date"] = step.eligible_date
        return rows

    @api.model
    def _dunning_group_heads(
        self, Partner, partner_facts, profile_scenario, default_scenario, scenarios
    ):
        """``{customer id: facts of its head office}`` for the customers (of
        ``partner_facts``, completed with their heads') of a group whose head office is
        reminded for the whole group: its scenario (``scenario_id``) groups by group."""
        head_ids = {facts["credit_group_id"] for facts in partner_facts.values()}
        missing = [head_id for head_id in head_ids - set(partner_facts) if head_id]
        if missing:
            partner_facts.update(
                (values["id"], values)
                for values in Partner.browse(missing).read(
                    PLAN_PARTNER_FIELDS,
                    load=None,
                )
            )
        group_scenarios = set(scenarios.filtered(lambda s: s.grouping == "group").ids)
        heads = {}
        for head_id in head_ids:
            facts = partner_facts.get(head_id)
            if not facts:
                continue
            scenario_id = (
                facts["dunning_scenario_id"]
                or profile_scenario.get(facts["payer_profile_id"])
                or default_scenario
            )
            if scenario_id in group_scenarios:
                heads[head_id] = dict(facts, scenario_id=scenario_id)
        return {
            partner_id: heads[facts["credit_group_id"]]
            for partner_id, facts in partner_facts.items()
            if facts["credit_group_id"] in heads
        }

    @api.model
    def _dunning_engine_level(self, level):
        """The ``engine.dunning.Level`` of a level record."""
        return dunning.Level(
            id=level.id,
            days=level.days,
            sequence=level.sequence,
            scenario_id=level.scenario_id.id,
            min_interval_days=level.min_interval_days,
            min_amount=level.min_amount,
            is_formal_notice=level.is_formal_notice,
            is_litigation=level.is_litigation,
            only_likely_late=level.only_likely_late,
        )

    @api.model
    def _dunning_pending_moves(self, company):
        """Invoices on a reminder not sent yet (draft, to validate, in error)."""
        self.env["credit.dunning.line"].flush_model(["state", "move_id", "dunning_id"])
        self.env["credit.dunning"].flush_model(["company_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT l.move_id FROM credit_dunning_line l
                  JOIN credit_dunning d ON d.id = l.dunning_id
                 WHERE d.company_id = %s AND l.state = ANY(%s)
                """,
                company.id,
                list(PENDING_STATES),
            )
        )
        return {row[0] for row in rows}

    @api.model
    def _dunning_formal_notices(self, company):
        """``{invoice id: frozenset of scenario ids}``: the scenarios under which each invoice
        was reminded by a formal notice sent."""
        self.env["credit.dunning.line"].flush_model(["state", "move_id", "dunning_id", "level_id"])
        self.env["credit.dunning"].flush_model(["company_id", "is_formal_notice", "scenario_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.move_id, ARRAY_AGG(DISTINCT d.scenario_id)
                  FROM credit_dunning d
                  JOIN credit_dunning_line l ON l.dunning_id = d.id
                 WHERE d.company_id = %s AND d.is_formal_notice AND d.state = 'sent'
                   AND l.level_id IS NOT NULL
                 GROUP BY l.move_id
                """,
                company.id,
            )
        )
        return {move_id: frozenset(filter(None, scenario_ids)) for move_id, scenario_ids in rows}

    @api.model
    def _dunning_groups(self, plan, date, grouping=None, apply_minimums=True):
        """Reminders to create on ``date`` from the rows of ``_dunning_plan``: dicts of
        ``partner_id`` (addressee), ``currency_id``, ``user_id``, ``level``, ``date`` and
        ``lines`` (``[(line type, row)]``), grouped by ``engine.dunning.group_reminders``.

        ``grouping`` forces a grouping mode; ``apply_minimums`` drops what is under the
        minimum amounts (a reminder sent by hand has none).
        """
        company = self.env.company
        levels = {row["next_level"] for row in plan if row["next_level"]}
        engine_levels = {level: self._dunning_engine_level(level) for level in levels}
        scenario_ids = {row["scenario_id"] for row in plan if row["scenario_id"]}
        scenario_ids |= {level.scenario_id.id for level in levels}
        scenarios = self.env["credit.dunning.scenario"].sudo().browse(scenario_ids)
        items = [
            dunning.Item(
                move_id=row["move_id"],
                kind=row["kind"],
                commercial_partner_id=row["commercial_partner_id"],
                currency_id=row["currency_id"],
                residual=row["residual"],
                address_id=row["address_id"],
                group_id=row.get("group_id"),
                third_party_payer_id=row["third_party_payer_id"],
                scenario_id=row["scenario_id"],
                user_id=row["user_id"],
                listed=row["listed"],
                pending=row["pending"],
                step=dunning.Step(engine_levels[row["next_level"]], row["eligible_date"])
                if row["next_level"]
                else None,
                key=row,
            )
            for row in plan
        ]
        reminders = dunning.group_reminders(
            items,
            date,
            {
                scenario.id: dunning.Scenario(scenario.id, scenario.grouping, scenario.min_amount)
                for scenario in scenarios
            },
            default_grouping=company.credit_dunning_scenario_id.grouping or "commercial",
            rounding=company.currency_id.rounding,
            default_user_id=company.credit_responsible_id.id,
            grouping=grouping,
            apply_minimums=apply_minimums,
        )
        level_of = {level.id: level for level in levels}
        return [
            {
                "partner_id": reminder.partner_id,
                "currency_id": reminder.currency_id,
                "user_id": reminder.user_id,
                "level": level_of[reminder.level.id],
                "date": date,
                "lines": [(line_type, item.key) for line_type, item in reminder.lines],
            }
            for reminder in reminders
        ]
