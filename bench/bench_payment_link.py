"""Benchmark: the public payment page ``/pay/<token>`` under load, valid and bad tokens.

Run by ``scripts/bench.sh payment_link``, which installs credit_management, payment_link and
payment_demo on a fresh database and calls
``python bench/bench_payment_link.py -c <odoo.conf> -d <db> --port <port>``.

Data (``--customers``, default 200; ``--invoices``, default 3 per customer): the open
invoices of the dunning benchmark's generator (one invoice through the ORM, SQL clones checked
against Odoo's own computation), then one active payment link per customer through the ORM
(``credit.payment.link._create_for_moves``, one batch); every link's token is checked to lead
back to its link before anything is timed.

Then a real Odoo server runs in multi-process mode (``--workers 2``, no cron) on 127.0.0.1,
serving the one database (``-d``, Odoo's single-database set-up; with a ``dbfilter`` instead,
Odoo lists the databases, a PostgreSQL connection, on every request without a session).
For reference, one client alone opens valid pages for ``--single-duration`` seconds (default
10): what a page costs without a queue. Then ``--clients`` threads (default 20), each with its
own connection (``http.client``: the generator's own work stays small beside the server's on
the cores they share) and the session cookie the server gave it, as a browser keeps it, open
the pages of different links (each client cycles
through its own share of the links):

1. valid: only valid tokens, ``--duration`` seconds (default 60);
2. mixed: 10 % bad tokens (``--bad-share``), half forged (a real link's token with its
   signature altered), half unknown (random tokens of the right length), ``--duration``
   seconds. The page refuses an address after ``MAX_BAD_TOKENS`` bad tokens in its window
   (HTTP 429, ``credit.payment.link.attempt``), and then refuses everything from it, valid
   tokens included. To time the 404 path rather than the 429 one, each client sends from an
   address of the loopback range (127.0.0.0/8) and moves to a fresh one before reaching the
   limit: every bad token is answered by the "no longer valid" page (404);
3. rate limit: as phase 2, but every client behind one address (as behind one NAT, or as
   a naive benchmark from 127.0.0.1 would run) for ``--limit-duration`` seconds (default 20):
   after ``MAX_BAD_TOKENS`` bad tokens the address gets 429 for every request, valid tokens
   included. This phase shows the limit working and what a 429 costs; its valid-token 429s
   are counted apart, as refused, not as errors.

A valid page must answer 200 with the link's reference in it; a bad token 404 or 429. Any
other status, a wrong page or a connection error counts as an error. Every figure is printed
with its target (p95 at most 150 ms; bad-token p50 within 20 % of the valid one), never
asserted.
"""

import argparse
import base64
import contextlib
import http.client
import math
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections import defaultdict
from pathlib import Path

import odoo_boot  # noqa: F401 (Odoo set up as its series wants, first)
import requests
from bench_dunning import Generator
from bench_dunning import vacuum

import odoo.release
from odoo import api
from odoo import fields
from odoo.api import SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config

TARGET_P95_MS = 150.0
TARGET_BAD_P50_RATIO = 0.20
BAD_STATUSES = (404, 429)
# The page's rate limit, read from payment_link once the addons path is known (main).
MAX_BAD_TOKENS = None
WINDOW = None


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CREDIT_BENCH_PORT", 18067)))
    parser.add_argument("--odoo-bin", default=str(Path(sys.executable).with_name("odoo")))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=0, help="default: 3 per customer")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per phase")
    parser.add_argument("--limit-duration", type=float, default=20.0)
    parser.add_argument("--single-duration", type=float, default=10.0)
    parser.add_argument("--bad-share", type=float, default=0.10)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--log", default=None, help="the server's log (default: .run/)")
    args = parser.parse_args()
    args.invoices = args.invoices or 3 * args.customers
    if args.customers < args.clients or args.invoices < args.customers:
        parser.error("--customers must be at least --clients, --invoices at least --customers")
    return args


