"""Bad tokens tried on the payment page, per address: the rate limit of ``/pay/<token>``.

Like Odoo's ``auth.totp.rate.limit.log``: one small row per refused token; an address with
too many rows in the window gets HTTP 429 until they age out. The scheduled action of the
links purges old rows.
"""

import datetime

from odoo import api
from odoo import fields
from odoo import models

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
        since = fields.Datetime.now() - WINDOW
        return self.search_count([("ip", "=", ip), ("date", ">=", since)]) >= MAX_BAD_TOKENS

    @api.model
    def _log_bad_token(self, ip):
        self.create({"ip": ip})

    @api.model
    def _purge(self):
        self.search([("date", "<", fields.Datetime.now() - WINDOW)]).unlink()
