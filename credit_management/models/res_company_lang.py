"""The language of what the scheduled actions write for the company's users.

A scheduled action runs as OdooBot with no language in its context, so that ``_()`` would
write its notes, activities and errors in English, whatever the language of the people who
read them. Its entry points run each company in the language of the company's users
(``_credit_in_users_lang``); emails, SMS and letters keep the customer's (their templates
and report say so)."""

from collections import Counter

from odoo import models


# One concern of the company per file, as account splits its models.
class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    def _credit_users_lang(self):
        """The language the company's users read: its credit manager's (else its default
        collector's), else the one most of its internal users have, else the first
        installed language."""
        self.ensure_one()
        installed = [code for code, _name in self.env["res.lang"].get_installed()]
        company = self.sudo()
        for responsible in (company.credit_manager_id, company.credit_responsible_id):
            if responsible.lang in installed:
                return responsible.lang
        # Everyone's language, whoever runs the action; archived users (OdooBot) left out.
        users = (
            self.env["res.users"]
            .sudo()
            .search_fetch([("share", "=", False), ("company_ids", "in", self.ids)], ["lang"])
        )
        counts = Counter(user.lang for user in users if user.lang in installed)
        if counts:
            # The most common; on a tie, the first in the order of installed languages.
            return max(installed, key=lambda code: (counts[code], -installed.index(code)))
        return installed[0] if installed else "en_US"

    def _credit_in_users_lang(self, records):
        """``records`` in the language of the company's users when their context has none
        (a scheduled action); a user's own language otherwise."""
        self.ensure_one()
        if records.env.context.get("lang"):
            return records
        return records.with_context(lang=self._credit_users_lang())
