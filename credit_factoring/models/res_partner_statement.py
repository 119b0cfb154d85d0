"""The customer statement as the factoring contracts say: the invoices the customer is to pay
to a factor (notified contracts, semi-confidential ones once reminded at their notification
level) are marked on the statement, which gives the factor's bank account and the subrogation
mention for them. Confidential contracts change nothing the customer sees.

credit_management's statement report gets ``factoring_blocks`` (``_factoring_statement_blocks``,
worked out at once for every customer printed) beside its own values."""

from collections import defaultdict

from odoo import models
from odoo.tools import SQL


# One concern of the partner per file: the statement's factoring.
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _factoring_statement_blocks(self, statements):
        """What the statements of these customers tell to pay a factor, per customer.

        :param statements: ``_credit_statement_data``'s result for these customers
        :return: ``{partner id: {"blocks": [{"contract", "moves", "bank", "mention"}],
            "marks": {move id: the mark of the line}}}``, read at once for every customer
        """
        move_ids = [line["move_id"] for st in statements.values() for line in st["lines"]]
        paid = self.env["account.move"].browse(move_ids)._factoring_paid_to_factor_moves()
        contracts = paid.factoring_contract_id.sudo()
        contracts.fetch(["factor_id", "bank_account_id"])
        contracts.factor_id.fetch(["name"])
        paid_ids = set(paid.ids)
        result = {}
        for partner in self:
            lines = statements.get(partner.id, {}).get("lines", [])
            moves = paid.browse([line["move_id"] for line in lines if line["move_id"] in paid_ids])
            by_contract = defaultdict(lambda: self.env["account.move"])
            for move in moves:
                by_contract[move.factoring_contract_id.sudo()] |= move
            result[partner.id] = {
                "blocks": [
                    {
                        "contract": contract,
                        "moves": contract_moves,
                        "bank": contract.bank_account_id,
                        "mention": contract._subrogation_text(partner.lang),
                    }
                    for contract, contract_moves in by_contract.items()
                ],
                # In the customer's language, as the statement is printed.
                "marks": {
                    move.id: move.factoring_contract_id.sudo()
                    .with_context(lang=partner.lang or self.env.lang)
                    ._factoring_dunning_note(paid=True)
                    for move in moves
                },
            }
        return result

    def _factoring_statement_paid_residual(self, company, currency):
        """What the open invoices of this customer in ``currency`` leave to pay to a factor
        (in ``currency``): the company's own bank details do not take it."""
        self.ensure_one()
        rows = self.env.execute_query(
            SQL(
                "SELECT i.move_id, SUM(i.residual_currency) FROM (%s) i "
                "WHERE i.currency_id = %s GROUP BY i.move_id",
                self.env["credit.open.item"]._query(
                    company, [self.commercial_partner_id.id], branches=False
                ),
                currency.id,
            )
        )
        residuals = dict(rows)
        paid = self.env["account.move"].browse(list(residuals))._factoring_paid_to_factor_moves()
        return currency.round(sum(residuals[move.id] for move in paid))
