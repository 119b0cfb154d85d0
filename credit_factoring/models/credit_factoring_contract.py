"""A factoring contract: the factor, how the invoices are assigned, financed and collected.

The contract says what the customer sees (``kind``: notified, confidential or
semi-confidential) and who does the collection work (``collected_by``): the invoices of a
contract collected by the factor are never reminded by the company's dunning; those of a
notified contract collected by the company are reminded with the factor's bank account and the
subrogation mention. Its rates give the amounts of its batches (``engine.amounts``); its
journal and accounts receive their entries (nothing is posted without them); its statement
mapping reads the factor's statements.
"""

from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.credit_management import compat
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command

CONTRACT_KINDS = [
    ("notified", "Notified"),
    ("confidential", "Confidential"),
    ("semi_confidential", "Semi-Confidential"),
]
COLLECTORS = [("factor", "The Factor"), ("company", "The Company")]
CONTRACT_STATES = [("draft", "Draft"), ("active", "Active"), ("closed", "Closed")]
# The accounts an entry of the contract needs, by the field that names each.
ACCOUNT_FIELDS = (
    "factor_account_id",
    "assignment_account_id",
    "retention_account_id",
    "fee_account_id",
    "interest_account_id",
)


class CreditFactoringContract(models.Model):
    _name = "credit.factoring.contract"
    _description = "Factoring Contract"
    _inherit = ["mail.thread", "credit.workflow.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(string="Contract Number", tracking=True)
    factor_id = fields.Many2one(
        comodel_name="res.partner",
        required=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="The currency of the invoices the contract takes, of its batches and statements.",
    )
    kind = fields.Selection(
        selection=CONTRACT_KINDS,
        required=True,
        default="notified",
        tracking=True,
        help="Notified: the customers are told and pay the factor. Confidential: they are not "
        "told and pay the company. Semi-confidential: confidential until the factor notifies "
        "an unpaid invoice.",
    )
    collected_by = fields.Selection(
        selection=COLLECTORS,
        required=True,
        default="company",
        tracking=True,
        help="Who does the collection work (managed or unmanaged contract): the invoices the "
        "factor collects are never reminded by the company.",
    )
    advance_rate = fields.Float(
        digits=(5, 2), default=90.0, tracking=True, help="Part of the financed amount advanced (%)."
    )
    retention_rate = fields.Float(
        string="Guarantee Fund Rate",
        digits=(5, 2),
        default=10.0,
        tracking=True,
        help="Part of the assigned amount held by the factor until the customers pay (%).",
    )
    fee_rate = fields.Float(
        string="Factoring Fee Rate",
        digits=(5, 3),
        default=0.5,
        tracking=True,
        help="Fee on the assigned amount (%).",
    )
    financing_rate = fields.Float(
        digits=(5, 3),
        default=4.0,
        tracking=True,
        help="Interest a year on the advance, from the batch to the invoice's due date (%).",
    )
    fee_tax_id = fields.Many2one(
        comodel_name="account.tax",
        string="VAT on the Fee",
        check_company=True,
        domain="[('type_tax_use', '=', 'purchase'), ('amount_type', '=', 'percent')]",
        tracking=True,
        help="The (deductible) VAT the factor charges on its factoring fee: worked out on "
        "each batch's fee and posted with it, on the tax's account, owed to the factor.",
    )
    bank_account_id = fields.Many2one(
        comodel_name="res.partner.bank",
        string="Factor's Bank Account",
        domain="[('partner_id', '=', factor_id)]",
        tracking=True,
        help="Where the customers of a notified contract pay.",
    )
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Factoring Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Receives the assignment, fee, interest and recourse entries.",
    )
    bank_journal_id = fields.Many2one(
        comodel_name="account.journal",
        check_company=True,
        domain="[('type', '=', 'bank')]",
        help="Receives the advances and the retention the factor pays.",
    )
    factor_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Factor's Account",
        check_company=True,
        help="The factor's current account (467).",
    )
    assignment_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Assigned Receivables Account",
        check_company=True,
        help="Carries the receivables assigned to the factor until the customers pay them "
        "(4xx, not a receivable account): the customer's debt stays on its own account, "
        "reminded and aged as the contract says.",
    )
    retention_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Guarantee Fund Account",
        check_company=True,
        help="The retention held by the factor (467 or 275).",
    )
    fee_account_id = fields.Many2one(
        comodel_name="account.account",
        check_company=True,
        help="Factoring fees (622).",
    )
    interest_account_id = fields.Many2one(
        comodel_name="account.account",
        check_company=True,
        help="Financing interest (661).",
    )
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(tracking=True)
    state = fields.Selection(
        selection=CONTRACT_STATES, default="draft", required=True, readonly=True, tracking=True
    )
    notify_level_id = fields.Many2one(
        comodel_name="credit.dunning.level",
        string="Notified from Level",
        help="Semi-confidential contracts: the reminders from this level on (its days past the "
        "due date or more, whatever the scenario) give the factor's bank account and the "
        "subrogation mention, and so does the customer's statement for the invoices reminded "
        "that far. Empty: from the formal notice of the reminder's scenario on.",
    )
    subrogation_mention = fields.Text(
        translate=True,
        help="Printed on the reminders and letters of a notified contract. {factor} and {iban} "
        "are replaced by the factor's name and IBAN.",
        default=lambda self: self._default_subrogation_mention(),
    )
    approval_ids = fields.One2many(
        comodel_name="credit.factoring.approval", inverse_name="contract_id", string="Approvals"
    )
    batch_ids = fields.One2many(
        comodel_name="credit.factoring.batch", inverse_name="contract_id", string="Batches"
    )
    # The factor's statement layout (a CSV or XLSX sheet with a header row).
    statement_delimiter = fields.Char(default=";", size=1)
    statement_col_date = fields.Char(string="Date Column", default="date")
    statement_col_kind = fields.Char(string="Operation Column", default="operation")
    statement_col_invoice = fields.Char(string="Invoice Column", default="invoice")
    statement_col_amount = fields.Char(string="Amount Column", default="amount")
    statement_col_reference = fields.Char(
        string="Line Reference Column",
        default="reference",
        help="The factor's own id of each line: a line already imported is not imported again.",
    )
    statement_code_collection = fields.Char(string="Collection Code", default="ENC")
    statement_code_advance = fields.Char(string="Advance Code", default="FIN")
    statement_code_fee = fields.Char(string="Fee Code", default="COM")
    statement_code_interest = fields.Char(string="Interest Code", default="INT")
    statement_code_release = fields.Char(string="Retention Release Code", default="FDG")
    statement_code_return = fields.Char(string="Return Code", default="DEF")

    _rates_check = compat.Constraint(
        "CHECK(advance_rate BETWEEN 0 AND 100 AND retention_rate BETWEEN 0 AND 100 "
        "AND fee_rate >= 0 AND financing_rate >= 0)",
        "The rates of a factoring contract are percentages between 0 and 100.",
    )

    @api.model
    def _default_subrogation_mention(self):
        return _(
            "To discharge your debt, your payment must be made directly to {factor}, which "
            "receives it by subrogation under a factoring contract (IBAN {iban}). It must be "
            "informed of any claim relating to this debt."
        )

    # ------------------------------------------------------------
    # WORKFLOW FIELDS
    # ------------------------------------------------------------

    @api.model
    def _workflow_protected_fields(self):
        return super()._workflow_protected_fields() | {"state"}

    @api.model
    def _workflow_initial_values(self):
        return {**super()._workflow_initial_values(), "state": "draft"}

    # ------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        # The default mention in every language of the database, not only the creator's.
        defaults = [
            c
            for c, vals in zip(contracts, vals_list, strict=True)
            if "subrogation_mention" not in vals
        ]
        langs = [code for code, _name in self.env["res.lang"].get_installed()]
        for contract in defaults:
            contract.update_field_translations(
                "subrogation_mention",
                {
                    lang: contract.with_context(lang=lang)._default_subrogation_mention()
                    for lang in langs
                },
            )
        return contracts

    # ------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(_("A factoring contract cannot end before it starts."))

    @api.constrains("fee_tax_id")
    def _check_fee_tax(self):
        for contract in self:
            tax = contract.fee_tax_id
            if tax and (tax.amount_type != "percent" or not contract._fee_tax_account()):
                raise ValidationError(
                    _(
                        "The VAT on the fee of %(contract)s must be a percentage with an account "
                        "for its amount (%(tax)s).",
                        contract=contract.display_name,
                        tax=tax.display_name,
                    )
                )

    @api.constrains("bank_account_id", "factor_id")
    def _check_bank_account(self):
        for contract in self:
            bank = contract.bank_account_id
            if bank and bank.partner_id.commercial_partner_id != contract.factor_id:
                raise ValidationError(
                    _(
                        "The bank account of %(contract)s must be the factor's.",
                        contract=contract.display_name,
                    )
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_activate(self):
        self._check_manager()
        for contract in self:
            if contract.kind != "confidential" and not contract.bank_account_id:
                raise UserError(
                    _(
                        "%(contract)s is notified or semi-confidential: give the factor's bank "
                        "account, where the customers pay.",
                        contract=contract.display_name,
                    )
                )
        self._workflow_write({"state": "active"})

    def action_close(self):
        self._check_manager()
        self._workflow_write({"state": "closed"})

    def action_draft(self):
        self._check_manager()
        self._workflow_write({"state": "draft"})

    # ------------------------------------------------------------
    # HELPER METHODS
    # ------------------------------------------------------------

    def _check_manager(self):
        """The caller may change these contracts (rights, rules) and manages credit."""
        self.check_access("write")
        if not self._workflow_may_set():
            raise AccessError(_("Only credit managers can do this on factoring contracts."))

    def _check_accounting(self):
        """Refuse, with what is missing, when an entry of the contract cannot be posted."""
        self.ensure_one()
        missing = [
            self._fields[fname]._description_string(self.env)
            for fname in ("journal_id", "bank_journal_id", *ACCOUNT_FIELDS)
            if not self[fname]
        ]
        if missing:
            raise UserError(
                _(
                    "Nothing can be posted for %(contract)s: give its %(missing)s.",
                    contract=self.display_name,
                    missing=", ".join(missing),
                )
            )

    def _approved_limits(self, date=None):
        """``{customer id: limit}`` in force on ``date`` (today): each customer's latest
        decision of the factor (a refusal is a limit of 0)."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        limits = {}
        approvals = self.env["credit.factoring.approval"].search(
            [("contract_id", "=", self.id), ("date", "<=", date), ("state", "!=", "requested")],
            order="date, id",
        )
        for approval in approvals:
            limits[approval.partner_id.id] = (
                approval.amount if approval.state == "approved" else 0.0
            )
        return limits

    def _factoring_notifies_at(self, *levels):
        """Whether the customers pay the factor for an invoice of this contract reminded at
        one of ``levels`` (empty recordsets or None ignored): always on a notified contract,
        never on a confidential one; on a semi-confidential one, from its notification level
        on (``notify_level_id``, else the formal notice of the level's scenario)."""
        self.ensure_one()
        if self.kind == "notified":
            return True
        if self.kind != "semi_confidential":
            return False
        for level in levels:
            if not level:
                continue
            if self.notify_level_id:
                if level.days >= self.notify_level_id.days:
                    return True
                continue
            if level.is_formal_notice or level.is_litigation:
                return True
            notices = level.scenario_id.level_ids.filtered("is_formal_notice")
            if notices and level.days >= min(notices.mapped("days")):
                return True
        return False

    def _factoring_dunning_note(self, collected=False, paid=False):
        """The mark of an invoice of this contract on the reminder plan and the invoice:
        ``collected`` (the factor collects it) or ``paid`` (reminded, to be paid to the
        factor); an empty string otherwise (confidential: nothing changes)."""
        if not self:
            return ""
        self.ensure_one()
        if collected:
            return _("Not reminded: collected by %(factor)s", factor=self.factor_id.name)
        if paid:
            return _("Reminded, to be paid to %(factor)s", factor=self.factor_id.name)
        return ""

    def _fee_tax_account(self):
        """The account the VAT on the fee goes to: its tax's (the tax line of its invoice
        distribution)."""
        self.ensure_one()
        lines = self.fee_tax_id.invoice_repartition_line_ids
        return lines.filtered(lambda line: line.repartition_type == "tax").account_id[:1]

    def _subrogation_text(self, lang=None):
        """The subrogation mention, in ``lang``, with the factor's name and IBAN."""
        self.ensure_one()
        contract = self.with_context(lang=lang) if lang else self
        template = contract.subrogation_mention or ""
        return template.replace("{factor}", self.factor_id.name or "").replace(
            "{iban}", self.bank_account_id.display_name or ""
        )

    def _post_entry(self, journal, date, ref, lines):
        """Post an entry of the contract: ``lines`` are ``(account, amount in the
        contract's currency (positive: debit), partner id, label)``; zero lines are left out.
        Each amount is converted to the company's currency at ``date``."""
        self.ensure_one()
        company = self.company_id
        currency = self.currency_id
        line_vals = []
        for account, amount, partner_id, label in lines:
            if currency.is_zero(amount):
                continue
            line_vals.append(
                Command.create(
                    {
                        "account_id": account.id,
                        "partner_id": partner_id,
                        "name": label,
                        "currency_id": currency.id,
                        "amount_currency": amount,
                        "balance": currency._convert(amount, company.currency_id, company, date),
                    }
                )
            )
        if not line_vals:
            return self.env["account.move"]
        # sudo: credit managers post the factoring entries without being accountants; the
        # action that calls this checked them.
        # A plain entry: no invoice lines to synchronise (as Odoo reverses its entries).
        entry = (
            self.env["account.move"]
            .sudo()
            .with_company(company)
            .with_context(skip_invoice_sync=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": ref,
                    "line_ids": line_vals,
                }
            )
        )
        entry.action_post()
        return entry
