"""Entry point of the data files into the compatibility module for window actions (see
``credit_management/compat.py``)."""

from odoo import api
from odoo import models

from .. import compat


class IrActionsActWindow(models.Model):
    _inherit = "ir.actions.act_window"

    @api.model
    def _credit_settings_action(self, xmlid):
        """Open the settings action ``xmlid`` the way the series opens the settings
        (``<function>`` of the data files)."""
        self.env.ref(xmlid).target = compat.SETTINGS_TARGET
