"""The mail gateway tells the reminders which replies are automatic (RFC 3834).

Odoo's ``message_parse`` keeps no header but the addresses, the subject and the ids: the
``Auto-Submitted`` (and the auto-responders' ``X-Autoreply``, ``Precedence``) headers are
read here, where the email itself is at hand, and passed down to the reminder that receives
the reply (``credit_dunning_reply``).
"""

from odoo import models

from ..engine.reply import is_automatic
from .credit_dunning_reply import AUTOMATIC_KEY


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        thread = self
        if any(route[0] == "credit.dunning" for route in routes or ()):
            thread = self.with_context(**{AUTOMATIC_KEY: is_automatic(dict(message.items()))})
        return super(MailThread, thread)._message_route_process(message, message_dict, routes)
