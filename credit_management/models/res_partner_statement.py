"""Customer statements ("relevé de compte"): the open items of a customer, its aging and its
balance, printed as a PDF (``credit_management.action_report_credit_statement``) and emailed
one by one or in batches.

How it works:

- **Figures**: ``_credit_statement_data`` reads the open items of all the customers asked for
  from ``credit.open.item._query`` (the one source of open items) in one query, with their
  document's number and dates, an open dispute on the invoice and the date of an open payment
  promise. The aging uses the buckets of the aged balance (``BUCKETS``), in each document's
  currency: a statement in two currencies shows two balances, never a conversion.
- **Payment**: the template asks ``_credit_statement_payment(company, currency, amount,
  reference)`` for each balance due, a hook that returns an empty dict here. An addon that
  offers online payment (payment_link) returns what the template shows: ``url``, ``qr`` and
  ``epc_qr`` (base64 PNG ``data:`` URIs), with no dependency either way.
- **Sending**: ``_credit_statement_send`` posts the statement email
  (``credit_management.mail_template_credit_statement``, the PDF attached by the template) on
  each customer's chatter, one composer per batch of customers, each rendered in its
  customer's language. Customers with no email address are returned as skipped.
"""

from collections import defaultdict

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools import split_every

from .. import compat
from .credit_aged_balance import BUCKETS

# Statements posted per composer (one rendering pass, one PDF per customer).
STATEMENT_BATCH_SIZE = 50


