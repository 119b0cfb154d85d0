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

    def _declare_one_buyer_failing(self, buyer_ref, other_ref):
        """Invoices of two buyers declared at once, the insurer accepting the first buyer's
        and answering HTTP 500 to every try of the second's: the first declared with its
        reference, the second left to declare with the reason on its chatter, a warning
        naming it, every try logged; declared again once the insurer is back, only the
        second is sent.

        :return: the two invoices (the first buyer's, the second's).
        """
        other = self.env["res.partner"].create(
            {"name": "Epiceries Durand SARL", "is_company": True}
        )
        self._decide(self._cover(self.customer, 5000.0, buyer_ref=buyer_ref), "granted", 5000.0)
        self._decide(self._cover(other, 5000.0, buyer_ref=other_ref), "granted", 5000.0)
        first = self._invoice(self.customer, 800.0, due_days=-20)
        second = self._invoice(other, 300.0, due_days=-10)
        self.server.failing_buyers.add(other_ref)

        # The chatter's tracking on (disabled by the test base): the first buyer's must last.
        result = (
            (first | second)
            .with_context(tracking_disable=False, mail_notrack=False)
            .action_insurance_declare()
        )
        self.assertEqual(result["tag"], "display_notification", "a warning, not an error")
        params = result["params"]
        self.assertEqual((params["type"], params["sticky"]), ("warning", True))
        self.assertIn(f"{other.name} ({second.name})", params["message"])
        self.assertIn("HTTP 500", params["message"], "the insurer's reason")
        self.assertNotIn(first.name, params["message"])
        self.assertEqual(first.insurance_declaration_state, "declared", "the accepted one kept")
        reference = first.insurance_declaration_ref
        self.assertTrue(reference, "the insurer's reference of the accepted one kept")
        self.assertTrue(
            any(reference in message.body for message in first.message_ids),
            "the chatter says the reference",
        )
        self.env.flush_all()
        self.env.cr.precommit.run()  # the chatter's tracking, as a commit would post it
        self.assertIn(
            "insurance_declaration_ref",
            first.message_ids.sudo().tracking_value_ids.field_id.mapped("name"),
            "the tracking of the accepted declaration survives the later buyer's rollback",
        )
        self.assertEqual(
            (second.insurance_declaration_state, second.insurance_declaration_ref),
            ("to_declare", False),
        )
        self.assertIn("Not declared", second.message_ids[0].body)
        self.assertIn("HTTP 500", second.message_ids[0].body)
        declarations = self._exchanges().filtered(lambda e: e.operation == "declare_overdue")
        self.assertEqual(
            declarations.mapped("success"),
            [True, False, False, False],
            "the first buyer's call and each of the three tries of the second logged",
        )
        self.assertEqual(declarations[1:].mapped("status_code"), [500, 500, 500])
        self.assertTrue(self.policy.last_error)

        # The insurer is back: declared again, only the second buyer is sent.
        self.server.failing_buyers.clear()
        self.assertIs((first | second).action_insurance_declare(), True)
        self.assertEqual(
            (first | second).mapped("insurance_declaration_state"), ["declared", "declared"]
        )
        self.assertEqual(first.insurance_declaration_ref, reference, "the first left alone")
        self.assertTrue(second.insurance_declaration_ref)
        self.assertNotEqual(second.insurance_declaration_ref, reference)
        later = (
            self._exchanges().filtered(lambda e: e.operation == "declare_overdue") - declarations
        )
        self.assertEqual(later.mapped("success"), [True], "one call, for the second buyer")
        return first, second

    def _declare_every_buyer_failing(self, buyer_ref, other_ref):
        """Invoices of two buyers, the insurer failing both: the readable error raised,
        nothing declared."""
        other = self.env["res.partner"].create(
            {"name": "Epiceries Durand SARL", "is_company": True}
        )
        self._decide(self._cover(self.customer, 5000.0, buyer_ref=buyer_ref), "granted", 5000.0)
        self._decide(self._cover(other, 5000.0, buyer_ref=other_ref), "granted", 5000.0)
        invoices = self._invoice(self.customer, 800.0, due_days=-20) | self._invoice(
            other, 300.0, due_days=-10
        )
        self.server.failing_buyers.update((buyer_ref, other_ref))
        error = self._failure(invoices.action_insurance_declare)
        self.assertIn("No invoice could be declared", error)
        for invoice in invoices:
            self.assertIn(invoice.name, error)
        self.assertIn("HTTP 500", error)
        self.assertEqual(invoices.mapped("insurance_declaration_state"), ["to_declare"] * 2)
        self.assertEqual(invoices.mapped("insurance_declaration_ref"), [False, False])

    def _failure(self, function, *args):
        """The readable error of ``function(*args)``, without rolling back its log."""
        try:
            function(*args)
        except UserError as error:
            return str(error)
        self.fail("a readable error was expected")
