from odoo.addons.credit_management.tests.common import CreditCommon
from odoo.fields import Command

FACTOR_IBAN = "FR7630004000031234567890143"


class FactoringCommon(CreditCommon):
    """A factor with its bank account, the accounts of the French chart the entries go to, and
    helpers for contracts, approvals and batches (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The credit limit is Odoo's own hold: these tests look at the factoring alone.
        cls.customer.credit_limit = 0.0
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "Fromagerie Dupuis", "is_company": True, "company_registry": "552100554"}
        )
        cls.factor = cls.env["res.partner"].create(
            {"name": "Factor Finance SA", "is_company": True, "lang": "en_US"}
        )
        cls.factor_bank = cls.env["res.partner.bank"].create(
            {
                "acc_number": "FR76 3000 4000 0312 3456 7890 143",
                "partner_id": cls.factor.id,
                "bank_id": cls.env["res.bank"]
                .create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
                .id,
                "allow_out_payment": True,
            }
        )
        Account = cls.env["account.account"]

        def account(code, name, account_type, reconcile=False):
            return Account.create(
                {
                    "code": code,
                    "name": name,
                    "account_type": account_type,
                    "reconcile": reconcile,
                }
            )

        cls.accounts = {
            "factor_account_id": account("467100", "Factor", "asset_current", True),
            "assignment_account_id": account("467200", "Receivables assigned", "liability_current"),
            "retention_account_id": account("275100", "Guarantee fund", "asset_non_current"),
            "fee_account_id": account("622500", "Factoring fees", "expense"),
            "interest_account_id": account("661600", "Factoring interest", "expense"),
        }
        cls.misc_journal = cls.company_data["default_journal_misc"]
        cls.bank_journal = cls.company_data["default_journal_bank"]

    @classmethod
    def _contract(cls, currency=None, kind="notified", collected_by="company", **values):
        contract = cls.env["credit.factoring.contract"].create(
            {
                "name": f"Factor Finance {kind} {collected_by}",
                "reference": "AFF-2026-001",
                "factor_id": cls.factor.id,
                "currency_id": (currency or cls.currency).id,
                "kind": kind,
                "collected_by": collected_by,
                "bank_account_id": cls.factor_bank.id,
                "journal_id": cls.misc_journal.id,
                "bank_journal_id": cls.bank_journal.id,
                "date_start": "2026-01-01",
                **{fname: acc.id for fname, acc in cls.accounts.items()},
                **values,
            }
        )
        contract.action_activate()
        return contract

    @classmethod
    def _approve(cls, contract, partner, amount, date="2026-01-10", state="approved", ref=None):
        return cls.env["credit.factoring.approval"].create(
            {
                "contract_id": contract.id,
                "partner_id": partner.id,
                "amount": amount,
                "date": date,
                "state": state,
                "reference": ref,
            }
        )

    @classmethod
    def _batch(cls, contract, invoices, validate=True, user=None):
        """A batch of ``invoices`` chosen by hand (the *Add Invoices* wizard), validated."""
        env = cls.env(user=user) if user else cls.env
        batch = env["credit.factoring.batch"].create({"contract_id": contract.id})
        env["credit.factoring.batch.add"].create(
            {"batch_id": batch.id, "move_ids": [Command.set(invoices.ids)]}
        ).action_add()
        if validate:
            batch.action_validate()
        return batch

    @staticmethod
    def _balances(entry, account):
        """``(balance, amount in currency)`` of ``entry`` on ``account``."""
        lines = entry.line_ids.filtered(lambda line: line.account_id == account)
        return (
            round(sum(lines.mapped("balance")), 2),
            round(sum(lines.mapped("amount_currency")), 2),
        )
