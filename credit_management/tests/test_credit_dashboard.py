import base64
import json
from datetime import date
from datetime import timedelta

from odoo.addons.spreadsheet.utils.validate_data import fields_in_spreadsheet
from odoo.addons.spreadsheet.utils.validate_data import menus_xml_ids_in_spreadsheet
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import freeze_time
from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import TODAY
from .common import CreditCommon

DASHBOARD_FILE = "credit_management/data/files/credit_dashboard.json"


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestCreditDashboard(CreditCommon):
    """The "Credit Management" spreadsheet dashboard: its data validates as Odoo validates
    dashboards, and its data sources (pivots, list, charts) give the figures of a crafted
    ledger, read as the spreadsheet reads them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref("credit_management.spreadsheet_dashboard_credit")
        with file_open(DASHBOARD_FILE) as handle:
            cls.data = json.load(handle)
        cls.second = cls.env["res.partner"].create({"name": "Minoterie Dupuis", "is_company": True})
        cls.third = cls.env["res.partner"].create({"name": "Fournil Petit", "is_company": True})
        overdue = cls._invoice(cls.customer, 1000.0, due_days=-40)
        cls._invoice(cls.customer, 500.0, due_days=20)
        second_invoice = cls._invoice(cls.second, 300.0, due_days=-10)
        third_invoice = cls._invoice(cls.third, 200.0, due_days=-130)
        reason = cls.env.ref("credit_management.dispute_reason_price")
        Dispute = cls.env["credit.dispute"]
        Dispute.create(
            {
                "partner_id": cls.second.id,
                "move_ids": [Command.set(second_invoice.ids)],
                "reason_id": reason.id,
            }
        )
        Dispute.create(
            {
                "partner_id": cls.third.id,
                "move_ids": [Command.set(third_invoice.ids)],
                "reason_id": reason.id,
                "amount": 150.0,
            }
        ).action_start()
        Dispute.create(
            {
                "partner_id": cls.customer.id,
                "move_ids": [Command.set(overdue.ids)],
                "reason_id": reason.id,
            }
        ).action_cancel()
        Snapshot = cls.env["credit.kpi.snapshot"]
        Snapshot.sudo().create(
            {
                "date": TODAY - timedelta(days=15),
                "company_id": cls.company.id,
                "receivable": 1800.0,
                "dso": 40.0,
            }
        )
        Snapshot.sudo().create(
            {
                "date": TODAY,
                "company_id": cls.company.id,
                "receivable": 2000.0,
                "overdue": 1500.0,
                "dso": 45.5,
                "cei": 60.0,
                "promise_kept_rate": 75.0,
            }
        )

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _sources(self):
        """Every data source of the dashboard: (kind, definition)."""
        sources = [("pivot", pivot) for pivot in self.data["pivots"].values()]
        sources += [("list", definition) for definition in self.data["lists"].values()]
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                if figure["data"]["type"].startswith("odoo_"):
                    sources.append(("chart", figure["data"]))
        return sources

    def _groups(self, Model, domain, groupby, measures, order=None):
        """The groups of a data source, as ``{groupby or measure: value}`` rows: Odoo's
        ``_read_group`` with each measure aggregated as its field says, as the spreadsheet
        asks Odoo (dates by their first day)."""
        aggregates = [
            m if m == "__count" else f"{m}:{Model._fields[m].aggregator}" for m in measures
        ]
        return [
            dict(zip([*groupby, *measures], row, strict=True))
            for row in Model._read_group(domain, groupby, aggregates, order=order)
        ]

    def _pivot(self, name, user=None):
        """The groups of a pivot of the dashboard, as its spreadsheet data source asks them."""
        pivot = next(p for p in self.data["pivots"].values() if p["name"] == name)
        Model = self.env[pivot["model"]].with_user(user or self.collector)
        groupby = [
            f"{row['fieldName']}:{row['granularity']}"
            if row.get("granularity")
            else row["fieldName"]
            for row in pivot["rows"]
        ]
        orderby = ", ".join(
            f"{spec} {row['order']}"
            for spec, row in zip(groupby, pivot["rows"], strict=True)
            if row.get("order")
        )
        measures = ["__count"]
        measures += [m["fieldName"] for m in pivot["measures"] if m["fieldName"] != "__count"]
        return self._groups(Model, pivot["domain"], groupby, measures, orderby or None)

    def _chart(self, model, user=None):
        chart = next(
            c
            for kind, c in self._sources()
            if kind == "chart" and c["metaData"]["resModel"] == model
        )
        Model = self.env[model].with_user(user or self.collector)
        meta = chart["metaData"]
        return self._groups(
            Model, chart["searchParams"]["domain"], meta["groupBy"], [meta["measure"]]
        )

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_record(self):
        self.assertEqual(self.dashboard.dashboard_group_id.name, "Credit Management")
        self.assertEqual(self.dashboard.group_ids, self.group_collector)
        self.assertTrue(self.dashboard.is_published)
        stored = json.loads(base64.b64decode(self.dashboard.spreadsheet_binary_data))
        self.assertEqual(stored, self.data, "the dashboard is the JSON file shipped")
        self.assertEqual(
            self.data["version"],
            21,
            "Odoo 18.0's spreadsheet version (19.0 migrates it on opening)",
        )
        # A collector opens it; a user without credit rights does not see it.
        data = json.loads(self.dashboard.with_user(self.collector).spreadsheet_data)
        self.assertEqual(data["sheets"][0]["name"], "Dashboard")
        visible = self.env["spreadsheet.dashboard"].with_user(self.sales_user).search([])
        self.assertNotIn(self.dashboard, visible)

    def test_data_validates(self):
        # Odoo's own check (test mode: every model, field and menu must exist).
        self.dashboard._check_spreadsheet_data()
        models_fields = fields_in_spreadsheet(self.data)
        self.assertEqual(
            set(models_fields),
            {
                "credit.kpi.snapshot",
                "credit.dispute",
                "credit.aged.balance",
                "credit.cash.forecast",
            },
        )
        for model, chains in models_fields.items():
            for chain in chains:
                self.assertIn(chain.split(".")[0], self.env[model]._fields, f"{model}.{chain}")
        menus = menus_xml_ids_in_spreadsheet(self.data)
        self.assertIn("credit_management.credit_kpi_snapshot_menu", menus)
        for xml_id in menus:
            self.assertTrue(self.env.ref(xml_id).action, f"{xml_id} opens a screen")
        # The check would refuse a field that does not exist.
        broken = json.loads(json.dumps(self.data))
        broken["lists"]["1"]["columns"].append("amount_nowhere")
        with self.assertRaisesRegex(ValidationError, "amount_nowhere"):
            self.env["spreadsheet.dashboard"].sudo().create(
                {
                    "name": "Broken",
                    "dashboard_group_id": self.dashboard.dashboard_group_id.id,
                    "spreadsheet_binary_data": base64.b64encode(json.dumps(broken).encode()),
                }
            )

    def test_filters(self):
        """Company and Collector filters, matched to a field of their model in each source."""
        filters = {f["label"]: f for f in self.data["globalFilters"]}
        self.assertEqual(
            {label: f["modelName"] for label, f in filters.items()},
            {"Company": "res.company", "Collector": "res.users"},
        )
        matched = dict.fromkeys(filters, 0)
        for _kind, source in self._sources():
            model = source.get("model") or source["metaData"]["resModel"]
            for label, global_filter in filters.items():
                matching = source["fieldMatching"].get(global_filter["id"])
                if not matching:
                    continue
                matched[label] += 1
                field = self.env[model]._fields[matching["chain"]]
                self.assertEqual(field.comodel_name, global_filter["modelName"], f"{model} {label}")
        self.assertEqual(matched["Company"], len(self._sources()), "every source by company")
        self.assertGreaterEqual(matched["Collector"], 4, "aged balance, forecast, disputes, top 10")

    def test_scorecards(self):
        [latest, previous] = self._pivot("Latest Credit KPIs")
        self.assertEqual(latest["date:day"], TODAY, "the latest day comes first")
        self.assertEqual(
            [latest[f] for f in ("receivable", "overdue", "dso", "cei", "promise_kept_rate")],
            [2000.0, 1500.0, 45.5, 60.0, 75.0],
        )
        self.assertEqual(previous["receivable"], 1800.0)
        [disputes] = self._pivot("Open Disputes")
        self.assertEqual(
            (disputes["__count"], disputes["amount"]), (2, 450.0), "300 + 150, not the cancelled"
        )

    def test_aged_balance_and_top_customers(self):
        [buckets] = self._pivot("Aged Balance by Bucket")
        self.assertEqual(
            [
                buckets[f]
                for f in (
                    "amount_not_due",
                    "amount_1_30",
                    "amount_31_60",
                    "amount_61_90",
                    "amount_91_120",
                    "amount_over_120",
                    "amount_overdue",
                    "amount_total",
                )
            ],
            [500.0, 300.0, 1000.0, 0.0, 0.0, 200.0, 1500.0, 2000.0],
        )
        top = self.data["lists"]["1"]
        order = ", ".join(f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in top["orderBy"])
        rows = (
            self.env[top["model"]]
            .with_user(self.collector)
            .search_read(top["domain"], top["columns"], order=order, limit=10)
        )
        self.assertEqual(
            [(row["partner_id"][1], row["amount_overdue"]) for row in rows],
            [
                ("Boulangeries Martin SAS", 1000.0),
                ("Minoterie Dupuis", 300.0),
                ("Fournil Petit", 200.0),
            ],
        )
        cells = self.data["sheets"][0]["cells"]
        self.assertEqual(
            sum(
                "ODOO.LIST(1," in c["content"] and '"partner_id"' in c["content"]
                for c in cells.values()
            ),
            10,
        )

    def test_trend_and_forecast(self):
        trend = self._chart("credit.kpi.snapshot")
        self.assertEqual(
            [(row["date:month"], row["dso"]) for row in trend],
            [(date(2026, 5, 1), 40.0), (date(2026, 6, 1), 45.5)],
        )
        # Disputed invoices have no expected date: 1,000 overdue expected today, 500 in 20 days.
        forecast = self._chart("credit.cash.forecast")
        self.assertEqual([row["amount"] for row in forecast], [1000.0, 500.0])
        self.assertEqual(len({row["date_expected:week"] for row in forecast}), 2)
