from odoo import fields
from odoo import models


# One concern of the company per file: the replies to reminders.
class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    credit_reply_auto_promise = fields.Boolean(
        string="Apply Promises Read in Replies",
        help="A reply to a reminder read as a promise with its date and amount, with high "
        "confidence, creates the promise without waiting for the collector. Every other "
        "suggestion waits for the collector's click.",
    )
