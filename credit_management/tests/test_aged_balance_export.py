import io
import json
import subprocess
import tempfile

import openpyxl

from odoo import http
from odoo.tests import HttpCase
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon

REPORT = "credit_management.report_credit_aged_balance"
URL = "/credit_management/aged_balance/xlsx"


class AgedBalanceExportCommon(CreditCommon):
    """Three customers, two collectors, each bucket used once or more:

    ======================= ======== ======== ===== ===== ===== ====== ===== ======
    customer                collector not due  1-30  31-60 61-90 91-120 >120  total
    ======================= ======== ======== ===== ===== ===== ====== ===== ======
    Boulangeries Martin SAS Claire      100     200     0     0      0   600    900
    Minoterie Dupuis        Hugo          0       0   300   400      0     0    700
    Fournil Petit           Claire        0       0     0     0      0    40     40
    ======================= ======== ======== ===== ===== ===== ====== ===== ======
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector.password = "credit_collector"
        cls.other_collector = new_test_user(
            cls.env,
            login="credit_collector_2",
            name="Hugo Relance",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=cls.company.id,
        )
        cls.second = cls.env["res.partner"].create({"name": "Minoterie Dupuis", "is_company": True})
        cls.second.with_company(cls.company).dunning_responsible_id = cls.other_collector
        cls.third = cls.env["res.partner"].create({"name": "Fournil Petit", "is_company": True})
        # customer (Claire): 100 not due, 200 in 1-30, 600 over 120 = 900
        cls._invoice(cls.customer, 100.0, due_days=10)
        cls._invoice(cls.customer, 200.0, due_days=-10)
        cls._invoice(cls.customer, 600.0, due_days=-150)
        # second (Hugo): 300 in 31-60, 400 in 61-90 = 700
        cls._invoice(cls.second, 300.0, due_days=-45)
        cls._invoice(cls.second, 400.0, due_days=-75)
        # third (Claire): 40 over 120
        cls._invoice(cls.third, 40.0, due_days=-200)
        cls.Report = cls.env["report.credit_management.report_credit_aged_balance"]


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestAgedBalanceExport(AgedBalanceExportCommon, HttpCase):
    """The aged balance exported as shown in XLSX (controller), with the list's domain,
    group-by, subtotals and total."""

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _xlsx(self, login, domain=None, groupby=None, context=None):
        self.authenticate(login, login)
        payload = {
            "domain": domain or [],
            "groupby": groupby or [],
            "export_context": context or {},
        }
        return self.url_open(
            URL, data={"data": json.dumps(payload), "csrf_token": http.Request.csrf_token(self)}
        )

    def _rows(self, content):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_table_grouped(self):
        table = self.Report.with_user(self.collector)._get_table([], ["user_id"])
        self.assertEqual(
            [
                (line["type"], line.get("label") or line["texts"][0], line["amounts"])
                for line in table["lines"]
            ],
            [
                ("group", "Claire Relance", [100.0, 200.0, 0.0, 0.0, 0.0, 640.0, 940.0]),
                ("row", "Boulangeries Martin SAS", [100.0, 200.0, 0.0, 0.0, 0.0, 600.0, 900.0]),
                ("row", "Fournil Petit", [0.0, 0.0, 0.0, 0.0, 0.0, 40.0, 40.0]),
                ("group", "Hugo Relance", [0.0, 0.0, 300.0, 400.0, 0.0, 0.0, 700.0]),
                ("row", "Minoterie Dupuis", [0.0, 0.0, 300.0, 400.0, 0.0, 0.0, 700.0]),
            ],
        )
        self.assertEqual(table["total"], [100.0, 200.0, 300.0, 400.0, 0.0, 640.0, 1640.0])

    def test_xlsx_grouped(self):
        response = self._xlsx("credit_collector", groupby=["user_id"])
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        rows = self._rows(response.content)
        self.assertEqual(rows[0][0], "Aged Balance at 06/15/2026")
        self.assertEqual(
            rows[3],
            [
                "Customer",
                "Collector",
                "Not Due",
                "1-30 Days",
                "31-60 Days",
                "61-90 Days",
                "91-120 Days",
                "Over 120 Days",
                "Total",
            ],
        )
        self.assertEqual(
            rows[4:],
            [
                ["Claire Relance (2)", None, 100, 200, 0, 0, 0, 640, 940],
                ["    Boulangeries Martin SAS", "Claire Relance", 100, 200, 0, 0, 0, 600, 900],
                ["    Fournil Petit", "Claire Relance", 0, 0, 0, 0, 0, 40, 40],
                ["Hugo Relance (1)", None, 0, 0, 300, 400, 0, 0, 700],
                ["    Minoterie Dupuis", "Hugo Relance", 0, 0, 300, 400, 0, 0, 700],
                ["Total", None, 100, 200, 300, 400, 0, 640, 1640],
            ],
        )

    def test_xlsx_filtered_and_as_of(self):
        # The list's filter (overdue over 120 days) and its as-of date in the title.
        response = self._xlsx(
            "credit_collector",
            domain=[("amount_over_120", ">", 0)],
            context={"credit_as_of": "2026-05-31", "credit_aging_basis": "invoice"},
        )
        rows = self._rows(response.content)
        self.assertEqual(rows[0][0], "Aged Balance at 05/31/2026")
        self.assertTrue(rows[1][0].startswith("By invoice date"))
        customers = [row[0] for row in rows[4:-1]]
        self.assertEqual(customers, ["Boulangeries Martin SAS", "Fournil Petit"])
        # As of 05-31, by invoice date (an invoice is dated min(TODAY, its due date)): the
        # 100 and 200 invoices (dated 06-15 and 06-05) did not exist yet; the 600 (dated
        # 01-16, 135 days) and the 40 (dated 2025-11-27, 185 days) are over 120 days.
        self.assertEqual(rows[-1], ["Total", None, 0, 0, 0, 0, 0, 640, 640])

    def test_xlsx_needs_access(self):
        new_test_user(self.env, login="credit_nobody", groups="base.group_user")
        response = self._xlsx("credit_nobody")
        self.assertEqual(response.status_code, 403, "no right to read the aged balance")

    def test_xlsx_bad_input(self):
        """Malformed parameters get a plain 400 with the reason, never a 500."""
        self.authenticate("credit_collector", "credit_collector")
        token = http.Request.csrf_token(self)
        raw = [
            "{not json",
            "",
            "[]",
            '"text"',
            "1e999",
            "NaN",
            json.dumps({"domain": "amount_total > 0"}),
            json.dumps({"domain": [["no_such_field", "=", 1]]}),
            json.dumps({"domain": [["amount_total", ">", "abc"]]}),
            json.dumps({"domain": [["amount_total", ">", 1]], "groupby": [{"a": 1}]}),
            json.dumps({"groupby": ["no_such_field"]}),
            json.dumps({"export_context": [1]}),
            json.dumps({"export_context": {"credit_as_of": "garbage"}}),
            json.dumps({"export_context": {"credit_as_of": "2026-13-45"}}),
            json.dumps({"export_context": {"credit_as_of": "2099-01-01"}}),
            json.dumps({"export_context": {"credit_as_of": 20260531}}),
            json.dumps({"export_context": {"credit_as_of": "²⁰²⁶-05-31"}}),
            json.dumps({"export_context": {"credit_aging_basis": "x' OR 1=1 --"}}),
            json.dumps({"export_context": {"allowed_company_ids": "1"}}),
            json.dumps({"export_context": {"allowed_company_ids": [999999]}}),
            json.dumps({"export_context": {"credit_as_of": "9" * 5000}}),
        ]
        for data in raw:
            with self.subTest(data=data[:60]):
                response = self.url_open(URL, data={"data": data, "csrf_token": token})
                self.assertEqual(response.status_code, 400, response.text[:300])
                self.assertNotIn("Traceback", response.text)
        # Bad lang and tz are dropped, the rest is exported.
        response = self._xlsx(
            "credit_collector", context={"lang": "xx_XX'--", "tz": "Mars/Olympus"}
        )
        self.assertEqual(response.status_code, 200)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestAgedBalancePdf(AgedBalanceExportCommon):
    """The aged balance as shown in PDF (QWeb report through wkhtmltopdf)."""

    def test_pdf(self):
        # wkhtmltopdf would fetch the styles from this very server, which waits for the
        # test's transaction: a closed port makes it render the text without them.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.collector)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, data={"domain": [], "groupby": ["user_id"]})
        )
        self.assertEqual(report_type, "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        for expected in (
            "Aged Balance at 06/15/2026",
            "Claire Relance (2)",
            "Hugo Relance (1)",
            "Minoterie Dupuis",
            "940.00",
            "700.00",
            "1,640.00",
            "640.00",
        ):
            self.assertIn(expected, text)
        total_line = next(line for line in text.splitlines() if line.strip().startswith("Total"))
        self.assertEqual(
            [word for word in total_line.split() if word[0].isdigit()],
            ["100.00", "200.00", "300.00", "400.00", "0.00", "640.00", "1,640.00"],
        )
