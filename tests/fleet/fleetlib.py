"""Drives deploy/local/fleet for the high-availability tests, and a bounded load client.

Everything targets 127.0.0.1 only. Every loop is bounded in time; every
process the fleet starts is stopped by `fleet down` in the fixture.
"""
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time

import requests
from requests.adapters import HTTPAdapter

from bookstore_tools.fleet_driver import FleetDriver
from bookstore_tools.mariadb import template_datadir
from bookstore_tools.processes import become_subreaper, process_gone  # noqa: F401
from bookstore_tools.testing import wait_until  # noqa: F401

PASSWORD = "fleet-password-42"


def say(msg):
    print(f"[fleet-test] {msg}", flush=True)


# ------------------------------------------------------------ processes ---

class Reaper:
    """Reaps the fleet's processes (known pids only) that end while we are their parent."""

    def __init__(self):
        self.pids = set()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def add(self, pid):
        if pid:
            self.pids.add(int(pid))

    def reap(self):
        for pid in list(self.pids):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid if not os.path.exists(f"/proc/{pid}") else 0
            if done:
                self.pids.discard(pid)

    def _run(self):
        while not self.stop.wait(0.1):
            self.reap()


def session():
    """A requests session that never uses proxies from the environment and never retries."""
    s = requests.Session()
    s.trust_env = False
    adapter = HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=4)
    s.mount("http://", adapter)
    return s


# ---------------------------------------------------------------- fleet ---

class Fleet(FleetDriver):
    """One fleet in its own state folder, driven through the `fleet` command
    (the bookstore binary: $BOOKSTORE_BIN)."""

    error = AssertionError

    def __init__(self, reaper, grace=3):
        super().__init__(tempfile.mkdtemp(prefix="bookstore-fleet-"))
        self.reaper = reaper
        self.grace = grace
        self.commands = []

    # Commands --------------------------------------------------------
    def run(self, *args, timeout=240, check=True, refresh=True):
        code, out, err, elapsed = self.execute(*args, timeout=timeout)
        out += err
        self.commands.append((args, elapsed, code))
        if args and args[0] != "status":
            say(f"fleet {' '.join(args)} -> exit {code} in {elapsed:.2f}s")
            for line in out.splitlines():
                if line.startswith("[fleet]"):
                    print("    " + line, flush=True)
        if refresh:
            self.refresh()
        if check and code != 0:
            raise AssertionError(f"`fleet {' '.join(args)}` failed ({code}):\n{out}")
        return code, out, elapsed

    def up(self, replicas, env=None):
        """`env`: extra replica settings (`fleet up --env KEY=VALUE`)."""
        datadir = os.path.join(self.state_dir, "mariadb", "data")
        if not os.path.exists(datadir):
            os.makedirs(os.path.dirname(datadir), exist_ok=True)
            shutil.copytree(template_datadir(), datadir, symlinks=True)
        extra = [arg for key, value in (env or {}).items() for arg in ("--env", f"{key}={value}")]
        return self.run("up", "--replicas", str(replicas), "--port", "0", "--stats-port", "0",
                        "--grace", str(self.grace), "--threads", "2", *extra)

    def refresh(self):
        info = super().refresh() or {}
        for part in ("haproxy", "mariadb"):
            self.reaper.add((info.get(part) or {}).get("pid"))
        for rep in info.get("replicas", []):
            self.reaper.add(rep.get("pid"))
        return self.info

    def down(self):
        if self.exists():
            self.run("down", "--wipe", check=False, timeout=180)
        shutil.rmtree(self.state_dir, ignore_errors=True)

    # Views -----------------------------------------------------------
    def replicas(self):
        return {r["name"]: r for r in self.refresh()["replicas"]}

    def haproxy_log(self):
        with open(self.info["haproxy"]["log"], encoding="utf-8", errors="replace") as f:
            return f.read()

    def replica_log(self, rep):
        with open(rep["log"], "rb") as f:
            f.seek(rep.get("log_offset") or 0)
            return f.read().decode("utf-8", "replace")

    def db(self):
        import pymysql
        d = self.database()
        return pymysql.connect(host=d["host"], port=d["port"], user=d["user"], password=d["password"],
                               database=d["name"], autocommit=True, connect_timeout=5)

    def query(self, sql, params=()):
        conn = self.db()
        try:
            with conn.cursor() as c:
                c.execute(sql, params)
                return c.fetchall()
        finally:
            conn.close()

    def keep_logs(self, test_name):
        dest = os.path.join(tempfile.gettempdir(), "bookstore-fleet-failed", f"{test_name}-{int(time.time())}")
        with contextlib.suppress(OSError):
            shutil.copytree(os.path.join(self.state_dir, "logs"), dest)
            say(f"logs of the failed test kept in {dest}")


