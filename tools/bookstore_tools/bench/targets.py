"""The targets of issue 6, part 2, and their verdicts for a run."""
import statistics

TARGET_CATALOG_RATIO = 0.40
TARGET_CATALOG_P99_MS = 10.0
TARGET_READ_RATIO = 0.50
TARGET_10K_LATENCY_FACTOR = 1.5
TARGET_WRITE_RATIO = 0.50
TARGET_IDLE_RSS_MB = 30.0
TARGET_LOAD_RSS_MB = 80.0
TARGET_READY_SQLITE_MS = 300.0
TARGET_READY_MARIADB_MS = 500.0


def verdict(ok):
    return "met" if ok else "**missed**"


def evaluate(s):
    """[(target, measured, ok)] for part 2 of the issue."""
    rows = {r["key"]: r for r in s.rows}
    out = []
    cat = rows["catalog"]
    out.append(("catalog page (20 books, SQLite) >= 40% of NGINX static",
                f"{cat['ratio'] * 100:.0f}% ({cat['rps']:.0f} / {cat['ceiling']['rps']:.0f} req/s)",
                cat["ratio"] >= TARGET_CATALOG_RATIO))
    out.append(("catalog page p99 < 10 ms at 64 connections", f"{cat['p99_ms']:.2f} ms",
                cat["p99_ms"] < TARGET_CATALOG_P99_MS))
    for key, what in (("detail", "book detail"), ("api_books", "GET /api/v1/books")):
        r = rows[key]
        out.append((f"{what} >= 50% of its static ceiling",
                    f"{r['ratio'] * 100:.0f}% ({r['rps']:.0f} / {r['ceiling']['rps']:.0f} req/s)",
                    r["ratio"] >= TARGET_READ_RATIO))
    p1 = rows["big_p1"]
    for key, what in (("big_mid", "10,000 books: middle page"), ("big_search", "10,000 books: search")):
        r = rows[key]
        f50 = r["p50_ms"] / p1["p50_ms"] if p1["p50_ms"] else 0
        f99 = r["p99_ms"] / p1["p99_ms"] if p1["p99_ms"] else 0
        out.append((f"{what} within 1.5x of page 1's latency (p50)",
                    f"{f50:.2f}x p50 ({r['p50_ms']:.2f} vs {p1['p50_ms']:.2f} ms); {f99:.2f}x p99",
                    f50 <= TARGET_10K_LATENCY_FACTOR))
    w = s.write
    out.append(("purchase path (MariaDB) >= 50% of MariaDB's own client, same transactions",
                f"{w['ratio'] * 100:.0f}% ({w['server']['pairs_per_s']:.0f} / "
                f"{w['best']['pairs_per_s']:.0f} pairs/s, client best at {w['best']['clients']} "
                "connections)", w["ratio"] >= TARGET_WRITE_RATIO))
    no_oversell = all(ok for _, ok, _ in s.checks)
    out.append(("never an oversell (stock >= 0, purchases = stock sold)",
                "; ".join(d for _, _, d in s.checks[:3]), no_oversell))
    m = s.memory
    out.append(("memory < 30 MB RSS idle (after start)", f"{m['idle_after_start_mb']:.1f} MB",
                m["idle_after_start_mb"] < TARGET_IDLE_RSS_MB))
    out.append(("memory < 30 MB RSS idle (after the page and API loads)",
                f"{m['idle_after_load_mb']:.1f} MB ({m['idle_after_health_mb']:.1f} MB after the "
                "/health load)", m["idle_after_load_mb"] < TARGET_IDLE_RSS_MB))
    out.append(("memory < 80 MB RSS under catalog load", f"{m['catalog_load_peak_mb']:.1f} MB peak",
                m["catalog_load_peak_mb"] < TARGET_LOAD_RSS_MB))
    sq, ma = s.startup["sqlite"], s.startup["mariadb"]
    out.append(("start to ready (/health 200) < 300 ms on SQLite",
                f"median {statistics.median(sq):.0f} ms (runs: {', '.join(f'{x:.0f}' for x in sq)})",
                max(sq) < TARGET_READY_SQLITE_MS))
    out.append(("start to ready < 500 ms on MariaDB",
                f"median {statistics.median(ma):.0f} ms (runs: {', '.join(f'{x:.0f}' for x in ma)})",
                max(ma) < TARGET_READY_MARIADB_MS))
    return out

