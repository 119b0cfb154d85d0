"""Screenshots of Odoo screens as a user sees them, taken by headless Chromium.

Usage::

    python scripts/screenshots.py --url http://127.0.0.1:8069 --db credit_demo \\
        --login admin --password admin --out docs/screenshots \\
        policy=/odoo/action-credit_insurance.credit_insurance_policy_action/1 \\
        "customer=/odoo/action-base.action_partner_form/7|a[name=credit_page]"

Each ``name=path`` opens ``path`` in a logged-in browser, waits until Odoo has rendered it,
optionally clicks the CSS selectors given after ``|`` (separated by ``|``: a tab, a button),
and saves ``<out>/<name>.png``. The session is Odoo's own: ``/web/session/authenticate``, then
its cookie is set in the browser through the DevTools protocol (``websocket-client``).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from base64 import b64decode
from http.cookiejar import CookieJar

import websocket

WIDTH, HEIGHT = 1440, 1000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="Odoo's base URL")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--out", required=True, help="folder of the PNG files")
    parser.add_argument("--wait", type=float, default=2.0, help="seconds after each render")
    parser.add_argument(
        "--height", type=int, default=HEIGHT, help="height of the window, in pixels"
    )
    parser.add_argument("shots", nargs="+", help="name=path[|selector...]")
    return parser.parse_args()


def session_id(url, db, login, password):
    """Log in through Odoo's JSON-RPC route; return the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = {"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}}
    request = urllib.request.Request(
        f"{url}/web/session/authenticate",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=60) as response:
        answer = json.loads(response.read())
    if answer.get("error"):
        sys.exit(f"login refused: {answer['error'].get('data', {}).get('message')}")
    for cookie in jar:
        if cookie.name == "session_id":
            return cookie.value
    sys.exit("login gave no session cookie")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A headless Chromium driven through the DevTools protocol."""

    def __init__(self, height=HEIGHT):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="credit-shots-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            sys.exit("chromium is not installed (scripts/setup.sh installs it)")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={self.port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(self._page_socket(), timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _page_socket(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json", timeout=2) as r:
                    pages = [p for p in json.loads(r.read()) if p.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            time.sleep(0.3)
        sys.exit("chromium did not start")

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression, timeout=30.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return True
            time.sleep(0.25)
        return False

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


# Odoo's web client has rendered a view: its action manager holds a controller and no
# loading indicator is left.
RENDERED = (
    "!!document.querySelector('.o_action_manager .o_view_controller, .o_action_manager "
    ".o_action') && !document.querySelector('.o_loading, .o_loading_indicator')"
)


def shoot(browser, url, selectors, target, wait, ready=RENDERED):
    """Open ``url``, wait until ``ready`` holds (Odoo's web client has rendered a view),
    click ``selectors`` in turn and save the window as the PNG ``target``; return it."""
    name = os.path.basename(target)
    browser.call("Page.navigate", url=url)
    # Up to 2 minutes: the first page of a new database builds the web client's assets.
    if not browser.wait_for(ready, timeout=120.0):
        print(f"{name}: not rendered within 120 s, taken as it is", file=sys.stderr)
    time.sleep(wait)
    for selector in selectors:
        clicked = browser.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " if (e) { e.click(); return true; } return false; })()"
        )
        if not clicked:
            print(f"{name}: nothing matches {selector}", file=sys.stderr)
        time.sleep(wait)
    data = browser.call("Page.captureScreenshot", format="png")["data"]
    with open(target, "wb") as png:
        png.write(b64decode(data))
    return target


def main():
    args = parse_args()
    url = args.url.rstrip("/")
    sid = session_id(url, args.db, args.login, args.password)
    os.makedirs(args.out, exist_ok=True)
    browser = Browser(height=args.height)
    try:
        browser.call("Network.setCookie", name="session_id", value=sid, url=url, path="/")
        for shot in args.shots:
            name, _sep, target = shot.partition("=")
            path, *selectors = target.split("|")
            print(
                shoot(
                    browser, url + path, selectors, os.path.join(args.out, f"{name}.png"), args.wait
                )
            )
    finally:
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
