"""Credit facts of customers: exposure, overdue, holds.

How it works: every fact is read on the commercial entity (a contact's facts are its
company's) and computed for a whole batch of partners at once by ``_get_credit_facts``:

1. one grouped query over the open receivable items (``credit.open.item``, the company and
   its branches) gives, per commercial entity, the open receivable, the overdue part, the
   oldest due date and the number of overdue invoices;
2. one grouped query over the draft customer invoices and credit notes not generated from a
   sales order (those are still counted in the orders) gives the draft amount;
3. Odoo's own ``credit_to_invoice`` (sale) gives the confirmed orders not yet invoiced.

All amounts are in the company currency: receivable lines carry their company-currency
residual, draft invoices their signed company-currency total, and Odoo converts the orders.
``_credit_check`` turns those facts and the company's settings into the hold decision.
"""

from datetime import date

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import format_date
from odoo.tools import formatLang

from .credit_field_rights import MANAGER
from .credit_field_rights import check_field_rights
from .credit_open_item import FEW_CONTACTS


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Odoo's own limit, tracked so that every change is in the chatter.
    credit_limit = fields.Float(tracking=True)

    credit_exposure = fields.Monetary(
        compute="_compute_credit_facts",
        compute_sudo=True,
        help="Open receivable + draft invoices + confirmed orders not yet invoiced, "
        "in the company currency.",
    )
    credit_draft_invoice_amount = fields.Monetary(
        string="Draft Invoices",
        compute="_compute_credit_facts",
        compute_sudo=True,
        help="Draft customer invoices less draft credit notes, not generated from orders.",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_credit_facts",
        compute_sudo=True,
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (days)",
        compute="_compute_credit_facts",
        compute_sudo=True,
        help="Days since the due date of the oldest unpaid overdue invoice.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_facts",
        compute_sudo=True,
        help="Credit limit less exposure (0 when there is no limit).",
    )
    credit_hold = fields.Boolean(
        string="On Credit Hold",
        compute="_compute_credit_facts",
        search="_search_credit_hold",
        compute_sudo=True,
    )
    credit_hold_reason = fields.Selection(
        selection=[
            ("limit", "Credit limit exceeded"),
            ("overdue", "Invoices overdue"),
            ("manual", "Manual hold"),
            ("insurer", "Credit insurer"),
        ],
        string="Hold Reason",
        compute="_compute_credit_facts",
        compute_sudo=True,
        help="The first reason of the hold; all reasons are in the hold message.",
    )
    credit_hold_message = fields.Text(
        string="Hold Reasons",
        compute="_compute_credit_facts",
        compute_sudo=True,
    )
    credit_hold_manual = fields.Boolean(
        string="Manual Credit Hold",
        company_dependent=True,
        tracking=True,
        help="Hold this customer whatever its exposure (credit managers only).",
    )
    credit_hold_note = fields.Text(
        string="Manual Hold Note",
        company_dependent=True,
        tracking=True,
    )
    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends_context("company")
    @api.depends("commercial_partner_id")
    def _compute_credit_facts(self):
        company = self.env.company
        facts = self._get_credit_facts(company)
        for partner in self:
            commercial = partner.commercial_partner_id.with_company(company)
            fact = facts.get(commercial.id) or self._credit_empty_facts()
            limit = commercial.credit_limit
            reasons = commercial._credit_hold_reasons(fact, limit, 0.0, company)
            partner.credit_exposure = fact["exposure"]
            partner.credit_draft_invoice_amount = fact["draft"]
            partner.credit_overdue_amount = fact["overdue"]
            partner.credit_overdue_days = fact["overdue_days"]
            partner.credit_available = max(limit - fact["exposure"], 0.0) if limit > 0 else 0.0
            partner.credit_hold = bool(reasons)
            partner.credit_hold_reason = reasons[0][0] if reasons else False
            partner.credit_hold_message = "\n".join(message for _code, message in reasons)

    def _search_credit_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on the credit hold."))
        company = self.env.company
        if company.credit_hold_mode == "none":
            held_ids = []
        else:
            # Candidates: customers with open receivable, drafts, orders or a manual hold.
            candidates = self.sudo()._credit_hold_candidates(company)
            held_ids = [p.id for p in candidates.with_company(company) if p.credit_hold]
        positive = (operator == "=") == value
        held = (
            self.sudo().search([("commercial_partner_id", "in", held_ids)]).ids if held_ids else []
        )
        return [("id", "in" if positive else "not in", held)]

    def _credit_hold_candidates(self, company):
        companies = self._credit_company_ids(company)
        self.env["account.move"].flush_model(["commercial_partner_id", "state", "move_type"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT i.commercial_partner_id
                  FROM (%(open_items)s) i
                 WHERE i.residual > 0
                 UNION
                SELECT m.commercial_partner_id
                  FROM account_move m
                 WHERE m.state = 'draft' AND m.move_type = 'out_invoice'
                   AND m.company_id = ANY(%(companies)s)
                 UNION
                SELECT p.commercial_partner_id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_invoice_id
                 WHERE o.state = 'sale' AND o.invoice_status = 'to invoice'
                   AND o.company_id = ANY(%(companies)s)
                """,
                open_items=self.env["credit.open.item"]._query(company),
                companies=companies,
            )
        )
        partner_ids = {row[0] for row in rows if row[0]}
        manual = self.with_company(company).search([("credit_hold_manual", "=", True)])
        return self.browse(partner_ids) | manual.commercial_partner_id

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for partner in self:
            if partner.credit_limit < 0:
                raise ValidationError(
                    _(
                        "The credit limit of %(partner)s cannot be negative (%(limit)s).",
                        partner=partner.display_name,
                        limit=partner.credit_limit,
                    )
                )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    def write(self, vals):
        self._credit_check_field_rights(vals)
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._credit_check_field_rights(vals)
        return super().create(vals_list)

    def _credit_is_manager(self):
        return self.env.su or self.env.user.has_group(MANAGER)

    # ------------------------------------------------------------
    # RIGHTS
    # ------------------------------------------------------------

    @api.model
    def _credit_field_rights(self):
        """``{field: group}``: the credit fields of a customer that only a group writes
        (``credit_field_rights``). Each concern of the customer adds its own; the rights
        table of ``readme/CONFIGURE.md`` lists them."""
        return dict.fromkeys(
            ("credit_limit", "use_partner_credit_limit", "credit_hold_manual", "credit_hold_note"),
            MANAGER,
        )

    def _credit_check_field_rights(self, vals):
        check_field_rights(self, vals, self._credit_field_rights())

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _credit_check(self, amount=0.0, company=None):
        """Decide whether ``amount`` more of credit (company currency) can be granted.

        :return: ``{'blocked', 'warning', 'reasons': [(code, message)], 'exposure', 'limit'}``
        """
        details = self._credit_check_details(amount, company)
        return {key: details[key] for key in ("blocked", "warning", "reasons", "exposure", "limit")}

    def _credit_check_details(self, amount=0.0, company=None):
        """``_credit_check`` with the facts behind it (for banners and messages)."""
        self.ensure_one()
        company = company or self.env.company
        # Fetch only what the check reads, not the ~100 columns of a partner.
        company.sudo().fetch(
            [
                "account_use_credit_limit",
                "credit_hold_mode",
                "credit_overdue_block_days",
                "currency_id",
                "parent_path",
            ]
        )
        self.sudo().fetch(["commercial_partner_id"])
        partner = self.commercial_partner_id.with_company(company).sudo()
        partner.fetch(["credit_limit", "credit_hold_manual", "credit_hold_note"])
        facts = partner._get_credit_facts(company).get(partner.id) or self._credit_empty_facts()
        limit = partner.credit_limit
        reasons = partner._credit_hold_reasons(facts, limit, amount, company)
        mode = company.credit_hold_mode
        return dict(
            facts,
            blocked=mode == "block" and bool(reasons),
            warning=mode == "warning" and bool(reasons),
            reasons=reasons,
            limit=limit,
            amount=amount,
            available=limit - facts["exposure"] if limit > 0 else None,
            company=company,
            partner=partner,
        )

    def _credit_hold_reasons(self, facts, limit, amount, company):
        """[(code, message)] of the holds that apply to this commercial entity."""
        self.ensure_one()
        if company.credit_hold_mode == "none":
            return []
        currency = company.currency_id
        reasons = []
        exposure = facts["exposure"]
        if limit > 0 and currency.compare_amounts(exposure + amount, limit) > 0:
            if amount:
                message = _(
                    "Credit limit exceeded: exposure %(exposure)s plus this order %(amount)s "
                    "is over the credit limit of %(limit)s.",
                    exposure=formatLang(self.env, exposure, currency_obj=currency),
                    amount=formatLang(self.env, amount, currency_obj=currency),
                    limit=formatLang(self.env, limit, currency_obj=currency),
                )
            else:
                message = _(
                    "Credit limit exceeded: exposure %(exposure)s is over the credit limit "
                    "of %(limit)s.",
                    exposure=formatLang(self.env, exposure, currency_obj=currency),
                    limit=formatLang(self.env, limit, currency_obj=currency),
                )
            reasons.append(("limit", message))
        max_days = company.credit_overdue_block_days
        if max_days and facts["overdue_days"] > max_days:
            names = self._credit_overdue_invoice_names(company, max_days)
            reasons.append(
                (
                    "overdue",
                    _(
                        "Overdue invoices: %(amount)s overdue, the oldest by %(days)s days "
                        "(more than %(max)s days allowed): %(invoices)s.",
                        amount=formatLang(self.env, facts["overdue"], currency_obj=currency),
                        days=facts["overdue_days"],
                        max=max_days,
                        invoices=", ".join(names),
                    ),
                )
            )
        if self.with_company(company).credit_hold_manual:
            note = self.with_company(company).credit_hold_note
            reasons.append(
                (
                    "manual",
                    _("Manual credit hold: %(note)s", note=note)
                    if note
                    else _("Manual credit hold."),
                )
            )
        # The limit of the customer's whole group (res_partner_group.py).
        reasons += self._credit_group_reasons(amount, company)
        return reasons

    def _credit_overdue_invoice_names(self, company, min_days, limit=10):
        """Names of this customer's invoices overdue by more than ``min_days``."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT i.id FROM (%(open_items)s) i
                 WHERE i.residual > 0 AND i.date_maturity < %(limit_date)s
                 ORDER BY i.date_maturity, i.id
                 LIMIT %(limit)s
                """,
                open_items=self.env["credit.open.item"]._query(
                    company, partner_ids=self.commercial_partner_id.ids
                ),
                limit_date=fields.Date.subtract(today, days=min_days),
                limit=limit,
            )
        )
        lines = self.env["account.move.line"].sudo().browse([row[0] for row in rows])
        return [
            _(
                "%(name)s (due %(date)s)",
                name=line.move_id.name,
                date=format_date(self.env, line.date_maturity),
            )
            for line in lines
        ]

    @api.model
    def _credit_ordering_partner_ids(self, company, partner_ids):
        """The customers among ``partner_ids`` (commercial entities) invoiced by a confirmed
        order of ``company``: the only ones Odoo's ``credit_to_invoice`` can find something
        for (it reads the confirmed orders of the company by their invoice address)."""
        self.env["sale.order"].flush_model(["company_id", "partner_invoice_id", "state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT p.commercial_partner_id
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_invoice_id
                 WHERE o.company_id = %(company)s
                   AND o.state = 'sale'
                """,
                company=company.id,
            )
        )
        # Intersected here: cheaper than sending (and planning) the array of a portfolio.
        wanted = set(partner_ids)
        return sorted(partner_id for (partner_id,) in rows if partner_id in wanted)

    @api.model
    def _credit_empty_facts(self):
        return {
            "receivable": 0.0,
            "overdue": 0.0,
            "overdue_days": 0,
            "overdue_count": 0,
            "draft": 0.0,
            "to_invoice": 0.0,
            "exposure": 0.0,
        }

    @api.model
    def _credit_company_ids(self, company):
        """The company and its branches, as Odoo's own receivable does."""
        return self.env["credit.open.item"]._company_ids(company)

    def _get_credit_facts(self, company=None, with_owing=False):
        """Credit facts of the commercial entities of ``self``, in a few grouped queries.

        :param with_owing: also every customer of ``company`` owing something (an open item
            with a positive residual), found by the same reading of the open items: a whole
            portfolio at once (the open items are then read for every customer).
        :return: ``{commercial_partner_id: facts}`` (see ``_credit_empty_facts``).
        """
        company = company or self.env.company
        self.sudo().fetch(["commercial_partner_id"])
        partners = self.commercial_partner_id
        if not partners and not with_owing:
            return {}
        facts = {partner_id: self._credit_empty_facts() for partner_id in partners._ids}
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model(
            ["amount_total_signed", "commercial_partner_id", "company_id", "move_type", "state"]
        )
        self.flush_model(["commercial_partner_id"])
        OpenItem = self.env["credit.open.item"]
        receivable = self.env.execute_query(
            SQL(
                """
                SELECT i.commercial_partner_id,
                       SUM(i.residual),
                       SUM(i.residual) FILTER (WHERE i.date_maturity < %(today)s
                                                 AND i.residual > 0),
                       MIN(i.date_maturity) FILTER (WHERE i.date_maturity < %(today)s
                                                      AND i.residual > 0),
                       COUNT(DISTINCT i.move_id) FILTER (WHERE i.date_maturity < %(today)s
                                                           AND i.residual > 0),
                       BOOL_OR(i.residual > 0)
                  FROM (%(open_items)s) i
                 GROUP BY i.commercial_partner_id
                """,
                today=today,
                open_items=OpenItem._query(
                    company, partner_ids=None if with_owing else partners.ids
                ),
            )
        )
        for partner_id, residual, overdue, oldest, count, owing in receivable:
            fact = facts.get(partner_id)
            if fact is None:
                if not owing:
                    continue
                fact = facts[partner_id] = self._credit_empty_facts()
            fact["receivable"] += residual or 0.0
            fact["overdue"] += overdue or 0.0
            if isinstance(oldest, date):
                fact["overdue_days"] = max(fact["overdue_days"], (today - oldest).days)
            fact["overdue_count"] += count or 0
        if with_owing:
            partners = partners.browse(list(facts))
        drafts = self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id, SUM(m.amount_total_signed)
                  FROM account_move m
                 WHERE m.commercial_partner_id = ANY(%(partners)s)
                   AND m.state = 'draft'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.company_id = ANY(%(companies)s)
                   AND NOT EXISTS (
                        SELECT 1
                          FROM account_move_line l
                          JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = l.id
                         WHERE l.move_id = m.id)
                 GROUP BY m.commercial_partner_id
                """,
                partners=partners.ids,
                companies=OpenItem._company_ids_sql(company),
            )
        )
        for partner_id, amount in drafts:
            facts[partner_id]["draft"] = amount or 0.0
        # Odoo's own amount of confirmed orders not yet invoiced (sale), company currency.
        sold = partners.with_company(company).sudo()
        if len(sold) > FEW_CONTACTS:
            # A portfolio: Odoo's computation only for the customers with a confirmed order
            # (the others have nothing to invoice), found in one query.
            sold = sold.browse(self._credit_ordering_partner_ids(company, sold._ids))
        # Computed once for the whole batch: read record by record, Odoo would compute it by
        # prefetch chunks, each scanning the whole batch (quadratic on a portfolio).
        if sold:
            field = sold._fields["credit_to_invoice"]
            field.compute_value(sold)
            amounts = self.env.cache.get_values(sold, field)
            for partner_id, amount in zip(sold._ids, amounts, strict=True):
                facts[partner_id]["to_invoice"] = amount or 0.0
            # Odoo computes it without dependencies (nothing invalidates it when an order is
            # confirmed): leave no value in the cache that Odoo's own code would read stale.
            sold.invalidate_recordset(["credit_to_invoice"])
        for fact in facts.values():
            fact["exposure"] = fact["receivable"] + fact["draft"] + fact["to_invoice"]
        return facts

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_credit_overdue_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]
        action["context"] = {"search_default_late": 1}
        return action
