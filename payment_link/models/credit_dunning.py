"""Reminders carry a payment link: created when the reminder is sent, for its open invoices,
and shown in its email ("Pay now"), its SMS and its letter (QR codes)."""

import base64

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


# One concern of the reminder per file, as credit_management splits credit.dunning.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"

    payment_link_ids = fields.One2many(
        comodel_name="credit.payment.link",
        inverse_name="dunning_id",
        string="Payment Links",
        readonly=True,
    )
    # Computed from the links (not stored): creating the links of many reminders is one
    # insert, with no update per reminder.
    payment_link_id = fields.Many2one(
        comodel_name="credit.payment.link",
        compute="_compute_payment_link_id",
        search="_search_payment_link_id",
    )
    # The link's URL is its bearer token: only for those who may read the links (collectors,
    # credit managers, billing users), empty for the others who read reminders (sales users),
    # in the screens as in the previews of the reminder's email, SMS and letter.
    payment_link_url = fields.Char(string="Payment Link URL", compute="_compute_payment_link_url")
    payment_link_state = fields.Selection(
        related="payment_link_id.state", string="Payment Link Status"
    )
    payment_link_open_count = fields.Integer(
        related="payment_link_id.open_count", string="Link Opened"
    )
    payment_link_amount_collected = fields.Monetary(
        related="payment_link_id.amount_collected", string="Collected by Link"
    )
    payment_link_paid_move_count = fields.Integer(
        string="Invoices Paid by Link",
        compute="_compute_payment_link_figures",
        help="Invoices of the reminder paid through its payment links.",
    )
    payment_link_days_to_payment = fields.Float(
        string="Paid by Link After (days)",
        digits=(16, 2),
        compute="_compute_payment_link_figures",
        help="Time from the reminder (its link's creation) to its first payment through the "
        "link, in days; 0.5 is half a day.",
    )
    paid_by_link = fields.Boolean(
        string="Paid by Link",
        compute="_compute_payment_link_figures",
        search="_search_paid_by_link",
        help="A payment was confirmed through the reminder's payment link.",
    )

    @api.depends("payment_link_ids.state")
    def _compute_payment_link_id(self):
        for reminder in self:
            links = reminder.payment_link_ids.sorted("id", reverse=True)
            reminder.payment_link_id = (
                links.filtered(lambda link: link.state in ("active", "paid"))[:1] or links[:1]
            )

    @api.depends("payment_link_id")
    @api.depends_context("uid")
    def _compute_payment_link_url(self):
        allowed = self.env.su or self.env["credit.payment.link"].has_access("read")
        for reminder in self:
            reminder.payment_link_url = allowed and reminder.payment_link_id.sudo().url

    def _search_payment_link_id(self, operator, value):
        return [("payment_link_ids", operator, value)]

    def _send(self):
        self._ensure_payment_links()
        return super()._send()

    def _ensure_payment_links(self):
        """A payment link for each reminder about to be sent that has no active one, covering
        its open invoices; all created in one batch."""
        todo = self.filtered(
            lambda r: (
                r.state in ("draft", "to_validate", "error") and r.payment_link_id.state != "active"
            )
        )
        # sudo: collectors send reminders but do not manage links; each link is its
        # reminder's, in its company.
        Link = self.env["credit.payment.link"].sudo()
        # The invoices of the whole batch read at once, not reminder by reminder.
        todo.line_ids.move_id.fetch(
            [
                "state",
                "move_type",
                "payment_state",
                "amount_residual",
                "currency_id",
                "commercial_partner_id",
                "company_id",
            ]
        )
        vals_list = []
        for reminder in todo:
            moves = reminder.line_ids.filtered(lambda line: line.line_type == "invoice").move_id
            vals_list += Link._prepare_vals_for_moves(moves, reminder)
        Link.create(vals_list)

    def action_open_payment_link(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "credit.payment.link",
            "res_id": self.payment_link_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # QR CODES (letters)
    # ------------------------------------------------------------

    def _payment_link_qr(self):
        """The QR code of the payment link, as a ``data:`` URI for the letter (none without a
        link). A base64 image: wkhtmltopdf fetches no URL."""
        self.ensure_one()
        if not self.payment_link_url:
            return False
        png = self.env["ir.actions.report"].barcode(
            "QR", self.payment_link_url, width=180, height=180, quiet=False
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _epc_bank_account(self):
        """The company's IBAN account for an EPC QR code, or an empty recordset."""
        self.ensure_one()
        if self.currency_id.name != "EUR":
            return self.env["res.partner.bank"]
        for bank in self.company_id.partner_id.bank_ids:
            if not bank._get_error_messages_for_qr("sct_qr", self.partner_id, self.currency_id):
                return bank
        return self.env["res.partner.bank"]

    def _epc_qr_values(self):
        """The EPC (SEPA credit transfer) payload of the amount due, with the reminder's
        reference (``account_qr_code_sepa``), or False."""
        self.ensure_one()
        bank = self._epc_bank_account()
        if not bank or self.currency_id.compare_amounts(self.amount_due, 0) <= 0:
            return False
        return "\n".join(
            bank._get_qr_vals(
                "sct_qr", self.amount_due, self.currency_id, self.partner_id, self.name, None
            )
        )

    def _epc_qr(self):
        self.ensure_one()
        bank = self._epc_bank_account()
        if not bank or self.currency_id.compare_amounts(self.amount_due, 0) <= 0:
            return False
        return bank.build_qr_code_base64(
            self.amount_due, self.name, None, self.currency_id, self.partner_id, "sct_qr"
        )

    # ------------------------------------------------------------
    # FIGURES
    # ------------------------------------------------------------

    @api.depends("payment_link_ids.transaction_ids.state")
    def _compute_payment_link_figures(self):
        """Invoices paid through the reminder's links and the time from the reminder to its
        first payment through one (from the link's creation, when the reminder was sent, to
        the confirmed payment), in one query for all the reminders."""
        self.env["credit.payment.link"].flush_model(["dunning_id", "create_date"])
        self.env["payment.transaction"].flush_model(["payment_link_id", "state"])
        figures = {}
        if self.ids:
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT l.dunning_id,
                           COUNT(DISTINCT rel.invoice_id),
                           MIN(EXTRACT(EPOCH FROM tx.last_state_change - l.create_date))
                      FROM credit_payment_link l
                      JOIN payment_transaction tx ON tx.payment_link_id = l.id
                                                 AND tx.state = 'done'
                 LEFT JOIN account_invoice_transaction_rel rel ON rel.transaction_id = tx.id
                     WHERE l.dunning_id = ANY(%(ids)s)
                  GROUP BY l.dunning_id
                    """,
                    ids=self.ids,
                )
            )
            figures = {dunning_id: (count, seconds) for dunning_id, count, seconds in rows}
        for reminder in self:
            count, seconds = figures.get(reminder.id, (0, None))
            reminder.payment_link_paid_move_count = count
            reminder.paid_by_link = seconds is not None
            reminder.payment_link_days_to_payment = (
                float(seconds) / 86400 if seconds is not None else 0.0
            )

    def _search_paid_by_link(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Operation not supported"))
        domain = [("payment_link_ids.transaction_ids.state", "=", "done")]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.model
    def _payment_link_figures(self, company=None, date_from=None, date_to=None):
        """Figures of the links sent with reminders of ``company`` (default: current) dated
        between the dates: links, links opened, invoices paid through a link, amount collected
        (the payments, in the company's currency) and the median days from reminder to its
        first payment through its link (from the link's creation), in one query."""
        company = company or self.env.company
        self.env["credit.payment.link"].flush_model()
        self.env["payment.transaction"].flush_model()
        self.env["account.payment"].flush_model(["amount_company_currency_signed"])
        self.flush_model(["date"])
        conditions = [SQL("l.company_id = %s AND l.dunning_id IS NOT NULL", company.id)]
        if date_from:
            conditions.append(SQL("d.date >= %s", date_from))
        if date_to:
            conditions.append(SQL("d.date <= %s", date_to))
        [(links, opened, paid_invoices, collected, median)] = self.env.execute_query(
            SQL(
                """
                WITH link AS (
                    SELECT l.id, l.create_date, l.open_count
                      FROM credit_payment_link l
                      JOIN credit_dunning d ON d.id = l.dunning_id
                     WHERE %(where)s
                ), done AS (
                    SELECT tx.id, tx.payment_link_id, tx.payment_id, tx.last_state_change
                      FROM payment_transaction tx
                      JOIN link ON link.id = tx.payment_link_id
                     WHERE tx.state = 'done'
                ), first_paid AS (
                    SELECT link.id, MIN(done.last_state_change) - link.create_date AS delay
                      FROM link
                      JOIN done ON done.payment_link_id = link.id
                  GROUP BY link.id, link.create_date
                )
                SELECT (SELECT COUNT(*) FROM link),
                       (SELECT COUNT(*) FROM link WHERE open_count > 0),
                       (SELECT COUNT(DISTINCT rel.invoice_id)
                          FROM done
                          JOIN account_invoice_transaction_rel rel ON rel.transaction_id = done.id),
                       (SELECT COALESCE(SUM(p.amount_company_currency_signed), 0)
                          FROM done
                          JOIN account_payment p ON p.id = done.payment_id),
                       (SELECT percentile_cont(0.5) WITHIN GROUP (
                                   ORDER BY EXTRACT(EPOCH FROM delay))
                          FROM first_paid)
                """,
                where=SQL(" AND ").join(conditions),
            )
        )
        return {
            "links": links,
            "opened": opened,
            "paid_invoices": paid_invoices,
            "amount_collected": float(collected),
            "median_days_to_payment": float(median) / 86400 if median is not None else False,
        }
