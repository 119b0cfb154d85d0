import json

from odoo.tests import tagged

from .common import PaymentLinkCommon

BAD_TOKEN = "AQAAAAEAAAAAc2lnbmF0dXJlc2lnbmF0dXJl"
# Digits that are no ASCII digits: Arabic-Indic one, superscript two.
ARABIC_ONE = "\N{ARABIC-INDIC DIGIT ONE}"
SUPERSCRIPT_TWO = "\N{SUPERSCRIPT TWO}"
VALIDATION_ERROR = "odoo.exceptions.ValidationError"


@tagged("post_install", "-at_install")
class TestPaymentLinkTransaction(PaymentLinkCommon):
    """The transaction route takes what the page offered, for the server's amount, and
    nothing of the visitor's choosing; every parameter of the routes is parsed."""

    def setUp(self):
        super().setUp()
        self.first = self._invoice(self.customer, 300.0, due_days=-20)
        self.second = self._invoice(self.customer, 200.0, due_days=-10)
        self.link = self.Link._create_for_moves(self.first | self.second)
        self.method = self.env.ref("payment_demo.payment_method_demo")

    def _refused(self, answer, message=None):
        """Assert a JSON error the visitor can read, and that nothing was paid."""
        self.assertIn("error", answer, answer)
        data = answer["error"]["data"]
        self.assertEqual(data["name"], VALIDATION_ERROR, data.get("message"))
        # The server's traceback stays in its log.
        self.assertFalse(data.get("debug"), "no traceback to the visitor")
        self.assertNotIn("Traceback", json.dumps(answer))
        if message:
            self.assertIn(message, data["message"])
        self.assertFalse(self.link.transaction_ids, "no transaction created")
        self.assertFalse(
            self.env["credit.payment.link.claim"].sudo().search([]), "no invoice claimed"
        )

    def _json(self, path, params):
        response = self.url_open(
            path,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:300])
        return response.json()

    def test_provider_the_page_does_not_offer_refused(self):
        """An unpublished provider of the company, or one the page does not offer for this
        currency, is refused; so is a payment method the provider does not have."""
        hidden = self.provider.copy({"name": "Hidden", "is_published": False, "state": "test"})
        other_currency = self.provider.copy(
            {
                "name": "In euros",
                "state": "test",
                "is_published": True,
                "available_currency_ids": [(6, 0, self.setup_other_currency("EUR").ids)],
            }
        )
        checkout = self._checkout(self.link, self.second)
        for provider in (hidden, other_currency):
            self.assertNotIn(f'data-provider-id="{provider.id}"', checkout.text)
            self._refused(
                self._transaction(self.link, self.second, 200.0, provider_id=provider.id),
                "cannot be used here",
            )
        card = self.env.ref("payment.payment_method_card")
        self.assertNotIn(self.provider, card.provider_ids)
        self._refused(
            self._transaction(self.link, self.second, 200.0, payment_method_id=card.id),
            "cannot be used here",
        )
        answer = self._transaction(self.link, self.second, 200.0)
        self.assertIn("result", answer, "the offered provider and method pay")

    def test_no_tokenisation_nor_landing_route_of_the_visitor(self):
        self.provider.allow_tokenization = True
        answer = self._transaction(
            self.link,
            self.second,
            200.0,
            tokenization_requested=True,
            landing_route="https://attacker.example/phish",
        )
        self.assertIn("result", answer, answer)
        tx = self.link.transaction_ids
        self.assertEqual(len(tx), 1)
        self.assertFalse(tx.tokenize, "no card saved on the customer by a visitor")
        self.assertEqual(tx.landing_route, f"/pay/{self.link._token()}")
        self.assertFalse(answer["result"].get("should_tokenize"))

    def test_no_token_flow_nor_validation(self):
        for params in ({"flow": "token"}, {"is_validation": True}, {"flow": ["direct"]}):
            self._refused(
                self._transaction(self.link, self.second, 200.0, **params),
                "cannot be used here",
            )

    def test_bad_tokens_on_the_json_route_count(self):
        """Ten bad tokens tried on the transaction route (each answered with an error, its
        transaction rolled back): the address then waits, on every route."""
        for i in range(10):
            answer = self._json(
                f"/pay/{BAD_TOKEN[:-2]}{i:02d}/transaction/{self.second.id}",
                {"amount": 200.0, "provider_id": self.provider.id, "flow": "direct"},
            )
            self.assertIn("no longer valid", answer["error"]["data"]["message"])
        self.assertEqual(self._open(self.link).status_code, 429, "the address waits")
        answer = self._transaction(self.link, self.second, 200.0, access_token="x")
        self.assertIn("error", answer)
        self.assertFalse(self.link.transaction_ids)

    def test_transaction_parameters_parsed(self):
        """provider_id and payment_method_id as text, list, huge or unicode digits, amounts
        that are no number, ids of the selection that are no ids: a readable error each,
        never a server error, nothing written."""
        bad_ids = (
            "1",
            "abc",
            [1],
            {"id": 1},
            2**63,
            -1,
            0,
            True,
            1.5,
            ARABIC_ONE,
            SUPERSCRIPT_TWO,
            None,
        )
        for value in bad_ids:
            for key in ("provider_id", "payment_method_id"):
                with self.subTest(key=key, value=value):
                    answer = self._transaction(self.link, self.second, 200.0, **{key: value})
                    self._refused(answer, "cannot be used here")
        token = self.link._token()
        for amount in (
            "200.0",
            [200.0],
            "NaN",
            "Infinity",
            None,
            True,
            1e308,
            10**400,
            -200.0,
            float("nan"),
            float("inf"),
        ):
            with self.subTest(amount=amount):
                answer = self._json(
                    f"/pay/{token}/transaction/{self.second.id}",
                    {
                        "amount": amount,
                        "provider_id": self.provider.id,
                        "payment_method_id": self.method.id,
                        "flow": "direct",
                        "access_token": "x",
                    },
                )
                self._refused(answer)
        for selection in (
            SUPERSCRIPT_TWO,
            "9" * 5000,
            "1--2",
            "-1",
            f"{self.second.id}-x",
            " ",
            "0",
        ):
            with self.subTest(selection=selection):
                answer = self._json(
                    f"/pay/{token}/transaction/{selection}",
                    {
                        "amount": 200.0,
                        "provider_id": self.provider.id,
                        "payment_method_id": self.method.id,
                        "flow": "direct",
                    },
                )
                self._refused(answer)
        answer = self._json(
            f"/pay/{token}/transaction/{self.second.id}",
            {"amount": 200.0, "access_token": ["x"], "flow": "direct", "unexpected": 1},
        )
        self._refused(answer)

    def test_checkout_ids_parsed(self):
        """The selection posted to the page: ids that are no ids get HTTP 400 and the page
        with a message, never a server error; nothing is selected nor written."""
        page = self._open(self.link)
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        for values in (
            [SUPERSCRIPT_TWO],
            ["9" * 5000],
            ["-5"],
            ["1e3"],
            [""],
            [ARABIC_ONE],
            [str(2**40)],
        ):
            with self.subTest(values=values):
                response = self.url_open(
                    f"/pay/{self.link._token()}",
                    data={"csrf_token": csrf, "move_ids": values},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 400, response.text[:300])
                self.assertIn("o_payment_link_error", response.text)
                self.assertNotIn("Traceback", response.text)
                self.assertIn(self.first.name, response.text, "the page, to select again")
        self.assertFalse(self.link.transaction_ids)