# One concern of the partner per file, as account splits its models.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_print_credit_statement(self):
        """Print the statement of the customer (its commercial entity)."""
        self._credit_statement_check_access()
        customers = self.commercial_partner_id
        if not customers:
            raise UserError(_("Select the customers whose statement you want to print."))
        report = self.env.ref("credit_management.action_report_credit_statement")
        return report.report_action(customers)

    def action_send_credit_statement(self):
        """Open the "Send statements" wizard for these customers."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Statements"),
            "res_model": "credit.statement.send",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_target": "selected",
                "default_partner_ids": self.commercial_partner_id.ids,
            },
        }

    # ------------------------------------------------------------
    # FIGURES
    # ------------------------------------------------------------

    @api.model
    def _credit_statement_customers(self, company):
        """The customers (commercial entities) with open items in ``company``'s scope."""
        rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT i.commercial_partner_id FROM (%s) i ORDER BY 1",
                self.env["credit.open.item"]._query(company),
            )
        )
        return self.browse([partner_id for (partner_id,) in rows])

    def _credit_statement_data(self, company=None, date=None):
        """The statement of each customer of ``self`` (commercial entities), in one query.

        :return: ``{partner_id: {"lines": [...], "balances": [...]}}``; a line is a dict
            (``move_id``, ``name``, ``move_type``, ``date``, ``date_due``, ``days_late``,
            ``currency``, ``amount``, ``residual``, ``in_dispute``, ``date_promised``), by
            currency and due date; a balance, one per currency, is ``{"currency",
            "not_due", "buckets": {bucket: amount}, "total"}`` (the buckets of ``BUCKETS``).
        """
        company = company or self.env.company
        date = date or fields.Date.context_today(self)
        statements = {partner.id: {"lines": [], "balances": []} for partner in self}
        if not self:
            return statements
        self.env["account.move"].flush_model(["name", "move_type", "invoice_date"])
        self.env["account.move.line"].flush_model(["amount_currency"])
        self.env["credit.dispute"].flush_model(["state", "move_ids"])
        self.env["credit.payment.promise"].flush_model(["state", "date_promised", "move_ids"])
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT i.commercial_partner_id, i.move_id, i.currency_id, i.date_due,
                       COALESCE(m.invoice_date, i.date) AS date, m.name, m.move_type,
                       l.amount_currency AS amount, i.residual_currency AS residual,
                       EXISTS(
                           SELECT 1
                             FROM credit_dispute_account_move_rel rel
                             JOIN credit_dispute d ON d.id = rel.dispute_id
                            WHERE rel.move_id = i.move_id AND d.state IN ('new', 'in_progress')
                       ) AS in_dispute,
                       (SELECT MIN(p.date_promised)
                          FROM credit_payment_promise_account_move_rel rel
                          JOIN credit_payment_promise p ON p.id = rel.promise_id
                         WHERE rel.move_id = i.move_id AND p.state = 'open') AS date_promised
                  FROM (%(items)s) i
                  JOIN account_move_line l ON l.id = i.id
                  JOIN account_move m ON m.id = i.move_id
                 ORDER BY i.commercial_partner_id, i.currency_id, i.date_due, m.name, i.id
                """,
                items=self.env["credit.open.item"]._query(company, partner_ids=self.ids),
            )
        )
        currencies = self.env["res.currency"].browse({row["currency_id"] for row in rows})
        totals = defaultdict(lambda: defaultdict(float))
        for row in rows:
            days_late = (date - row["date_due"]).days
            currency = currencies.browse(row["currency_id"])
            statements[row["commercial_partner_id"]]["lines"].append(
                {
                    "move_id": row["move_id"],
                    "name": row["name"],
                    "move_type": row["move_type"],
                    "date": row["date"],
                    "date_due": row["date_due"],
                    "days_late": max(days_late, 0),
                    "currency": currency,
                    "amount": row["amount"],
                    "residual": row["residual"],
                    "in_dispute": row["in_dispute"],
                    "date_promised": row["date_promised"],
                }
            )
            bucket = "not_due"
            if days_late > 0:
                bucket = next(
                    name
                    for name, first, last in BUCKETS
                    if days_late >= first and (last is None or days_late <= last)
                )
            figures = totals[(row["commercial_partner_id"], row["currency_id"])]
            figures[bucket] += row["residual"]
            figures["total"] += row["residual"]
        for (partner_id, currency_id), figures in sorted(totals.items()):
            currency = currencies.browse(currency_id)
            statements[partner_id]["balances"].append(
                {
                    "currency": currency,
                    "not_due": currency.round(figures["not_due"]),
                    "buckets": {
                        name: currency.round(figures[name]) for name, _first, _last in BUCKETS
                    },
                    "total": currency.round(figures["total"]),
                }
            )
        return statements

    def _credit_statement_check_access(self):
        """Statements are printed and sent by credit collectors (and scheduled actions)."""
        self.check_access("read")
        if not (self.env.su or self.env.user.has_group("credit_management.group_credit_collector")):
            raise AccessError(_("Only credit collectors can print or send customer statements."))

    def _credit_statement_reference(self):
        """The reference the customer quotes when paying the statement: its own reference
        (customer number), else its name."""
        self.ensure_one()
        return self.commercial_partner_id.ref or self.commercial_partner_id.name or ""

    def _credit_statement_payment(self, company, currency, amount, reference):
        """Hook: how the customer can pay ``amount`` in ``currency`` online.

        :return: a dict with any of ``url`` (a payment link), ``qr`` (a QR code of the link)
            and ``epc_qr`` (an EPC SEPA transfer QR code), the images as base64 PNG ``data:``
            URIs (wkhtmltopdf fetches no URL); empty here: an addon offering online payment
            fills it (payment_link does).
        """
        return {}

    # ------------------------------------------------------------
    # SENDING
    # ------------------------------------------------------------

    def _credit_statement_recipient(self):
        """Who gets the statement: the customer's invoicing contact with an email address,
        else the customer itself when it has one; an empty recordset otherwise."""
        self.ensure_one()
        customer = self.commercial_partner_id
        contact = customer.child_ids.filtered(lambda c: c.type == "invoice" and c.email)[:1]
        return contact or customer.filtered("email")

    def _credit_statement_send(self, template=None, company=None):
        """Email the statement to each customer of ``self`` (one email each, on its chatter).

        :return: ``(sent, skipped)``: the customers emailed and those without an email address
        """
        company = company or self.env.company
        template = template or self.env.ref("credit_management.mail_template_credit_statement")
        customers = self.commercial_partner_id
        skipped = customers.filtered(lambda c: not c._credit_statement_recipient())
        sent = customers - skipped
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        done = 0
        for batch in split_every(STATEMENT_BATCH_SIZE, sent.ids):
            composer = (
                env["mail.compose.message"]
                .with_context(
                    default_composition_mode="comment",
                    default_model=self._name,
                    default_res_ids=list(batch),
                    default_template_id=template.id,
                    mail_notify_force_send=False,
                )
                .create(
                    {
                        "message_type": "comment",
                        "subtype_id": self.env.ref("mail.mt_comment").id,
                        "force_send": False,
                        **(
                            {
                                "email_from": company.email_formatted,
                                "author_id": company.partner_id.id,
                            }
                            if self.env.su and company.email
                            else {}
                        ),
                    }
                )
            )
            composer._action_send_mail()
            done += len(batch)
            # A scheduled action: the batch is posted and queued for good.
            commit = self.env.context.get("credit_statement_commit")
            compat.batch_done(self.env, done=done, remaining=len(sent) - done, commit=commit)
        return sent, skipped
