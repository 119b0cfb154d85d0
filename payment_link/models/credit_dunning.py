"""Reminders carry a payment link: created when the reminder is sent, for its open invoices,
and shown in its email ("Pay now"), its SMS and its letter (QR codes)."""

import base64

from odoo import api
from odoo import fields
from odoo import models


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
    payment_link_url = fields.Char(related="payment_link_id.url", string="Payment Link URL")
    payment_link_state = fields.Selection(
        related="payment_link_id.state", string="Payment Link Status"
    )
    payment_link_open_count = fields.Integer(
        related="payment_link_id.open_count", string="Link Opened"
    )
    payment_link_amount_collected = fields.Monetary(
        related="payment_link_id.amount_collected", string="Collected by Link"
    )

    @api.depends("payment_link_ids.state")
    def _compute_payment_link_id(self):
        for reminder in self:
            links = reminder.payment_link_ids.sorted("id", reverse=True)
            reminder.payment_link_id = (
                links.filtered(lambda link: link.state in ("active", "paid"))[:1] or links[:1]
            )

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

    @api.model
    def _payment_link_figures(self, company=None, date_from=None, date_to=None):
        """Figures of the links sent with reminders of ``company`` (default: current) sent
        between the dates: links opened, invoices paid through a link, amount collected (in
        the company's currency) and the median days from reminder to payment."""
        company = company or self.env.company
        domain = [("company_id", "=", company.id), ("dunning_id", "!=", False)]
        if date_from:
            domain.append(("dunning_id.date", ">=", date_from))
        if date_to:
            domain.append(("dunning_id.date", "<=", date_to))
        links = self.env["credit.payment.link"].search(domain)
        delays = sorted(
            (link.date_paid - link.dunning_id.date_sent).total_seconds() / 86400
            for link in links
            if link.date_paid and link.dunning_id.date_sent
        )
        median = False
        if delays:
            middle = len(delays) // 2
            median = (
                delays[middle] if len(delays) % 2 else (delays[middle - 1] + delays[middle]) / 2
            )
        collected = sum(
            link.currency_id._convert(
                link.amount_collected, company.currency_id, company, fields.Date.today()
            )
            for link in links
        )
        return {
            "links": len(links),
            "opened": len(links.filtered("open_count")),
            "paid_invoices": sum(links.mapped("paid_move_count")),
            "amount_collected": collected,
            "median_days_to_payment": median,
        }
