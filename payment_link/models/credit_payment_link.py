"""Payment links (``credit.payment.link``): a public, expiring link to pay a set of invoices.

How a link works:

- A link covers open invoices of one customer, in one company and one currency. It is created
  for each reminder (``credit.dunning._send``) and on demand ("Send a payment link").
- Its URL is the base URL plus ``/pay/<token>``, with no query string, short enough for an
  SMS. The token packs the link's id and its expiry with a 128-bit HMAC-SHA256 signature keyed
  by the database secret (``odoo.tools.misc.hmac``, the key of ``hash_sign`` and of
  ``payment.utils`` access tokens) and is checked in constant time (``consteq``). Nothing but
  the signature is trusted: a forged, altered or outdated token matches no link.
- The page reads the invoices' residuals when it opens; the server computes the amount of the
  selection and creates the transaction with ``invoice_ids`` (``controllers/main.py``); Odoo's
  post-processing posts and reconciles the payment, then ``payment.transaction._post_process``
  marks the link paid and queues the receipt.

Rights: a link is what its token gives to whoever holds it, so its content is the model's own.
Its invoices are posted customer invoices of its customer (or, for a reminder's link, the
invoices of that reminder, which its addressee pays), in its company and currency
(``_check_moves``). Links are created by ``_create_for_moves`` only (and by the reminders, as
superuser); their content, expiry, state and figures are written by the model's own methods
(``write`` refuses them to anyone but the superuser): a link is revoked by ``action_revoke``,
expired by the scheduled action, paid by the payments, and never revived nor changed (a new
link for other invoices).
"""

import base64
import datetime
import struct

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management.models.credit_field_rights import METHOD
from odoo.addons.credit_management.models.credit_field_rights import check_field_rights
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools import consteq
from odoo.tools import float_is_zero
from odoo.tools import float_round
from odoo.tools import format_amount
from odoo.tools.misc import get_lang
from odoo.tools.misc import hmac

# Token layout: version (1 byte), link id (4 bytes), expiry (4 bytes, Unix time), signature
# (16 bytes: 128 bits of HMAC-SHA256). 25 bytes, 34 characters in URL-safe base64.
TOKEN_VERSION = 1
TOKEN_STRUCT = struct.Struct(">BII")
SIGNATURE_BYTES = 16
TOKEN_SCOPE = "payment_link.credit_payment_link"
# Payment states of an invoice that nothing remains to pay on.
PAID_STATES = ("paid", "in_payment", "reversed")
# Written by the model's own methods only (as superuser): the link's content and token (its
# id and expiry), its workflow and its figures.
METHOD_FIELDS = (
    "name",
    "partner_id",
    "company_id",
    "currency_id",
    "move_ids",
    "amount",
    "date_expiry",
    "state",
    "open_count",
    "date_first_opened",
    "date_last_opened",
    "transaction_ids",
    "amount_collected",
    "paid_move_count",
    "date_paid",
    "dunning_id",
)


