"""A finished benchmark run made up in memory (no process), for the tests of
the targets and the report; holds no tests."""
import copy
import datetime
import types


def wrk_row(key, label, rps, p50, p99, ratio=None, db="SQLite", status=0, known_issue=None):
    row = {"key": key, "label": label, "path": "/" + key, "db": db, "page_bytes": 15000,
           "requests": int(rps), "rps": float(rps), "p50_ms": p50, "p90_ms": p50 * 1.5, "p99_ms": p99,
           "errors": status, "status": status, "socket_errors": 0, "known_issue": known_issue,
           "peak_rss_mb": 20.0, "server_cpu_pct": 150.0, "cpu_us_per_req": 80.0,
           "others_cpu_pct": 3.0, "hwm_mb": 21.0}
    if ratio is not None:
        row["ceiling"] = {"kind": "NGINX static, same bytes", "rps": rps / ratio, "p99_ms": 1.0,
                          "cpu_us_per_req": 20.0, "requests": int(rps / ratio), "errors": 0}
        row["ratio"] = ratio
    return row


def sample_suite():
    """Every target met, by a clear margin, unless a test changes a figure."""
    rows = [
        wrk_row("live", "`/health/live`", 40000, 1.0, 3.0, 0.5),
        wrk_row("catalog", "catalog page 1, 20 books", 20000, 2.0, 6.0, 0.45),
        wrk_row("search", "catalog search", 19000, 2.0, 6.0, 0.45),
        wrk_row("detail", "book detail", 21000, 2.0, 6.0, 0.55),
        wrk_row("api_books", "`GET /api/v1/books`", 22000, 2.0, 6.0, 0.6),
        wrk_row("health", "`/health`", 9000, 5.0, 20.0, 0.3, status=2, known_issue="503 when slow"),
    ]
    server = {"pairs_per_s": 1200.0, "statements_per_pair": 12.0, "rps": 2400.0, "p50_ms": 20.0,
              "p99_ms": 60.0, "socket_errors": 0, "unexpected": 0, "insufficient": 0, "paid": 1200,
              "peak_rss_mb": 25.0, "server_cpu_pct": 120.0, "extra_cpu_pct": {"mariadb": 80.0},
              "others_cpu_pct": 2.0, "requests": 2400}
    ceilings = [{"clients": c, "pairs": 1000 * c, "pairs_per_s": v, "statements_per_pair": 10.0,
                 "server_cpu_pct": 90.0, "others_cpu_pct": 1.0} for c, v in ((2, 900.0), (16, 2000.0))]
    best = ceilings[1]
    return types.SimpleNamespace(
        quick=False, d=10, binary="/opt/bookstore/bookstore",
        binary_built=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.timezone.utc),
        machine={"date": "2026-01-02 03:04 UTC", "nproc": 2, "cpu": "Test CPU", "ram_gib": 4.0,
                 "kernel": "6.1", "loadavg_start": ["0.10", "0.20", "0.30"], "commit": "abc1234",
                 "wrk": "4.2.0", "nginx": "1.22.1", "haproxy": "2.6.12", "mariadb": "10.11.6"},
        rows=rows,
        write={"server": server, "ceilings": ceilings, "best": best,
               "ratio": server["pairs_per_s"] / best["pairs_per_s"],
               "race": {"purchased": 50, "paid": 0, "insufficient": 300, "unexpected": 0,
                        "socket_errors": 0, "runs": 1},
               "race_stock": 50},
        checks=[("no book has negative stock", True, "0 negative"),
                ("purchased copies = stock sold, every book of the write run", True, "1200 copies"),
                ("oversell race: stock 50 sold exactly, then 409", True, "stock left 0"),
                ("one payment per paid purchase", True, "1200 paid purchases, 1200 payments")],
        memory={"idle_after_start_mb": 12.0, "idle_after_load_mb": 18.0, "idle_after_health_mb": 19.0,
                "catalog_load_peak_mb": 40.0, "hwm_mb": 42.0},
        startup={"sqlite": [40.0, 45.0, 50.0], "sqlite_fresh": [120.0],
                 "mariadb": [90.0, 95.0, 100.0]},
        stops=[{"server": "sqlite20", "seconds": 0.05, "killed": False},
               {"server": "mariadb1", "seconds": 0.08, "killed": False}],
        scale=sample_scale(),
        diagnostics=[dict(wrk_row("catalog", "catalog page 1, 20 books", 23000, 1.8, 5.0),
                          variant="LOG_LEVEL=WARN", value=23000.0, baseline=20000.0)],
    )


SCALE_LOADS = (("p1", "catalog page 1", 3.0), ("mid", "page 25,000 (the middle)", 4.0),
               ("rare", "search `zafiro` (1 in 10,000)", 3.5), ("common", "search `sombra` (~1 in 24)", 5.0),
               ("api", "`GET /api/v1/books`", 3.0), ("spread", "random pages 1–50,000", 9.0))


def scale_row(backend, books, key, label, p50, rps=12000.0, rss=60.0, rows_read=None):
    row = dict(wrk_row(key, label, rps, p50, p50 * 3), backend=backend, books=books,
               peak_rss_mb=rss)
    if rows_read is not None:
        row["rows_read_per_s"] = rows_read
    return row


def sample_scale():
    """Issue 10's part of a run: 20 and 1,000,000 books on SQLite, 200,000 on MariaDB."""
    rows = []
    for backend, books, rps, rows_read in (("SQLite", 20, 20000.0, None),
                                           ("SQLite", 1_000_000, 15000.0, None),
                                           ("MariaDB", 200_000, 9000.0, 40.0)):
        for key, label, p50 in SCALE_LOADS:
            rows.append(scale_row(backend, books, key, label, p50, rps, 60.0, rows_read))
    mixed = dict(wrk_row("mixed", "mixed", 8000.0, 4.0, 12.0), purchases_per_s=19.8, purchases=198,
                 purchase_refused=0, purchase_failed=0, rate=20.0, rows_read_per_s=450.0, pages=50,
                 cache_hits=78000.0, cache_misses=2000.0, hit_rate=0.975)
    return types.SimpleNamespace(
        rows=rows,
        starts=[{"backend": "SQLite", "books": 1_000_000, "ready_ms": 80.0, "first_page_ms": 40.0},
                {"backend": "SQLite", "books": 1_000_000, "ready_ms": 70.0, "first_page_ms": 35.0}],
        seeds=[{"backend": "SQLite", "books": 1_000_000, "seconds": 30.0, "file_mb": 400.0},
               {"backend": "MariaDB", "books": 200_000, "seconds": 12.0}],
        mixed=mixed)


def changed_scale(suite, backend, books, key, **fields):
    """A deep copy of `suite` with fields of one issue-10 row changed."""
    s = copy.deepcopy(suite)
    row = next(r for r in s.scale.rows
               if (r["backend"], r["books"], r["key"]) == (backend, books, key))
    row.update(fields)
    return s


def changed(suite, **figures):
    """A deep copy of `suite` with `row_key__field=value` or `memory__key=value` changed."""
    s = copy.deepcopy(suite)
    for name, value in figures.items():
        where, field = name.split("__")
        if where == "memory":
            s.memory[field] = value
        elif where == "startup":
            s.startup[field] = value
        elif where == "write":
            s.write[field] = value
        else:
            next(r for r in s.rows if r["key"] == where)[field] = value
    return s
