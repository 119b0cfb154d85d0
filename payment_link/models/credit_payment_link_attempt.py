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
        """Record a bad token of ``ip``. The request's commit does not wait for the disk: a
        row lost in a crash only gives one more try."""
        self.env.cr.execute("SET LOCAL synchronous_commit TO OFF")
        self.env.cr.execute(
            SQL(
                "INSERT INTO credit_payment_link_attempt (ip, date) VALUES (%s, %s)",
                ip,
                fields.Datetime.now(),
            )
        )

    @api.model
    def _purge(self):
        self.search([("date", "<", fields.Datetime.now() - WINDOW)]).unlink()
