"""Demo data of credit factoring: a notified and a confidential contract with a funded batch
each, a factor's statement imported with one returned invoice, on credit management's demo
customers.

Nothing but the demo data (``credit_factoring_demo.xml``) calls this module, through
``account.chart.template._credit_demo_load`` (credit_management's entry point, extended
here): once credit_management generated its receivable, it builds, once:

1. the factor (with its bank account) and the accounts of its entries (found by code in the
   company's chart, or created);
2. a **notified** contract collected by the company and a **confidential** one, active, with
   an approval on each of their customers;
3. on each, a batch of the customers' open invoices, validated (its entry posted) and funded;
4. on the notified contract, the factor's statement (CSV, the contract's layout): one invoice
   collected, one returned (its dunning resumes), the fee of the month; imported and
   processed.
"""

import base64
import logging

from odoo import api
from odoo import fields
from odoo import models

_logger = logging.getLogger(__name__)

REFERENCE_NOTIFIED = "AFF-DEMO-NOTIFIE"
REFERENCE_CONFIDENTIAL = "AFF-DEMO-CONFIDENTIEL"
# credit_management's demo customers of each contract.
NOTIFIED_CUSTOMERS = ("partner_fournier", "partner_varenne")
CONFIDENTIAL_CUSTOMERS = ("partner_delmas_group",)
ACCOUNTS = {
    "factor_account_id": ("467100", "Factor - compte courant", "asset_current", True),
    "assignment_account_id": ("467200", "Créances cédées au factor", "liability_current", False),
    "retention_account_id": ("275100", "Fonds de garantie affacturage", "asset_non_current", False),
    "fee_account_id": ("622500", "Commissions d'affacturage", "expense", False),
    "interest_account_id": ("661600", "Intérêts d'affacturage", "expense", False),
}


def load_demo_data(env):
    """The factoring demo of the main company, once its receivable exists (see the module)."""
    company = env.ref("base.main_company")
    customers = {}
    for xml_id in NOTIFIED_CUSTOMERS + CONFIDENTIAL_CUSTOMERS:
        partner = env.ref(f"credit_management.{xml_id}", raise_if_not_found=False)
        if partner:
            customers[xml_id] = partner
    if len(customers) < len(NOTIFIED_CUSTOMERS + CONFIDENTIAL_CUSTOMERS):
        _logger.info("Credit factoring demo: the credit management demo customers are missing.")
        return
    generate(env, company, customers)


def generate(env, company, customers):
    """The factoring demo of ``company`` on ``customers`` (``{xml id: partner}``); nothing
    when its contracts exist already.

    :return: the notified and the confidential contracts
    """
    env = env["res.company"].sudo().with_company(company).with_context(mail_create_nolog=True).env
    Contract = env["credit.factoring.contract"]
    existing = Contract.search(
        [("company_id", "=", company.id), ("reference", "in", (REFERENCE_NOTIFIED,))]
    )
    if existing:
        return existing
    journal = env["account.journal"].search(
        [("type", "=", "general"), *env["account.journal"]._check_company_domain(company)],
        limit=1,
    )
    bank_journal = env["account.journal"].search(
        [("type", "=", "bank"), *env["account.journal"]._check_company_domain(company)], limit=1
    )
    if not journal or not bank_journal:
        _logger.info("Credit factoring demo: %s has no journals, no contract.", company.name)
        return Contract
    factor = env["res.partner"].create(
        {"name": "Affacturage Rhône-Alpes SA", "is_company": True, "city": "Lyon"}
    )
    bank = env["res.partner.bank"].create(
        {"acc_number": "FR7630004000031234567890143", "partner_id": factor.id}
    )
    accounts = {fname: _account(env, company, *spec) for fname, spec in ACCOUNTS.items()}
    common = {
        "factor_id": factor.id,
        "company_id": company.id,
        "currency_id": company.currency_id.id,
        "collected_by": "company",
        "bank_account_id": bank.id,
        "journal_id": journal.id,
        "bank_journal_id": bank_journal.id,
        "date_start": fields.Date.context_today(env.user).replace(month=1, day=1),
        **{fname: account.id for fname, account in accounts.items()},
    }
    notified = Contract.create(
        {
            **common,
            "name": "Affacturage notifié",
            "reference": REFERENCE_NOTIFIED,
            "kind": "notified",
        }
    )
    confidential = Contract.create(
        {
            **common,
            "name": "Affacturage confidentiel",
            "reference": REFERENCE_CONFIDENTIAL,
            "kind": "confidential",
        }
    )
    (notified | confidential).action_activate()
    batches = {}
    for contract, keys in ((notified, NOTIFIED_CUSTOMERS), (confidential, CONFIDENTIAL_CUSTOMERS)):
        partners = env["res.partner"].browse([customers[key].id for key in keys])
        env["credit.factoring.approval"].create(
            [
                {
                    "contract_id": contract.id,
                    "partner_id": partner.id,
                    "amount": 50000.0,
                    "date": contract.date_start,
                    "reference": f"AGR-{partner.id:05d}",
                }
                for partner in partners
            ]
        )
        batch = env["credit.factoring.batch"].create(
            {"contract_id": contract.id, "partner_ids": [fields.Command.set(partners.ids)]}
        )
        if not env["account.move"].search_count(batch._eligible_domain(with_rules=True)):
            continue
        batch.action_select_invoices()
        batch.action_validate()
        batch.action_fund()
        batches[contract] = batch
    moves = batches.get(notified) and batches[notified].move_ids.sorted("invoice_date_due")
    if moves and len(moves) >= 2:
        collected, returned = moves[-1], moves[0]
        today = fields.Date.context_today(env.user).isoformat()
        rows = [
            "reference;date;operation;invoice;amount",
            f"DEMO-1;{today};ENC;{collected.name};{collected.amount_residual:.2f}",
            f"DEMO-2;{today};DEF;{returned.name};{returned.amount_residual:.2f}",
            f"DEMO-3;{today};COM;;{batches[notified].amount_fee:.2f}",
        ]
        statement = env["credit.factoring.statement"].create(
            {
                "name": "Relevé du factor",
                "contract_id": notified.id,
                "file": base64.b64encode("\n".join(rows).encode()),
                "filename": "releve-factor.csv",
            }
        )
        statement.action_import()
        statement.action_process()
    _logger.info(
        "Credit factoring demo: contracts %s and %s, %s batches funded.",
        notified.name,
        confidential.name,
        len(batches),
    )
    return notified | confidential


def _account(env, company, code, name, account_type, reconcile):
    Account = env["account.account"].with_company(company)
    account = Account.search(
        [("code", "=", code), *Account._check_company_domain(company)], limit=1
    )
    return account or Account.create(
        {"code": code, "name": name, "account_type": account_type, "reconcile": reconcile}
    )


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @api.model
    def _credit_demo_load(self):
        """credit_management's demo first (its receivable), then the factoring demo: right
        away when the receivable exists, or right after it when Odoo installs the chart of
        accounts at the end of this run (see credit_management's demo module)."""
        super()._credit_demo_load()
        deferred = getattr(self.env.registry, "_auto_install_template", None)
        if not deferred:
            load_demo_data(self.env)
            return

        def install_chart_then_demo(env):
            deferred(env)
            try:
                with env.cr.savepoint():
                    load_demo_data(env)
            except Exception:
                # As Odoo's own demo data: a failed demo never fails the installation.
                _logger.exception("Credit factoring demo: the contracts could not be generated.")

        self.env.registry._auto_install_template = install_chart_then_demo
