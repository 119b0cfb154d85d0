"""Demo data of credit risk data: a customer in receivership, its claim and ratings.

Nothing but the demo data (``credit_risk_data_demo.xml``) calls this module, through
``account.chart.template._credit_demo_load`` (credit_management's entry point, extended
here, after credit_management's receivable is generated). With dates relative to today:

1. the BODACC provider enabled (its cursor on yesterday: the scheduled job reads only what
   comes next);
2. the opening of receivership of *Brasserie du Vieux-Port* (SIREN 585361744), judged 20
   days ago and published in the BODACC 18 days ago, recorded as the daily job records a
   notice: the customer on hold, the reminders of its invoices before the judgment stopped,
   the activities, and the claim declaration to the court-appointed representative, whose
   letter prints from the claim;
3. two ratings of *Brasserie du Vieux-Port* from a provider's file, the latest lower.
"""

import logging
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models

_logger = logging.getLogger(__name__)

CUSTOMER = "credit_management.partner_vieux_port"


def load_demo_data(env):
    customer = env.ref(CUSTOMER, raise_if_not_found=False)
    provider = env.ref("credit_risk_data.credit_risk_provider_bodacc", raise_if_not_found=False)
    if not customer or not provider:
        return
    Event = env["credit.risk.event"]
    if Event.search_count([("provider_id", "=", provider.id)]):
        return  # once
    today = fields.Date.context_today(provider)
    provider.action_enable()
    provider.sudo().cursor_date = today - timedelta(days=1)
    representative = env["res.partner"].create(
        {
            "name": "SELARL MJ Provence, mandataire judiciaire",
            "is_company": True,
            "street": "12 rue Grignan",
            "zip": "13001",
            "city": "Marseille",
            "country_id": env.ref("base.fr").id,
        }
    )
    company = provider.company_id
    event = (
        Event.sudo()
        .with_company(company)
        .create(
            {
                "partner_id": customer.id,
                "provider_id": provider.id,
                "company_id": company.id,
                "event_type": "receivership",
                "date_judgment": today - timedelta(days=20),
                "date_published": today - timedelta(days=18),
                "reference": "A-DEMO-VIEUX-PORT",
                "court": "TRIBUNAL DE COMMERCE DE MARSEILLE",
                "text": "Jugement d'ouverture d'une procédure de redressement judiciaire\n"
                "Mandataire judiciaire : SELARL MJ Provence, 12 rue Grignan, 13001 Marseille.",
            }
        )
    )
    event._apply_effects()
    event.claim_ids.write({"representative_id": representative.id})
    manual = env.ref("credit_risk_data.credit_risk_provider_manual")
    env["credit.risk.rating"].create(
        [
            {
                "partner_id": customer.id,
                "provider_id": manual.id,
                "company_id": company.id,
                "date": today - timedelta(days=90),
                "score": 44.0,
                "grade": "C",
                "default_probability": 4.5,
                "recommended_limit": 15000.0,
            },
            {
                "partner_id": customer.id,
                "provider_id": manual.id,
                "company_id": company.id,
                "date": today - timedelta(days=25),
                "score": 18.0,
                "grade": "E",
                "default_probability": 22.0,
                "recommended_limit": 0.0,
            },
        ]
    )


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _credit_demo_load(self):
        """credit_management's demo first (its receivable), then the risk data demo: right
        away, or right after it when Odoo installs the chart at the end of this run."""
        super()._credit_demo_load()
        deferred = getattr(self.env.registry, "_auto_install_template", None)
        if not deferred:
            load_demo_data(self.env)
            return

        def then_demo(env):
            deferred(env)
            try:
                with env.cr.savepoint():
                    load_demo_data(env)
            except Exception:
                # As Odoo's own demo data: a failed demo never fails the installation.
                _logger.exception("Credit risk data demo: the receivership was not recorded.")

        self.env.registry._auto_install_template = then_demo
