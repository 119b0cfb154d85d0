"""Entry points of the data files into the compatibility module: what a data file cannot
write the same way on Odoo 18.0 and 19.0 (see ``credit_management/compat.py``)."""

from odoo import api
from odoo import models

from .. import compat


class ResGroups(models.Model):
    _inherit = "res.groups"

    @api.model
    def _credit_restrict(self, group_xmlid, xmlids):
        """Restrict the views, menus, actions or reports of ``xmlids`` to the group
        ``group_xmlid`` (``<function>`` of the data files)."""
        compat.restrict_to_group(self.env.ref(group_xmlid), [self.env.ref(x) for x in xmlids])

    @api.model
    def _credit_classify(self, category_xmlid, group_xmlids):
        """Show the groups of ``group_xmlids`` under the category ``category_xmlid`` on the
        user form (``<function>`` of the data files)."""
        groups = self.browse([self.env.ref(x).id for x in group_xmlids])
        compat.classify_groups(self.env.ref(category_xmlid), groups)

    @api.model
    def _credit_user_groups(self, user_xmlid, group_xmlids):
        """Give the user ``user_xmlid`` exactly the groups of ``group_xmlids`` (``<function>``
        of the demo data)."""
        groups = self.browse([self.env.ref(x).id for x in group_xmlids])
        compat.set_user_groups(self.env.ref(user_xmlid), groups)