# ------------------------------------------------------------- accounts ---

class Client:
    """A user of the JSON API on one base URL (replica or balancer)."""

    def __init__(self, base, token=None):
        self.base = base
        self.token = token
        self.http = session()

    def headers(self, extra=None):
        h = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        h.update(extra or {})
        return h

    def get(self, path, **kw):
        return self.http.get(self.base + path, headers=self.headers(kw.pop("headers", None)), timeout=15, **kw)

    def post(self, path, json=None, **kw):
        return self.http.post(self.base + path, json=json, headers=self.headers(kw.pop("headers", None)),
                              timeout=15, **kw)

    def put(self, path, data=None, **kw):
        return self.http.put(self.base + path, data=data, headers=self.headers(kw.pop("headers", None)),
                             timeout=15, **kw)

    def delete(self, path, **kw):
        return self.http.delete(self.base + path, headers=self.headers(kw.pop("headers", None)), timeout=15, **kw)


def register(base, name="Fleet User"):
    """A new user with a token: (Client, user, email)."""
    email = f"fleet-{secrets.token_hex(6)}@example.com"
    anon = Client(base)
    r = anon.post("/api/v1/users", {"name": name, "email": email, "password": PASSWORD})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    r = anon.post("/api/v1/tokens", {"email": email, "password": PASSWORD})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    body = r.json()
    return Client(base, body["token"]), body["user"], email


def new_book(client, stock, price=10):
    r = client.post("/api/v1/books", {"title": f"Libro {secrets.token_hex(3)}", "author": "Autora",
                                      "description": "Para las pruebas de la flota", "price": price,
                                      "stock": stock})
    assert r.status_code == 201, (r.status_code, r.text[:300])
    return r.json()


# ----------------------------------------------------------------- load ---

class Rec:
    __slots__ = ("kind", "t0", "t1", "status", "error", "server", "ok", "body")

    def __init__(self, kind, t0, t1, status, error, server, ok, body=None):
        self.kind, self.t0, self.t1, self.status = kind, t0, t1, status
        self.error, self.server, self.ok, self.body = error, server, ok, body

    @property
    def latency_ms(self):
        return (self.t1 - self.t0) * 1000


class Load:
    """Closed-loop load through the balancer: `workers` threads, each with its
    own keep-alive session, sending requests back to back (with `pause`
    between them) until stop() or `max_seconds`, whichever comes first.

    `plan(worker, i)` returns (kind, method, path, json_body, headers, ok(resp) -> bool).
    """

    def __init__(self, base, plan, workers=6, max_seconds=60, pause=0.005, timeout=15, name="load"):
        self.base, self.plan, self.workers = base, plan, workers
        self.max_seconds, self.pause, self.timeout, self.name = max_seconds, pause, timeout, name
        self.records = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.threads = []
        self.started = None
        self.stopped = None

    def start(self):
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self._worker, args=(w,), daemon=True) for w in range(self.workers)]
        for t in self.threads:
            t.start()
        return self

    def _worker(self, w):
        http = session()
        deadline = self.started + self.max_seconds
        i = 0
        while not self.stop_event.is_set() and time.monotonic() < deadline:
            kind, method, path, body, headers, ok = self.plan(w, i)
            i += 1
            t0 = time.monotonic()
            try:
                r = http.request(method, self.base + path, json=body, headers=headers, timeout=self.timeout,
                                 allow_redirects=False)
                t1 = time.monotonic()
                good = bool(ok(r))
                keep = r.text[:300] if not good or kind.startswith("POST") else None
                rec = Rec(kind, t0, t1, r.status_code, None, r.headers.get("X-Served-By"), good, keep)
                if good and r.status_code == 201 and kind.startswith("POST"):
                    with contextlib.suppress(ValueError):
                        rec.body = r.json()
            except requests.RequestException as e:
                t1 = time.monotonic()
                rec = Rec(kind, t0, t1, None, f"{type(e).__name__}: {e}"[:200], None, False)
                http.close()
                http = session()
            with self.lock:
                self.records.append(rec)
            if self.pause:
                self.stop_event.wait(self.pause)

    def sleep(self, seconds):
        """Waits while the load runs (bounded by the load's own deadline)."""
        end = min(time.monotonic() + seconds, self.started + self.max_seconds)
        while time.monotonic() < end:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(self.timeout + 5)
        self.stopped = time.monotonic()
        return self

    # Numbers ---------------------------------------------------------
    def failed(self, since=None, until=None):
        return [r for r in self.records if not r.ok and (since is None or r.t0 >= since)
                and (until is None or r.t0 < until)]

    def summary(self, title):
        return summarize(self.records, title, (self.stopped or time.monotonic()) - self.started)


