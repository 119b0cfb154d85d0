"""Bad tokens tried on the payment page, per address: the rate limit of ``/pay/<token>``.

Like Odoo's ``auth.totp.rate.limit.log``: one small row per refused token; an address with
too many rows in the window gets HTTP 429 until they age out. The scheduled action of the
links purges old rows.
"""

import datetime

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# At most this many bad tokens per address in the window, then HTTP 429.
MAX_BAD_TOKENS = 10
WINDOW = datetime.timedelta(minutes=15)


class CreditPaymentLinkAttempt(models.Model):
    _name = "credit.payment.link.attempt"
    _description = "Payment Link Bad Token"
    _log_access = False

    ip = fields.Char(string="Address", required=True, index=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True, readonly=True)

    @api.model
    def _is_blocked(self, ip):
        """Whether ``ip`` tried too many bad tokens in the window (one indexed query: every
        opening of the page asks)."""
        since = fields.Datetime.now() - WINDOW
        [(count,)] = self.env.execute_query(
            SQL(
                "SELECT count(*) FROM (SELECT 1 FROM credit_payment_link_attempt "
                "WHERE ip = %s AND date >= %s LIMIT %s) AS tried",
                ip,
                since,
                MAX_BAD_TOKENS,
            )
        )
        return count >= MAX_BAD_TOKENS

    @api.model
    def _log_bad_token(self, ip):
        """Record a bad token of ``ip``, wherever it was tried: in the request's transaction
        and, should that transaction be rolled back (a refused call of the JSON route raises
        its error), once more in a transaction of its own, so that the try still counts."""
        date = fields.Datetime.now()
        self._insert(self.env.cr, ip, date)
        registry = self.env.registry

        def log_again():
            with registry.cursor() as cr:
                self._insert(cr, ip, date)

        self.env.cr.postrollback.add(log_again)

    @api.model
    def _insert(self, cr, ip, date):
        """One row in ``cr``'s transaction, whose commit does not wait for the disk: a row
        lost in a crash only gives one more try."""
        cr.execute("SET LOCAL synchronous_commit TO OFF")
        cr.execute(
            SQL("INSERT INTO credit_payment_link_attempt (ip, date) VALUES (%s, %s)", ip, date)
        )

    @api.model
    def _purge(self):
        self.search([("date", "<", fields.Datetime.now() - WINDOW)]).unlink()
