"""Reminders as the factoring contract says.

- The invoices the factor collects (assigned to a contract collected by the factor) are
  never reminded by the company: the dunning plan leaves them off every reminder
  (``listed`` false, no next level) and marks them ``factored``. Once returned by the factor
  (recourse), they are the company's again and their dunning resumes from their level.
- The invoices of a notified contract collected by the company are reminded, but paid to the
  factor: the reminder, its email and its letter give the factor's bank account and the
  subrogation mention, its EPC QR code pays the factor (``_factoring_epc_qr_values``), and no
  payment link of the company is offered for them (the bridge with payment_link). So do the
  invoices of a semi-confidential contract once reminded at the contract's notification level
  (``credit.factoring.contract._factoring_notifies_at``).
- Confidential contracts change nothing the customer sees.
- Set-based: the plan reads the factoring facts of all its invoices in one query; sending
  reads those of the whole batch of reminders at once (``_factoring_prefetch``), so that the
  blocks computed reminder by reminder cost no query each.
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
        facts = self._factoring_plan_facts([row["move_id"] for row in rows])
        Level = self.env["credit.dunning.level"]
        Contract = self.env["credit.factoring.contract"].sudo()
        for row in rows:
            contract_id, collected = facts.get(row["move_id"], (None, False))
            row["factored"] = collected
            row["factoring_contract_id"] = contract_id
            row["factoring_note"] = ""
            if not contract_id:
                continue
            contract = Contract.browse(contract_id)
            if collected:
                row["listed"] = False
                row["next_level"] = Level
                row["eligible_date"] = None
                row["factoring_note"] = contract._factoring_dunning_note(collected=True)
            elif contract._factoring_notifies_at(
                row["next_level"], Level.browse(row["dunning_level_id"] or ())
            ):
                row["factoring_note"] = contract._factoring_dunning_note(paid=True)
        return rows

    def _factoring_plan_facts(self, move_ids):
        """``{move id: (contract id, collected by the factor)}`` for the invoices of
        ``move_ids`` assigned to a factor (one query); their contracts prefetched."""
        if not move_ids:
            return {}
        self.env["account.move"].flush_model(["factoring_contract_id", "factoring_state"])
        self.env["credit.factoring.contract"].flush_model(["collected_by"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, c.id, c.collected_by = 'factor'
                  FROM account_move m
                  JOIN credit_factoring_contract c ON c.id = m.factoring_contract_id
                 WHERE m.id = ANY(%(ids)s)
                   AND m.factoring_state IN ('assigned', 'funded')
                """,
                ids=list(move_ids),
            )
        )
        facts = {move_id: (contract_id, collected) for move_id, contract_id, collected in rows}
        # The contracts' terms and factors, read once for the whole plan.
        contracts = (
            self.env["credit.factoring.contract"]
            .sudo()
            .browse({contract_id for contract_id, _collected in facts.values()})
        )
        contracts.fetch(["kind", "notify_level_id", "factor_id"])
        contracts.factor_id.fetch(["name"])
        return facts

    def _factoring_collected_moves(self, move_ids):
        """The ids of ``move_ids`` the factor collects (one query)."""
        return {
            move_id
            for move_id, (_contract, collected) in self._factoring_plan_facts(move_ids).items()
            if collected
        }

    # ------------------------------------------------------------
    # PAID TO THE FACTOR
    # ------------------------------------------------------------

    def _send(self):
        self._factoring_prefetch()
        return super()._send()

    def _post_email(self, template):
        self._factoring_prefetch()
        return super()._post_email(template)

    def _factoring_prefetch(self):
        """Read at once, for all of these reminders, what their factoring blocks need: their
        lines, the invoices' factoring facts, the contracts and the levels; the methods
        below, called reminder by reminder, then find everything in cache."""
        if not self:
            return self
        self.fetch(["line_ids", "level_id", "partner_id"])
        lines = self.line_ids
        lines.fetch(["line_type", "move_id", "level_id"])
        moves = lines.move_id
        moves.fetch(["name", "factoring_state", "factoring_contract_id", "dunning_level_id"])
        contracts = moves.factoring_contract_id.sudo()
        contracts.fetch(["kind", "notify_level_id", "factor_id", "bank_account_id"])
        contracts.factor_id.fetch(["name"])
        contracts.bank_account_id.fetch(["acc_number", "bank_id"])
        (lines.level_id | moves.dunning_level_id | contracts.notify_level_id).fetch(
            ["days", "is_formal_notice", "is_litigation", "scenario_id"]
        )
        return self

    def _factoring_invoices(self):
        """The invoices of this reminder and the factoring contract of each one the customer
        is to pay to the factor: ``(invoices, {invoice: contract})``."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.line_type == "invoice")
        moves = lines.move_id
        levels = {line.move_id.id: line.level_id for line in lines}
        paid = moves._factoring_paid_to_factor_moves(levels)
        return moves, {move: move.factoring_contract_id.sudo() for move in paid}

    def _factoring_contracts(self):
        """The contracts the invoices of this reminder are to be paid to the factor under."""
        _moves, paid = self._factoring_invoices()
        contracts = self.env["credit.factoring.contract"].sudo()
        for contract in paid.values():
            contracts |= contract
        return contracts

    def _factoring_payment_blocks(self):
        """What the reminder tells the customer to pay the factor, per notified contract:
        ``contract``, ``moves`` (its invoices on the reminder), ``bank`` (the factor's account)
        and ``mention`` (the subrogation mention in the customer's language)."""
        self.ensure_one()
        _moves, paid = self._factoring_invoices()
        by_contract = {}
        for move, contract in paid.items():
            by_contract.setdefault(contract, self.env["account.move"])
            by_contract[contract] |= move
        return [
            {
                "contract": contract,
                "moves": moves,
                "bank": contract.bank_account_id,
                "mention": contract._subrogation_text(self.partner_id.lang),
            }
            for contract, moves in by_contract.items()
        ]

    def _factoring_paid_to_factor(self):
        """Whether every invoice of the reminder is to be paid to one factor."""
        self.ensure_one()
        moves, paid = self._factoring_invoices()
        return bool(moves) and len(paid) == len(moves) and len(set(paid.values())) == 1

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