def percentile(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(q / 100 * (len(values) - 1)))))
    return values[k]


def summarize(records, title, duration=None):
    """Prints and returns the numbers of a set of requests."""
    lat = [r.latency_ms for r in records]
    failed = [r for r in records if not r.ok]
    kinds = {}
    for r in records:
        k = kinds.setdefault(r.kind, [0, 0])
        k[0] += 1
        k[1] += 0 if r.ok else 1
    statuses = {}
    for r in records:
        key = r.status if r.status is not None else "error"
        statuses[key] = statuses.get(key, 0) + 1
    servers = {}
    for r in records:
        if r.server:
            servers[r.server] = servers.get(r.server, 0) + 1
    numbers = {
        "sent": len(records), "failed": len(failed),
        "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95), "p99_ms": percentile(lat, 99),
        "max_ms": max(lat) if lat else 0.0, "mean_ms": statistics.fmean(lat) if lat else 0.0,
        "kinds": kinds, "statuses": statuses, "servers": servers,
    }
    rate = f" over {duration:.1f}s ({len(records) / duration:.0f} req/s)" if duration else ""
    say(f"{title}: sent={numbers['sent']} failed={numbers['failed']}{rate}")
    say(f"{title}: latency ms p50={numbers['p50_ms']:.1f} p95={numbers['p95_ms']:.1f} "
        f"p99={numbers['p99_ms']:.1f} max={numbers['max_ms']:.1f}")
    say(f"{title}: by kind (sent, failed) {kinds}; statuses {statuses}; served by {dict(sorted(servers.items()))}")
    for r in failed[:10]:
        say(f"{title}: FAILED {r.kind} status={r.status} server={r.server} after {r.latency_ms:.0f} ms: "
            f"{r.error or (r.body or '')[:200]}")
    return numbers


class Shop:
    """A seller's book with a large stock and a few buyers, for mixed load."""

    def __init__(self, base, buyers=4, stock=1_000_000):
        self.seller, _, _ = register(base, "Vendedora")
        self.book = new_book(self.seller, stock)
        self.buyers = [register(base, f"Comprador {i}")[0] for i in range(buyers)]
        self.book_id = self.book["id"]

    def plan(self, post_share=0.3, seed=7):
        """GETs of the catalog, the list and one book, and purchase POSTs of this book."""
        book_id = self.book_id
        tokens = [b.token for b in self.buyers]
        gets = ["/api/v1/books?per_page=5", "/book/catalog", f"/api/v1/books/{book_id}", "/"]

        def plan(worker, i):
            rnd = random.Random(seed * 100003 + worker * 1009 + i)
            if rnd.random() < post_share:
                token = tokens[(worker + i) % len(tokens)]
                return ("POST /api/v1/purchases", "POST", "/api/v1/purchases",
                        {"book_id": book_id, "quantity": 1}, {"Authorization": f"Bearer {token}"},
                        lambda r: r.status_code == 201)
            path = gets[rnd.randrange(len(gets))]
            return (f"GET {path.split('?')[0]}", "GET", path, None, None, lambda r: r.status_code == 200)
        return plan

    def check_purchases(self, fleet, records):
        """Every purchase answered 201 exists exactly once in the database, and nothing else does."""
        created = [r.body["id"] for r in records if r.kind.startswith("POST") and r.status == 201
                   and isinstance(r.body, dict)]
        rows = fleet.query("SELECT id FROM purchase WHERE book_id = %s", (self.book_id,))
        ids = [row[0] for row in rows]
        say(f"purchases answered 201: {len(created)}; rows in the database for the book: {len(ids)}")
        assert len(created) == len(set(created))
        assert sorted(ids) == sorted(created), "a purchase was lost or duplicated"
        return len(created)


def get_plan(paths=("/api/v1/books?per_page=5", "/book/catalog", "/")):
    def plan(worker, i):
        path = paths[(worker + i) % len(paths)]
        return (f"GET {path.split('?')[0]}", "GET", path, None, None, lambda r: r.status_code == 200)
    return plan


def log_requests(text):
    """(path, status) of each request line of a replica's log, in order."""
    return re.findall(r"request replica=\S+ (?:client=\S+ )?method=\S+ path=(\S+) status=(\d+)", text)


def sigkill(pid):
    os.kill(pid, signal.SIGKILL)


def sigterm(pid):
    os.kill(pid, signal.SIGTERM)


def printed_header(name, text):
    print(f"\n=== {name}: {text}", file=sys.stdout, flush=True)
