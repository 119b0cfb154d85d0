"""Two tabs paying the same invoices at the same instant, for real.

Odoo's test cursor serves every request of an ``HttpCase`` in one transaction, one request
at a time: no race can happen there. Here (no test transaction: ``BaseCase``) each tab is a
request of its own, as the server runs it: a real cursor (its own PostgreSQL connection and
snapshot, taken at its first query), the route of the payment form called with the request
it reads, inside Odoo's ``retrying`` (which runs a request again after a serialization
failure). The data is committed for the tabs to see it, and removed afterwards. Real time:
the tabs are threads, no clock is frozen.

The invoices are on two links (a reminder's and a statement's, say), each tab paying through
its own: the transactions' references then differ (each link's name), so that nothing but the
claims keeps the second payment out (two tabs of one link would also collide on the unique
reference of their transactions, computed from the same snapshot).
"""

import functools
import threading
from types import SimpleNamespace

from odoo import SUPERUSER_ID
from odoo import api
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment_link.controllers.main import PaymentLinkController
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.http import _request_stack
from odoo.modules.registry import DummyRLock
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase
from odoo.tests import get_db_name
from odoo.tests import tagged

# The longest a tab may take (a retry after a serialization failure waits up to 2 s).
TIMEOUT = 30
# The tabs' address (a documentation one): its rate limit is theirs alone.
ADDRESS = "192.0.2.27"


class _Request(SimpleNamespace):
    """What the transaction route and Odoo's ``retrying`` read of a request."""

    def __init__(self, env):
        super().__init__(
            env=env,
            session={},
            httprequest=SimpleNamespace(remote_addr=ADDRESS, files={}),
            # The JSON-RPC answer of a refusal (the route attaches it to the error).
            dispatcher=SimpleNamespace(_response=lambda result=None, error=None: error),
        )

    def _get_session_and_dbname(self):
        return self.session, self.env.cr.dbname


