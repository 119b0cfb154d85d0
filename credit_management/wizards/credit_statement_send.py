from odoo import _
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CreditStatementSend(models.TransientModel):
    """Send statements: to the customers selected, or to every customer with open items of
    the current company; one email each, and the list of those skipped (no email address)."""

    _name = "credit.statement.send"
    _description = "Send Customer Statements"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, default=lambda self: self.env.company
    )
    target = fields.Selection(
        selection=[
            ("selected", "The selected customers"),
            ("all", "Every customer with open items"),
        ],
        string="Send to",
        required=True,
        default="all",
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="credit_statement_send_partner_rel",
        column1="wizard_id",
        column2="partner_id",
        string="Customers",
    )
    template_id = fields.Many2one(
        comodel_name="mail.template",
        string="Email Template",
        required=True,
        domain=[("model", "=", "res.partner")],
        default=lambda self: self.env.ref(
            "credit_management.mail_template_credit_statement", raise_if_not_found=False
        ),
    )
    state = fields.Selection(
        selection=[("draft", "Draft"), ("done", "Done")], default="draft", required=True
    )
    sent_count = fields.Integer(string="Statements Sent", readonly=True)
    skipped_partner_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="credit_statement_send_skipped_rel",
        column1="wizard_id",
        column2="partner_id",
        string="Skipped Customers",
        readonly=True,
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "res.partner" and context.get("active_ids"):
            customers = self.env["res.partner"].browse(context["active_ids"]).commercial_partner_id
            if "default_target" not in context:
                values["target"] = "selected"
            if "default_partner_ids" not in context:
                values["partner_ids"] = [fields.Command.set(customers.ids)]
        return values

    def action_send(self):
        self.ensure_one()
        self.check_access("write")
        if self.target == "all":
            customers = self.env["res.partner"]._credit_statement_customers(self.company_id)
            if not customers:
                raise UserError(
                    _("No customer has open items in %(company)s.", company=self.company_id.name)
                )
        else:
            customers = self.partner_ids.commercial_partner_id
            if not customers:
                raise UserError(_("Select the customers to send their statement to."))
        sent, skipped = customers._credit_statement_send(self.template_id, self.company_id)
        self.write(
            {
                "state": "done",
                "sent_count": len(sent),
                "skipped_partner_ids": [fields.Command.set(skipped.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Send Statements"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
