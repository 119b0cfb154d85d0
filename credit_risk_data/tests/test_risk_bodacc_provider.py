"""The BODACC provider against a fake Opendatasoft explore API v2.1 on 127.0.0.1."""

from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models import credit_risk_provider_http
from .common import SIREN_DURAND
from .common import SIREN_MARTIN
from .common import RiskCommon
from .fake_registers import RECORDS_PATH
from .fake_registers import bodacc_record

RECEIVERSHIP = "Jugement d'ouverture d'une procédure de redressement judiciaire"


@freeze_time("2026-12-05")
@tagged("post_install", "-at_install")
class TestBodaccProvider(RiskCommon):
    def _day(self, count, day="2026-12-04"):
        for index in range(count):
            siren = SIREN_MARTIN if index == 0 else None
            self.registers.notices.append(
                bodacc_record(f"A2026{index:08d}", siren, RECEIVERSHIP, "2026-12-01", day, index)
            )

    def test_paging(self):
        """A day of 250 notices read in three pages of 100 by offset, in id order."""
        self._day(250)
        records = self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertEqual(len(records), 250)
        self.assertEqual(len({r["id"] for r in records}), 250, "no record read twice")
        calls = self.registers.calls(RECORDS_PATH)
        self.assertEqual([c[1]["offset"] for c in calls], ["0", "100", "200"])
        self.assertEqual({c[1]["limit"] for c in calls}, {"100"})
        self.assertEqual(calls[0][1]["order_by"], "id")
        where = calls[0][1]["where"]
        self.assertIn('familleavis="collective"', where)
        self.assertIn("dateparution=date'2026-12-04'", where)

    def test_empty_day(self):
        self.assertEqual(self.bodacc._bodacc_day(self._date("2026-12-04")), [])
        self.assertEqual(self._exchanges(self.bodacc).mapped("success"), [True])

    def test_429_retry_after_then_success(self):
        self._day(3)
        self.registers.fail(RECORDS_PATH, status=429, headers={"Retry-After": "1"})
        with patch.object(credit_risk_provider_http, "wait") as sleep:
            records = self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertEqual(len(records), 3)
        sleep.assert_called_once_with(1.0)
        exchanges = self._exchanges(self.bodacc)
        self.assertEqual(exchanges.mapped("status_code"), [429, 200])
        self.assertIn("tried again", exchanges[0].error)

    def test_retry_after_capped(self):
        self.registers.fail(RECORDS_PATH, status=429, headers={"Retry-After": "3600"})
        with patch.object(credit_risk_provider_http, "wait") as sleep:
            self.bodacc._bodacc_day(self._date("2026-12-04"))
        sleep.assert_called_once_with(credit_risk_provider_http.MAX_RETRY_WAIT)

    def test_5xx_then_success(self):
        self._day(2)
        self.registers.fail(RECORDS_PATH, status=503)
        self.registers.fail(RECORDS_PATH, status=502)
        with patch.object(credit_risk_provider_http, "wait"):
            records = self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertEqual(len(records), 2)
        self.assertEqual(self._exchanges(self.bodacc).mapped("status_code"), [503, 502, 200])

    def test_5xx_every_try(self):
        for _try in range(3):
            self.registers.fail(RECORDS_PATH, status=500)
        with patch.object(credit_risk_provider_http, "wait"), self.assertRaises(UserError) as error:
            self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertIn("HTTP 500", str(error.exception))
        self.assertEqual(len(self.registers.calls(RECORDS_PATH)), 3)

    def test_timeout(self):
        self.bodacc.api_timeout = 0.5
        self.registers.fail(RECORDS_PATH, status=200, body={"results": []}, delay=1.5)
        with self.assertRaises(UserError) as error:
            self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertIn("did not answer within 0.5 seconds", str(error.exception))
        self.assertFalse(self._exchanges(self.bodacc).success)

    def test_malformed_json(self):
        self.registers.fail(RECORDS_PATH, status=200, body='{"total_count": 3, "results": [')
        with self.assertRaises(UserError) as error:
            self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertIn("not JSON", str(error.exception))
        self.registers.fail(RECORDS_PATH, status=200, body={"results": "nope"})
        with self.assertRaises(UserError) as error:
            self.bodacc._bodacc_day(self._date("2026-12-04"))
        self.assertIn("unexpected shape", str(error.exception))

    def test_limit_over_100_refused_by_the_api(self):
        """The provider never asks more than the API's maximum of 100 a page."""
        self.bodacc.page_size = 500
        self._day(1)
        self.assertEqual(len(self.bodacc._bodacc_day(self._date("2026-12-04"))), 1)
        self.assertEqual(self.registers.calls(RECORDS_PATH)[0][1]["limit"], "100")

    def test_notice_read_into_facts(self):
        self.registers.notices.append(
            bodacc_record(
                "A202612040001",
                SIREN_DURAND,
                "Jugement d'ouverture de liquidation judiciaire",
                "2026-12-02",
                "2026-12-04",
                41,
            )
        )
        (notice,) = self.bodacc._bodacc_notices(self.bodacc._bodacc_day(self._date("2026-12-04")))
        self.assertEqual((notice.siren, notice.kind), (SIREN_DURAND, "liquidation"))
        self.assertEqual(str(notice.date_judgment), "2026-12-02")
        self.assertEqual(notice.court, "TRIBUNAL DE COMMERCE DE LYON")

    @staticmethod
    def _date(value):
        return fields.Date.to_date(value)
