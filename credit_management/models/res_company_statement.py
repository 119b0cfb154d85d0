"""The monthly customer statements: a company setting and the scheduled action that sends
them, on the first day of each month, to every customer with open items."""

import logging

import odoo
from odoo import api
from odoo import fields
from odoo import models

_logger = logging.getLogger(__name__)


# One concern of the company per file, as account splits its models.
class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    credit_statement_monthly = fields.Boolean(
        string="Monthly Customer Statements",
        help="On the first day of each month, email its statement to every customer with open "
        "items.",
    )
    credit_statement_last_date = fields.Date(
        string="Last Monthly Statements",
        readonly=True,
        copy=False,
        help="When the monthly statements were last sent: they are sent once a month.",
    )

    @api.model
    def _cron_send_credit_statements(self):
        """Monthly scheduled action: the statements of every customer with open items, for
        the companies that enabled them, once a month each (a rerun in the same month sends
        nothing again)."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        companies = self.sudo().search(
            [
                ("credit_statement_monthly", "=", True),
                "|",
                ("credit_statement_last_date", "=", False),
                ("credit_statement_last_date", "<", month),
            ]
        )
        for company in companies:
            # Customers' emails and PDFs are in each customer's language (the template's
            # ``lang`` and the report's ``t-lang``); the chatter notes in the users'.
            partners = company._credit_in_users_lang(
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                # Commit per batch (not in tests, whose transaction is rolled back).
                .with_context(
                    allowed_company_ids=company.ids,
                    credit_statement_commit=not odoo.modules.module.current_test,
                )
            )
            customers = partners._credit_statement_customers(company)
            sent, skipped = customers._credit_statement_send(company=company)
            company.credit_statement_last_date = today
            _logger.info(
                "Statements of %s: %d sent, %d customers without email address skipped",
                company.name,
                len(sent),
                len(skipped),
            )
            if skipped:
                company._credit_statement_report_skipped(skipped)

    def _credit_statement_report_skipped(self, skipped):
        """Tell the company's collector which customers got no statement (no address)."""
        self.ensure_one()
        user = self.credit_responsible_id or self.credit_manager_id
        if not user:
            return
        names = ", ".join(skipped[:20].mapped("display_name"))
        if len(skipped) > 20:
            names += ", …"
        lang_self = self.with_context(lang=self._credit_users_lang())
        self.partner_id.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=lang_self.env._("Customer statements not sent: no email address"),
            note=lang_self.env._(
                "These customers have no email address (nor an invoicing contact with one) "
                "and got no monthly statement: %(customers)s",
                customers=names,
            ),
        )
