"""End-to-end harness: a real Odoo server on 127.0.0.1 with our addons, driven over RPC.

The session fixture installs the addons (and ``NEIGHBOURS``) on a fresh database (no demo
data: every test makes its own records), starts ``odoo`` as a separate process, waits for
``/web/health`` and hands the tests a small RPC client. The database is dropped afterwards
(``CREDIT_KEEP_DB=1`` keeps it; ``CREDIT_E2E_DB=<name>`` runs on that database, already
installed, and keeps it: quick runs while writing a test). ``scripts/test.sh`` passes the
Odoo configuration and executable in ``CREDIT_ODOO_CONF`` and ``CREDIT_ODOO_BIN``.

Besides the RPC clients: ``roles``, one user per role of the rights model (the readmes'
tables) with real groups; ``Browser``, what a browser or any HTTP client sends (cookies, forms,
raw bodies, any header), every status returned rather than raised; ``server_log``, what the
server logged during a test (its internal errors).
"""

import configparser
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))
# A new database without demo data, as the series spells it (scripts/common.sh sets it).
WITHOUT_DEMO = [os.environ.get("CREDIT_WITHOUT_DEMO") or "--without-demo=all"]
# Installed with the addons: the payment page offers the providers of the company.
NEIGHBOURS = ["payment_demo"]


def odoo_conf():
    return os.environ.get("CREDIT_ODOO_CONF") or str(REPO / ".run" / "odoo.conf")


def odoo_bin():
    found = os.environ.get("CREDIT_ODOO_BIN") or shutil.which("odoo")
    if not found:
        pytest.fail("CREDIT_ODOO_BIN is not set and no odoo executable is on PATH")
    return found


def db_env():
    """PG* variables of the configured server, for createdb/dropdb."""
    parser = configparser.ConfigParser()
    parser.read(odoo_conf())
    options = parser["options"]
    env = dict(os.environ)
    for key, option in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        value = options.get(option)
        if value and value != "False":
            env[key] = value
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drop_database(name):
    subprocess.run(["dropdb", "--if-exists", name], env=db_env(), check=False)


