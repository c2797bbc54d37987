"""The run: the scenarios in order, the command line, the results."""
import argparse
import datetime
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import tempfile
import time

from .. import REPO_ROOT
from . import BENCH_DIR, VISITOR_COOKIE, BenchError, __doc__ as bench_doc, say, statements, tool
from ..httpcall import request
from .data import seed_catalog_api, seed_users
from .report import quick_problems, write_results
from .scale import CatalogScale
from .sampling import proc_mem_kb
from .servers import PROCS, Nginx, Server, timed_starts
from .write_path import BenchFleet, mariadb_client_ceiling
from .wrk import measure, run_wrk


def machine_info():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    def version(argv, pattern):
        try:
            r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
            m = re.search(pattern, r.stdout + r.stderr)
            return m.group(1) if m else "?"
        except OSError:
            return "?"
    try:
        commit = subprocess.run(["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "src",
                                "migrations", "CMakeLists.txt"], capture_output=True, text=True,
                               timeout=10).stdout.strip()
        if dirty:
            commit += " (+ uncommitted changes in src/)"
    except OSError:
        commit = "?"
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": model,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "loadavg_start": open("/proc/loadavg").read().split()[:3],
        "commit": commit,
        "wrk": version([tool("wrk"), "--version"], r"wrk (\S+)"),
        "nginx": version([tool("nginx"), "-v"], r"nginx/(\S+)"),
        "haproxy": version([tool("haproxy"), "-v"], r"version (\S+)"),
        "mariadb": version([tool("mariadbd"), "--version"], r"Ver (\S+)"),
    }


# ---------------------------------------------------------------------- build ---

