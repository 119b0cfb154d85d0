from datetime import date

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form
from odoo.tests import freeze_time
from odoo.tests import new_test_user
from odoo.tests import tagged

from .common import TODAY
from .common import CreditCommon

# The past day of the figures: a month end, before some of the payments below.
AS_OF = date(2026, 3, 31)
BUCKETS = (
    "amount_not_due",
    "amount_1_30",
    "amount_31_60",
    "amount_61_90",
    "amount_91_120",
    "amount_over_120",
)


@freeze_time(TODAY)
@tagged("post_install", "-at_install")
class TestFiguresAsOf(CreditCommon):
    """The aged balance and the KPIs of a past day (2026-03-31), from a crafted ledger whose
    payments are partly before, partly after that day; today is 2026-06-15.

    Company 1 (its currency, and EUR at 2 EUR for 1), the customer (collector: the company's
    default, Claire) and a second customer (collector: Hugo):

    ====  ==============  ==========  ==========  ===========================================
    item  customer        invoiced    due         paid
    ====  ==============  ==========  ==========  ===========================================
    A     customer 1000   2026-01-10  2026-02-09  400 on 03-15 (before), 600 on 04-20 (after)
    B     customer 500    2026-03-20  2026-04-19  500 on 05-10 (after)
    C     customer 300    2026-04-05  2026-05-05  not paid (invoiced after the day)
    D     customer 200    2025-12-01  2025-12-31  200 on 2026-01-15 (before)
    E     customer 800 €  2026-02-01  2026-03-03  200 € on 04-10 (after): 400, then 300
    F     customer -100   2026-02-15  2026-02-15  a credit note, never allocated
    G     second 700      2026-03-10  2026-03-20  not paid
    ====  ==============  ==========  ==========  ===========================================

    Company 2: the customer, 250 invoiced 2026-03-01, due 2026-03-31, 50 paid on 2026-03-31
    (on the day itself: settled by then).
    """

    @classmethod
    def _invoice_on(cls, partner, amount, invoiced, due, **kwargs):
        return cls._invoice(
            partner, amount, due_days=(due - TODAY).days, invoice_date=invoiced, **kwargs
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Aged = cls.env["credit.aged.balance"]
        cls.Snapshot = cls.env["credit.kpi.snapshot"]
        cls.euro = cls.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        cls.second = cls.env["res.partner"].create({"name": "Minoterie Dupuis", "is_company": True})
        cls.hugo = new_test_user(
            cls.env,
            login="credit_collector_hugo",
            name="Hugo Relance",
            groups="base.group_user,credit_management.group_credit_collector",
            company_id=cls.company.id,
        )
        cls.second.with_company(cls.company).dunning_responsible_id = cls.hugo
        cls.inv_a = cls._invoice_on(cls.customer, 1000.0, date(2026, 1, 10), date(2026, 2, 9))
        cls._pay(cls.inv_a, 400.0, date=date(2026, 3, 15))
        cls._pay(cls.inv_a, 600.0, date=date(2026, 4, 20))
        cls.inv_b = cls._invoice_on(cls.customer, 500.0, date(2026, 3, 20), date(2026, 4, 19))
        cls._pay(cls.inv_b, 500.0, date=date(2026, 5, 10))
        cls.inv_c = cls._invoice_on(cls.customer, 300.0, date(2026, 4, 5), date(2026, 5, 5))
        cls.inv_d = cls._invoice_on(cls.customer, 200.0, date(2025, 12, 1), date(2025, 12, 31))
        cls._pay(cls.inv_d, 200.0, date=date(2026, 1, 15))
        cls.inv_e = cls._invoice_on(
            cls.customer, 800.0, date(2026, 2, 1), date(2026, 3, 3), currency=cls.euro
        )
        cls._pay(cls.inv_e, 200.0, date=date(2026, 4, 10))
        cls.refund_f = cls._invoice_on(
            cls.customer, 100.0, date(2026, 2, 15), date(2026, 2, 15), move_type="out_refund"
        )
        cls.inv_g = cls._invoice_on(cls.second, 700.0, date(2026, 3, 10), date(2026, 3, 20))
        cls.company_2 = cls.setup_other_company()["company"]
        cls.inv_h = cls._invoice_on(
            cls.customer, 250.0, date(2026, 3, 1), date(2026, 3, 31), company=cls.company_2
        )
        cls._pay(cls.inv_h, 50.0, date=AS_OF)

    def _aged(self, partner, company=None, **context):
        self.env.invalidate_all()
        rows = self.Aged.with_context(
            allowed_company_ids=(company or self.company).ids, **context
        ).search([("partner_id", "=", partner.id)])
        self.assertLessEqual(len(rows), 1)
        return rows

    # ------------------------------------------------------------
    # OPEN ITEMS
    # ------------------------------------------------------------

    def test_open_items_as_of(self):
        OpenItem = self.env["credit.open.item"]
        rows = self.env.execute_query_dict(
            OpenItem._query(self.company, [self.customer.id], as_of=AS_OF)
        )
        by_move = {row["move_id"]: row for row in rows}
        # A: 1000 - 400 paid by then; B whole; E 800 € = 400 whole; F -100. Not C (invoiced
        # after the day), not D (settled before), nor the payments dated after the day.
        expected = {
            self.inv_a.id: (600.0, 600.0),
            self.inv_b.id: (500.0, 500.0),
            self.inv_e.id: (400.0, 800.0),
            self.refund_f.id: (-100.0, -100.0),
        }
        self.assertEqual(
            {move: (row["residual"], row["residual_currency"]) for move, row in by_move.items()},
            expected,
        )
        self.assertEqual(by_move[self.inv_e.id]["currency_id"], self.euro.id)
        self.assertEqual(by_move[self.inv_a.id]["date_due"], date(2026, 2, 9))
        # Today (the live query, unchanged): C, E (800 - 200 € = 300) and F.
        rows = self.env.execute_query_dict(OpenItem._query(self.company, [self.customer.id]))
        self.assertEqual(
            {row["move_id"]: (row["residual"], row["residual_currency"]) for row in rows},
            {
                self.inv_c.id: (300.0, 300.0),
                self.inv_e.id: (300.0, 600.0),
                self.refund_f.id: (-100.0, -100.0),
            },
        )
        # As of today, the same items as the live query.
        today = self.env.execute_query_dict(
            OpenItem._query(self.company, [self.customer.id], as_of=TODAY)
        )
        self.assertEqual(sorted(rows, key=str), sorted(today, key=str))
        # Company 2: 250 - 50 paid on the day itself.
        rows = self.env.execute_query_dict(
            OpenItem._query(self.company_2, [self.customer.id], as_of=AS_OF)
        )
        self.assertEqual([row["residual"] for row in rows], [200.0])

    # ------------------------------------------------------------
    # AGED BALANCE
    # ------------------------------------------------------------

    def test_aged_balance_as_of_by_due_date(self):
        row = self._aged(self.customer, credit_as_of=AS_OF)
        # Days late on 03-31: A 50 (31-60), E 28 (1-30), F 44 (31-60); B not due.
        self.assertEqual(
            [row[name] for name in BUCKETS], [500.0, 400.0, 600.0 - 100.0, 0.0, 0.0, 0.0]
        )
        self.assertEqual(row.amount_overdue, 900.0)
        self.assertEqual(row.amount_total, 1400.0)
        self.assertEqual(row.oldest_due_date, date(2026, 2, 9))
        self.assertEqual(row.user_id, self.collector)
        second = self._aged(self.second, credit_as_of=AS_OF)
        self.assertEqual(second.amount_1_30, 700.0, "11 days late")
        self.assertEqual(second.user_id, self.hugo)
        # Today: C 41 days late (31-60), E 300 and F -100, 104 and 120 days late (91-120).
        row = self._aged(self.customer)
        self.assertEqual(
            [row[name] for name in BUCKETS], [0.0, 0.0, 300.0, 0.0, 300.0 - 100.0, 0.0]
        )
        self.assertAlmostEqual(row.amount_total, self.customer.credit)

    def test_aged_balance_as_of_by_invoice_date(self):
        row = self._aged(self.customer, credit_as_of=AS_OF, credit_aging_basis="invoice")
        # Days since invoiced on 03-31: A 80, B 11, E 58, F 44.
        self.assertEqual(
            [row[name] for name in BUCKETS], [0.0, 500.0, 400.0 - 100.0, 600.0, 0.0, 0.0]
        )
        self.assertEqual(row.amount_total, 1400.0)

    def test_aged_balance_two_companies(self):
        row = self._aged(self.customer, company=self.company_2, credit_as_of=AS_OF)
        self.assertEqual(row.company_id, self.company_2)
        self.assertEqual(row.amount_not_due, 200.0, "due on the day: not late yet")
        self.assertEqual(row.amount_total, 200.0)
        self.assertFalse(
            self._aged(self.customer, company=self.company_2, credit_as_of="2026-02-28")
        )

    def test_customer_dso_and_days_late(self):
        self.env["res.partner"]._cron_update_credit_score()
        row = self._aged(self.customer, credit_as_of=AS_OF)
        # Sales of the 90 days up to 03-31 (after 2025-12-31): A 1000, B 500, E 400, F -100;
        # DSO = 1400 / 1800 x 90.
        self.assertEqual(row.sales_90, 1800.0)
        self.assertAlmostEqual(row.dso, 70.0)
        # Paid in full in the last 12 months: A 70 days late (04-20 for 02-09), B 21
        # (05-10 for 04-19), D 15 (01-15 for 12-31): (1000 x 70 + 500 x 21 + 200 x 15) / 1700.
        self.assertAlmostEqual(row.avg_days_late, 49.1)
        second = self._aged(self.second, credit_as_of=AS_OF)
        self.assertAlmostEqual(second.dso, 90.0, "700 owed of 700 sold")
        self.assertEqual(second.avg_days_late, 0.0, "nothing paid yet")
        # Today: 500 owed; sales after 03-17: B 500, C 300.
        row = self._aged(self.customer)
        self.assertAlmostEqual(row.dso, 500.0 / 800.0 * 90)

    def test_open_items_of_a_past_row(self):
        row = self._aged(self.customer, credit_as_of=AS_OF)
        action = row.action_open_items()
        items = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(
            items.move_id, self.inv_a | self.inv_b | self.inv_e | self.refund_f, "open then"
        )
        self.assertIn("03/31/2026", action["name"])

    def test_wizard_opens_the_aged_balance(self):
        wizard = Form(self.env["credit.aged.balance.as.of"].with_user(self.collector))
        wizard.date = AS_OF
        wizard.aging_basis = "invoice"
        action = wizard.save().action_open()
        self.assertEqual(action["res_model"], "credit.aged.balance")
        self.assertEqual(
            action["context"], {"credit_as_of": "2026-03-31", "credit_aging_basis": "invoice"}
        )
        self.assertIn("03/31/2026", action["name"])
        self.env.invalidate_all()
        rows = (
            self.Aged.with_user(self.collector)
            .with_context(**action["context"])
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(rows.amount_61_90, 600.0, "A, 80 days after its invoice")
        wizard = self.env["credit.aged.balance.as.of"].create({"date": date(2026, 7, 1)})
        with self.assertRaises(UserError):
            wizard.action_open()

    # ------------------------------------------------------------
    # KPIS
    # ------------------------------------------------------------

    def _promises_and_disputes(self):
        # Closed in the past: brought in with their outcome, as a credit manager may.
        for state, closed in (("kept", date(2026, 3, 20)), ("broken", date(2026, 4, 10))):
            self.env["credit.payment.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "move_ids": [Command.set(self.inv_c.ids)],
                    "date_made": date(2026, 1, 1),
                    "date_promised": date(2026, 1, 10),
                    "state": state,
                    "date_closed": closed,
                }
            )
        self.env["credit.dispute"].create(
            {
                "partner_id": self.second.id,
                "move_ids": [Command.set(self.inv_g.ids)],
                "reason_id": self.env.ref("credit_management.dispute_reason_price").id,
                "date_opened": date(2026, 3, 1),
                "state": "resolved",
                "date_resolved": date(2026, 3, 11),
            }
        )

    def test_kpis_as_of(self):
        self._promises_and_disputes()
        by_user = self.Snapshot._snapshot_values_by_user(self.company, AS_OF)
        self.assertEqual(set(by_user), {False, self.collector.id, self.hugo.id})
        kpis = by_user[False]
        # Open on 03-31: 1400 (the customer) + 700 (G); past due: all but B's 500.
        self.assertAlmostEqual(kpis["receivable"], 2100.0)
        self.assertAlmostEqual(kpis["overdue"], 1600.0)
        self.assertAlmostEqual(kpis["overdue_rate"], 100.0 * 1600 / 2100)
        # Sales after 2025-12-31: A 1000 + B 500 + E 400 - F 100 + G 700; DSO = 2100 / 2500 x 90.
        self.assertAlmostEqual(kpis["sales_90"], 2500.0)
        self.assertAlmostEqual(kpis["dso"], 75.6)
        # CEI over March: receivable on 03-01 = D 200 - 200 + A 1000 + E 400 - F 100 = 1300;
        # sales since B 500 + G 700; receivable on 03-31 2100, not due then 500:
        # (1300 + 1200 - 2100) / (1300 + 1200 - 500) = 20 %.
        self.assertAlmostEqual(kpis["cei"], 20.0)
        # The promise broken on 04-10 and nothing else after the day.
        self.assertEqual(kpis["promise_count"], 1)
        self.assertAlmostEqual(kpis["promise_kept_rate"], 100.0)
        self.assertEqual(kpis["dispute_count"], 1)
        self.assertAlmostEqual(kpis["dispute_resolution_days"], 10.0)
        # The context key gives the same figures.
        self.assertEqual(
            self.Snapshot.with_context(credit_as_of=AS_OF)._snapshot_values(self.company), kpis
        )
        # Claire's portfolio, the customer: 1400, 900 overdue, sales 1800, DSO 70; CEI:
        # (1300 + 500 - 1400) / (1300 + 500 - 500).
        claire = by_user[self.collector.id]
        self.assertAlmostEqual(claire["receivable"], 1400.0)
        self.assertAlmostEqual(claire["overdue"], 900.0)
        self.assertAlmostEqual(claire["dso"], 70.0)
        self.assertAlmostEqual(claire["cei"], 100.0 * 400 / 1300)
        self.assertEqual(claire["promise_count"], 1)
        self.assertEqual(claire["dispute_count"], 0)
        # Hugo's, the second customer: 700 all overdue and sold in March: DSO 90, CEI 0.
        hugo = by_user[self.hugo.id]
        self.assertAlmostEqual(hugo["receivable"], 700.0)
        self.assertAlmostEqual(hugo["overdue_rate"], 100.0)
        self.assertAlmostEqual(hugo["dso"], 90.0)
        self.assertAlmostEqual(hugo["cei"], 0.0)
        self.assertEqual(hugo["dispute_count"], 1)
        # Today: 500 + 700 open; the broken promise counts, the kept one too (within 90 days).
        today = self.Snapshot._snapshot_values(self.company, TODAY)
        self.assertAlmostEqual(today["receivable"], 1200.0)
        self.assertEqual(today["promise_count"], 2)
        self.assertAlmostEqual(today["promise_kept_rate"], 50.0)

    def test_snapshots_per_collector(self):
        snapshots = self.Snapshot._cron_snapshot().filtered(lambda s: s.company_id == self.company)
        self.assertEqual(snapshots.user_id, self.collector | self.hugo)
        company_row = snapshots.filtered(lambda s: not s.user_id)
        self.assertAlmostEqual(company_row.receivable, 1200.0)
        self.assertAlmostEqual(
            sum(snapshots.filtered("user_id").mapped("receivable")),
            company_row.receivable,
            msg="the portfolios make up the company",
        )
        self.assertTrue(all(snapshots.mapped("is_latest")))
        # Taken again the same day: rewritten, not doubled.
        again = self.Snapshot._cron_snapshot().filtered(lambda s: s.company_id == self.company)
        self.assertEqual(again, snapshots)
        # A collector's rows to the collector, the company's rows by default.
        self.assertEqual(
            self.Snapshot.with_user(self.collector).search(
                [("company_id", "=", self.company.id), ("user_id", "=", self.collector.id)]
            ),
            snapshots.filtered(lambda s: s.user_id == self.collector),
        )

    def test_backfill(self):
        today_row = self.Snapshot._cron_snapshot().filtered(
            lambda s: s.company_id == self.company and not s.user_id
        )
        taken = self.Snapshot._backfill()
        rows = self.Snapshot.search(
            [("company_id", "=", self.company.id), ("user_id", "=", False)], order="date"
        )
        # 12 month ends, 2025-06-30 to 2026-05-31, and today's (taken before: kept).
        self.assertEqual(len(rows), 13)
        self.assertEqual(rows[0].date, date(2025, 6, 30))
        self.assertEqual(rows[-1], today_row)
        self.assertNotIn(today_row, taken)
        receivable = {row.date: row.receivable for row in rows}
        # 2025-12-31: D; 2026-01-31: A (D paid); 2026-02-28: A 1000 + E 400 - F 100;
        # 03-31: 2100 (see test_kpis_as_of); 04-30: B 500 + C 300 + E 300 - F 100 + G 700;
        # 05-31: C 300 + E 300 - F 100 + G 700.
        self.assertEqual(
            {day: receivable[day] for day in sorted(receivable)[5:12]},
            {
                date(2025, 11, 30): 0.0,
                date(2025, 12, 31): 200.0,
                date(2026, 1, 31): 1000.0,
                date(2026, 2, 28): 1300.0,
                date(2026, 3, 31): 2100.0,
                date(2026, 4, 30): 1700.0,
                date(2026, 5, 31): 1200.0,
            },
        )
        self.assertEqual(sum(receivable[day] for day in sorted(receivable)[:5]), 0.0)
        march = rows.filtered(lambda r: r.date == AS_OF)
        self.assertAlmostEqual(march.dso, 75.6)
        self.assertAlmostEqual(march.cei, 20.0)
        hugo_march = self.Snapshot.search(
            [
                ("company_id", "=", self.company.id),
                ("user_id", "=", self.hugo.id),
                ("date", "=", AS_OF),
            ]
        )
        self.assertAlmostEqual(hugo_march.receivable, 700.0)
        company_2 = self.Snapshot.search(
            [("company_id", "=", self.company_2.id), ("user_id", "=", False)]
        )
        self.assertEqual(len(company_2), 13)
        self.assertEqual(
            company_2.filtered(lambda r: r.date == AS_OF).receivable, 200.0, "each company its own"
        )
        # The latest of each company and collector is today's; a second run takes nothing.
        self.assertEqual(
            set(self.Snapshot.search([("is_latest", "=", True)]).mapped("date")), {TODAY}
        )
        self.assertFalse(self.Snapshot._backfill())
        self.assertEqual(
            self.Snapshot.search_count(
                [("company_id", "=", self.company.id), ("user_id", "=", False)]
            ),
            13,
        )

    def test_backfill_button(self):
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.collector).action_backfill()
        action = self.Snapshot.with_user(self.manager).action_backfill()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            self.Snapshot.search_count(
                [("company_id", "=", self.company.id), ("user_id", "=", False)]
            ),
            13,
        )