@tagged("post_install", "-at_install")
class TestPaymentLinkRace(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    def setUp(self):
        super().setUp()
        # The test runner holds the registries' lock: the tabs' requests, in other threads,
        # would wait for it (as Odoo's own tests of real requests do, see auth_ldap).
        self.patch(Registry, "_lock", DummyRLock())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            provider = env.ref("payment.payment_provider_demo")
            if provider.company_id != company or provider.state != "test":
                self.skipTest("payment_demo's provider, in test mode in the main company")
            partner = env["res.partner"].create(
                {"name": "Boulangerie des Deux Onglets", "is_company": True}
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "invoice_line_ids": [
                            Command.create({"name": "Livraison", "quantity": 1, "price_unit": 250})
                        ],
                    }
                    for _i in range(2)
                ]
            )
            moves.action_post()
            Link = env["credit.payment.link"]
            links = Link._create_for_moves(moves) | Link._create_for_moves(moves)
            self.data = SimpleNamespace(
                partner_id=partner.id,
                move_ids=moves.ids,
                link_ids=links.ids,
                tokens=[link._token() for link in links],
                currency_id=links[0].currency_id.id,
                amount=links[0].amount,
                provider_id=provider.id,
                method_id=env.ref("payment_demo.payment_method_demo").id,
                public_uid=env.ref("base.public_user").id,
            )
        self.addCleanup(self._remove_data)

    def _remove_data(self):
        data = self.data
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].browse(data.move_ids)
            links = env["credit.payment.link"].browse(data.link_ids)
            txs = env["payment.transaction"].search([("invoice_ids", "in", data.move_ids)])
            env["mail.message"].search(
                [
                    "|",
                    "|",
                    "&",
                    ("model", "=", "account.move"),
                    ("res_id", "in", moves.ids),
                    "&",
                    ("model", "=", "payment.transaction"),
                    ("res_id", "in", txs.ids),
                    "&",
                    ("model", "=", "credit.payment.link"),
                    ("res_id", "in", links.ids),
                ]
            ).unlink()
            txs.unlink()
            env["credit.payment.link.claim"].search([("move_id", "in", moves.ids)]).unlink()
            links.unlink()
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(data.partner_id).unlink()
            env["credit.payment.link.attempt"].search([("ip", "=", ADDRESS)]).unlink()

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _pay(self, token):
        """What the payment form of ``token``'s page sends for the invoices, as it sends it."""
        data = self.data
        return PaymentLinkController().payment_link_transaction(
            token,
            "-".join(str(move_id) for move_id in data.move_ids),
            amount=data.amount,
            access_token=payment_utils.generate_access_token(
                data.partner_id, data.amount, data.currency_id
            ),
            provider_id=data.provider_id,
            payment_method_id=data.method_id,
            token_id=None,
            flow="direct",
            tokenization_requested=False,
            landing_route=f"/pay/{token}",
            is_validation=False,
        )

    def _tab(self, token, results, started, go=None, done=None):
        """One tab: a request of its own that pays the invoices through the link of
        ``token``. ``started``: a barrier passed once the request's snapshot is taken;
        ``go``: an event to wait for before paying; ``done``: an event set once the request
        is over."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.data.public_uid, {})
                # A request reads its session and user first: its snapshot is taken then.
                env.user.fetch(["active"])
                started.wait(TIMEOUT)
                if go:
                    go.wait(TIMEOUT)
                request = _Request(env)
                _request_stack.push(request)
                try:
                    values = retrying(functools.partial(self._pay, token), env)
                    results.append(("paid", values["reference"]))
                except ValidationError as error:
                    cr.rollback()
                    results.append(("refused", error.args[0]))
                finally:
                    _request_stack.pop()
        except Exception as error:  # reported by the test
            results.append(("error", repr(error)))
        finally:
            if done:
                done.set()

    def _race(self, ordered):
        """Two tabs started together; with ``ordered``, the second pays once the first is
        committed, with the snapshot it took before (the worst interleaving)."""
        results = []
        started = threading.Barrier(2)
        first_done = threading.Event()
        first, second = self.data.tokens
        tabs = [
            threading.Thread(target=self._tab, args=(first, results, started, None, first_done)),
            threading.Thread(
                target=self._tab,
                args=(second, results, started, first_done if ordered else None),
            ),
        ]
        for tab in tabs:
            tab.start()
        for tab in tabs:
            tab.join(TIMEOUT * 2)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            count = env["payment.transaction"].search_count(
                [("invoice_ids", "in", self.data.move_ids)]
            )
        return sorted(outcome for outcome, _detail in results), results, count

    def _claim_before(self):
        """An earlier claim of one of the invoices (a payment that failed): its claim row
        exists before the tabs start."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["credit.payment.link.claim"]._claim(
                env["account.move"].browse(self.data.move_ids[0])
            )

    # ------------------------------------------------------------
    # TESTS
    # ------------------------------------------------------------

    def test_second_tab_with_an_older_snapshot(self):
        """The second tab read the invoices before the first tab's payment was committed,
        and goes on after it: exactly one transaction."""
        outcomes, results, count = self._race(ordered=True)
        self.assertEqual(outcomes, ["paid", "refused"], results)
        self.assertEqual(count, 1, "one transaction for the invoices")

    def test_second_tab_with_an_older_snapshot_invoice_claimed_before(self):
        self._claim_before()
        outcomes, results, count = self._race(ordered=True)
        self.assertEqual(outcomes, ["paid", "refused"], results)
        self.assertEqual(count, 1, "one transaction for the invoices")

    def test_two_tabs_at_once(self):
        """Both tabs pay at once (today's code kept them apart by chance: the first one's
        row lock was still held when the second asked for it)."""
        outcomes, results, count = self._race(ordered=False)
        self.assertEqual(outcomes, ["paid", "refused"], results)
        self.assertEqual(count, 1, "one transaction for the invoices")