def build_binary():
    env_bin = os.environ.get("BOOKSTORE_BIN")
    if env_bin:
        if not (os.path.isfile(env_bin) and os.access(env_bin, os.X_OK)):
            raise BenchError(f"BOOKSTORE_BIN={env_bin} is not an executable")
        say(f"using BOOKSTORE_BIN={env_bin} (no build)")
        return os.path.abspath(env_bin)
    build = os.path.join(str(REPO_ROOT), "build-bench")
    say(f"building a Release binary into {build}")
    for argv in (["cmake", "-S", str(REPO_ROOT), "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                  "-DBOOKSTORE_TESTS=OFF"],
                 ["cmake", "--build", build, "-j", str(os.cpu_count() or 2), "--target", "bookstore"]):
        r = subprocess.run(argv, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise BenchError(f"{' '.join(argv)} failed:\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}")
    return os.path.join(build, "bookstore")



# ------------------------------------------------------------------ the suite ---

class Suite:
    def __init__(self, args, binary, base):
        self.args = args
        self.binary = binary
        self.base = base
        self.d = args.duration
        self.quick = args.quick
        self.rows = []           # table rows (scenarios)
        self.startup = {}        # name -> list of ms
        self.memory = {}
        self.write = {}
        self.checks = []         # (what, ok, detail)
        self.diagnostics = []    # variants of the configuration, for part 3 of the issue
        self.stops = []          # how long each server took from SIGTERM to exit
        self.machine = {}
        self.binary_built = datetime.datetime.fromtimestamp(os.path.getmtime(binary)).astimezone()
        self.nginx = Nginx(base)
        self.scale = CatalogScale(self)

    # -- helpers --
    def fetch(self, port, path, cookie=True):
        headers = {"Cookie": VISITOR_COOKIE} if cookie else {}
        status, hdrs, body = request(port, "GET", path, headers=headers)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")
        return body, hdrs.get("content-type", "text/html")

    def scenario(self, key, label, server_port, path, server_pids, ceiling_name=None,
                 known_issue=None, db="SQLite", own_roots=(), via_port=None, ceiling=True,
                 extra=None):
        port = via_port or server_port
        body, ctype = self.fetch(port, path)
        say(f"{label}: {path} ({len(body)} bytes)")
        url = f"http://127.0.0.1:{port}{path}"
        r = measure(url, "get.lua", self.d, server_pids, [f"cookie={VISITOR_COOKIE}"], own_roots,
                    extra)
        row = {"key": key, "label": label, "path": path, "db": db, "page_bytes": len(body), **r,
               "known_issue": known_issue}
        if ceiling:
            static_url = self.nginx.serve(ceiling_name or key, body, ctype)
            c = measure(static_url, "get.lua", self.d, self.nginx.pids(),
                        [f"cookie={VISITOR_COOKIE}"])
            row["ceiling"] = {"kind": "NGINX static, same bytes", **c}
            row["ratio"] = r["rps"] / c["rps"] if c["rps"] else 0.0
        self.rows.append(row)
        say(f"  {r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
            f"errors {r['errors']}, RSS {r['peak_rss_mb']:.1f} MB, CPU {r['server_cpu_pct']:.0f}%"
            + (f"; ceiling {row['ceiling']['rps']:.0f} req/s, ratio {row['ratio']:.2f}"
               if ceiling else ""))
        return row

    def diagnose(self, variant, key, r):
        if key == "purchase":
            base = self.write["server"]
            label = "purchase path (pairs/s)"
            value, ref = r["pairs_per_s"], base["pairs_per_s"]
        else:
            base = next(x for x in self.rows if x["key"] == key)
            label = base["label"]
            value, ref = r["rps"], base["rps"]
        r.update(variant=variant, key=key, label=label, value=value, baseline=ref)
        self.diagnostics.append(r)
        say(f"  diagnostic {variant}, {label}: {value:.0f} vs {ref:.0f} by default")

    def server(self, workdir, env, name):
        return Server(self.binary, workdir, env, name, self.stops)

    # -- parts --
    def sqlite_small(self):
        work = os.path.join(self.base, "sqlite20")
        os.makedirs(work)
        env = {"DATABASE_URL": "sqlite:///" + os.path.join(work, "bookstore.db"),
               "UPLOAD_DIR": os.path.join(work, "uploads")}
        server = self.server(work, env, "sqlite20")
        # First start on a new file: creates it, the secret key and the schema.
        server.start()
        self.startup["sqlite_fresh"] = [server.ready_ms]
        rng = random.Random(20)
        (seller_id, seller_token), = seed_users(server.port, 1, "seller")
        ids = seed_catalog_api(server.port, seller_token, 20, rng, marker_every=4)
        server.stop()
        # Fresh servers on the seeded database: the start-to-ready measurement.
        self.startup["sqlite"] = timed_starts(server, 3)
        time.sleep(1.0)
        self.memory["idle_after_start_mb"] = server.rss_mb()
        pids = [server.pid]
        p = server.port
        self.scenario("live", "`/health/live` (liveness, no I/O)", p, "/health/live", pids)
        cat = self.scenario("catalog", "catalog page 1, 20 books", p, "/book/catalog", pids)
        self.memory["catalog_load_peak_mb"] = cat["peak_rss_mb"]
        self.scenario("search", "catalog search `q=historia`", p, "/book/catalog?q=historia", pids)
        self.scenario("detail", "book detail", p, f"/book/{ids[10]}", pids)
        self.scenario("api_books", "`GET /api/v1/books`", p, "/api/v1/books", pids)
        time.sleep(2.0)
        self.memory["idle_after_load_mb"] = server.rss_mb()
        # Last, because it grows the process (see the memory section).
        self.scenario("health", "`/health` (readiness: DB ping + upload probe)", p, "/health", pids,
                      known_issue="503 when a check did not answer within 1.5 s (an honest "
                      "answer of an overloaded replica; none in a full run on this machine)")
        time.sleep(2.0)
        self.memory["idle_after_health_mb"] = server.rss_mb()
        self.memory["hwm_mb"] = (proc_mem_kb(server.pid) or (0, 0))[1] / 1024
        server.stop()
        # Diagnostic: the same server without its one-line-per-request log.
        quiet = self.server(work, dict(env, LOG_LEVEL="WARN"), "sqlite20-warn")
        quiet.start()
        for key, path in (("live", "/health/live"), ("catalog", "/book/catalog")):
            r = measure(f"{quiet.url}{path}", "get.lua", self.d, [quiet.pid],
                        [f"cookie={VISITOR_COOKIE}"])
            self.diagnose("LOG_LEVEL=WARN (no request log line)", key, r)
        quiet.stop()

    def mariadb_part(self):
        fleet = BenchFleet(self.base, self.binary)
        self.fleet = fleet
        say("starting the fleet (MariaDB + 2 replicas + HAProxy) with deploy/local/fleet")
        fleet.up(2)
        work = os.path.join(self.base, "mariadb")
        os.makedirs(work)
        env = {"DATABASE_URL": fleet.info["database_url"], "SECRET_KEY": fleet.info["secret_key"],
               "UPLOAD_DIR": os.path.join(work, "uploads")}
        server = self.server(work, env, "mariadb1")
        self.startup["mariadb"] = timed_starts(server, 3)
        p = server.port
        rng = random.Random(30)
        (seller_id, seller_token), = seed_users(p, 1, "seller")
        buyers = seed_users(p, 2 if self.quick else 8, "buyer")
        race_stock = 50 if self.quick else 400
        race_book = seed_catalog_api(p, seller_token, 1, rng, stock=race_stock)[0]
        stock = 1_000_000
        books = seed_catalog_api(p, seller_token, 100, rng, stock=stock)
        seed_catalog_api(p, seller_token, 20, rng, marker_every=4)
        pids = [server.pid]
        hap, maria = fleet.info["haproxy"]["pid"], fleet.info["mariadb"]["pid"]
        fleet_roots = [hap, maria] + fleet.replica_pids()
        self.scenario("maria_catalog", "catalog page 1, 20 books, 1 replica", p, "/book/catalog", pids,
                      db="MariaDB", own_roots=fleet_roots, extra={"mariadb": maria})
        self.scenario("haproxy_catalog", "catalog page 1 via HAProxy, 2 replicas", None,
                      "/book/catalog", fleet.replica_pids(), db="MariaDB", own_roots=fleet_roots,
                      via_port=fleet.port, extra={"haproxy": hap, "mariadb": maria})

        # The write path: MariaDB's own client first (the ceiling), then the server.
        ceilings = []
        for clients in (2, 16, 64):
            say(f"ceiling: {clients} mariadb clients running purchase+payment transactions")
            c = mariadb_client_ceiling(fleet, work, clients, self.d, buyers, books, [maria],
                                       fleet_roots)
            say(f"  {c['pairs_per_s']:.0f} pairs/s ({c['statements_per_s']:.0f} statements/s)")
            ceilings.append(c)
        token_file = os.path.join(work, "tokens.txt")
        with open(token_file, "w") as f:
            f.write("".join(t + "\n" for _, t in buyers))
        say("purchase path: POST /api/v1/purchases + POST /api/v1/purchases/{id}/payment")
        counters0 = fleet.counters()
        r = measure(f"{server.url}/", "purchase.lua", self.d, pids,
                    [token_file, str(books[0]), str(len(books))], own_roots=fleet_roots,
                    extra={"mariadb": maria})
        r["pairs_per_s"] = r["paid"] / (r["duration_us"] / 1e6)
        r["counters"] = {k: v - counters0.get(k, 0) for k, v in fleet.counters().items()}
        r["statements_per_pair"] = r["counters"]["Questions"] / r["paid"] if r["paid"] else 0
        best = max(ceilings, key=lambda c: c["pairs_per_s"])
        self.write = {"server": r, "ceilings": ceilings, "best": best,
                      "ratio": r["pairs_per_s"] / best["pairs_per_s"] if best["pairs_per_s"] else 0}
        say(f"  {r['rps']:.0f} req/s = {r['pairs_per_s']:.0f} paid pairs/s, p99 {r['p99_ms']:.1f} ms, "
            f"unexpected answers {r['unexpected']}, socket errors {r['socket_errors']}; "
            f"ratio {self.write['ratio']:.2f}")

        # Oversell race: every connection buys the same book until it is sold out.
        say(f"oversell race: 64 connections on one book of stock {race_stock}, until sold out")
        race = {"purchased": 0, "paid": 0, "insufficient": 0, "unexpected": 0, "socket_errors": 0,
                "runs": 0}
        while race["runs"] < 10:
            r = run_wrk(f"{server.url}/", "purchase.lua", max(1, min(self.d, 3)),
                        [token_file, str(race_book), "1"])
            race["runs"] += 1
            for k in ("purchased", "paid", "insufficient", "unexpected", "socket_errors"):
                race[k] += r[k]
            left = int(fleet.sql(f"SELECT stock FROM book WHERE id = {race_book}")[0][0])
            if left == 0 and r["insufficient"] > 0:
                break
        self.write["race"] = race
        self.write["race_stock"] = race_stock
        server.stop()
        # Diagnostic: the purchase path with more database connections per replica.
        for pool in (8,):
            wide = self.server(work, dict(env, DB_POOL_SIZE=str(pool)), f"mariadb-pool{pool}")
            wide.start()
            r = measure(f"{wide.url}/", "purchase.lua", self.d, [wide.pid],
                        [token_file, str(books[0]), str(len(books))], own_roots=fleet_roots,
                        extra={"mariadb": maria})
            r["pairs_per_s"] = r["paid"] / (r["duration_us"] / 1e6)
            self.diagnose(f"DB_POOL_SIZE={pool} (default: THREADS = 2)", "purchase", r)
            wide.stop()
        self.integrity(fleet, books, stock, race_book, race_stock, race)
        self.scale.mariadb_size(fleet, seller_id, [t for _, t in buyers])

    def integrity(self, fleet, books, stock, race_book, race_stock, race):
        ids = ",".join(str(b) for b in books)
        negative = int(fleet.sql("SELECT COUNT(*) FROM book WHERE stock < 0")[0][0])
        self.checks.append(("no book has negative stock", negative == 0, f"{negative} negative"))
        rows = fleet.sql(f"SELECT b.id, b.stock, COALESCE(SUM(p.quantity), 0) FROM book b "
                         f"LEFT JOIN purchase p ON p.book_id = b.id WHERE b.id IN ({ids}) "
                         "GROUP BY b.id, b.stock")
        bad = [r for r in rows if int(r[1]) + int(r[2]) != stock]
        sold = sum(int(r[2]) for r in rows)
        self.checks.append(("purchased copies = stock sold, every book of the write run",
                            not bad and len(rows) == len(books),
                            f"{sold} copies sold over {len(rows)} books; {len(bad)} mismatched"))
        left, bought, rows_race = (int(x) for x in fleet.sql(
            f"SELECT b.stock, COALESCE(SUM(p.quantity), 0), COUNT(p.id) FROM book b "
            f"LEFT JOIN purchase p ON p.book_id = b.id WHERE b.id = {race_book} GROUP BY b.stock")[0])
        # Answers still in flight when a wrk run ends are not seen (their rows exist).
        ok = (left == 0 and bought == race_stock and rows_race == race_stock
              and race["purchased"] <= rows_race and race["insufficient"] > 0
              and race["unexpected"] == 0 and race["socket_errors"] == 0)
        self.checks.append((f"oversell race: stock {race_stock} sold exactly, then 409", ok,
                            f"stock left {left}, copies bought {bought}, rows {rows_race}, "
                            f"201 answers {race['purchased']}, 409 insufficient_stock "
                            f"{race['insufficient']}, other {race['unexpected']}"))
        dup = int(fleet.sql("SELECT COUNT(*) FROM (SELECT purchase_id FROM payment GROUP BY "
                            "purchase_id HAVING COUNT(*) > 1) d")[0][0])
        paid = int(fleet.sql("SELECT COUNT(*) FROM purchase WHERE status = 'Paid'")[0][0])
        payments = int(fleet.sql("SELECT COUNT(*) FROM payment")[0][0])
        self.checks.append(("one payment per paid purchase", dup == 0 and paid == payments,
                            f"{paid} paid purchases, {payments} payments, {dup} paid twice"))

    def run(self):
        self.machine = machine_info()
        self.nginx.start()
        self.sqlite_small()
        self.scale.sqlite_sizes()
        self.mariadb_part()



def main(argv=None):
    p = argparse.ArgumentParser(prog="bench/run", description=bench_doc.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="about 1 s per scenario (test suite)")
    p.add_argument("--duration", type=int, help="seconds per scenario (default 10; --quick 1)")
    p.add_argument("--out", help="results file (default bench/results/latest.md; quick.md for --quick)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, databases)")
    args = p.parse_args(argv)
    args.duration = args.duration or (1 if args.quick else 10)
    out = args.out or os.path.join(BENCH_DIR, "results", "quick.md" if args.quick else "latest.md")
    if os.geteuid() != 0 and not os.access("/tmp", os.W_OK):
        raise BenchError("/tmp is not writable")
    for name in ("wrk", "nginx", "haproxy", "mariadbd", "mariadb", "mariadb-install-db"):
        tool(name)
    try:
        statements.check_all()
    except (OSError, ValueError) as e:
        raise BenchError(f"the server's statements (src/db/repositories): {e}") from None

    # The whole run is bounded: the alarm unwinds through the cleanup below.
    budget = (300 if args.quick else 900) + 30 * args.duration

    def on_alarm(signum, frame):
        raise BenchError(f"the run took longer than {budget} s; stopping")

    def on_term(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    t0 = time.monotonic()
    binary = build_binary()
    signal.alarm(budget)
    base = tempfile.mkdtemp(prefix="bookstore-bench-")
    suite = Suite(args, binary, base)
    say(f"workspace {base}")
    failed = True
    try:
        suite.run()
        failed = False
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if hasattr(suite, "fleet"):
            suite.fleet.down()
        suite.nginx.stop()
        PROCS.stop_all()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if args.keep or failed:
            say(f"kept {base} (logs, databases)")
        else:
            shutil.rmtree(base, ignore_errors=True)
    elapsed = time.monotonic() - t0
    text = write_results(out, suite, elapsed)
    print(text)
    say(f"results written to {out}")
    problems = quick_problems(suite)
    if problems:
        say("PROBLEMS:\n  " + "\n  ".join(problems))
        return 1
    return 0


def run(argv=None):
    """The command: main() with its errors turned into messages and exit codes."""
    try:
        return main(argv)
    except BenchError as e:
        say(f"error: {e}")
        return 2
    except KeyboardInterrupt as e:
        say(f"interrupted ({e})")
        return 130
