"""Today's worklist (``credit.worklist``): the customers a collector acts on today, ranked.

How it works: ``_worklist_refresh`` gathers, in a few grouped queries for the whole
portfolio, what is open today for each customer (the aged balance's overdue and oldest due
date, promises falling due, disputes past their deadline, calls due, reminders waiting for
validation, replies to read, pauses, the behaviour score) into ``engine.worklist``'s
``CustomerFacts``; ``engine.worklist.rank`` orders them by the value of acting and chooses
the next best action; the rows of the user are replaced by the new ranking. Collectors get
their portfolio, credit managers may take everything (the desk's scope). ``action_do``
does the row's next action in one click.
"""

import ast

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.base.models.res_lang import intersperse
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import float_round
from odoo.tools import format_date
from odoo.tools import get_lang

from ..engine import score as score_engine
from ..engine import worklist as worklist_engine
from ..sql import array_text

ACTIONS = [
    ("reply", "Read the reply"),
    ("promise", "Chase the promise"),
    ("dispute", "Escalate the dispute"),
    ("call", "Make the call"),
    ("validate", "Send the reminder"),
    ("call_overdue", "Call about the overdue"),
    ("wait", "Wait"),
]


class CreditWorklist(models.Model):
    _name = "credit.worklist"
    _description = "Today's Worklist"
    _order = "rank, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Worked By",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(readonly=True, default=fields.Date.context_today)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True, readonly=True
    )
    collector_id = fields.Many2one(comodel_name="res.users", readonly=True)
    rank = fields.Integer(readonly=True)
    value = fields.Monetary(
        string="Value of Acting",
        readonly=True,
        help="Amount at risk x probability of paying late x age, plus the promises falling due "
        "and half the disputes past their deadline.",
    )
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    late_probability = fields.Float(
        string="Risk of Paying Late",
        readonly=True,
        help="The late-payment prediction's risk of the customer's open invoices, weighted "
        "by their amounts (else from the behaviour score).",
    )
    days_overdue = fields.Integer(readonly=True)
    next_action = fields.Selection(selection=ACTIONS, readonly=True)
    reason = fields.Char(string="Why", readonly=True)
    done = fields.Boolean(readonly=True)
    # The customer's first reply still to read, and what it suggests: accepted or ignored from
    # the row by the reply's own actions (its rights).
    reply_id = fields.Many2one(
        comodel_name="credit.reply",
        string="Reply to Read",
        compute="_compute_reply_id",
        help="The customer's oldest reply not yet read, in the row's company.",
    )
    reply_summary = fields.Char(
        compute="_compute_reply_id",
        string="Suggestion",
        help="What the customer's reply suggests: accept it, open it to correct it, or ignore it.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    @api.depends_context("lang")
    def _compute_reply_id(self):
        """In one query for the rows shown: the oldest new reply of each customer."""
        replies = self.env["credit.reply"].search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("company_id", "in", self.company_id.ids),
                ("state", "=", "new"),
            ],
            order="date_received, id",
        )
        first = {}
        for reply in replies:
            first.setdefault((reply.partner_id.id, reply.company_id.id), reply)
        for row in self:
            reply = first.get((row.partner_id.id, row.company_id.id))
            row.reply_id = reply or False
            row.reply_summary = reply.summary if reply else False

    # ------------------------------------------------------------
    # RANKING
    # ------------------------------------------------------------

    @api.model
    def _worklist_refresh(self, mine=True):
        """Replace the current user's rows by today's ranking of his portfolio (``mine``) or
        of every customer of the company."""
        company = self.env.company
        today = fields.Date.context_today(self)
        facts = self._worklist_facts(company, today, self.env.user if mine else None)
        items = worklist_engine.rank(facts.values(), today)
        collectors = self._worklist_collectors(company, [item.partner_id for item in items])
        reason = self._worklist_reasons(company)
        rounding = company.currency_id.rounding

        def round_amount(amount):
            return float_round(amount, precision_rounding=rounding)

        # The user's rows replaced in one set-based statement (thousands of rows for a
        # manager), in the model's own table, which nothing else references: a customer
        # still listed keeps its row, updated by its id (its keys unchanged, nothing for
        # PostgreSQL to check against the users, companies and customers: four times faster
        # than a row inserted); the others are inserted or deleted. Amounts rounded as the
        # ORM stores them.
        self.flush_model()
        existing, doubles = {}, []  # partner id: its row's id; rows of a customer twice
        for partner_id, row_id in self.env.execute_query(
            SQL(
                "SELECT partner_id, id FROM credit_worklist WHERE user_id = %s AND company_id = %s",
                self.env.uid,
                company.id,
            )
        ):
            if partner_id in existing:
                doubles.append(row_id)
            else:
                existing[partner_id] = row_id
        names = (
            "partner_id",
            "collector_id",
            "rank",
            "value",
            "overdue_amount",
            "days_overdue",
            "late_probability",
            "next_action",
            "reason",
        )
        kept, added = {name: [] for name in ("id", *names)}, {name: [] for name in names}
        for item in items:
            partner = facts[item.partner_id]
            values = (
                item.partner_id,
                collectors.get(item.partner_id) or None,
                item.rank,
                round_amount(item.value),
                round_amount(partner.overdue_amount),
                partner.days_overdue,
                worklist_engine.probability(partner),
                item.next_action,
                reason(item.reasons),
            )
            columns = added
            if item.partner_id in existing:
                columns = kept
                kept["id"].append(existing.pop(item.partner_id))
            for name, value in zip(names, values, strict=True):
                columns[name].append(value)

        def unnested(columns):
            """The ``unnest`` arguments of ``columns``, typed in the order of ``names``."""
            return SQL(
                "%s::int[], %s::int[], %s::int[], %s::numeric[], %s::numeric[], %s::int[], "
                "%s::float8[], %s::varchar[], %s::varchar[]",
                *(array_text(columns[name]) for name in names),
            )

        rows = self.env.execute_query(
            SQL(
                """
                WITH gone AS (
                    DELETE FROM credit_worklist WHERE id = ANY(%(gone)s::int[])
                ), kept AS (
                    UPDATE credit_worklist w
                       SET date = %(today)s, collector_id = r.collector_id, rank = r.rank,
                           value = r.value, overdue_amount = r.overdue_amount,
                           days_overdue = r.days_overdue, late_probability = r.late_probability,
                           next_action = r.next_action, reason = r.reason, done = FALSE,
                           write_uid = %(uid)s, write_date = %(now)s
                      FROM unnest(%(kept)s::int[], %(kept_types)s)
                           AS r(id, partner_id, collector_id, rank, value, overdue_amount,
                                days_overdue, late_probability, next_action, reason)
                     WHERE w.id = r.id
                )
                INSERT INTO credit_worklist (
                    user_id, company_id, date, partner_id, collector_id, rank, value,
                    overdue_amount, days_overdue, late_probability, next_action, reason,
                    done, create_uid, create_date, write_uid, write_date)
                SELECT %(uid)s, %(company)s, %(today)s, r.partner_id, r.collector_id,
                       r.rank, r.value, r.overdue_amount, r.days_overdue,
                       r.late_probability, r.next_action, r.reason, FALSE, %(uid)s,
                       %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(added_types)s)
                       AS r(partner_id, collector_id, rank, value, overdue_amount,
                            days_overdue, late_probability, next_action, reason)
             RETURNING partner_id, id
                """,
                gone=array_text([*existing.values(), *doubles]),
                kept=array_text(kept["id"]),
                kept_types=unnested(kept),
                added_types=unnested(added),
                uid=self.env.uid,
                company=company.id,
                today=today,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model()
        ids_of = dict(zip(kept["partner_id"], kept["id"], strict=True)) | dict(rows)
        ids = [ids_of[item.partner_id] for item in items]
        return self.browse(ids)

    @api.model
    def _worklist_facts(self, company, today, user):
        """``{partner id: CustomerFacts}`` of the portfolio of ``user`` (None: everyone)."""
        mine = [("user_id", "=", user.id)] if user else []
        found = {}  # partner id: {field of CustomerFacts: value}

        def add(partner_id, **values):
            found.setdefault(partner_id, {}).update(values)

        def get(partner_id, fname):
            return found.get(partner_id, {}).get(fname, 0)

        for partner, overdue, oldest in self.env["credit.aged.balance"]._read_group(
            [("company_id", "=", company.id), ("amount_total", ">", 0), *mine],
            ["partner_id"],
            ["amount_overdue:sum", "oldest_due_date:min"],
        ):
            add(
                partner.id,
                overdue_amount=overdue or 0.0,
                days_overdue=max((today - oldest).days, 0) if oldest else 0,
            )
        for partner_id, risk in self._worklist_risks(company, list(found)):
            add(partner_id, late_probability=risk)
        Promise = self.env["credit.payment.promise"]
        base = [("company_id", "=", company.id), ("state", "=", "open"), *mine]
        for partner, amount in Promise._read_group(
            [*base, ("date_promised", "<=", today)], ["partner_id"], ["amount:sum"]
        ):
            add(partner.id, promise_due_amount=amount, promised_amount=amount)
        for partner, amount in Promise._read_group(
            [*base, ("date_promised", ">", today)], ["partner_id"], ["amount:sum"]
        ):
            add(partner.id, promised_amount=get(partner.id, "promised_amount") + amount)
        Dispute = self.env["credit.dispute"]
        base = [("company_id", "=", company.id), ("state", "in", ("new", "in_progress")), *mine]
        for partner, amount in Dispute._read_group(
            [*base, ("date_deadline", "<", today)], ["partner_id"], ["amount:sum"]
        ):
            add(partner.id, dispute_late_amount=amount)
        for partner, amount in Dispute._read_group(
            [*base, "|", ("date_deadline", ">=", today), ("date_deadline", "=", False)],
            ["partner_id"],
            ["amount:sum"],
        ):
            add(partner.id, disputed_amount=amount)
        Dunning = self.env["credit.dunning"]
        for partner, count in Dunning._read_group(
            [("company_id", "=", company.id), ("state", "=", "to_validate"), *mine],
            ["commercial_partner_id"],
            ["__count"],
        ):
            add(partner.id, reminders_to_validate=count)
        calls = self.env["mail.activity"]._read_group(
            [
                ("res_model", "=", "credit.dunning"),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_call").id),
                ("date_deadline", "<=", today),
                *mine,
            ],
            ["res_id"],
            ["__count"],
        )
        reminders = Dunning.browse([res_id for res_id, _count in calls]).exists()
        reminders = reminders.filtered(lambda reminder: reminder.company_id == company)
        by_reminder = {reminder.id: reminder.commercial_partner_id.id for reminder in reminders}
        for res_id, count in calls:
            if res_id in by_reminder:
                partner_id = by_reminder[res_id]
                add(partner_id, calls_due=get(partner_id, "calls_due") + count)
        for partner, count in self.env["credit.reply"]._read_group(
            [("company_id", "=", company.id), ("state", "=", "new"), *mine],
            ["partner_id"],
            ["__count"],
        ):
            add(partner.id, replies_to_read=count)
        # The behaviour score and the pause, read for these customers only (not every field of
        # thousands of partners): the score as ``res.partner.credit_score`` gives it.
        partners = self.env["res.partner"].with_company(company).browse(list(found))
        partners.fetch(["commercial_partner_id", "dunning_block_until"])
        scores = {
            score.partner_id.id: score.score
            for score in self.env["credit.partner.score"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", partners.commercial_partner_id.ids),
                    ("company_id", "=", company.id),
                ],
                ["partner_id", "score"],
            )
        }
        for partner in partners:
            credit_score = scores.get(partner.commercial_partner_id.id, score_engine.NEUTRAL)
            add(
                partner.id,
                score=credit_score if credit_score else None,
                paused_until=partner.dunning_block_until or None,
            )
        return {
            partner_id: worklist_engine.CustomerFacts(partner_id, **values)
            for partner_id, values in found.items()
        }

    @api.model
    def _worklist_risks(self, company, partner_ids):
        """``[(partner id, risk)]``: the late-payment prediction's risk of each customer's
        open invoices, weighted by their open amounts."""
        if not partner_ids:
            return []
        self.env["account.move"].flush_model(["amount_residual_signed"])
        return self.env.execute_query(
            SQL(
                """
                SELECT pred.partner_id,
                       SUM(m.amount_residual_signed * pred.probability)
                         / SUM(m.amount_residual_signed)
                  FROM credit_move_prediction pred
                  JOIN account_move m ON m.id = pred.move_id
                 WHERE pred.company_id = %s AND pred.partner_id = ANY(%s)
                   AND m.amount_residual_signed > 0
                 GROUP BY pred.partner_id
                """,
                company.id,
                partner_ids,
            )
        )

    @api.model
    def _worklist_collectors(self, company, partner_ids):
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        partners.fetch(["dunning_responsible_id"])
        return {partner.id: partner.dunning_responsible_id.id for partner in partners}

    @api.model
    def _worklist_reason(self, reasons, company):
        """The reasons of a row, in the user's language."""
        return self._worklist_reasons(company)(reasons)

    @api.model
    def _worklist_reasons(self, company):
        """A function giving the reasons of a row in the user's language: the texts
        translated and the language read once for all the rows (amounts formatted as
        ``odoo.tools.format_amount`` does)."""
        if not self.env.context.get("lang") and self.env.user.lang:
            # No language in the context (a scheduled action, a call from code): the user's,
            # for the amounts and dates as for the texts (which would guess it alone).
            return self.with_context(lang=self.env.user.lang)._worklist_reasons(company)
        currency = company.currency_id
        rounding = currency.rounding
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        digits = f"%.{currency.decimal_places}f"
        symbol = currency.symbol or ""
        # ``res.lang.format`` with grouping, its settings read once for every row.
        grouping = ast.literal_eval(lang.grouping)
        thousands, point = lang.thousands_sep or "", lang.decimal_point

        def money(amount):
            parts = (digits % float_round(amount, precision_rounding=rounding)).split(".")
            parts[0] = intersperse(parts[0], grouping, thousands)[0]
            text = (
                point.join(parts)
                .replace(" ", "\N{NO-BREAK SPACE}")
                .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
            )
            if currency.position == "before":
                return f"{symbol}\N{NO-BREAK SPACE}{text}"
            return f"{text}\N{NO-BREAK SPACE}{symbol}"

        # (text for one, text for several, placeholder, formatter) of each reason.
        texts = {
            "replies": (
                _("%(count)s reply to read"),
                _("%(count)s replies to read"),
                "count",
                str,
            ),
            "paused": (
                _("paused until %(date)s"),
                None,
                "date",
                lambda day: format_date(self.env, day),
            ),
            "promise_due": (_("promise of %(amount)s due"), None, "amount", money),
            "dispute_late": (
                _("dispute of %(amount)s past its deadline"),
                None,
                "amount",
                money,
            ),
            "calls": (_("%(count)s call due"), _("%(count)s calls due"), "count", str),
            "to_validate": (
                _("%(count)s reminder to validate"),
                _("%(count)s reminders to validate"),
                "count",
                str,
            ),
            "overdue": (_("%(amount)s overdue"), None, "amount", money),
            "days": (_("oldest %(days)s day late"), _("oldest %(days)s days late"), "days", str),
            "risk": (
                _("risk of paying late %(percent)s %%"),
                None,
                "percent",
                lambda risk: str(round(100 * risk)),
            ),
        }

        def reason(reasons):
            parts = []
            for code, figure in reasons:
                if code in texts:
                    one, several, name, form = texts[code]
                    text = several if several and figure != 1 else one
                    parts.append(text % {name: form(figure)})
            return "; ".join(parts)

        return reason

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _worklist_open(self, mine=True):
        """Today's worklist of the user, ranked now: his portfolio (``mine``) or, for a
        credit manager, everything."""
        if not self.env.user.has_group("credit_management.group_credit_manager"):
            mine = True
        self._worklist_refresh(mine=mine)
        return {
            "type": "ir.actions.act_window",
            "name": _("Today's Worklist"),
            "res_model": self._name,
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("user_id", "=", self.env.uid), ("company_id", "=", self.env.company.id)],
            "context": {"create": False},
            "target": "current",
        }

    def action_reply_accept(self):
        """Apply the row's suggestion (``credit.reply.action_accept``, with the user's rights)."""
        return self._reply_decide("action_accept")

    def action_reply_ignore(self):
        """Set the row's suggestion aside (``credit.reply.action_ignore``)."""
        return self._reply_decide("action_ignore")

    def _reply_decide(self, method):
        self.ensure_one()
        self.check_access("read")
        reply = self.reply_id
        if not reply:
            raise UserError(_("This customer has no reply left to read."))
        getattr(reply, method)()
        self.invalidate_recordset(["reply_id", "reply_summary"])
        if not self.reply_id:
            self.sudo().done = True
        return True

    def action_do(self):
        """The row's next action in one click: send the reminders waiting for validation,
        or open what the action works on (the replies, the promise, the dispute, the call)."""
        self.ensure_one()
        self.check_access("read")
        partner = self.partner_id
        company = [("company_id", "=", self.company_id.id)]
        result = True
        if self.next_action == "validate":
            reminders = self.env["credit.dunning"].search(
                [
                    ("commercial_partner_id", "=", partner.id),
                    ("state", "=", "to_validate"),
                    *company,
                ]
            )
            reminders.action_validate()
        else:
            model, domain = {
                "reply": ("credit.reply", [("partner_id", "=", partner.id), ("state", "=", "new")]),
                "promise": (
                    "credit.payment.promise",
                    [("partner_id", "=", partner.id), ("state", "=", "open")],
                ),
                "dispute": (
                    "credit.dispute",
                    [
                        ("partner_id", "=", partner.id),
                        ("state", "in", ("new", "in_progress")),
                        ("date_deadline", "<", fields.Date.context_today(self)),
                    ],
                ),
            }.get(
                self.next_action,
                ("credit.dunning", [("commercial_partner_id", "=", partner.id)]),
            )
            records = self.env[model].search([*domain, *company])
            result = {
                "type": "ir.actions.act_window",
                "name": partner.display_name,
                "res_model": model,
                "domain": [("id", "in", records.ids)],
                "views": [(False, "list"), (False, "form")],
                "context": {"create": False},
            }
            if len(records) == 1:
                result.update(res_id=records.id, views=[(False, "form")])
        self.sudo().done = True
        return result
