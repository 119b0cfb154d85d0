"""Credit insurance alerts: what the credit manager must act on, raised once per cause.

How it works: ``_cron_generate`` (daily) works company by company. For the company's policy in
force it gathers every current *cause* in a few set-based queries, each identified by a
``cause_key`` (the alert type and the records it is about):

- ``over_cover``: a customer whose exposure is above its insured limit (one
  ``_get_insurance_facts`` pass over all the insured customers of the company);
- ``cover_reduced``: a cover whose latest decision reduced, refused or cancelled it (also
  raised on each decision, by ``credit.insurance.decision.create``);
- ``unused_cover``: a granted cover whose customer has owed nothing for N days (company
  setting); since when is read from the ledger: the date of the customer's last receivable
  entry (its last invoice or payment), or the cover's start when later;
- ``declaration_due``: an insured overdue invoice not declared whose declaration deadline is
  within 7 days, or passed;
- ``cover_expiring``: a granted cover ending within 30 days.

It then reads the company's *live* alerts (those whose cause has not ended, ``date_end``
empty) and compares: a cause without a live alert raises a new one (with a to-do for the
credit manager); a live alert whose cause is gone gets ``date_end`` and is set ``done``. A
partial unique index on ``cause_key`` among live alerts makes "once while the cause lasts" a
database rule, so that a re-run or two workers at once never raise an alert twice. An alert
marked done by hand stays done while its cause lasts; when the cause comes back after it
ended, a new alert is raised.

An alert is written by the generator and its actions only (see workflow.py): its state moves
with ``action_acknowledge``, ``action_done`` and ``action_reopen`` (credit managers), its
cause and figures with the daily run.

The daily digest mails each credit manager of a company the alerts raised since the last
digest (``digest_sent``) and the count of open ones, in the manager's language.
"""

import logging
import threading
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL
from odoo.tools import format_amount
from odoo.tools import format_date

from .credit_insurance_cover import GRANTING_STATES
from .workflow import check_manager
from .workflow import check_workflow_write
from .workflow import workflow_create_vals

_logger = logging.getLogger(__name__)

ALERT_TYPES = [
    ("over_cover", "Exposure Over Cover"),
    ("cover_reduced", "Cover Reduced or Withdrawn"),
    ("unused_cover", "Unused Cover"),
    ("declaration_due", "Declaration Due"),
    ("cover_expiring", "Cover Expiring"),
]
ALERT_STATES = [("new", "New"), ("acknowledged", "Acknowledged"), ("done", "Done")]
OPEN_STATES = ("new", "acknowledged")
# Decisions that take (part of) a cover away.
REDUCING_STATES = ("reduced", "refused", "cancelled")
DECLARATION_WARNING_DAYS = 7
EXPIRY_WARNING_DAYS = 30
BATCH_SIZE = 500
# Written by the generator and the alert's actions only (workflow.py).
WORKFLOW_FIELDS = (
    "alert_type",
    "state",
    "company_id",
    "policy_id",
    "partner_id",
    "cover_id",
    "decision_id",
    "move_id",
    "amount_exposure",
    "amount_cover",
    "date_due",
    "date_idle",
    "date",
    "date_end",
    "cause_key",
    "digest_sent",
)
# A new alert, whoever creates it: open and not yet in a digest.
NEW_ALERT = {"state": "new", "date_end": False, "digest_sent": False}
# Alerts listed in a digest email; the others are counted, with a link to the list.
DIGEST_LIMIT = 100
ALERT_ACTION = "credit_insurance.credit_insurance_alert_action"
# The digest lists the alerts by type, in this order (the deadlines first).
TYPE_ORDER = {
    "declaration_due": 0,
    "cover_reduced": 1,
    "over_cover": 2,
    "cover_expiring": 3,
    "unused_cover": 4,
}


def reduced_key(cover_id, decision_id):
    """The cause of a reduction alert: the cover and the decision that reduced it."""
    return f"cover_reduced:{cover_id}:{decision_id}"


def latest_decision(cover, today):
    """The decision the cover follows: its latest in force on ``today`` by date, then by order
    of entry (a decision dated later is held back until its date, as on the cover)."""
    in_force = cover.decision_ids.filtered(lambda d: d.date <= today)
    return in_force.sorted(lambda d: (d.date, d.id))[-1:]


