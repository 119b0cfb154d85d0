"""Reminder templates: the open items' table called without a body.

Odoo 19.0 renders a ``t-call`` that has a body, inside a mail template's body, by looking up
a template it cannot find, and re-raises the same cached error each time, its traceback
growing: every reminder email rendered in a process is slower than the one before (5 emails a
second after a few hundred). The templates are ``noupdate``: the bodies already in the
database, in every language and in copies made by users, get the variables set before the
call instead, which renders the same on both series.
"""

import json
import re

from odoo.tools import SQL

CALL_WITH_BODY = re.compile(
    r'<t t-call="credit_management\.dunning_mail_items">'
    r'((?:\s*<t t-set="\w+" t-value="[^"]*"\s*/>\s*)+)</t>'
)


def _without_call_body(body):
    return CALL_WITH_BODY.sub(
        lambda match: match.group(1).strip() + '<t t-call="credit_management.dunning_mail_items"/>',
        body,
    )


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "SELECT id, body_html FROM mail_template WHERE model = %s AND body_html IS NOT NULL",
            "credit.dunning",
        )
    )
    for template_id, bodies in cr.fetchall():
        fixed = {lang: _without_call_body(body or "") for lang, body in bodies.items()}
        if fixed != bodies:
            cr.execute(
                SQL(
                    "UPDATE mail_template SET body_html = %s WHERE id = %s",
                    json.dumps(fixed),
                    template_id,
                )
            )
