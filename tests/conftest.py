"""End-to-end harness: a real Odoo server on 127.0.0.1 with our addons, driven over RPC.

The session fixture installs the addons on a fresh database (no demo data: every test makes
its own records), starts ``odoo`` as a separate process, waits for ``/web/health`` and hands
the tests a small RPC client. The database is dropped afterwards (``CREDIT_KEEP_DB=1`` keeps
it). ``scripts/test.sh`` passes the Odoo configuration and executable in ``CREDIT_ODOO_CONF``
and ``CREDIT_ODOO_BIN``.
"""

import configparser
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.parent.name for p in REPO.glob("*/__manifest__.py"))


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
                "--without-demo=all",
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

    def __init__(self, url, db):
        self.url = url
        self.db = db
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
        return self.client.object.execute_kw(
            self.client.db, self.uid, self.password, model, method, list(args), kwargs
        )

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
    db = f"e2e_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    if install_database(db, ADDONS, workdir / "install.log"):
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
        yield OdooClient(url, db)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        if not os.environ.get("CREDIT_KEEP_DB"):
            drop_database(db)


@pytest.fixture(scope="session")
def admin(odoo_server):
    return odoo_server.login("admin", "admin")


@pytest.fixture
def unique():
    """A short suffix that keeps the records of each test apart."""
    return uuid.uuid4().hex[:8]
