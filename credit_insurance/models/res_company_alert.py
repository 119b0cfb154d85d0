from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    credit_insurance_unused_days = fields.Integer(
        string="Unused Cover Alert (days)",
        default=90,
        help="Alert when a granted cover has had no exposure for this many days: its premium "
        "pays for nothing. 0: off.",
    )

    def _credit_insurance_alert_user(self):
        """Who gets the to-do of a new insurance alert of this company.

        The company's credit manager first (alerts are about covers and declarations, a
        manager's matter), then its default collector, then the first active credit manager
        of the company, last the administrator: an alert is never left without anyone.
        """
        self.ensure_one()
        if self.credit_manager_id.active:
            return self.credit_manager_id
        if self.credit_responsible_id.active:
            return self.credit_responsible_id
        managers = compat.group_users(self.env.ref("credit_management.group_credit_manager").sudo())
        manager = managers.filtered(lambda u: self in u.company_ids and not u.share).sorted("id")
        return manager[:1] or self.env.ref("base.user_admin", raise_if_not_found=False)