class CreditInsuranceAlert(models.Model):
    _name = "credit.insurance.alert"
    _description = "Credit Insurance Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    alert_type = fields.Selection(
        selection=ALERT_TYPES, string="Type", required=True, readonly=True, index=True
    )
    state = fields.Selection(
        selection=ALERT_STATES,
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        index=True,
    )
    policy_id = fields.Many2one(
        comodel_name="credit.insurance.policy", readonly=True, check_company=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True, index=True
    )
    cover_id = fields.Many2one(
        comodel_name="credit.insurance.cover",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    decision_id = fields.Many2one(
        comodel_name="credit.insurance.decision", readonly=True, ondelete="cascade"
    )
    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_exposure = fields.Monetary(
        string="Exposure", readonly=True, help="The customer's exposure when last checked."
    )
    amount_cover = fields.Monetary(
        string="Insured Limit", readonly=True, help="The insured limit when last checked."
    )
    date_due = fields.Date(
        string="Deadline",
        readonly=True,
        help="Declaration deadline of the invoice, or end of the cover.",
    )
    date_idle = fields.Date(
        string="No Exposure Since", readonly=True, help="Last receivable entry of the customer."
    )
    date = fields.Date(string="Raised On", required=True, readonly=True, index=True)
    date_end = fields.Date(
        string="Cause Ended On",
        readonly=True,
        copy=False,
        help="The day the cron found the cause gone; empty while it lasts.",
    )
    cause_key = fields.Char(readonly=True, required=True, copy=False)
    digest_sent = fields.Boolean(readonly=True, copy=False)
    description = fields.Text(compute="_compute_description")

    def init(self):
        # One live alert per cause: the database makes "raised once" hold under re-runs.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS credit_insurance_alert_live_cause_uniq "
                "ON credit_insurance_alert (cause_key) WHERE date_end IS NULL"
            )
        )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("lang")
    @api.depends("alert_type", "partner_id", "cover_id", "move_id")
    def _compute_display_name(self):
        types = dict(self._fields["alert_type"]._description_selection(self.env))
        for alert in self:
            subject = alert.move_id.name or alert.partner_id.display_name or ""
            alert.display_name = f"{types.get(alert.alert_type, '')}: {subject}"

    @api.depends_context("lang")
    @api.depends(
        "alert_type", "amount_exposure", "amount_cover", "date_due", "date_idle", "decision_id"
    )
    def _compute_description(self):
        for alert in self:
            alert.description = alert._describe()

    def _describe(self):
        """The alert in a sentence, in the language of the environment."""
        self.ensure_one()
        env = self.env
        currency = self.currency_id or self.env.company.currency_id
        customer = self.partner_id.display_name or ""
        if self.alert_type == "over_cover":
            return _(
                "%(customer)s owes %(exposure)s, above its insured limit of %(limit)s: "
                "%(uncovered)s is not insured.",
                customer=customer,
                exposure=format_amount(env, self.amount_exposure, currency),
                limit=format_amount(env, self.amount_cover, currency),
                uncovered=format_amount(env, self.amount_exposure - self.amount_cover, currency),
            )
        if self.alert_type == "cover_reduced":
            decision = self.decision_id
            states = dict(decision._fields["state"]._description_selection(env))
            return _(
                "The insurer's decision %(reference)s of %(date)s on %(customer)s: %(state)s, "
                "%(amount)s insured.",
                reference=decision.reference or "",
                date=format_date(env, decision.date),
                customer=customer,
                state=states.get(decision.state, ""),
                amount=format_amount(env, decision.amount, decision.currency_id or currency),
            )
        if self.alert_type == "unused_cover":
            return _(
                "The cover of %(amount)s on %(customer)s has had no exposure since %(date)s: "
                "a premium paid for nothing, consider cancelling it.",
                amount=format_amount(env, self.amount_cover, currency),
                customer=customer,
                date=format_date(env, self.date_idle),
            )
        if self.alert_type == "declaration_due":
            return _(
                "Invoice %(invoice)s of %(customer)s must be declared to the insurer by "
                "%(date)s, or its cover is lost.",
                invoice=self.move_id.name or "",
                customer=customer,
                date=format_date(env, self.date_due),
            )
        if self.alert_type == "cover_expiring":
            return _(
                "The cover of %(amount)s on %(customer)s ends on %(date)s: ask the insurer to "
                "renew it.",
                amount=format_amount(env, self.amount_cover, currency),
                customer=customer,
                date=format_date(env, self.date_due),
            )
        return ""

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_acknowledge(self):
        check_manager(self)
        self.filtered(lambda a: a.state == "new").sudo().write({"state": "acknowledged"})
        return True

    def action_done(self):
        check_manager(self)
        alerts = self.filtered(lambda a: a.state != "done")
        alerts.sudo().write({"state": "done"})
        alerts._close_activities()
        return True

    def action_reopen(self):
        check_manager(self)
        self.filtered(lambda a: a.state == "done" and not a.date_end).sudo().write({"state": "new"})
        return True

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(workflow_create_vals(self, vals_list, NEW_ALERT))

    def write(self, vals):
        check_workflow_write(self, vals, WORKFLOW_FIELDS)
        return super().write(vals)

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_generate(self):
        """Daily: the alerts of every company, then the digest to the credit managers."""
        Policy = self.env["credit.insurance.policy"].sudo()
        # Commit per batch in a real run only: a test's cursor must stay whole.
        commit = not getattr(threading.current_thread(), "testing", False)
        # Decisions effective today and invoices falling due since yesterday first.
        self.env["credit.insurance.cover"].sudo()._cron_apply_due_decisions()
        self.env["account.move"].sudo()._cron_update_declaration_state()
        # The companies with a policy in force, live alerts or invoices to declare.
        [[declaring]] = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("insurance_declaration_state", "=", "to_declare")], [], ["company_id:recordset"]
            )
        )
        [[alerting]] = self.sudo()._read_group(
            [("date_end", "=", False)], [], ["company_id:recordset"]
        )
        companies = Policy.search([("state", "=", "active")]).company_id | alerting | declaring
        for company in companies.sorted("id"):
            # The alerts' activities in the language of the company's users.
            company._credit_in_users_lang(
                self.sudo().with_company(company).with_context(credit_insurance_commit=commit)
            )._generate(company)
        self.sudo()._send_digest()

    def _generate(self, company):
        """Raise and end the alerts of ``company`` (see the module docstring)."""
        today = fields.Date.context_today(self)
        causes = self._gather_causes(company, today)
        self.flush_model()
        live = self.env.execute_query(
            SQL(
                """
                SELECT id, cause_key, amount_exposure, amount_cover
                  FROM credit_insurance_alert
                 WHERE company_id = %s AND date_end IS NULL
                """,
                company.id,
            )
        )
        live_by_key = {row[1]: row for row in live}
        ended = self.browse(sorted(row[0] for row in live if row[1] not in causes))
        ended.filtered(lambda a: a.state != "done").write({"state": "done"})
        ended.write({"date_end": today})
        ended._close_activities()
        # The figures of the live alerts follow the ledger: the changed ones in one statement.
        changed = []
        compare = company.currency_id.compare_amounts
        for key, (alert_id, _key, exposure, cover) in live_by_key.items():
            vals = causes.get(key)
            if vals is None:
                continue
            new_exposure = vals.get("amount_exposure", exposure or 0.0)
            new_cover = vals.get("amount_cover", cover or 0.0)
            if compare(exposure or 0.0, new_exposure) or compare(cover or 0.0, new_cover):
                changed.append((alert_id, new_exposure, new_cover))
        self._update_figures(changed)
        new_vals = [
            dict(vals, cause_key=key, date=today, company_id=company.id)
            for key, vals in causes.items()
            if key not in live_by_key
        ]
        created = self.browse()
        total = len(new_vals)
        for start in range(0, total, BATCH_SIZE):
            created |= self._create_batch(new_vals[start : start + BATCH_SIZE])
            if self.env.context.get("credit_insurance_commit"):
                # Safe to interrupt: a committed alert is never raised again (unique live key).
                self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env["ir.cron"]._notify_progress(
                done=min(start + BATCH_SIZE, total), remaining=max(total - start - BATCH_SIZE, 0)
            )
        _logger.info(
            "Credit insurance alerts of %s: %d raised, %d ended", company.name, total, len(ended)
        )
        return created

    def _gather_causes(self, company, today):
        """``{cause_key: alert values}`` of every current cause of ``company``.

        Set-based: the covers of the policy are read in one query (with the latest decision
        in force of the reduced ones), the exposure of every insured customer in one
        ``_get_insurance_facts`` pass; no record is built per cover or per customer.
        """
        causes = self._declaration_causes(company, today)
        policy = self.env["credit.insurance.policy"].sudo()._get_active(company, today)
        if not policy:
            return causes
        covers = self._policy_covers(policy, today)
        partner_ids = sorted({cover["partner_id"] for cover in covers})
        # Unnamed buyers are insured too (the discretionary limit): every customer owing
        # something, found by the same reading of the open items as the exposures.
        facts = (
            self.env["res.partner"]
            .sudo()
            .browse(partner_ids)
            ._get_insurance_facts(company, with_owing=bool(policy.discretionary_limit))
        )
        for partner_id, fact in facts.items():
            if fact["status"] == "over_limit":
                causes[f"over_cover:{policy.id}:{partner_id}"] = {
                    "alert_type": "over_cover",
                    "policy_id": policy.id,
                    "partner_id": partner_id,
                    "cover_id": fact["cover_id"],
                    "amount_exposure": fact["exposure"],
                    "amount_cover": fact["limit"],
                }
        convert = self._policy_converter(policy, company)
        currency = company.currency_id
        horizon = today + timedelta(days=EXPIRY_WARNING_DAYS)
        idle = []
        for cover in covers:
            base = {
                "policy_id": policy.id,
                "partner_id": cover["partner_id"],
                "cover_id": cover["id"],
            }
            if cover["state"] in REDUCING_STATES and cover["decision_id"]:
                causes[reduced_key(cover["id"], cover["decision_id"])] = dict(
                    base,
                    alert_type="cover_reduced",
                    decision_id=cover["decision_id"],
                    amount_cover=convert(cover["decision_amount"], cover["decision_date"]),
                )
            in_force = (
                cover["state"] in GRANTING_STATES
                and cover["date_start"] <= today
                and (not cover["date_end"] or cover["date_end"] >= today)
            )
            if not in_force:
                continue
            limit = convert(cover["amount_granted"], today)
            if currency.is_zero(facts.get(cover["partner_id"], {}).get("exposure", 0.0)):
                idle.append((cover, base, limit))
            if cover["date_end"] and cover["date_end"] <= horizon:
                causes[f"cover_expiring:{cover['id']}"] = dict(
                    base,
                    alert_type="cover_expiring",
                    amount_cover=limit,
                    date_due=cover["date_end"],
                )
        idle_days = company.credit_insurance_unused_days
        if idle_days > 0 and idle:
            last_entry = self._last_receivable_dates(
                company, [cover["partner_id"] for cover, _base, _limit in idle]
            )
            for cover, base, limit in idle:
                last = last_entry.get(cover["partner_id"])
                since = max(last, cover["date_start"]) if last else cover["date_start"]
                if (today - since).days >= idle_days:
                    causes[f"unused_cover:{cover['id']}"] = dict(
                        base, alert_type="unused_cover", amount_cover=limit, date_idle=since
                    )
        return causes

    @api.model
    def _declaration_causes(self, company, today):
        """Invoices to declare within the warning days, under whichever policy insured them
        (even one since closed)."""
        Move = self.env["account.move"]
        Move.flush_model(
            [
                "company_id",
                "commercial_partner_id",
                "insurance_insured",
                "insurance_policy_id",
                "insurance_declaration_state",
                "insurance_declaration_deadline",
            ]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, insurance_policy_id, commercial_partner_id,
                       insurance_declaration_deadline
                  FROM account_move
                 WHERE company_id = %(company)s
                   AND insurance_insured
                   AND insurance_declaration_state = 'to_declare'
                   AND insurance_declaration_deadline <= %(horizon)s
                """,
                company=company.id,
                horizon=today + timedelta(days=DECLARATION_WARNING_DAYS),
            )
        )
        return {
            f"declaration_due:{move_id}": {
                "alert_type": "declaration_due",
                "policy_id": policy_id,
                "partner_id": partner_id,
                "move_id": move_id,
                "date_due": deadline,
            }
            for move_id, policy_id, partner_id, deadline in rows
        }

    @api.model
    def _policy_covers(self, policy, today):
        """The covers of ``policy`` with a decision, as dicts, in one query; a reduced,
        refused or cancelled one with its latest decision in force on ``today`` (as
        ``latest_decision``: by date, then by order of entry)."""
        self.env["credit.insurance.cover"].flush_model(
            ["policy_id", "partner_id", "state", "amount_granted", "date_start", "date_end"]
        )
        self.env["credit.insurance.decision"].flush_model(["cover_id", "date", "amount"])
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT c.id, c.partner_id, c.state, c.amount_granted, c.date_start, c.date_end,
                       d.id AS decision_id, d.amount AS decision_amount,
                       d.date AS decision_date
                  FROM credit_insurance_cover c
                  LEFT JOIN LATERAL (
                        SELECT x.id, x.amount, x.date
                          FROM credit_insurance_decision x
                         WHERE x.cover_id = c.id
                           AND x.date <= %(today)s
                           AND c.state IN %(reducing)s
                         ORDER BY x.date DESC, x.id DESC
                         LIMIT 1
                       ) d ON TRUE
                 WHERE c.policy_id = %(policy)s
                   AND EXISTS (
                        SELECT 1 FROM credit_insurance_decision y WHERE y.cover_id = c.id)
                 ORDER BY c.id
                """,
                today=today,
                reducing=REDUCING_STATES,
                policy=policy.id,
            )
        )
        return rows

    @api.model
    def _policy_converter(self, policy, company):
        """``convert(amount, date)``: an amount of the policy's currency in the company's, as
        ``res.currency._convert`` gives it, one rate read per date."""
        source, target = policy.currency_id, company.currency_id
        if source == target:
            return lambda amount, _date: target.round(amount or 0.0)
        rates = {}

        def convert(amount, date):
            if date not in rates:
                rates[date] = source._get_conversion_rate(source, target, company, date)
            return target.round((amount or 0.0) * rates[date])

        return convert

    # ------------------------------------------------------------
    # DECISIONS
    # ------------------------------------------------------------

    @api.model
    def _raise_on_decisions(self, decisions):
        """On each decision received: its cover's reduction alert raised, or ended.

        A decision that reduces, refuses or cancels the cover (and is its latest) raises an
        alert at once; any other latest decision ends the cover's live reduction alerts, as
        does a newer reduction (which raises its own).
        """
        today = fields.Date.context_today(self)
        Alert = self.sudo()
        covers = decisions.sudo().cover_id
        live = Alert.search([("cover_id", "in", covers.ids), ("date_end", "=", False)]).filtered(
            lambda a: a.alert_type == "cover_reduced"
        )
        keep = self.browse()
        new_vals = []
        for cover in covers:
            latest = latest_decision(cover, today)
            if latest.state not in REDUCING_STATES:
                continue
            key = self._reduced_key(cover, latest)
            existing = live.filtered(lambda a, k=key: a.cause_key == k)
            if existing:
                keep |= existing
            else:
                new_vals.append(
                    dict(
                        self._reduced_vals(cover, latest),
                        cause_key=key,
                        date=today,
                        company_id=cover.company_id.id,
                    )
                )
        ended = live - keep
        ended.filtered(lambda a: a.state != "done").write({"state": "done"})
        ended.write({"date_end": today})
        ended._close_activities()
        return Alert._create_batch(new_vals)

    @api.model
    def _reduced_key(self, cover, decision):
        return reduced_key(cover.id, decision.id)

    @api.model
    def _reduced_vals(self, cover, decision):
        company = cover.company_id
        return {
            "alert_type": "cover_reduced",
            "policy_id": cover.policy_id.id,
            "partner_id": cover.partner_id.id,
            "cover_id": cover.id,
            "decision_id": decision.id,
            "amount_cover": cover.currency_id._convert(
                decision.amount, company.currency_id, company, decision.date
            ),
        }

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _update_figures(self, changed):
        """Set the exposure and insured limit of alerts, ``[(id, exposure, cover)]``, in one
        statement: on a whole portfolio, thousands of live alerts move every day. The two
        figures are plain stored values (not tracked, nothing stored depends on them)."""
        if not changed:
            return
        values = SQL(", ").join(
            SQL("(%s, %s::numeric, %s::numeric)", alert_id, exposure, cover)
            for alert_id, exposure, cover in changed
        )
        self.env.execute_query(
            SQL(
                """
                UPDATE credit_insurance_alert a
                   SET amount_exposure = v.exposure, amount_cover = v.cover,
                       write_uid = %(uid)s, write_date = NOW() AT TIME ZONE 'UTC'
                  FROM (VALUES %(values)s) AS v(id, exposure, cover)
                 WHERE a.id = v.id
                """,
                uid=self.env.uid,
                values=values,
            )
        )
        self.browse([row[0] for row in changed]).invalidate_recordset(
            ["amount_exposure", "amount_cover", "write_uid", "write_date"]
        )

    def _create_batch(self, vals_list):
        """Create the alerts of ``vals_list`` with their to-dos; skip causes another run
        raised meanwhile (the live cause is unique)."""
        if not vals_list:
            return self.browse()
        # No "created" note nor follower per alert: its to-do and the digest tell the manager.
        Alert = self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
        try:
            with self.env.cr.savepoint():
                alerts = Alert.create(vals_list)
        except pg_errors.UniqueViolation:
            _logger.info("Credit insurance alerts: raised meanwhile by another run, one by one")
            alerts = Alert.browse()
            for vals in vals_list:
                try:
                    with self.env.cr.savepoint():
                        alerts |= Alert.create([vals])
                except pg_errors.UniqueViolation:
                    continue
        alerts._schedule_activities()
        return alerts.with_env(self.env)

    def _schedule_activities(self):
        """A to-do per new alert for whoever handles the company's insurance alerts.

        Created in one batch, without Odoo's "activity assigned" email for each: the daily
        digest tells the credit manager what was raised.
        """
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        users = {company: company._credit_insurance_alert_user() for company in self.company_id}
        vals_list = []
        for alert in self:
            user = users[alert.company_id]
            if not user:
                continue
            localized = alert.with_context(lang=user.lang or self.env.lang)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": alert.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    "automated": True,
                    "date_deadline": alert.date_due
                    if alert.date_due and alert.date_due >= alert.date
                    else alert.date,
                    "summary": localized.display_name,
                    "note": localized.description,
                }
            )
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _close_activities(self):
        self.sudo().activity_ids.action_feedback(feedback=_("Alert closed."))

    @api.model
    def _last_receivable_dates(self, company, partner_ids):
        """``{commercial partner id: date of its last posted receivable entry}``: when its
        exposure last moved (its last invoice, credit note or payment), in one query."""
        self.env["account.move.line"].flush_model(
            ["account_id", "parent_state", "partner_id", "date", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, MAX(l.date)
                  FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE a.account_type = 'asset_receivable'
                   AND l.parent_state = 'posted'
                   AND l.company_id = ANY(%(companies)s)
                   AND p.commercial_partner_id = ANY(%(partners)s)
                 GROUP BY p.commercial_partner_id
                """,
                companies=self.env["credit.open.item"]._company_ids_sql(company),
                partners=list(partner_ids),
            )
        )
        return dict(rows)

    # ------------------------------------------------------------
    # DIGEST
    # ------------------------------------------------------------

    @api.model
    def _send_digest(self):
        """Mail each company's credit managers the alerts raised since the last digest.

        Nothing is sent to a company without new alerts; the alerts mailed are marked so
        that the next digest starts after them.
        """
        template = self.env.ref(
            "credit_insurance.mail_template_credit_insurance_alert_digest",
            raise_if_not_found=False,
        )
        if not template:
            return
        group = self.env.ref("credit_management.group_credit_manager")
        pending = self.sudo().search([("digest_sent", "=", False)], order="date, id")
        for company, alerts in pending.grouped("company_id").items():
            open_count = self.sudo().search_count(
                [("company_id", "=", company.id), ("state", "in", OPEN_STATES)]
            )
            recipients = group.users.filtered(
                lambda u, c=company: c in u.company_ids and u.email and not u.share
            )
            # The first alerts listed (the most urgent types first), the others counted: a
            # first morning on a whole portfolio raises thousands.
            shown = alerts.sorted(lambda a: (TYPE_ORDER[a.alert_type], a.date, a.id))
            url = f"{company.get_base_url()}/odoo/action-{ALERT_ACTION}"
            for user in recipients.sorted("id"):
                template.with_context(
                    digest_alert_ids=shown[:DIGEST_LIMIT].ids,
                    digest_new_count=len(alerts),
                    digest_open_count=open_count,
                    digest_company_id=company.id,
                    digest_url=url,
                ).send_mail(user.id, email_layout_xmlid="mail.mail_notification_light")
            alerts.write({"digest_sent": True})
