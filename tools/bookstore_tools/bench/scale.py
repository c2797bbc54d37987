"""The catalog at any size (issue 10): the same loads on catalogs of 20,
100,000 and 1,000,000 books on SQLite and 200,000 on MariaDB through HAProxy
with 3 replicas, side by side in one run; the database rows each load reads;
a mixed load (catalog reads while purchases run at a steady rate)."""
import os
import random
import re
import threading
import time

from . import VISITOR_COOKIE, BenchError, say
from ..httpcall import CONNECTION_ERRORS, request, request_json
from .data import bulk_books_sql, seed_big_sqlite
from .sampling import Sampler
from .statements import catalog_changed_sql
from .wrk import measure, run_wrk

BOOKS_PER_PAGE = 20   # the catalog page's size (src/web/controllers/pages)
API_PER_PAGE = 20     # GET /api/v1/books' default per_page
RARE_WORD = "zafiro"  # in 1 title of every RARE_EVERY
RARE_EVERY = 10_000
COMMON_WORD = "sombra"  # one of the 24 title nouns (data.WORDS_TITLE): ~1 title in 24

SIZES_FULL = {"sqlite": (20, 100_000, 1_000_000), "mariadb": 200_000}
SIZES_QUICK = {"sqlite": (20, 10_000), "mariadb": 5_000}
PURCHASES_PER_SECOND = {"full": 20.0, "quick": 5.0}


def size_label(n):
    return f"{n:,}"


