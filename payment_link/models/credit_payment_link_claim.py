"""Claims of the invoices being paid through a payment link: what keeps two tabs (or two
links) from paying the same invoices.

A request that creates a payment of invoices writes their claim rows first (one row per
invoice, a unique key on the invoice), in its own transaction:

- a tab whose claim rows are locked by a payment being created is refused at once (``NOWAIT``);
- a tab that read the invoices before another tab's payment was committed (Odoo's requests
  read a snapshot taken when they start, ``REPEATABLE READ``) cannot write rows that changed
  since: PostgreSQL refuses the write (a serialization failure), Odoo runs the request again
  on a new snapshot, and the invoices are then seen with their payment in progress.

A row lock taken without a write would not do: once the first payment is committed, the lock
is free and the second tab would go on with its old snapshot. The scheduled action of the
links purges old claims.
"""

import datetime

import psycopg2

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Claims older than this are purged (a payment in progress lasts minutes).
KEEP = datetime.timedelta(days=1)


class CreditPaymentLinkClaim(models.Model):
    _name = "credit.payment.link.claim"
    _description = "Payment Link Claim"
    _log_access = False

    move_id = fields.Many2one(
        comodel_name="account.move",
        string="Invoice",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    date = fields.Datetime(string="Claimed On", required=True, readonly=True)

    _sql_constraints = [
        ("move_uniq", "UNIQUE(move_id)", "An invoice has one claim row."),
    ]

    @api.model
    def _claim(self, moves):
        """Claim ``moves`` for a payment created in this transaction, or raise (see the module
        docstring): the rows locked first, without waiting, then written."""
        move_ids = sorted(moves.ids)
        try:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM credit_payment_link_claim WHERE move_id = ANY(%s) "
                    "ORDER BY move_id FOR UPDATE NOWAIT",
                    move_ids,
                ),
                # Refusals and serialization failures are expected here, not logged as errors.
                log_exceptions=False,
            )
        except psycopg2.errors.LockNotAvailable:
            raise ValidationError(
                _("A payment of these invoices is in progress: wait a moment and reload.")
            ) from None
        self.env.cr.execute(
            SQL(
                "INSERT INTO credit_payment_link_claim (move_id, date) "
                "SELECT move_id, %s FROM unnest(%s::int[]) AS move_id ORDER BY move_id "
                "ON CONFLICT (move_id) DO UPDATE SET date = EXCLUDED.date",
                fields.Datetime.now(),
                move_ids,
            ),
            log_exceptions=False,
        )

    @api.model
    def _purge(self):
        self.search([("date", "<", fields.Datetime.now() - KEEP)]).unlink()
