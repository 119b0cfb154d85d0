"""Records the end-to-end tests start from, made as the administrator over XML-RPC.

Each call gives new records (a customer of its own each time), so that what one test does,
or fails to refuse, never shows in another. Customers owing an overdue invoice are made
ahead, in batches (``POOL_BATCH``): one call makes and posts the invoices of many.
"""

import datetime
import uuid

TODAY = datetime.date.today()


def days(count):
    """The date ``count`` days from today, as the API takes it."""
    return str(TODAY + datetime.timedelta(days=count))


class Records:
    POOL_BATCH = 20

    def __init__(self, admin):
        self.admin = admin
        self.call = admin.call
        self._pool = []
        self._refs = {}
        self._product = None
        self._hold_mode_set = False
        [user] = admin.call("res.users", "read", [admin.uid], ["company_id"])
        self.company_id = user["company_id"][0]
        self.currency_id = admin.call("res.company", "read", [self.company_id], ["currency_id"])[0][
            "currency_id"
        ][0]

    def customers(self, count):
        """``count`` customer companies, with an email address (reminders go by email)."""
        tags = [uuid.uuid4().hex[:8] for _ in range(count)]
        return self.call(
            "res.partner",
            "create",
            [
                {"name": f"Client {tag}", "is_company": True, "email": f"compta.{tag}@example.fr"}
                for tag in tags
            ],
        )

    def customer(self):
        return self.customers(1)[0]

    def ref(self, xmlid):
        if xmlid not in self._refs:
            self._refs[xmlid] = self.admin.ref(xmlid)
        return self._refs[xmlid]

    def invoices(self, specs, due=-60):
        """Posted moves, one per ``(partner, move_type, amount)`` of ``specs`` (customer
        invoices and credit notes, vendor bills), dated and due ``due`` days from today."""
        moves = self.call(
            "account.move",
            "create",
            [
                {
                    "move_type": move_type,
                    "partner_id": partner,
                    "invoice_date": days(due),
                    "invoice_date_due": days(due),
                    # No tax: the amounts are the amounts typed.
                    "invoice_line_ids": [
                        (0, 0, {"name": "Livraison", "price_unit": amount, "tax_ids": [(5,)]})
                    ],
                }
                for partner, move_type, amount in specs
            ],
        )
        self.call("account.move", "action_post", moves)
        return moves

    def invoice(self, partner, amount=250.0, move_type="out_invoice", due=-60):
        return self.invoices([(partner, move_type, amount)], due=due)[0]

    def overdue_customer(self, fresh=False):
        """``(customer, invoice)``: a customer owing one invoice of 250, due 60 days ago;
        ``fresh``: made now (not ahead, before what an earlier test did to every customer)."""
        if fresh:
            partner = self.customer()
            return partner, self.invoice(partner)
        if not self._pool:
            partners = self.customers(self.POOL_BATCH)
            moves = self.invoices([(partner, "out_invoice", 250.0) for partner in partners])
            self._pool = list(zip(partners, moves, strict=True))
        return self._pool.pop()

    def product(self):
        if not self._product:
            self._product = self.call(
                "product.product",
                "create",
                {
                    "name": "Palette de farine",
                    "type": "consu",
                    "list_price": 100.0,
                    "taxes_id": [(5,)],
                },
            )
        return self._product

    def held_order(self, salesperson):
        """A quotation of ``salesperson`` that the credit hold blocks (block mode): its
        customer is on hold by a credit manager's decision."""
        if not self._hold_mode_set:
            self.call("res.company", "write", [self.company_id], {"credit_hold_mode": "block"})
            self._hold_mode_set = True
        partner = self.customer()
        self.call("res.partner", "write", [partner], {"credit_hold_manual": True})
        return self.call(
            "sale.order",
            "create",
            {
                "partner_id": partner,
                "user_id": salesperson,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product(),
                            "product_uom_qty": 1,
                            "price_unit": 500.0,
                        },
                    )
                ],
            },
        )

    def dispute(self):
        partner, invoice = self.overdue_customer()
        return self.call(
            "credit.dispute",
            "create",
            {
                "partner_id": partner,
                "move_ids": [(6, 0, [invoice])],
                "reason_id": self.ref("credit_management.dispute_reason_price"),
            },
        )

    def promise(self):
        partner, invoice = self.overdue_customer()
        return self.call(
            "credit.payment.promise",
            "create",
            {
                "partner_id": partner,
                "move_ids": [(6, 0, [invoice])],
                "amount": 250.0,
                "date_promised": days(10),
            },
        )

    def reminder(self, partner=None):
        """A draft reminder (not sent) of ``partner`` (a new customer by default)."""
        if partner is None:
            partner = self.customer()
        return self.call(
            "credit.dunning",
            "create",
            {
                "partner_id": partner,
                "currency_id": self.currency_id,
                "level_id": self.ref("credit_management.dunning_level_standard_2"),
            },
        )

    def sent_reminder(self, partner):
        """A reminder of ``partner`` sent now by hand (*Send a reminder now*): with its
        payment link."""
        # The level, as the form's onchange gives it to the web client.
        level = self.ref("credit_management.dunning_level_standard_2")
        wizard = self.call(
            "credit.dunning.send", "create", {"partner_id": partner, "level_id": level}
        )
        return self.call("credit.dunning.send", "action_send", [wizard])["res_id"]

    def link(self, moves):
        """The payment link of ``moves`` (invoices of one customer), sent by email as a
        collector does it (*Send a payment link*: links are made by the model only)."""
        wizard = self.call("credit.payment.link.send", "create", {"move_ids": [(6, 0, moves)]})
        return self.call("credit.payment.link.send", "action_send", [wizard])["res_id"]

    def policy(self):
        insurer = self.call(
            "res.partner", "create", {"name": "Assureur Crédit", "is_company": True}
        )
        return self.call(
            "credit.insurance.policy",
            "create",
            {
                "name": "Police globale",
                "insurer_id": insurer,
                "api_base_url": "https://api.insurer.example",
                "api_path_prefix": "v1",
                "soap_wsdl_url": "https://api.insurer.example/service.wsdl",
            },
        )

    def count(self, model, domain):
        return self.call(model, "search_count", domain)

    def read(self, model, record, fields):
        [values] = self.call(model, "read", [record], fields)
        return values
