"""The BODACC provider: insolvency notices from the DILA's Opendatasoft API.

How it works: ``_fetch_notices`` reads, day by day from the day after the provider's cursor
(``cursor_date``; yesterday on the first run) up to today, the records of the dataset
``annonces-commerciales`` of the family ``collective`` published that day (explore v2.1
``records`` endpoint, ``where`` in ODSQL, paged by ``limit``/``offset`` in the order of
their id). A day read in full is recorded (``credit.risk.event._record_notices``), then the
cursor moves to it, and the day is committed (in a scheduled run): a failed day stops the run
with the cursor on the day before, so the next run reads it again; nothing is missed. Today
is read but the cursor does not move to it (notices may still come the same day); reading a
notice again records nothing (one ``credit.risk.notice`` per record, unique per provider).
"""

import logging
from datetime import timedelta

from odoo import fields
from odoo import models
from odoo import modules
from odoo.addons.credit_management import compat

from ..engine import bodacc
from .credit_risk_provider_http import RiskProviderError

_logger = logging.getLogger(__name__)

DATASET_PATH = "catalog/datasets/annonces-commerciales/records"
MAX_PAGE = 100  # the explore API's largest limit


class CreditRiskProvider(models.Model):
    _inherit = "credit.risk.provider"  # pylint: disable=consider-merging-classes-inherited

    def _fetch_notices(self):
        if self.provider_code != "bodacc":
            return super()._fetch_notices()
        self.ensure_one()
        today = fields.Date.context_today(self)
        day = self.cursor_date + timedelta(days=1) if self.cursor_date else today - timedelta(1)
        commit = not modules.module.current_test
        events = self.env["credit.risk.event"]
        done = 0
        while day <= today:
            try:
                records = self._bodacc_day(day)
            except RiskProviderError as error:
                self.sudo().write({"last_error": str(error), "last_run": fields.Datetime.now()})
                _logger.warning("BODACC: %s not read: %s", day, error)
                if commit:
                    # A scheduled run: the error and the exchange log are kept.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                return events
            events |= self.env["credit.risk.event"]._record_notices(self, records)
            vals = {"last_run": fields.Datetime.now(), "last_error": False}
            if day < today:
                vals["cursor_date"] = day
            self.sudo().write(vals)
            done += 1
            compat.batch_done(self.env, done, (today - day).days, commit)
            day += timedelta(days=1)
        return events

    def _bodacc_day(self, day):
        """The records of collective proceedings published on ``day``, every page."""
        where = f"familleavis=\"collective\" and dateparution=date'{day.isoformat()}'"
        limit = max(1, min(self.page_size or MAX_PAGE, MAX_PAGE))
        records, offset = [], 0
        while True:
            data = self._risk_request(
                "notices",
                DATASET_PATH,
                params={"where": where, "order_by": "id", "limit": limit, "offset": offset},
            )
            self._risk_check(
                isinstance(data, dict)
                and isinstance(data.get("results"), list)
                and isinstance(data.get("total_count"), int),
                "notices",
            )
            page = data["results"]
            self._risk_check(all(isinstance(r, dict) for r in page), "notices")
            records.extend(page)
            offset += len(page)
            if not page or offset >= data["total_count"]:
                return records

    def _bodacc_notices(self, records):
        """The facts of ``records`` (``engine.bodacc.Notice``)."""
        return [bodacc.read_notice(record) for record in records]