def install_database(name, addons, log_path, extra_args=()):
    """Odoo's own installation of ``addons`` on a new database ``name``."""
    # A test database is thrown away: it may lose its last commits in a crash, for speed.
    subprocess.run(["createdb", name], env=db_env(), check=True)
    subprocess.run(
        ["psql", "-qc", f'ALTER DATABASE "{name}" SET synchronous_commit = off', name],
        env=db_env(),
        check=True,
    )
    with open(log_path, "wb") as log:
        result = subprocess.run(
            [
                odoo_bin(),
                "-c",
                odoo_conf(),
                "-d",
                name,
                "-i",
                ",".join(addons),
                *WITHOUT_DEMO,
                "--stop-after-init",
                "--http-port",
                str(free_port()),
                "--log-level=warn",
                *extra_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return result.returncode


class OdooClient:
    """What an integrator has: a URL, a database, logins and passwords."""

    def __init__(self, url, db, log_path=None):
        self.url = url
        self.db = db
        self.log_path = log_path
        self.common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.object = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def login(self, login, password):
        uid = self.common.authenticate(self.db, login, password, {})
        assert uid, f"cannot log in as {login}"
        return User(self, uid, password)

    def json_session(self, login, password):
        return JsonSession(self, login, password)


class User:
    def __init__(self, client, uid, password):
        self.client = client
        self.uid = uid
        self.password = password

    def call(self, model, method, *args, **kwargs):
        try:
            return self.client.object.execute_kw(
                self.client.db, self.uid, self.password, model, method, list(args), kwargs
            )
        except xmlrpc.client.Fault as fault:
            # Odoo's XML-RPC cannot send None back: the method ran, and returned nothing.
            if "cannot marshal None" in fault.faultString:
                return None
            raise

    def groups_field(self):
        """The field of a user's groups, as the server spells it: ``groups_id`` on Odoo 18.0,
        ``group_ids`` on 19.0 (a client asks the server, it imports nothing of Odoo)."""
        fields = self.call("res.users", "fields_get", ["groups_id", "group_ids"], ["type"])
        [name] = fields
        return name

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert rows, f"no record {xmlid}"
        return rows[0]["res_id"]


class JsonSession:
    """A browser-like session: /web/session/authenticate, then /web/dataset/call_kw."""

    def __init__(self, client, login, password):
        self.client = client
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        result = self.rpc(
            "/web/session/authenticate",
            {"db": client.db, "login": login, "password": password},
        )
        self.uid = result["uid"]

    def rpc(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "params": params, "id": uuid.uuid4().hex}
        ).encode()
        request = urllib.request.Request(
            self.client.url + path, data=body, headers={"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=60) as response:
            payload = json.loads(response.read())
        if "error" in payload:
            raise RpcError(payload["error"])
        return payload.get("result")  # Odoo leaves "result" out when it is None

    def call_kw(self, model, method, *args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirection is an answer to look at, as any other status


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Reply {self.status} {self.text[:300]!r}>"


class Browser:
    """What a browser, or any HTTP client, sends: cookies, forms, raw bodies and any header
    (bytes for the ones a browser would not send). Redirections are not followed; every
    status is an answer (``Reply``), never an exception."""

    CSRF = re.compile(r'csrf_token(?:: "|" value=")([^"]+)"')

    def __init__(self, client):
        self.client = client
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(
            self.client.url + path, data=body, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.headers, error.read())

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, fields, headers=None):
        """POST ``fields`` (a dict, or pairs for a repeated field) as an HTML form does."""
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return self.request("POST", path, body, headers)

    def post_json(self, path, params=None, raw=None, headers=None):
        """A JSON-RPC call of a ``type="json"`` route; ``raw``: the body as given, instead."""
        body = raw
        if body is None:
            body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1})
        if isinstance(body, str):
            body = body.encode()
        headers = {"Content-Type": "application/json", **(headers or {})}
        return self.request("POST", path, body, headers)

    def login(self, login, password):
        reply = self.post_json(
            "/web/session/authenticate",
            {"db": self.client.db, "login": login, "password": password},
        )
        assert reply.status == 200 and "error" not in reply.json(), f"cannot log in: {reply}"
        return self

    def csrf_token(self, path="/web/login"):
        """The CSRF token of this session, as the forms of ``path`` carry it."""
        reply = self.get(path)
        found = self.CSRF.search(reply.text)
        assert found, f"no CSRF token on {path}: {reply}"
        return found.group(1)


class ServerLog:
    """The server's log from the moment this object is made: what a test made it report."""

    # A record of the log starts with its date; Odoo logs an unexpected exception of any
    # route (HTTP or JSON) with this message and its traceback before answering, werkzeug
    # the status of each HTTP answer.
    RECORD = re.compile(r"\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ )")
    INTERNAL_ERROR = re.compile(r'Exception during request handling|HTTP/1\.[01]" 5\d\d ')
    # Not a failure: the XML-RPC answer of a method that returned None (its client API's
    # own limit, the method ran).
    XMLRPC_NONE = "cannot marshal None unless allow_none is enabled"

    def __init__(self, path):
        self.path = path
        self.offset = path.stat().st_size

    def text(self):
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            return log.read().decode("utf-8", "replace")

    def internal_errors(self):
        """Each internal error logged: its first and its last line (the exception)."""
        return [
            f"{record.splitlines()[0]} ... {record.splitlines()[-1]}"
            for record in self.RECORD.split(self.text())
            if self.INTERNAL_ERROR.search(record) and self.XMLRPC_NONE not in record
        ]


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    """A running Odoo with the project's addons on a fresh database."""
    workdir = tmp_path_factory.mktemp("odoo")
    reused = os.environ.get("CREDIT_E2E_DB")
    db = reused or f"e2e_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    if not reused and install_database(db, ADDONS + NEIGHBOURS, workdir / "install.log"):
        log = (workdir / "install.log").read_text(errors="replace")
        drop_database(db)
        pytest.fail(f"installing {ADDONS} failed:\n{log[-4000:]}")
    port = free_port()
    log_path = workdir / "server.log"
    log = open(log_path, "wb")
    server = subprocess.Popen(
        [
            odoo_bin(),
            "-c",
            odoo_conf(),
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            "--http-port",
            str(port),
            "--max-cron-threads=0",
            "--workers=0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-4000:]
                pytest.fail(f"Odoo did not start on {url}:\n{tail}")
            time.sleep(0.5)
        yield OdooClient(url, db, log_path)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not (reused or os.environ.get("CREDIT_KEEP_DB")):
            drop_database(db)


@pytest.fixture(scope="session")
def admin(odoo_server):
    user = odoo_server.login("admin", "admin")
    # The company's address, that its emails leave from, as a company sending reminders has
    # one (Odoo 18.0's administrator has an address of his own, 19.0's none).
    [company] = user.call("res.users", "read", [user.uid], ["company_id"])
    user.call(
        "res.company", "write", [company["company_id"][0]], {"email": "compta@dumont.example"}
    )
    return user


@pytest.fixture
def unique():
    """A short suffix that keeps the records of each test apart."""
    return uuid.uuid4().hex[:8]


@pytest.fixture
def server_log(odoo_server):
    """What the server logs during the test."""
    return ServerLog(odoo_server.log_path)


# The roles of the rights model (each addon's readme), as real users: their groups as a
# demo database or a customer gives them.
ROLE_GROUPS = {
    "sales": (
        "base.group_user",
        "base.group_partner_manager",
        "sales_team.group_sale_salesman",
    ),
    "collector": ("base.group_user", "credit_management.group_credit_collector"),
    "manager": (
        "base.group_user",
        "credit_management.group_credit_manager",
        "sales_team.group_sale_salesman_all_leads",
    ),
    "billing": ("base.group_user", "base.group_partner_manager", "account.group_account_invoice"),
    "portal": ("base.group_portal",),
}


class Role:
    """A user of one role: its login, password, XML-RPC client (``rpc``) and its company
    (``partner_id``: the commercial partner of its own partner)."""

    def __init__(self, client, admin, name, login):
        self.client = client
        self.name = name
        self.login = login
        self.password = f"{login}-pwd-2026"
        self.rpc = client.login(login, self.password)
        [partner] = admin.call("res.users", "read", [self.rpc.uid], ["commercial_partner_id"])
        self.partner_id = partner["commercial_partner_id"][0]

    def json_session(self):
        return self.client.json_session(self.login, self.password)

    def browser(self):
        return Browser(self.client).login(self.login, self.password)


@pytest.fixture(scope="session")
def roles(odoo_server, admin):
    """``{role: Role}`` for each role of ``ROLE_GROUPS``; the portal user is the accountant
    of a customer company of its own."""
    for name, xmlids in ROLE_GROUPS.items():
        login = f"role_{name}"
        if admin.call("res.users", "search", [("login", "=", login)]):
            continue  # a database kept from an earlier run (CREDIT_E2E_DB)
        values = {
            "name": f"Role {name}",
            "login": login,
            "password": f"{login}-pwd-2026",
            admin.groups_field(): [(6, 0, [admin.ref(xmlid) for xmlid in xmlids])],
        }
        if name == "portal":
            customer = admin.call(
                "res.partner", "create", {"name": "Portal Customer SARL", "is_company": True}
            )
            values["partner_id"] = admin.call(
                "res.partner",
                "create",
                {"name": "Portal Accountant", "parent_id": customer, "email": "p@example.fr"},
            )
        admin.call("res.users", "create", values)
    return {name: Role(odoo_server, admin, name, f"role_{name}") for name in ROLE_GROUPS}
