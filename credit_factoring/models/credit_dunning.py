"""Reminders as the factoring contract says.

- The invoices the factor collects (assigned to a contract collected by the factor) are
  never reminded by the company: the dunning plan leaves them off every reminder
  (``listed`` false, no next level) and marks them ``factored``. Once returned by the factor
  (recourse), they are the company's again and their dunning resumes from their level.
- The invoices of a notified contract collected by the company are reminded, but paid to the
  factor: the reminder and its letter give the factor's bank account and the subrogation
  mention, its EPC QR code pays the factor (``_factoring_epc_qr_values``), and no payment
  link of the company is offered for them (the bridge with payment_link).
- Confidential contracts change nothing the customer sees.
"""

from odoo import models
from odoo.tools import SQL


class CreditDunning(models.Model):
    _inherit = "credit.dunning"

    # ------------------------------------------------------------
    # THE PLAN
    # ------------------------------------------------------------

    def _dunning_plan(self, company, date, commercial_ids=None):
        rows = super()._dunning_plan(company, date, commercial_ids)
        factored = self._factoring_collected_moves([row["move_id"] for row in rows])
        Level = self.env["credit.dunning.level"]
        for row in rows:
            row["factored"] = row["move_id"] in factored
            if row["factored"]:
                row["listed"] = False
                row["next_level"] = Level
                row["eligible_date"] = None
        return rows

    def _factoring_collected_moves(self, move_ids):
        """The ids of ``move_ids`` the factor collects (one query)."""
        if not move_ids:
            return set()
        self.env["account.move"].flush_model(["factoring_contract_id", "factoring_state"])
        self.env["credit.factoring.contract"].flush_model(["collected_by"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id
                  FROM account_move m
                  JOIN credit_factoring_contract c ON c.id = m.factoring_contract_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.factoring_state IN ('assigned', 'funded')
                   AND c.collected_by = 'factor'
                """,
                ids=list(move_ids),
            )
        )
        return {move_id for (move_id,) in rows}

    # ------------------------------------------------------------
    # PAID TO THE FACTOR
    # ------------------------------------------------------------

    def _factoring_contracts(self):
        """The notified contracts the invoices of this reminder are to be paid under."""
        self.ensure_one()
        moves = self.line_ids.filtered(lambda line: line.line_type == "invoice").move_id
        contracts = self.env["credit.factoring.contract"]
        for move in moves:
            contracts |= move._factoring_notified_contract()
        return contracts.sudo()

    def _factoring_payment_blocks(self):
        """What the reminder tells the customer to pay the factor, per notified contract:
        ``contract``, ``moves`` (its invoices on the reminder), ``bank`` (the factor's account)
        and ``mention`` (the subrogation mention in the customer's language)."""
        self.ensure_one()
        moves = self.line_ids.filtered(lambda line: line.line_type == "invoice").move_id
        blocks = []
        for contract in self._factoring_contracts():
            blocks.append(
                {
                    "contract": contract,
                    "moves": moves.filtered(lambda m, c=contract: m.factoring_contract_id == c),
                    "bank": contract.bank_account_id,
                    "mention": contract._subrogation_text(self.partner_id.lang),
                }
            )
        return blocks

    def _factoring_paid_to_factor(self):
        """Whether every invoice of the reminder is to be paid to one factor."""
        self.ensure_one()
        moves = self.line_ids.filtered(lambda line: line.line_type == "invoice").move_id
        contracts = self._factoring_contracts()
        return (
            bool(moves)
            and len(contracts) == 1
            and all(move._factoring_notified_contract() for move in moves)
        )

    def _factoring_epc_qr_values(self):
        """The EPC (SEPA credit transfer) payload of the amount due to the factor, with the
        reminder's reference, when every invoice is to be paid to one factor; else False."""
        self.ensure_one()
        if not self._factoring_paid_to_factor():
            return False
        bank = self._factoring_contracts().bank_account_id
        if (
            not bank
            or self.currency_id.compare_amounts(self.amount_due, 0) <= 0
            or bank._get_error_messages_for_qr("sct_qr", self.partner_id, self.currency_id)
        ):
            return False
        return "\n".join(
            bank._get_qr_vals(
                "sct_qr", self.amount_due, self.currency_id, self.partner_id, self.name, None
            )
        )

    def _factoring_epc_qr(self):
        """The EPC QR code image paying the factor, as a ``data:`` URI, or False."""
        self.ensure_one()
        if not self._factoring_epc_qr_values():
            return False
        bank = self._factoring_contracts().bank_account_id
        return bank.build_qr_code_base64(
            self.amount_due, self.name, None, self.currency_id, self.partner_id, "sct_qr"
        )
