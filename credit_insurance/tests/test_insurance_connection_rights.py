"""Where the credentials go: the addresses are the system administrators', every call is
made to an http(s) address of the policy's own service, whoever presses the button."""

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools import mute_logger

from .connector_common import ConnectorCommon
from .fake_insurers import FakeAllianzTrade
from .fake_insurers import FakeSoapInsurer

API_KEY = "at-api-key-rights-42"
ADDRESS_FIELDS = ("api_base_url", "api_path_prefix", "soap_wsdl_url")
SECRET_FIELDS = ("api_key", "api_username", "api_password", "webhook_secret", "token_value")


@tagged("post_install", "-at_install")
class TestInsuranceConnectionRights(ConnectorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = FakeAllianzTrade(API_KEY, prefix="/uat")
        cls.addClassCleanup(cls.server.stop)
        # Another host, as an attacker's would be: it must never be called.
        cls.elsewhere = FakeAllianzTrade(API_KEY, prefix="/uat")
        cls.addClassCleanup(cls.elsewhere.stop)
        cls.policy.write(
            {
                "provider_code": "allianz_trade",
                "api_base_url": cls.server.url,
                "api_path_prefix": "uat",
                "api_key": API_KEY,
                "api_timeout": 5.0,
                "webhook_secret": "whsec-rights-1",
            }
        )

    def setUp(self):
        super().setUp()
        self.server.reset()
        self.elsewhere.reset()

    def _sql_address(self, field, value):
        """An address that predates the constraint (written in the database directly)."""
        self.env.cr.execute(
            SQL(
                "UPDATE credit_insurance_policy SET %s = %s WHERE id = %s",
                SQL.identifier(field),
                value,
                self.policy.id,
            )
        )
        self.policy.invalidate_recordset()

    def test_addresses_system_only(self):
        """A credit manager (and a collector) neither reads nor changes where the credentials
        are sent; a system administrator does."""
        for user in (self.manager, self.collector):
            policy = self.policy.with_user(user)
            for field in ADDRESS_FIELDS + SECRET_FIELDS:
                with self.assertRaises(AccessError, msg=f"{user.login} reads {field}"):
                    policy.read([field])
            for field in (*ADDRESS_FIELDS, "webhook_secret"):
                with self.assertRaises(AccessError, msg=f"{user.login} writes {field}"):
                    policy.write({field: "https://attacker.example"})
        self.assertEqual(self.policy.api_base_url, self.server.url, "unchanged")
        self.assertEqual(self.policy.webhook_secret, "whsec-rights-1", "unchanged")
        # Nor through a new policy.
        with self.assertRaises(AccessError):
            self.env["credit.insurance.policy"].with_user(self.manager).create(
                {
                    "name": "Police pirate",
                    "insurer_id": self.insurer.id,
                    "provider_code": "allianz_trade",
                    "api_base_url": "https://attacker.example",
                }
            )
        # The credit manager still runs the connector: the server reads the address.
        self.policy.with_user(self.manager).action_test_connection()
        self.assertEqual(len(self.server.calls("/idp/oauth2/authorize")), 1)
        system = new_test_user(
            self.env,
            login="insurance_system",
            groups="base.group_user,base.group_system,credit_management.group_credit_manager",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.policy.with_user(system).write({"api_path_prefix": "v2"})
        self.assertEqual(self.policy.with_user(system).api_path_prefix, "v2")

    def test_http_schemes_only(self):
        """The addresses are http(s) ones: refused when saved, and again before each call."""
        for value in (
            "file:///etc/passwd",
            "gopher://127.0.0.1:6379/_INFO",
            "ftp://insurer.example",
            "/etc/passwd",
            "https://",
            "https://host:port/",
        ):
            for field in ("api_base_url", "soap_wsdl_url"):
                with self.assertRaises(ValidationError, msg=f"{field} = {value}"):
                    with self.env.cr.savepoint():
                        self.policy.write({field: value})
        self._sql_address("api_base_url", "gopher://127.0.0.1:6379/_INFO")
        with self.assertRaisesRegex(UserError, "not an http or https address"):
            self.policy.action_test_connection()
        with self.assertRaisesRegex(UserError, "not an http or https address"):
            self.policy._insurer_fetch_decisions()
        self.assertFalse(self.server.requests)

    def test_soap_wsdl_never_a_local_file(self):
        """A WSDL URL that names a file of the server is not read (nor any schema it
        imports); the WSDL shipped with the addon is."""
        soap = FakeSoapInsurer("soap-user", "soap-pass")
        self.addCleanup(soap.stop)
        self.policy.write(
            {
                "provider_code": "soap",
                "api_base_url": f"{soap.url}/ws/insurer",
                "api_username": "soap-user",
                "api_password": "soap-pass",
            }
        )
        self._sql_address("soap_wsdl_url", "file:///etc/passwd")
        with self.assertRaisesRegex(UserError, "not an http or https address"):
            self.policy.action_test_connection()
        self.assertFalse(soap.requests, "nothing sent")
        self._sql_address("soap_wsdl_url", None)
        self.policy.action_test_connection()
        self.assertTrue(soap.operations(), "the shipped WSDL is read, the service called")

    def test_insurer_address_on_its_own_host_only(self):
        """A job's resource on another host is not called: the token would go with it."""
        cover = self._cover(self.customer, 20000.0, buyer_ref="AT-555")
        self.server.add_company("AT-555", "Client Test SA", ["732829320"])
        cover.action_request()
        job = cover.insurer_job_ref
        self.server.process_job(job)
        self.server.script(
            "/riskinfo/v3/jobs/",
            status=200,
            body={
                "jobId": job,
                "jobStatusCode": "Processed",
                "resourceUrl": f"{self.elsewhere.url}/uat/riskinfo/v3/covers/1",
            },
        )
        self.policy._cron_fetch_decisions()
        self.assertFalse(self.elsewhere.requests, "nothing sent to another host")
        self.assertFalse(cover.decision_ids)
        self.assertIn("not on the policy's service", self.policy.last_error)
        self.assertEqual(cover.insurer_job_ref, job, "the job is polled again next time")

    def test_request_ids_stay_in_the_path(self):
        """An insurer's id is one path segment: it cannot lead the call elsewhere."""
        cover = self._cover(self.customer, 20000.0, buyer_ref="AT-555")
        cover.sudo().insurer_job_ref = "../../../idp/oauth2/authorize?x=1#"
        with mute_logger("odoo.addons.credit_insurance.models.credit_insurance_policy"):
            self.policy._cron_fetch_decisions()
        [call] = self.server.calls("/riskinfo/v3/jobs/")
        self.assertEqual(
            call[1], "/uat/riskinfo/v3/jobs/..%2F..%2F..%2Fidp%2Foauth2%2Fauthorize%3Fx%3D1%23"
        )

    def test_timeout_bounded(self):
        """The wait for an answer is bounded (a credit manager's setting)."""
        for value in (0.0, -1.0, 301.0):
            with self.assertRaises(ValidationError), self.env.cr.savepoint():
                self.policy.with_user(self.manager).write({"api_timeout": value})
        self.policy.with_user(self.manager).write({"api_timeout": 30.0})
        self.assertEqual(self.policy.api_timeout, 30.0)
