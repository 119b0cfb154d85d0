"""The daily job: BODACC notices read since the cursor, matched by SIREN, and what an
opening of receivership does to the customer, its invoices and its claim."""

import json
from unittest.mock import patch

from odoo import fields
from odoo.addons.credit_management.tests.common import TODAY
from odoo.addons.credit_management.tests.test_customer_statement import pdf_text
from odoo.exceptions import AccessError
from odoo.tests import freeze_time
from odoo.tests import tagged

from ..models import credit_risk_provider_http
from .common import SIREN_DURAND
from .common import SIREN_MARTIN
from .common import SIREN_OTHER
from .common import RiskCommon
from .fake_registers import RECORDS_PATH
from .fake_registers import bodacc_record

RECEIVERSHIP = "Jugement d'ouverture d'une procédure de redressement judiciaire"
LIQUIDATION = "Jugement de conversion en liquidation judiciaire"
PLAN = "Jugement arrêtant le plan de redressement"


def day(value):
    return fields.Date.to_date(value)


@freeze_time(str(TODAY))  # 2026-06-15
@tagged("post_install", "-at_install")
class TestRiskDailyJob(RiskCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Invoices before the judgment of 2026-06-10, and one after it.
        cls.before = cls._invoice(cls.customer, 1200.0, due_days=-14)  # dated 2026-06-01
        cls.before_2 = cls._invoice(
            cls.customer, 300.0, due_days=10, invoice_date=day("2026-06-09")
        )
        cls.after = cls._invoice(cls.customer, 450.0, due_days=30, invoice_date=day("2026-06-12"))
        cls.company.credit_manager_id = cls.manager
        cls.company.country_id = cls.env.ref("base.fr")

    def setUp(self):
        super().setUp()
        self.bodacc.sudo().cursor_date = day("2026-06-11")

    def _notice(self, record_id, siren, nature, published="2026-06-12", number=1450, **extra):
        record = bodacc_record(record_id, siren, nature, "2026-06-10", published, number, **extra)
        self.registers.notices.append(record)
        return record

    def _letter_text(self, claims):
        # wkhtmltopdf would fetch the styles from this very server, which waits for the
        # test's transaction: a closed port makes it print the text without them.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("credit_risk_data.credit_risk_claim_letter_report", claims.ids)
        )
        self.assertEqual(report_type, "pdf")
        return pdf_text(pdf)

    def _run(self):
        self.env["credit.risk.provider"]._cron_fetch()
        return self.env["credit.risk.event"].search([("provider_id", "=", self.bodacc.id)])

    def test_receivership_opening(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        self._notice("A202606121451", SIREN_OTHER, RECEIVERSHIP, number=1451)
        self._notice("A202606121452", None, RECEIVERSHIP, number=1452)
        event = self._run()
        self.assertEqual(len(event), 1, "one event: the other notices are not customers'")
        self.assertEqual(
            (event.partner_id, event.event_type, event.date_judgment, event.date_published),
            (self.customer, "receivership", day("2026-06-10"), day("2026-06-12")),
        )
        self.assertEqual(event.reference, "A202606121450")
        self.assertEqual(event.court, "TRIBUNAL DE COMMERCE DE LYON")
        self.assertIn("redressement judiciaire", event.text)
        self.assertEqual(
            self.bodacc.cursor_date, day("2026-06-14"), "read up to yesterday; today again"
        )
        days = [c[1]["where"][-11:-1] for c in self.registers.calls(RECORDS_PATH)]
        self.assertEqual(days, ["2026-06-12", "2026-06-13", "2026-06-14", "2026-06-15"])

        # On hold, reason insolvency, through credit_management's extension point.
        check = self.customer._credit_check(10.0)
        self.assertTrue(check["blocked"])
        self.assertIn("insolvency", [code for code, _message in check["reasons"]])
        self.assertTrue(self.customer.credit_hold)
        self.assertTrue(event.holding)
        self.assertIn(self.customer, self.env["res.partner"].search([("credit_hold", "=", True)]))

        # Dunning stops for the invoices dated before the judgment, not after.
        self.assertTrue(self.before.dunning_excluded)
        self.assertTrue(self.before_2.dunning_excluded)
        self.assertFalse(self.after.dunning_excluded)
        plan = {
            row["move_id"]: row["listed"]
            for row in self.env["credit.dunning"]._dunning_plan(self.company, TODAY)
        }
        self.assertEqual(
            (plan[self.before.id], plan[self.before_2.id], plan[self.after.id]),
            (False, False, True),
        )

        # The claim: the invoices before the judgment, deadline publication + 2 months.
        claim = event.claim_ids
        self.assertEqual(len(claim), 1)
        self.assertEqual(claim.move_ids, self.before | self.before_2)
        self.assertEqual(claim.amount, 1500.0)
        self.assertEqual(claim.date_deadline, day("2026-08-12"))
        self.assertEqual(claim.state, "to_declare")

        # Activities for the collector and the credit manager.
        self.assertEqual(set(event.activity_ids.mapped("user_id")), {self.collector, self.manager})

        # The letter to the representative, in French, lists the claim: the PDF's text.
        text = self._letter_text(claim)
        words = " ".join(text.split())  # the paragraphs' lines joined
        for expected in (
            "Objet : déclaration de créance",
            f"(SIREN {SIREN_MARTIN})",
            "jugement d'ouverture du 10/06/2026",
            "publié au BODACC le 12/06/2026",
            "articles L. 622-24 et R. 622-24 du Code de commerce",
            "au plus tard le 12/08/2026",
        ):
            self.assertIn(expected, words)
        rows = {line.split()[0]: line.split() for line in text.splitlines() if line.strip()}
        self.assertEqual(rows[self.before.name][1:3], ["01/06/2026", "01/06/2026"])
        self.assertEqual(rows[self.before_2.name][1:3], ["09/06/2026", "25/06/2026"])
        self.assertIn("1,500.00", " ".join(rows["Total"]), "Total déclaré")
        self.assertNotIn(self.after.name, text)

        # Declared by the credit manager; a collector cannot.
        with self.assertRaises(AccessError):
            claim.with_user(self.collector).action_declare()
        claim.with_user(self.manager).action_declare()
        self.assertEqual((claim.state, claim.date_declared), ("declared", TODAY))

    def test_same_notice_read_twice_creates_nothing(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        event = self._run()
        self.bodacc.sudo().cursor_date = day("2026-06-11")  # as if the days were read again
        self.assertEqual(self._run(), event)
        self.assertEqual(len(event.notice_ids), 1)
        self.assertEqual(len(event.claim_ids), 1)
        self.assertEqual(
            len(self.before.message_ids.filtered(lambda m: "No more reminders" in (m.body or ""))),
            1,
        )

    def test_corrective_notice_updates_the_event(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP, number=1450)
        event = self._run()
        key = event.notice_ids.key
        events = self._amend("A202606161020", key, "2026-06-16", 1020, LIQUIDATION)
        self.assertEqual(events, event, "the corrective notice makes no event of its own")
        self.assertEqual(event.event_type, "liquidation")
        self.assertEqual(sorted(event.notice_ids.mapped("kind")), ["correction", "initial"])
        self.assertIn("Corrected by the notice A202606161020", event.message_ids[0].body)

        # A cancellation cancels it; nothing is lifted by itself.
        self._amend(
            "A202606181030",
            key,
            "2026-06-18",
            1030,
            "",
            typeavis="annulation",
            typeavis_lib="Avis d'annulation",
        )
        self.assertEqual(event.state, "cancelled")
        self.assertTrue(self.customer.credit_hold, "the credit manager lifts the hold")
        event.with_user(self.manager).action_lift_hold()
        self.assertFalse(self.customer.with_company(self.company).credit_risk_hold_event_id)

    def _amend(self, record_id, key, published, number, nature=RECEIVERSHIP, **values):
        """A notice correcting (or, with ``typeavis="annulation"``, cancelling) the notice
        ``key`` of the customer, read the day after its publication."""
        self.registers.notices.clear()
        previous = {
            "nomPublication": "BODACC A",
            "numeroParution": key.split("-")[1],
            "numeroAnnonce": 1450,
        }
        values = {
            "typeavis": "rectificatif",
            "typeavis_lib": "Avis rectificatif",
            "parutionavisprecedent": json.dumps(previous),
            **values,
        }
        judgment = values.pop("judgment", "2026-06-10")
        record = bodacc_record(
            record_id, SIREN_MARTIN, nature, judgment, published, number, **values
        )
        self.registers.notices.append(record)
        with freeze_time(fields.Date.add(day(published), days=1)):
            return self._run()

    def _listed(self):
        plan = self.env["credit.dunning"]._dunning_plan(self.company, TODAY)
        return {row["move_id"]: row["listed"] for row in plan}

    def test_correction_of_the_judgment_date_recollects_the_claim(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP, number=1450)
        event = self._run()
        claim = event.claim_ids
        self.assertEqual(claim.move_ids, self.before | self.before_2, "dated before 06-10")
        key = event.notice_ids.key

        # Judged on 2026-06-05 after all: the invoice of 06-09 is no claim, reminded again.
        self._amend("A202606161020", key, "2026-06-16", 1020, judgment="2026-06-05")
        self.assertEqual(event.date_judgment, day("2026-06-05"))
        self.assertEqual(event.claim_ids, claim, "the same claim")
        self.assertEqual(claim.move_ids, self.before)
        self.assertEqual(claim.amount, 1200.0)
        self.assertEqual(
            (self.before.dunning_excluded, self.before_2.dunning_excluded), (True, False)
        )
        listed = self._listed()
        self.assertEqual((listed[self.before.id], listed[self.before_2.id]), (False, True))
        self.assertIn("Reminded again", self.before_2.message_ids[0].body, "said on the invoice")

        # Judged on 2026-06-13: the three invoices are claims, none reminded.
        self._amend("A202606171030", key, "2026-06-17", 1030, judgment="2026-06-13")
        self.assertEqual(claim.move_ids, self.before | self.before_2 | self.after)
        self.assertEqual(claim.amount, 1950.0)
        self.assertTrue(all((self.before | self.before_2 | self.after).mapped("dunning_excluded")))
        self.assertFalse(any(self._listed()[move.id] for move in claim.move_ids))
        self.assertEqual(len(event.notice_ids), 3)

        # Once declared, a claim keeps its invoices: a note asks to review it.
        claim.with_user(self.manager).action_declare()
        self._amend("A202606181040", key, "2026-06-18", 1040, judgment="2026-06-11")
        self.assertEqual(len(claim.move_ids), 3)
        self.assertIn("review the invoices of this claim", claim.message_ids[0].body)

    def test_no_siren_never_matched_by_name(self):
        durand = self.env["res.partner"].create({"name": "EPICERIES DURAND", "is_company": True})
        self._invoice(durand, 100.0, due_days=-30)
        self._notice("A202606121460", None, RECEIVERSHIP, name="EPICERIES DURAND", number=1460)
        self._notice(
            "A202606121461", "123456789", RECEIVERSHIP, name="EPICERIES DURAND", number=1461
        )
        self.assertFalse(self._run())
        # Its SIREN given (through its French VAT number), the next notice matches it.
        durand.vat = f"FR{(12 + 3 * (int(SIREN_DURAND) % 97)) % 97:02d}{SIREN_DURAND}"
        self.assertEqual(durand.credit_siren, SIREN_DURAND)
        self.registers.notices.clear()
        self._notice("A202606151470", SIREN_DURAND, RECEIVERSHIP, published="2026-06-15")
        self.assertEqual(self._run().partner_id, durand)

    def test_failed_day_read_again(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        for _try in range(3):
            self.registers.fail(RECORDS_PATH, status=503)
        with patch.object(credit_risk_provider_http, "wait"):
            self.assertFalse(self._run())
        self.assertEqual(self.bodacc.cursor_date, day("2026-06-11"), "the cursor stays")
        self.assertIn("HTTP 503", self.bodacc.last_error)
        self.assertEqual(self._run().reference, "A202606121450", "nothing missed")
        self.assertFalse(self.bodacc.last_error)

    def test_plan_lifts_nothing(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        opening = self._run()
        self.registers.notices.clear()
        self._notice("A202606151480", SIREN_MARTIN, PLAN, published="2026-06-15", number=1480)
        plan = self._run() - opening
        self.assertEqual(plan.event_type, "plan")
        self.assertFalse(plan.claim_ids)
        self.assertTrue(self.customer.credit_hold, "the hold stays")
        self.assertEqual(plan.activity_ids.user_id, self.manager, "for the credit manager")

    def test_companies_kept_apart(self):
        company_2 = self.setup_other_company()["company"]
        bodacc_2 = (
            self.env["credit.risk.provider"]
            .with_company(company_2)
            .create({"name": "BODACC 2", "provider_code": "bodacc", "company_id": company_2.id})
        )
        bodacc_2.api_base_url = self.bodacc.api_base_url
        bodacc_2.action_enable()
        bodacc_2.sudo().cursor_date = day("2026-06-11")
        own = self.env["res.partner"].create(
            {
                "name": "Epiceries Durand",
                "is_company": True,
                "company_id": self.company.id,
                "company_registry": SIREN_DURAND,
            }
        )
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        self._notice("A202606121490", SIREN_DURAND, RECEIVERSHIP, number=1490)
        self._run()
        events = self.env["credit.risk.event"].sudo().search([])
        mine = events.filtered(lambda e: e.company_id == self.company)
        theirs = events.filtered(lambda e: e.company_id == company_2)
        self.assertEqual(mine.partner_id, self.customer | own)
        self.assertEqual(theirs.partner_id, self.customer, "a company's own customer stays its")
        self.assertFalse(theirs.claim_ids, "no invoice of the customer in the other company")
        self.assertEqual(self.env["credit.risk.event"].with_user(self.manager).search([]), mine)
        self.assertEqual(
            self.customer.with_company(company_2).sudo().credit_risk_hold_event_id, theirs
        )

    def test_deadline_alert_once(self):
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        claim = self._run().claim_ids
        self.assertFalse(claim.activity_ids)
        with freeze_time("2026-07-30"):
            self.env["credit.risk.claim"]._cron_deadline_alerts()
            self.env["credit.risk.claim"]._cron_deadline_alerts()
        self.assertEqual(len(claim.activity_ids), 1)
        self.assertEqual(claim.activity_ids.user_id, self.manager)
        self.assertTrue(claim.deadline_alerted)

    def test_event_kind_configured_per_company(self):
        self.env["credit.risk.event.action"].create(
            {
                "event_type": "receivership",
                "hold": False,
                "stop_dunning": True,
                "claim": False,
                "activity": False,
                "payer_profile_id": self.env["credit.payer.profile"].search([], limit=1).id,
            }
        )
        self._notice("A202606121450", SIREN_MARTIN, RECEIVERSHIP)
        event = self._run()
        self.assertFalse(event.holding)
        self.assertFalse(event.claim_ids)
        self.assertFalse(event.activity_ids)
        self.assertTrue(self.before.dunning_excluded)
        self.assertTrue(self.customer.payer_profile_id)
        self.assertEqual(
            self.customer.payer_profile_id, self.env["credit.payer.profile"].search([], limit=1)
        )
