import base64
import io
import json
import re

from PIL import Image
from reportlab.graphics.barcode import qr

from odoo.addons.credit_management.tests.common import TODAY  # noqa: F401 (for the tests)
from odoo.addons.credit_management.tests.common import CreditCommon
from odoo.tests import HttpCase

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ACCESS_TOKEN = re.compile(r'data-access-token="([^"]+)"')


class PaymentLinkCommon(CreditCommon, HttpCase):
    """Customers with open invoices, the demo payment provider enabled in the company, and
    helpers that drive the public page over HTTP like a browser would."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Link = cls.env["credit.payment.link"]
        cls.customer.write({"email": "compta@boulangeries-martin.fr", "lang": "en_US"})
        cls.provider = cls._demo_provider(cls.company)

    @classmethod
    def _demo_provider(cls, company):
        """The demo provider of ``payment_demo``, in test mode in ``company``."""
        base = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = cls.env["payment.provider"].sudo().search(
            [("code", "=", "demo"), ("company_id", "=", company.id)], limit=1
        ) or base.copy({"company_id": company.id})
        provider.write({"state": "test", "is_published": True})
        return provider

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _path(self, link):
        return link.url.split("://", 1)[1].split("/", 1)[1]

    def _open(self, link_or_token):
        token = link_or_token if isinstance(link_or_token, str) else link_or_token._token()
        return self.url_open(f"/pay/{token}", allow_redirects=False)

    def _checkout(self, link, moves):
        """Open the page, select ``moves`` and post: the payment step's response."""
        page = self._open(link)
        self.assertEqual(page.status_code, 200, page.text[:500])
        csrf = CSRF.search(page.text).group(1)
        return self.url_open(
            f"/pay/{link._token()}",
            data={"csrf_token": csrf, "move_ids": [str(move.id) for move in moves]},
            allow_redirects=False,
        )

    def _transaction(self, link, moves, amount, **params):
        """Call the transaction route as the payment form does; its JSON-RPC answer."""
        selection = "-".join(str(i) for i in sorted(moves.ids))
        if "access_token" not in params:
            # The payment form's access token, as the browser gets it from the checkout page.
            found = ACCESS_TOKEN.search(self._checkout(link, moves).text)
            params["access_token"] = found.group(1) if found else ""

        values = {
            "provider_id": self.provider.id,
            "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": f"/pay/{link._token()}",
            "is_validation": False,
        }
        values.update(params)
        response = self.url_open(
            f"/pay/{link._token()}/transaction/{selection}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": values}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def _pay_by_link(self, link, moves):
        """Pay ``moves`` through ``link`` with the demo provider: the transaction, done and
        post-processed (posted and reconciled by Odoo)."""
        amount = sum(moves.mapped("amount_residual"))
        answer = self._transaction(link, moves, amount)
        self.assertIn("result", answer, answer)
        reference = answer["result"]["reference"]
        self.url_open(
            "/payment/demo/simulate_payment",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "reference": reference,
                        "payment_details": "4242",
                        "simulated_state": "done",
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        tx = self.env["payment.transaction"].search([("reference", "=", reference)])
        self.assertEqual(tx.state, "done")
        tx._post_process()
        return tx


def qr_image_encodes(data_uri, value, border=None):
    """Whether the QR code image ``data_uri`` (a PNG ``data:`` URI, as the letter shows it)
    holds exactly the modules of the QR code of ``value``: each module's centre is read in
    the image and compared with reportlab's encoding of ``value`` (it needs no decoder; the
    printed letter is decoded by ``zbarimg`` in ``test_letter_pdf_qr_codes_decode``)."""
    png = base64.b64decode(data_uri.split(",", 1)[1])
    image = Image.open(io.BytesIO(png)).convert("L")
    widget = qr.QrCodeWidget(value)
    widget.qr.make()
    modules = widget.qr.modules
    count = widget.qr.getModuleCount()
    # The quiet zone: reportlab's default, none when Odoo renders it "quiet".
    border = widget.barBorder if border is None else border
    size = min(image.size)
    box = size / (count + 2 * border)
    for row in range(count):
        for col in range(count):
            x = int((col + border + 0.5) * box)
            y = int((row + border + 0.5) * box)
            if (image.getpixel((x, y)) < 128) != bool(modules[row][col]):
                return False
    return True