# ------------------------------------------------------------
# DATA
# ------------------------------------------------------------


def prepare(registry, args):
    """Customers, open invoices and one active link each; ``[(token, reference)]``."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generator = Generator(env, args.customers, args.invoices, fields.Date.today())
        seconds = generator.run()
        started = time.perf_counter()
        moves = env["account.move"].search(
            [("partner_id.name", "=like", "Bench customer %"), ("move_type", "=", "out_invoice")]
        )
        links = env["credit.payment.link"]._create_for_moves(moves)
        seconds += time.perf_counter() - started
        env.invalidate_all()
        Link = env["credit.payment.link"]
        assert len(links) == args.customers, (len(links), args.customers)
        assert set(links.mapped("state")) == {"active"}
        assert sum(len(link.move_ids) for link in links) == args.invoices
        pages = []
        for link in links:
            token = link._token()
            # The page finds the link by this token, as the controller does.
            assert Link._get_by_token(token) == link, link.name
            pages.append((token, link.name))
        cr.commit()  # pylint: disable=invalid-commit
    vacuum(args.database)
    print(
        f"  data: {args.customers} customers, {args.invoices} open invoices, "
        f"{len(pages)} active links in {seconds:.1f} s; totals checked against Odoo's own "
        "computation, every token checked to open its link"
    )
    return pages


def forged(token, rng):
    """``token`` with a character of its signature changed: same link, bad signature."""
    position = rng.randrange(14, 32)  # inside the signature, not the padding bits
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    other = rng.choice(alphabet.replace(token[position], ""))
    return token[:position] + other + token[position + 1 :]


def unknown(rng, length):
    return base64.urlsafe_b64encode(rng.randbytes(length)).decode().rstrip("=")


# ------------------------------------------------------------
# SERVER
# ------------------------------------------------------------


@contextlib.contextmanager
def server(args):
    """A real Odoo server, multi-process (``--workers``), on 127.0.0.1:``--port``."""
    log_path = args.log or str(Path(args.config).with_name("bench-payment-link-server.log"))
    command = [
        args.odoo_bin,
        "-c",
        args.config,
        "-d",
        args.database,
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "0",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(args.port),
        # The websocket port of multi-process mode: next to ours, not Odoo's default.
        "--gevent-port",
        str(args.port + 1),
        "--log-level",
        "warn",
        "--logfile",
        log_path,
    ]
    with open(log_path, "wb") as output:
        # Tracebacks printed before the logger is set up (a failing child) go there too.
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{args.port}"
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                sys.exit(f"the server stopped (log: {log_path})")
            try:
                if requests.get(f"{base}/web/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"the server did not answer in 120 s (log: {log_path})")
            time.sleep(0.5)
        print(f"  server: odoo --workers {args.workers} on {base} (log: {log_path})")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        report_server_log(log_path)


def report_server_log(log_path):
    """What went wrong on the server side, said beside the figures."""
    with open(log_path, errors="replace") as log:
        text = log.read()
    # Odoo's websocket process (gevent) of multi-process mode, respawned each time it fails:
    # every attempt costs a Python start on the same cores as the workers.
    gevent_failures = text.count("odoo/_monkeypatches/evented.py")
    if gevent_failures:
        last = [line for line in text.splitlines() if line.startswith("pkg_resources.")][-1:]
        print(
            f"  note: Odoo's websocket process (gevent) failed to start {gevent_failures} times "
            f"during the run and was respawned each time, on the same cores "
            f"({last[0] if last else 'see the log'})"
        )
    errors = text.count(" ERROR ") + text.count(" CRITICAL ")
    if errors:
        print(f"  note: {errors} ERROR/CRITICAL lines in the server's log ({log_path})")


# ------------------------------------------------------------
# CLIENTS
# ------------------------------------------------------------


class Addresses:
    """Fresh loopback addresses (127.1.0.1, 127.1.0.2, ...), never one twice in a run."""

    def __init__(self):
        self.next = 1 << 16
        self.lock = threading.Lock()
        self.shared = None

    def take(self):
        with self.lock:
            while True:
                self.next += 1
                if 0 < self.next & 0xFF < 255:
                    break
            value = self.next
        return f"127.{value >> 16 & 0xFF}.{value >> 8 & 0xFF}.{value & 0xFF}"


class Client(threading.Thread):
    """One visitor loop: pages of its own links, and bad tokens at ``bad_share``."""

    def __init__(self, index, base, pages, all_tokens, addresses, phase, args, stop_at):
        super().__init__(daemon=True)
        self.rng = random.Random(f"{phase}-{index}")
        self.host, self.port = base.split("://", 1)[1].split(":")
        self.port = int(self.port)
        self.pages = pages
        self.all_tokens = all_tokens
        self.addresses = addresses
        self.phase = phase
        self.bad_share = 0.0 if phase == "valid" else args.bad_share
        # In the mixed phase, a fresh address before the limit: the 404 path is timed.
        self.rotate = phase == "mixed"
        self.stop_at = stop_at
        # In the rate-limit phase, every client behind one address (as behind one NAT).
        self.shared_address = addresses.shared if phase == "limit" else None
        self.samples = []  # (kind, status, milliseconds, error)
        self.address = None
        self.connection = None
        self.cookie = None
        self.bad_sent = 0

    def new_session(self):
        """A new visitor: a fresh address of the loopback range (the server sees it as the
        visitor's, ``remote_addr``), no cookie yet."""
        if self.connection:
            self.connection.close()
        self.address = self.shared_address or self.addresses.take()
        self.connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(self.address, 0)
        )
        self.cookie = None
        self.bad_sent = 0

    def run(self):
        self.new_session()
        position = 0
        while time.monotonic() < self.stop_at:
            if self.rng.random() < self.bad_share:
                if self.rotate and self.bad_sent >= MAX_BAD_TOKENS - 1:
                    self.new_session()
                self.bad_sent += 1
                if self.rng.random() < 0.5:
                    token, kind = forged(self.rng.choice(self.all_tokens), self.rng), "forged"
                else:
                    token, kind = unknown(self.rng, 25), "unknown"
                reference = None
            else:
                token, reference = self.pages[position % len(self.pages)]
                position += 1
                kind = "valid"
            self.samples.append((kind, *self.fetch(token, reference)))
        self.connection.close()

    def get(self, path):
        """``(status, body)`` of ``GET path``, as a browser sends it: the session cookie the
        server gave, the connection kept if the server keeps it (Odoo closes it after each
        answer; ``http.client`` opens a new one for the next request)."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.connection.request("GET", path, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        cookie = response.getheader("Set-Cookie") or ""
        if cookie.startswith("session_id="):
            self.cookie = cookie.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, body.decode("utf-8", "replace")

    def fetch(self, token, reference):
        started = time.perf_counter()
        try:
            status, body = self.get(f"/pay/{token}")
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            elapsed = (time.perf_counter() - started) * 1000
            return None, elapsed, type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        if reference is not None:
            if status == 200 and reference in body:
                return status, elapsed, None
            if status == 429 and self.phase == "limit":
                return status, elapsed, None  # counted as refused, see the module docstring
            return status, elapsed, f"HTTP {status}" if status != 200 else "wrong page"
        if status in BAD_STATUSES:
            return status, elapsed, None
        return status, elapsed, f"HTTP {status}"


def listen_overflows():
    """The kernel's count of connections dropped because a listen queue was full
    (``TcpExt: ListenOverflows`` of ``/proc/net/netstat``), or None where it cannot be read.

    Odoo's multi-process server listens with a queue of 8 connections per worker (16 for 2
    workers), and closes every connection after its answer (HTTP/1.0): with more clients
    than that waiting, a new connection is dropped and the client retries it after the
    kernel's first SYN retransmission timeout (1 s). Those requests make the p99 column.
    """
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return None
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:") and values.startswith("TcpExt:"):
            counters = dict(zip(names.split()[1:], values.split()[1:], strict=False))
            if "ListenOverflows" in counters:
                return int(counters["ListenOverflows"])
    return None


def run_phase(phase, duration, base, shares, all_tokens, addresses, args, clients=None):
    """``(samples, seconds, dropped)``: ``dropped``, the connections the server's full
    listen queue dropped meanwhile (``listen_overflows``), or None."""
    overflows_before = listen_overflows()
    stop_at = time.monotonic() + duration
    addresses.shared = addresses.take() if phase == "limit" else None
    clients = [
        Client(index, base, shares[index], all_tokens, addresses, phase, args, stop_at)
        for index in range(clients or args.clients)
    ]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    seconds = time.monotonic() - started
    samples = [sample for client in clients for sample in client.samples]
    overflows_after = listen_overflows()
    dropped = (
        None
        if overflows_before is None or overflows_after is None
        else overflows_after - overflows_before
    )
    return samples, seconds, dropped


# ------------------------------------------------------------
# REPORT
# ------------------------------------------------------------


def percentile(sorted_values, share):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


def summarize(samples):
    """``{kind: figures}`` for valid, bad (forged and unknown together) and all."""
    groups = defaultdict(list)
    for kind, status, ms, error in samples:
        groups["valid" if kind == "valid" else "bad"].append((status, ms, error))
        groups["all"].append((status, ms, error))
        groups[str(status)].append((status, ms, error))
    figures = {}
    for kind, rows in groups.items():
        times = sorted(ms for _status, ms, _error in rows)
        figures[kind] = {
            "requests": len(rows),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "errors": sum(1 for _s, _ms, error in rows if error),
            "statuses": Counter(status for status, _ms, _error in rows),
            "error_kinds": Counter(error for _s, _ms, error in rows if error),
            "times": times,
        }
    return figures


def print_table(title, figures, seconds, dropped=None):
    print()
    print(f"{title} ({seconds:.0f} s)")
    print(
        f"  {'kind':<7} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}  statuses"
    )
    for kind in ("valid", "bad", "all"):
        if kind not in figures:
            continue
        row = figures[kind]
        statuses = ", ".join(
            f"{status or 'no answer'}: {count}"
            for status, count in sorted(row["statuses"].items(), key=lambda item: item[0] or 0)
        )
        print(
            f"  {kind:<7} {row['requests']:>9} {row['requests'] / seconds:>7.1f} "
            f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} {row['errors']:>7}  "
            f"{statuses}"
        )
        for error, count in row["error_kinds"].most_common(5):
            print(f"          error {error}: {count}")
    if dropped is not None:
        slow = sum(1 for ms in figures["all"]["times"] if ms >= 1000.0)
        print(
            f"  connections dropped by the server's full listen queue (retried by the "
            f"client after 1 s): {dropped}; requests of 1 s or more: {slow}"
        )


def verdict(met):
    return "met" if met else "NOT met"


def main():
    args = parse_args()
    config.parse_config(["-c", args.config, "--log-level=warn"])
    registry = Registry(args.database)
    global MAX_BAD_TOKENS, WINDOW
    from odoo.addons.payment_link.models import credit_payment_link_attempt  # noqa: PLC0415

    MAX_BAD_TOKENS = credit_payment_link_attempt.MAX_BAD_TOKENS
    WINDOW = credit_payment_link_attempt.WINDOW
    print(f"Odoo {odoo.release.version}, database {args.database}, {os.cpu_count()} cores")
    pages = prepare(registry, args)
    # Each client its own links: no two clients open the same link.
    shares = [pages[index :: args.clients] for index in range(args.clients)]
    all_tokens = [token for token, _reference in pages]
    addresses = Addresses()
    with server(args) as base:
        # Warm-up (not timed): every link opened once, so that every worker has compiled
        # the templates and loaded its caches.
        run_phase("valid", args.warmup, base, shares, all_tokens, addresses, args)
        print(
            f"  {args.clients} clients, one connection and session cookie each; rate limit: "
            f"{MAX_BAD_TOKENS} bad tokens per address in {int(WINDOW.total_seconds() // 60)} min"
        )
        results = {}
        if args.single_duration > 0:
            # One client alone: what a page costs without a queue, to read the others by.
            samples, seconds, dropped = run_phase(
                "valid", args.single_duration, base, shares, all_tokens, addresses, args, 1
            )
            print_table(
                "reference: one client alone, valid tokens", summarize(samples), seconds, dropped
            )
        for phase, title, duration in (
            ("valid", "phase 1: valid tokens only", args.duration),
            (
                "mixed",
                f"phase 2: {args.bad_share:.0%} bad tokens (forged or unknown), a fresh "
                f"address every {MAX_BAD_TOKENS - 1} bad tokens (the 404 path)",
                args.duration,
            ),
            (
                "limit",
                f"phase 3: {args.bad_share:.0%} bad tokens, every client behind one address "
                "(the rate limit: 429 for everything once the address is refused)",
                args.limit_duration,
            ),
        ):
            if duration <= 0:
                continue
            samples, seconds, dropped = run_phase(
                phase, duration, base, shares, all_tokens, addresses, args
            )
            results[phase] = summarize(samples)
            print_table(title, results[phase], seconds, dropped)
    print()
    print("targets (printed, never asserted):")
    for phase in ("valid", "mixed"):
        if phase not in results:
            continue
        row = results[phase]["all"]
        print(
            f"  {phase}: p95 {row['p95']:.1f} ms <= {TARGET_P95_MS:.0f} ms: "
            f"{verdict(row['p95'] <= TARGET_P95_MS)}; errors {row['errors']} (only 404/429 "
            f"expected for bad tokens): {verdict(row['errors'] == 0)}"
        )
    mixed = results.get("mixed", {})
    if "valid" in mixed and "bad" in mixed:
        valid_p50, bad_p50 = mixed["valid"]["p50"], mixed["bad"]["p50"]
        gap = (bad_p50 - valid_p50) / valid_p50
        not_found = mixed["bad"]["statuses"].get(404, 0)
        print(
            f"  mixed: bad-token p50 {bad_p50:.1f} ms vs valid {valid_p50:.1f} ms ({gap:+.0%}), "
            f"within {TARGET_BAD_P50_RATIO:.0%}: {verdict(abs(gap) <= TARGET_BAD_P50_RATIO)}; "
            f"{not_found} of {mixed['bad']['requests']} bad tokens answered 404 (timed path)"
        )
        if gap < -TARGET_BAD_P50_RATIO:
            print(
                "    (a bad token is answered faster than a valid page: the refusal page is "
                "smaller than the invoice list; the signature check costs the same)"
            )
    limit = results.get("limit", {})
    if "bad" in limit and "valid" in limit:
        bad, valid = limit["bad"]["statuses"], limit["valid"]["statuses"]
        print(
            f"  rate limit: {bad.get(404, 0)} bad tokens answered 404, then the address was "
            f"refused: {bad.get(429, 0)} bad and {valid.get(429, 0)} valid tokens answered 429 "
            f"({valid.get(200, 0)} valid pages served before); a 429 costs p50 "
            f"{limit['429']['p50']:.1f} ms against {limit['200']['p50']:.1f} ms for a page"
            if "429" in limit and "200" in limit
            else f"  rate limit: statuses {dict(bad)} (bad), {dict(valid)} (valid): the "
            "address was never refused"
        )


if __name__ == "__main__":
    main()
