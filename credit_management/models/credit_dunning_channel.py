"""Sending a reminder: the channels of its level, run one after the other.

Each channel lives in its own file (``credit_dunning_email.py``, ``credit_dunning_sms.py``,
``credit_dunning_letter.py``, ``credit_dunning_phone.py``) and plugs in with:

- the level's ``channel_<code>`` boolean (``credit.dunning.level``);
- the reminder's ``<code>_state`` selection: ``none`` (not used), ``pending`` (to send),
  ``error``, and the channel's own states once it worked (``queued``, ``sent``, ``done``…);
- an override of ``_get_channels()`` that adds ``{code: (sequence, label)}``;
- ``_send_<code>()``, called on the reminders whose channel is pending: it sends, sets the
  channel's state, and calls ``_fail(code, message)`` for the reminders that failed;
- its own result handlers when the answer comes later (``_mail_result``, ``_sms_result``).

A new channel is one new file: ``_send()`` needs no change.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import format_amount

from .credit_dunning import PENDING_STATES

# A channel's states besides the ones where it worked.
NOT_DONE_STATES = ("none", "pending", "error")


# One concern of the reminder per file, as account splits account.move.
class CreditDunning(models.Model):
    _inherit = "credit.dunning"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_channels(self):
        """The channels reminders can use: ``{code: (sequence, label)}``, one per channel file.

        The sequence orders the channels of a reminder (the email before the letter, …); the
        label names the channel in the customer's chatter.
        """
        return {}

    @api.model
    def _channel_codes(self):
        """Codes of the channels, in the order a reminder runs them."""
        channels = self._get_channels()
        return sorted(channels, key=lambda code: (channels[code][0], code))

    def _channel_done(self, code):
        """The channel ``code`` of this reminder worked (on a first try, before a retry)."""
        self.ensure_one()
        return self[f"{code}_state"] not in NOT_DONE_STATES

    def _send(self):
        """Run the channels of each reminder; failures leave the reminder in error."""
        reminders = self.filtered(lambda r: r.state in PENDING_STATES)
        if not reminders:
            return
        codes = self._channel_codes()
        # A channel that already worked is not run again. One write per set of values: the
        # reminders of a level share theirs.
        to_write = defaultdict(list)
        for reminder in reminders:
            vals = {
                f"{code}_state": "pending" if reminder.level_id[f"channel_{code}"] else "none"
                for code in codes
                if not reminder._channel_done(code)
            }
            vals["error_message"] = False
            if reminder.level_id.is_formal_notice:
                vals["formal_notice_deadline"] = reminder._formal_notice_deadline()
            to_write[tuple(sorted(vals.items()))].append(reminder.id)
        for vals, ids in to_write.items():
            reminders.browse(ids)._workflow_write(dict(vals))
        for code in codes:
            pending = reminders.filtered(lambda r, c=code: r[f"{c}_state"] == "pending")
            if pending:
                getattr(pending, f"_send_{code}")()
        failed = reminders.filtered(lambda r: any(r[f"{c}_state"] == "error" for c in codes))
        done = reminders - failed
        failed._workflow_write({"state": "error"})
        done._workflow_write({"state": "sent", "date_sent": fields.Datetime.now()})
        done.filtered(lambda r: r.level_id.is_formal_notice)._workflow_write(
            {"is_formal_notice": True}
        )
        done.filtered(lambda r: r.level_id.is_litigation)._hand_off()
        done._log_on_customers()

    def _fail(self, channel, message):
        """The channel ``channel`` failed for these reminders, for the reason ``message``."""
        self._workflow_write({f"{channel}_state": "error", "error_message": message})

    def _log_on_customers(self):
        """Trace of each sent reminder in its customer's chatter (a note, no email)."""
        channels = self._get_channels()
        codes = self._channel_codes()
        bodies = defaultdict(list)
        for reminder in self:
            used = ", ".join(channels[code][1] for code in codes if reminder._channel_done(code))
            bodies[reminder.commercial_partner_id].append(
                Markup("<p>%s</p>")
                % _(
                    "Reminder %(name)s sent (%(channels)s) at level %(level)s: %(count)s "
                    "invoices, balance due %(amount)s.",
                    name=reminder.name,
                    channels=used,
                    level=reminder.level_id.name,
                    count=reminder.invoice_count,
                    amount=format_amount(self.env, reminder.amount_due, reminder.currency_id),
                )
            )
        partners = self.env["res.partner"].browse([p.id for p in bodies])
        partners._message_log_batch(
            bodies={partner.id: Markup("").join(bodies[partner]) for partner in partners}
        )