def _expiry_timestamp(date_expiry):
    """Unix time at which a link valid through ``date_expiry`` (a date) expires (UTC)."""
    end = datetime.datetime.combine(
        date_expiry + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    return int(end.timestamp())


class CreditPaymentLink(models.Model):
    _name = "credit.payment.link"
    _description = "Payment Link"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", readonly=True, copy=False, index=True, default="/")
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        help="Who pays: the invoices' customer (its commercial entity).",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(comodel_name="res.currency", required=True, readonly=True)
    move_ids = fields.Many2many(
        comodel_name="account.move",
        relation="credit_payment_link_account_move_rel",
        column1="link_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    amount = fields.Monetary(
        readonly=True,
        help="What was due on the invoices when the link was created.",
    )
    amount_residual = fields.Monetary(
        string="Still Due",
        compute="_compute_amount_residual",
        help="What remains due on the link's invoices now.",
    )
    date_expiry = fields.Date(
        string="Valid Until", required=True, readonly=True, index=True, tracking=True
    )
    state = fields.Selection(
        selection=[
            ("active", "Active"),
            ("paid", "Paid"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        default="active",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    url = fields.Char(string="Link", compute="_compute_url")
    open_count = fields.Integer(string="Opened", readonly=True, copy=False)
    date_first_opened = fields.Datetime(string="First Opened", readonly=True, copy=False)
    date_last_opened = fields.Datetime(string="Last Opened", readonly=True, copy=False)
    transaction_ids = fields.One2many(
        comodel_name="payment.transaction",
        inverse_name="payment_link_id",
        string="Transactions",
        readonly=True,
    )
    amount_collected = fields.Monetary(
        string="Collected",
        compute="_compute_amount_collected",
        store=True,
        help="Payments confirmed through the link.",
    )
    paid_move_count = fields.Integer(
        string="Invoices Paid by Link",
        compute="_compute_amount_collected",
        store=True,
    )
    date_paid = fields.Datetime(string="Paid On", readonly=True, copy=False)
    dunning_id = fields.Many2one(
        comodel_name="credit.dunning",
        string="Reminder",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The reminder the link was sent with, if any.",
    )

    # ------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------

    @api.depends("move_ids.amount_residual")
    def _compute_amount_residual(self):
        for link in self:
            link.amount_residual = sum(link._payable_moves().mapped("amount_residual"))

    @api.depends("date_expiry")
    def _compute_url(self):
        for link in self:
            if not link.id or not link.date_expiry:
                link.url = False
                continue
            link.url = f"{link.company_id.get_base_url()}/pay/{link._token()}"

    @api.depends("transaction_ids.state", "transaction_ids.amount", "transaction_ids.invoice_ids")
    def _compute_amount_collected(self):
        for link in self:
            done = link.transaction_ids.filtered(lambda tx: tx.state == "done")
            link.amount_collected = sum(done.mapped("amount"))
            link.paid_move_count = len(done.invoice_ids & link.move_ids)

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("move_ids", "partner_id", "currency_id", "dunning_id")
    def _check_moves(self):
        """A link pays posted customer invoices of its customer in its currency; a reminder's
        link, the invoices of its reminder (its addressee pays for its group's members)."""
        for link in self:
            reminder = link.dunning_id
            reminded = (
                reminder.line_ids.move_id
                if reminder.commercial_partner_id == link.partner_id
                else self.env["account.move"]
            )
            for move in link.move_ids:
                if (
                    move.move_type != "out_invoice"
                    or move.state != "posted"
                    or move.currency_id != link.currency_id
                    or (move.commercial_partner_id != link.partner_id and move not in reminded)
                ):
                    raise ValidationError(
                        _(
                            "A payment link pays posted customer invoices of its customer, in "
                            "its currency: %(invoice)s cannot be paid through a link of "
                            "%(customer)s.",
                            invoice=move.display_name,
                            customer=link.partner_id.display_name,
                        )
                    )

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                _(
                    'Payment links are created from the invoices or the customer ("Send a '
                    'payment link") and with the reminders, not directly.'
                )
            )
        links = super().create(vals_list)
        # Named from the id, in one statement for the whole batch: no sequence call nor
        # update per link (a reminder run creates a link for each reminder).
        self.env.cr.execute(
            SQL(
                "UPDATE credit_payment_link "
                "SET name = 'PL' || lpad(id::text, GREATEST(6, length(id::text)), '0') "
                "WHERE id = ANY(%s)",
                links.ids,
            )
        )
        links.invalidate_recordset(["name"])
        return links

    def write(self, vals):
        check_field_rights(self, vals, dict.fromkeys(METHOD_FIELDS, METHOD))
        return super().write(vals)

    @api.depends("name", "partner_id", "amount")
    def _compute_display_name(self):
        for link in self:
            link.display_name = _(
                "%(name)s (%(customer)s, %(amount)s)",
                name=link.name,
                customer=link.partner_id.display_name or "",
                amount=format_amount(self.env, link.amount, link.currency_id),
            )

    @api.model
    def _create_for_moves(self, moves, dunning=None):
        """One active link per customer, company and currency for the open ones of ``moves``;
        for a reminder (``dunning``), per currency in the name of its addressee, who may pay
        for others (a group's head office, a third-party payer).

        The caller must be allowed to create links and to read ``moves``; the links are then
        created as superuser (``create`` refuses anyone else: their content is the model's).

        :return: the links created (none for moves with nothing left to pay)
        """
        self.check_access("create")
        moves.check_access("read")
        if dunning:
            dunning.check_access("read")
        # sudo: the caller's rights were checked above; the values are the model's own.
        links = self.sudo().create(self._prepare_vals_for_moves(moves, dunning))
        return links.with_env(self.env)

    @api.model
    def _prepare_vals_for_moves(self, moves, dunning=None):
        """Values of the links ``_create_for_moves`` creates."""
        vals_list = []
        open_moves = moves.filtered(
            lambda m: (
                m.state == "posted"
                and m.move_type == "out_invoice"
                and m.payment_state not in PAID_STATES
                and not m.currency_id.is_zero(m.amount_residual)
            )
        )
        # A reminder's addressee pays what it is reminded of: one link for the invoices of
        # every member of its group (centralised dunning), not one per member.
        addressee = dunning.commercial_partner_id if dunning else None
        groups = open_moves.grouped(
            lambda m: (addressee or m.commercial_partner_id, m.company_id, m.currency_id)
        )
        for (partner, company, currency), group in groups.items():
            days = company.payment_link_validity_days or 30
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": currency.id,
                    "move_ids": [fields.Command.set(group.ids)],
                    "amount": sum(group.mapped("amount_residual")),
                    "date_expiry": fields.Date.context_today(self) + datetime.timedelta(days=days),
                    "dunning_id": dunning.id if dunning else False,
                }
            )
        return vals_list

    # ------------------------------------------------------------
    # TOKEN
    # ------------------------------------------------------------

    def _signature(self, link_id, expiry):
        # The database secret is a system parameter: reading it needs the superuser, as
        # hash_sign's callers do; nothing else is read before the signature is checked.
        digest = hmac(self.env(su=True), TOKEN_SCOPE, f"{link_id}:{expiry}")
        return bytes.fromhex(digest)[:SIGNATURE_BYTES]

    def _token(self):
        """The link's token: its id and expiry, signed (see the module docstring)."""
        self.ensure_one()
        return self._token_for(self.id, self.date_expiry)

    @api.model
    def _token_for(self, link_id, date_expiry):
        expiry = _expiry_timestamp(date_expiry)
        raw = TOKEN_STRUCT.pack(TOKEN_VERSION, link_id, expiry) + self._signature(link_id, expiry)
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @api.model
    def _verify_token(self, token):
        """The link id a token was signed for, or None if it is malformed, forged or expired.

        The signature is computed and compared in constant time even for a malformed token, so
        that a bad token costs the same as a good one.
        """
        try:
            raw = base64.urlsafe_b64decode((token or "").encode() + b"==")
        except (ValueError, TypeError):
            raw = b""
        if len(raw) != TOKEN_STRUCT.size + SIGNATURE_BYTES:
            raw = bytes(TOKEN_STRUCT.size + SIGNATURE_BYTES)
            malformed = True
        else:
            malformed = False
        version, link_id, expiry = TOKEN_STRUCT.unpack(raw[: TOKEN_STRUCT.size])
        expected = self._signature(link_id, expiry)
        signed = consteq(raw[TOKEN_STRUCT.size :], expected)
        now = datetime.datetime.now(tz=datetime.UTC).timestamp()
        if malformed or not signed or version != TOKEN_VERSION or now >= expiry:
            return None
        return link_id

    @api.model
    def _get_by_token(self, token, states=("active",)):
        """The link of ``token`` (as superuser) in one of ``states``, or an empty recordset.

        Only called with the token still to check: the link is read once the signature holds.
        A bad token does the same work as a good one: the signature verified, the same lookup
        query (for no link: id 0 matches none) and the token signed again for the comparison.
        The token's expiry is signed and checked by ``_verify_token``; it must also be the
        link's own (a link whose date was changed has a new token).
        """
        link_id = self._verify_token(token)
        self.flush_model(["state", "date_expiry"])
        found = self.env.execute_query(
            SQL(
                "SELECT id, date_expiry FROM credit_payment_link WHERE id = %s AND state = ANY(%s)",
                link_id or 0,
                list(states),
            )
        )
        if not link_id or not found:
            self._signature(0, 0)
            return self.browse()
        if self._token_for(link_id, found[0][1]) != token:
            return self.browse()
        # sudo: the token was verified above; the visitor is anonymous.
        return self.sudo().browse(link_id)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _move_rows(self):
        """The link's invoices as the page shows them, read in one query (the page is opened
        under load): ``[{"id", "name", "customer_id", "customer_name", "date_due",
        "amount_residual", "settled", "open"}]`` by due date (the customer: the invoice's
        commercial partner, a member of the group on a head office's link). ``settled``:
        nothing remains to pay (paid, in payment, reversed, or no residual); ``open``:
        posted, not settled, and with no payment in progress (a pending or authorized
        transaction, or a draft one just started).

        Only what a link may pay is read (``_check_moves``, checked again here): customer
        invoices of the link's customer, or of its reminder for a reminder's link, in its
        currency; any other move of the link is neither shown nor paid."""
        self.ensure_one()
        self.env["account.move"].flush_model(
            [
                "state",
                "payment_state",
                "amount_residual",
                "invoice_date_due",
                "currency_id",
                "commercial_partner_id",
            ]
        )
        self.env["payment.transaction"].flush_model(["state", "invoice_ids"])
        self.env["credit.dunning.line"].flush_model(["dunning_id", "move_id"])
        recent = fields.Datetime.now() - datetime.timedelta(minutes=15)
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT move.id, move.name, move.state, move.payment_state, move.amount_residual,
                       move.commercial_partner_id AS customer_id, customer.name AS customer_name,
                       COALESCE(move.invoice_date_due, move.date) AS date_due,
                       currency.rounding,
                       EXISTS(
                           SELECT 1
                             FROM account_invoice_transaction_rel rel
                             JOIN payment_transaction tx ON tx.id = rel.transaction_id
                            WHERE rel.invoice_id = move.id
                              AND (tx.state IN ('pending', 'authorized')
                                   OR (tx.state = 'draft' AND tx.create_date >= %(recent)s))
                       ) AS in_progress
                  FROM credit_payment_link_account_move_rel link_move
                  JOIN credit_payment_link link ON link.id = link_move.link_id
                  JOIN account_move move ON move.id = link_move.move_id
                  JOIN res_currency currency ON currency.id = move.currency_id
                  LEFT JOIN res_partner customer ON customer.id = move.commercial_partner_id
                 WHERE link_move.link_id = %(link)s
                   AND move.move_type = 'out_invoice'
                   AND move.currency_id = link.currency_id
                   AND (move.commercial_partner_id = link.partner_id
                        OR EXISTS(
                            SELECT 1
                              FROM credit_dunning_line reminded
                              JOIN credit_dunning reminder ON reminder.id = reminded.dunning_id
                              JOIN res_partner addressee ON addressee.id = reminder.partner_id
                             WHERE reminded.dunning_id = link.dunning_id
                               AND reminded.move_id = move.id
                               AND addressee.commercial_partner_id = link.partner_id
                        ))
                 ORDER BY date_due, move.id
                """,
                recent=recent,
                link=self.id,
            )
        )
        for row in rows:
            row["settled"] = row["payment_state"] in PAID_STATES or float_is_zero(
                row["amount_residual"], precision_rounding=row["rounding"]
            )
            row["open"] = row["state"] == "posted" and not row["settled"] and not row["in_progress"]
        return rows

    def _payable_moves(self, rows=None):
        """Invoices of the link that can still be paid: posted, open, and with no payment in
        progress (a pending or authorized transaction, or a draft one just started). What
        the page offers and what a payment may take; override to exclude more. ``rows``: the
        link's ``_move_rows()`` when the caller has read them already (the page)."""
        self.ensure_one()
        if rows is None:
            rows = self._move_rows()
        return self.env["account.move"].browse([row["id"] for row in rows if row["open"]])

    def _register_opening(self):
        """Count an opening of the page (never touches the invoices).

        One statement, and the commit of the request that opens a page does not wait for
        the disk: an opening count lost in a crash is harmless, and the page is opened under
        load.
        """
        self.env.cr.execute(
            SQL(
                "SET LOCAL synchronous_commit TO OFF; "
                "UPDATE credit_payment_link SET open_count = COALESCE(open_count, 0) + 1, "
                "date_last_opened = %(now)s, "
                "date_first_opened = COALESCE(date_first_opened, %(now)s) "
                "WHERE id = ANY(%(ids)s)",
                now=fields.Datetime.now(),
                ids=self.ids,
            )
        )
        self.invalidate_recordset(["open_count", "date_first_opened", "date_last_opened"])

    def _page_facts(self):
        """What the payment page shows, read in a few queries (the page is opened under load).

        ``{"name", "date_expiry", "partner": {"name", "lang"}, "company": {"id", "name",
        "email", "phone"}, "currency", "currency_format": {"symbol", "position",
        "decimal_places", "rounding"}, "moves": [{"id", "name", "customer_name", "date_due",
        "amount_residual", "status"}], "several_customers"}``,
        the invoices by due date (``_move_rows``), each ``paid``, ``payable`` (one of
        ``_payable_moves``), or ``in_progress`` (a payment in progress, or not offered).
        """
        self.ensure_one()
        self.env.flush_all()
        [link] = self.env.execute_query_dict(
            SQL(
                """
                SELECT link.name, link.date_expiry, link.currency_id, link.partner_id,
                       partner.name AS partner_name, partner.lang AS partner_lang,
                       company.id AS company_id, company.name AS company_name,
                       company.email AS company_email, company.phone AS company_phone,
                       currency.symbol AS currency_symbol,
                       currency.position AS currency_position,
                       currency.decimal_places AS currency_decimal_places,
                       currency.rounding AS currency_rounding
                  FROM credit_payment_link link
                  JOIN res_partner partner ON partner.id = link.partner_id
                  JOIN res_company company ON company.id = link.company_id
                  JOIN res_currency currency ON currency.id = link.currency_id
                 WHERE link.id = %s
                """,
                self.id,
            )
        )
        currency = self.env["res.currency"].browse(link["currency_id"])
        moves = self._move_rows()
        payable = set(self._payable_moves(moves).ids)
        for move in moves:
            if move["settled"]:
                move["status"] = "paid"
            elif move["id"] in payable:
                move["status"] = "payable"
            else:
                move["status"] = "in_progress"
        return {
            "name": link["name"],
            "date_expiry": link["date_expiry"],
            "partner": {"name": link["partner_name"], "lang": link["partner_lang"]},
            "company": {
                "id": link["company_id"],
                "name": link["company_name"],
                "email": link["company_email"],
                "phone": link["company_phone"],
            },
            "currency": currency,
            # What ``_format_page_amount`` needs: the amounts are printed without reading
            # the currency record.
            "currency_format": {
                "symbol": link["currency_symbol"],
                "position": link["currency_position"],
                "decimal_places": link["currency_decimal_places"],
                "rounding": link["currency_rounding"],
            },
            "moves": moves,
            # A head office's link lists its members' invoices: the page names their customer.
            "several_customers": any(move["customer_id"] != link["partner_id"] for move in moves),
        }

    @api.model
    def _format_page_amount(self, amount, currency_format):
        """``amount`` as Odoo's ``format_amount`` prints it in the language of the context,
        from the currency's figures of ``_page_facts()["currency_format"]``: the page prints
        its amounts without reading the currency record (it is opened under load)."""
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        rounded = float_round(amount, precision_rounding=currency_format["rounding"])
        text = (
            lang.format(f"%.{currency_format['decimal_places']}f", rounded, grouping=True)
            .replace(" ", "\N{NO-BREAK SPACE}")
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        symbol = currency_format["symbol"] or ""
        if currency_format["position"] == "before":
            return f"{symbol}\N{NO-BREAK SPACE}{text}"
        return f"{text}\N{NO-BREAK SPACE}{symbol}"

    def _check_paid(self):
        """Links whose invoices are all paid become ``paid``; their pending reminders stop."""
        paid = self.filtered(
            lambda link: (
                link.state in ("active", "expired")
                and all(
                    m.payment_state in PAID_STATES or m.currency_id.is_zero(m.amount_residual)
                    for m in link.move_ids
                )
            )
        )
        if not paid:
            return paid
        # sudo: the state is the model's own; the payments decide it.
        paid.sudo().write({"state": "paid", "date_paid": fields.Datetime.now()})
        moves = paid.move_ids
        pending = (
            self.env["credit.dunning"]
            .sudo()
            .search(
                [
                    ("state", "in", ("draft", "to_validate", "error")),
                    ("line_ids.move_id", "in", moves.ids),
                ]
            )
        )
        pending.filtered(
            lambda r: all(
                m.payment_state in PAID_STATES
                for m in r.line_ids.move_id
                if m.move_type == "out_invoice"
            )
        ).action_cancel()
        return paid

    def _send_receipt(self, transactions):
        """Queue the payment receipt of ``transactions`` to the customer (in its language)."""
        template = self.env.ref("payment_link.mail_template_payment_link_receipt")
        for tx in transactions:
            template.with_context(lang=tx.partner_id.lang).send_mail(
                tx.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
            )

    # ------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------

    def action_revoke(self):
        self.check_access("write")
        if self.filtered(lambda link: link.state != "active"):
            raise UserError(_("Only an active link can be revoked."))
        # sudo: the state is the model's own (see ``write``); the caller may change the links.
        self.sudo().write({"state": "revoked"})
        return True

    def action_open_url(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.url, "target": "new"}

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_expire(self):
        """Active links past their date become ``expired``."""
        today = fields.Date.context_today(self)
        links = self.sudo().search([("state", "=", "active"), ("date_expiry", "<", today)])
        links.write({"state": "expired"})
        return links.with_env(self.env)
