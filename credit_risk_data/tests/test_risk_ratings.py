"""Ratings imported from a provider's CSV or XLSX export, their history and threshold."""

import io
from datetime import date as Date

import openpyxl

from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time
from odoo.tests import tagged

from .common import SIREN_DURAND
from .common import SIREN_MARTIN
from .common import RiskCommon

CSV = (
    "siren;date;score;grade;probability_of_default;recommended_limit\n"
    f"{SIREN_MARTIN}00074;01/06/2026;62,5;B;1,20;15 000\n"
    f"FR{(12 + 3 * (int(SIREN_DURAND) % 97)) % 97:02d}{SIREN_DURAND};2026-06-01;40;C;3,5;5000\n"
    "123456789;2026-06-01;10;E;20;0\n"
    "542051180;2026-06-01;55;B;2;1000\n"
)


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestRiskRatings(RiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.durand = cls.env["res.partner"].create(
            {"name": "Epiceries Durand", "is_company": True, "company_registry": SIREN_DURAND}
        )

    def _import(self, content, filename="export.csv", user=None):
        Import = self.env["credit.risk.rating.import"].with_user(user or self.manager)
        return Import._import_file(self.manual, content, filename)

    def test_csv_import(self):
        wizard = self._import(CSV.encode())
        self.assertEqual(wizard.imported_count, 2)
        self.assertIn("line 4: 123456789 is not a valid SIREN", wizard.result)
        self.assertIn("line 5: no customer with the SIREN 542051180", wizard.result)
        rating = self.customer.credit_risk_rating_id
        self.assertEqual(
            (rating.score, rating.grade, rating.default_probability, rating.recommended_limit),
            (62.5, "B", 1.2, 15000.0),
        )
        self.assertEqual(str(rating.date), "2026-06-01")
        self.assertEqual(self.durand.credit_risk_rating_id.grade, "C")

    def test_xlsx_import_history_and_trend(self):
        self._import(CSV.encode())
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(
            ["siren", "date", "score", "grade", "probability_of_default", "recommended_limit"]
        )
        sheet.append([SIREN_MARTIN, "2026-06-14", 48, "C", 2.5, 8000])
        buffer = io.BytesIO()
        book.save(buffer)
        wizard = self._import(buffer.getvalue(), "creditsafe.xlsx")
        self.assertEqual(wizard.imported_count, 1)
        self.assertEqual(len(self.customer.credit_risk_rating_ids), 2, "history kept")
        self.assertEqual(self.customer.credit_risk_rating_id.score, 48.0)
        self.assertEqual(self.customer.credit_risk_trend, "down")

    def test_threshold_raises_an_event_once(self):
        self.company.credit_risk_rating_threshold = 50.0
        self._import(CSV.encode())
        events = self.env["credit.risk.event"].search([("event_type", "=", "rating_drop")])
        self.assertEqual(events.partner_id, self.durand, "40 is below 50; 62.5 is not")
        self.assertEqual(events.rating_id.score, 40.0)
        self.assertFalse(events.claim_ids)
        # Still below at the next import: no second event.
        self._import(CSV.replace("2026-06-01;40", "2026-06-10;35").encode())
        self.assertEqual(
            self.env["credit.risk.event"].search([("event_type", "=", "rating_drop")]), events
        )

    def test_bad_files(self):
        with self.assertRaises(UserError):
            self._import(b"\xff\xfe\x00garbage", "export.csv")
        with self.assertRaises(UserError) as error:
            self._import(b"numero;note\n732829320;12\n")
        self.assertIn("no column siren", str(error.exception))
        wizard = self._import(f"siren;date;score\n{SIREN_MARTIN};hier;12\n".encode())
        self.assertEqual(wizard.imported_count, 0)
        self.assertIn("line 2: not a date or a figure", wizard.result)
        self.assertFalse(self.customer.credit_risk_rating_ids, "nothing half-imported")

    def test_out_of_bounds_listed_by_line(self):
        wizard = self._import(
            "siren;date;score;grade;probability_of_default;recommended_limit\n"
            f"{SIREN_MARTIN};2026-06-01;50;B;120;1000\n"
            f"{SIREN_MARTIN};2026-06-01;-3;B;1;1000\n"
            f"{SIREN_MARTIN};2026-06-02;50;B;1;1000\n".encode()
        )
        self.assertEqual(wizard.imported_count, 1)
        self.assertIn("line 2: a probability of default is between 0 and 100", wizard.result)
        self.assertIn("line 3: a score or a recommended limit is negative", wizard.result)

    def test_set_based_create_as_the_orm(self):
        """The import's one-statement create gives what ``create`` gives, checks included."""
        vals = {
            "partner_id": self.customer.id,
            "provider_id": self.manual.id,
            "company_id": self.company.id,
            "identifier": SIREN_MARTIN,
            "date": Date(2026, 6, 1),
            "score": 62.555,
            "grade": "B",
            "default_probability": 1.23456,
            "recommended_limit": 1234.565,
        }
        Rating = self.env["credit.risk.rating"].with_user(self.manager)
        fast, orm = Rating._create_imported([vals]), Rating.create(vals)
        fields = ["score", "default_probability", "recommended_limit", "date", "grade"]
        self.assertEqual(fast.read(fields)[0] | {"id": 0}, orm.read(fields)[0] | {"id": 0})
        self.assertEqual(fast.recommended_limit, 1234.57, "rounded as the currency rounds")
        # Another company's customer is refused, as create refuses it.
        company_2 = self.setup_other_company()["company"]
        other = self.env["res.partner"].create({"name": "Autre", "company_id": company_2.id})
        with self.assertRaises(UserError):
            Rating._create_imported([dict(vals, partner_id=other.id)])
        with self.assertRaises(ValidationError):
            Rating._create_imported([dict(vals, default_probability=101.0)])

    def test_collector_cannot_import(self):
        from odoo.exceptions import AccessError  # noqa: PLC0415

        with self.assertRaises(AccessError):
            self._import(CSV.encode(), user=self.collector)
