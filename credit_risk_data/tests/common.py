from urllib.parse import urlsplit

from odoo.addons.credit_management.tests.common import CreditCommon
from odoo.tests import common as test_common

from .fake_registers import FakeRegisters

# Real SIRENs (valid Luhn keys) given to made-up customers.
SIREN_MARTIN = "732829320"
SIREN_DURAND = "552032534"
SIREN_OTHER = "542051180"


class FakeRegistersCase:
    """Mix in before a test base: the fake registers on 127.0.0.1 (``cls.registers``), the
    network edge the providers' requests reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registers = FakeRegisters()
        cls.addClassCleanup(cls.registers.stop)

    def setUp(self):
        super().setUp()
        self.registers.reset()

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's harness blocks the network and stretches short timeouts; the fake registers
        # on 127.0.0.1 are the network edge, where the provider's own timeout is under test.
        if urlsplit(r.url).hostname == "127.0.0.1":
            return test_common._super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)


class RiskCommon(FakeRegistersCase, CreditCommon):
    """A customer with a SIREN, the four providers of the company pointed at fake registers
    on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {"company_registry": SIREN_MARTIN, "country_id": cls.env.ref("base.fr").id}
        )
        Provider = cls.env["credit.risk.provider"]
        cls.bodacc = Provider.create(
            {"name": "BODACC test", "provider_code": "bodacc", "api_timeout": 2.0}
        )
        cls.bodacc.api_base_url = f"{cls.registers.url}/api/explore/v2.1"
        cls.recherche = Provider.create(
            {"name": "Recherche test", "provider_code": "recherche_entreprises"}
        )
        cls.recherche.api_base_url = cls.registers.url
        cls.sirene = Provider.create(
            {"name": "Sirene test", "provider_code": "sirene", "api_key": "insee-key-123"}
        )
        cls.sirene.api_base_url = f"{cls.registers.url}/api-sirene/3.11"
        cls.manual = Provider.create({"name": "Creditsafe export", "provider_code": "manual"})
        # Only the test's providers: the data's are left disabled.
        (cls.bodacc | cls.recherche).action_enable()

    def _exchanges(self, provider):
        return self.env["credit.risk.exchange"].search(
            [("provider_id", "=", provider.id)], order="id"
        )