def loads(count):
    """(key, label, path, lua, lua args) of the loads every catalog size gets."""
    pages = max(1, -(-count // BOOKS_PER_PAGE))
    middle = max(1, pages // 2)
    return (
        ("p1", "catalog page 1", "/book/catalog", "get.lua", ()),
        ("mid", f"page {middle:,} (the middle)", f"/book/catalog?page={middle}", "get.lua", ()),
        ("rare", f"search `{RARE_WORD}` (1 in {RARE_EVERY:,})", f"/book/catalog?q={RARE_WORD}",
         "get.lua", ()),
        ("common", f"search `{COMMON_WORD}` (~1 in 24)", f"/book/catalog?q={COMMON_WORD}", "get.lua",
         ()),
        ("api", "`GET /api/v1/books`", "/api/v1/books", "get.lua", ()),
        ("spread", f"random pages 1–{pages:,}", "/book/catalog", "pages.lua",
         ("/book/catalog", str(pages))),
    )


class RowsRead:
    """Rows the whole MariaDB server read over a window: the sum of its
    `Handler_read_%` counters (every row the SQL layer asked a storage engine
    for, by key, by index scan or by table scan; MariaDB 10.11 has no
    `Innodb_rows_read`). Reading the counters reads rows too (SHOW STATUS
    scans its own table): that cost is measured once and subtracted."""

    def __init__(self, fleet):
        self.fleet = fleet
        first = self.value()
        self.overhead = self.value() - first

    def value(self):
        rows = self.fleet.sql("SHOW GLOBAL STATUS LIKE 'Handler\\_read\\_%'")
        return sum(int(value) for _, value in rows)

    def since(self, before):
        return max(self.value() - before - self.overhead, 0)


def metric_sum(ports, name):
    """The sum of one counter over replicas' /metrics (METRICS_PUBLIC=true)."""
    total = 0.0
    for port in ports:
        try:
            status, _, body = request(port, "GET", "/metrics")
        except CONNECTION_ERRORS:
            continue
        if status != 200:
            continue
        for line in body.decode("utf-8", "replace").splitlines():
            m = re.match(rf"^{re.escape(name)}(?:\{{[^}}]*\}})?\s+(\S+)$", line)
            if m:
                total += float(m.group(1))
    return total


class SteadyBuyer(threading.Thread):
    """Purchases through the API at a fixed rate (not as fast as possible):
    one copy of a random book among `book_ids`, with the buyers' tokens."""

    def __init__(self, port, tokens, first_id, last_id, rate):
        super().__init__(daemon=True)
        self.port, self.tokens, self.first_id, self.last_id = port, tokens, first_id, last_id
        self.rate = rate
        self.stop_event = threading.Event()
        self.created = 0
        self.refused = 0   # 409 insufficient stock: a correct answer, counted apart
        self.failed = 0
        self.rng = random.Random(77)

    def run(self):
        period = 1.0 / self.rate
        next_at = time.monotonic()
        while not self.stop_event.is_set():
            book = self.rng.randint(self.first_id, self.last_id)
            token = self.tokens[book % len(self.tokens)]
            try:
                status, _, _ = request_json(self.port, "POST", "/api/v1/purchases",
                                            {"book_id": book, "quantity": 1},
                                            {"Authorization": f"Bearer {token}"}, timeout=5)
            except CONNECTION_ERRORS:
                status = None
            if status == 201:
                self.created += 1
            elif status == 409:
                self.refused += 1
            else:
                self.failed += 1
            next_at += period
            self.stop_event.wait(max(0.0, next_at - time.monotonic()))

    def stop(self):
        self.stop_event.set()
        self.join(10)


class CatalogScale:
    """Runs inside bench/run's Suite (suite.scale holds the figures)."""

    def __init__(self, suite):
        self.suite = suite
        self.sizes = SIZES_QUICK if suite.quick else SIZES_FULL
        self.rows = []        # one per (backend, size, load)
        self.starts = []      # {backend, books, ready_ms, first_page_ms}
        self.seeds = []       # {backend, books, seconds}
        self.mixed = None

    # -- measurements --
    def load(self, backend, books, key, label, port, path, lua, lua_args, pids, rows_read=None,
             own_roots=(), extra=None, replica_ports=()):
        # Warm: the path once on every replica (behind HAProxy, one request
        # would warm one of them, and the others' first reads would fall in
        # the measured window).
        body = b""
        for warm_port in list(replica_ports) or [port]:
            status, _, body = request(warm_port, "GET", path, headers={"Cookie": VISITOR_COOKIE},
                                      timeout=30)
            if status != 200:
                raise BenchError(f"{backend} {books} books: GET {path} on port {warm_port} "
                                 f"answered {status}")
        args = list(lua_args) + [f"cookie={VISITOR_COOKIE}"]
        before = rows_read.value() if rows_read else None
        t0 = time.monotonic()
        r = measure(f"http://127.0.0.1:{port}{path}", lua, self.suite.d, pids, args, own_roots,
                    extra)
        seconds = time.monotonic() - t0
        row = {"backend": backend, "books": books, "key": key, "label": label, "path": path,
               "page_bytes": len(body), **r}
        if rows_read:
            row["rows_read_per_s"] = rows_read.since(before) / seconds
        self.rows.append(row)
        say(f"  {backend} {size_label(books)} books, {label}: {r['rps']:.0f} req/s, "
            f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, errors {r['errors']}, "
            f"peak RSS {r['peak_rss_mb']:.1f} MB"
            + (f", {row['rows_read_per_s']:.0f} rows read/s" if rows_read else ""))
        return row

    # -- SQLite: one server per size, each on a database seeded by direct SQL --
    def sqlite_sizes(self):
        for books in self.sizes["sqlite"]:
            work = os.path.join(self.suite.base, f"scale-sqlite-{books}")
            os.makedirs(work)
            db_path = os.path.join(work, "bookstore.db")
            env = {"DATABASE_URL": "sqlite:///" + db_path, "UPLOAD_DIR": os.path.join(work, "uploads")}
            server = self.suite.server(work, env, f"scale-sqlite-{books}")
            server.cli("migrate")
            t0 = time.monotonic()
            seed_big_sqlite(db_path, books, RARE_WORD, RARE_EVERY)
            self.seeds.append({"backend": "SQLite", "books": books,
                               "seconds": time.monotonic() - t0,
                               "file_mb": os.path.getsize(db_path) / 1e6})
            say(f"SQLite, {size_label(books)} books: seeded in {self.seeds[-1]['seconds']:.1f} s "
                f"({self.seeds[-1]['file_mb']:.0f} MB)")
            starts = 2 if books > 20 else 1
            for i in range(starts):
                self.start_and_first_page(server, "SQLite", books)
                if i < starts - 1:
                    server.stop()
            for key, label, path, lua, lua_args in loads(books):
                self.load("SQLite", books, key, label, server.port, path, lua, lua_args,
                          [server.pid])
            server.stop()

    def start_and_first_page(self, server, backend, books):
        server.start()
        t0 = time.perf_counter()
        status, _, _ = request(server.port, "GET", "/book/catalog", timeout=30)
        first = (time.perf_counter() - t0) * 1000
        if status != 200:
            raise BenchError(f"{backend} {books} books: first catalog page answered {status}")
        self.starts.append({"backend": backend, "books": books, "ready_ms": server.ready_ms,
                            "first_page_ms": first})
        say(f"  start to ready {server.ready_ms:.0f} ms, then the first catalog page in "
            f"{first:.0f} ms")

    # -- MariaDB: 3 replicas behind HAProxy, after the write path --
    def mariadb_size(self, fleet, seller_id, buyer_tokens):
        books = self.sizes["mariadb"]
        say(f"MariaDB, {size_label(books)} books: seeding by direct SQL in one transaction")
        first_id = int(fleet.sql("SELECT COALESCE(MAX(id), 0) FROM book")[0][0]) + 1
        t0 = time.monotonic()
        script = bulk_books_sql(books, seller_id, RARE_WORD, RARE_EVERY)
        fleet.sql_script(script, timeout=900)
        last_id = int(fleet.sql("SELECT MAX(id) FROM book")[0][0])
        self.seeds.append({"backend": "MariaDB", "books": books, "seconds": time.monotonic() - t0})
        say(f"  seeded in {self.seeds[-1]['seconds']:.1f} s (ids {first_id}-{last_id})")
        # Rows written behind the servers' back: one row in the catalog's
        # change log (the server's own statement) says the listing changed,
        # as a book published through a replica would.
        fleet.sql(catalog_changed_sql())
        # A bulk load leaves InnoDB's statistics describing the table before
        # it (its background recount comes later), which misleads MariaDB's
        # plans. As after any bulk load (README, "Operations").
        fleet.sql("ANALYZE TABLE book")
        fleet.checked("scale", "3", timeout=300)
        fleet.refresh()
        pids = fleet.replica_pids()
        hap, maria = fleet.info["haproxy"]["pid"], fleet.info["mariadb"]["pid"]
        own = [hap, maria] + pids
        rows_read = RowsRead(fleet)
        # The whole catalog on sale: the books seeded here and those of the write path.
        on_sale = int(fleet.sql("SELECT COUNT(*) FROM book WHERE archived = 0")[0][0])
        replica_ports = [r["port"] for r in fleet.info["replicas"]]
        for key, label, path, lua, lua_args in loads(on_sale):
            self.load("MariaDB", books, key, label, fleet.port, path, lua, lua_args, pids, rows_read,
                      own, {"haproxy": hap, "mariadb": maria}, replica_ports)
        self.mixed_load(fleet, pids, own, rows_read, buyer_tokens, first_id, last_id, on_sale,
                        {"haproxy": hap, "mariadb": maria})

    def mixed_load(self, fleet, pids, own, rows_read, tokens, first_id, last_id, on_sale, extra):
        rate = PURCHASES_PER_SECOND["quick" if self.suite.quick else "full"]
        pages = max(1, -(-on_sale // BOOKS_PER_PAGE))
        # The first 50 pages: what shoppers mostly read, while purchases change stock.
        hot = min(pages, 50)
        say(f"mixed: random catalog pages 1-{hot} via HAProxy while {rate:.0f} purchases/s run "
            "through the API")
        ports = [r["port"] for r in fleet.info["replicas"]]
        names = ("bookstore_catalog_cache_hits_total", "bookstore_catalog_cache_misses_total")
        # /metrics is cached by Drogon for up to 5 s: read it after a quiet 5.5 s.
        time.sleep(5.5)
        hits0, misses0 = (metric_sum(ports, n) for n in names)
        buyer = SteadyBuyer(fleet.port, tokens, first_id, last_id, rate)
        before = rows_read.value()
        t0 = time.monotonic()
        buyer.start()
        try:
            sampler = Sampler(pids, own, extra)
            with sampler:
                r = run_wrk(f"{fleet.url}/book/catalog", "pages.lua", self.suite.d,
                            ["/book/catalog", str(hot), f"cookie={VISITOR_COOKIE}"])
            r.update(sampler.result())
        finally:
            buyer.stop()
        seconds = time.monotonic() - t0
        rows = rows_read.since(before) / seconds
        time.sleep(5.5)
        hits1, misses1 = (metric_sum(ports, n) for n in names)
        hits, misses = hits1 - hits0, misses1 - misses0
        self.mixed = {**r, "purchases_per_s": buyer.created / seconds, "purchases": buyer.created,
                      "purchase_refused": buyer.refused, "purchase_failed": buyer.failed,
                      "rate": rate, "rows_read_per_s": rows, "pages": hot,
                      "cache_hits": hits, "cache_misses": misses,
                      "hit_rate": hits / (hits + misses) if hits + misses else 0.0}
        say(f"  {r['rps']:.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
            f"errors {r['errors']}; {buyer.created} purchases ({buyer.failed} failed); "
            f"{rows:.0f} rows read/s; cache hit rate {self.mixed['hit_rate'] * 100:.1f}%")


def to_json(scale):
    return {"rows": scale.rows, "starts": scale.starts, "seeds": scale.seeds, "mixed": scale.mixed}
