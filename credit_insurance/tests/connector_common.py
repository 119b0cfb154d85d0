from urllib.parse import urlsplit

from odoo.exceptions import UserError
from odoo.tests import common as test_common

from .common import InsuranceCommon


class ConnectorCommon(InsuranceCommon):
    """A customer with a valid SIREN, and helpers to read the exchange log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"company_registry": "732829320", "country_id": cls.env.ref("base.fr").id}
        )

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's test harness raises any timeout under 10 s to 10 s; the fake insurers run
        # on 127.0.0.1, where the policy's own (short) timeout is what is under test.
        if urlsplit(r.url).hostname == "127.0.0.1":
            return test_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)

    def _exchanges(self, policy=None):
        return self.env["credit.insurance.exchange"].search(
            [("policy_id", "=", (policy or self.policy).id)], order="id"
        )

    def _assert_redacted(self, secrets, policy=None):
        """No secret value appears anywhere in the policy's exchange log."""
        exchanges = self._exchanges(policy)
        self.assertTrue(exchanges, "the exchanges are logged")
        for exchange in exchanges:
            text = " ".join(
                filter(
                    None,
                    (exchange.url, exchange.request_body, exchange.response_body, exchange.error),
                )
            )
            for secret in secrets:
                self.assertNotIn(secret, text, f"secret leaked in the {exchange.operation} log")

    def _declare_twice(self, buyer_ref):
        """Two insured overdue invoices of the customer declared with the invoices' action,
        then declared again: the second time nothing is sent.

        :return: the invoices, and their exchanges of the declaration (one call per buyer).
        """
        self._decide(self._cover(self.customer, 5000.0, buyer_ref=buyer_ref), "granted", 5000.0)
        invoices = self._invoice(self.customer, 800.0, due_days=-20) | self._invoice(
            self.customer, 300.0, due_days=-10
        )
        self.assertEqual(set(invoices.mapped("insurance_declaration_state")), {"to_declare"})
        self.assertTrue(invoices.action_insurance_declare())
        self.assertEqual(set(invoices.mapped("insurance_declaration_state")), {"declared"})
        reference = invoices[0].insurance_declaration_ref
        self.assertTrue(reference, "the insurer's id of the declaration is kept")
        self.assertEqual(
            invoices.mapped("insurance_declaration_ref"),
            [reference, reference],
            "one declaration, its reference on each of its invoices",
        )
        self.assertIn(reference, invoices[0].message_ids[0].body)
        declarations = self._exchanges().filtered(lambda e: e.operation == "declare_overdue")
        self.assertEqual(len(declarations), 1, "one call for the buyer's invoices")

        # Declared again, from the action or through the provider: the insurer is not called.
        with self.assertRaises(UserError):
            invoices.action_insurance_declare()
        self.policy._insurer_declare_overdue(invoices)
        self.assertEqual(
            self._exchanges().filtered(lambda e: e.operation == "declare_overdue"), declarations
        )
        self.assertEqual(invoices.mapped("insurance_declaration_ref"), [reference, reference])
        return invoices, declarations

    def _failure(self, function, *args):
        """The readable error of ``function(*args)``, without rolling back its log."""
        try:
            function(*args)
        except UserError as error:
            return str(error)
        self.fail("a readable error was expected")
