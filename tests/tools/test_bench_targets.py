"""Benchmark target evaluation (tools/bookstore_tools/bench/targets.py), on
made-up runs: each target is met on its side of the line and missed on the other."""
import pytest

from bench_sample import changed, changed_scale, sample_suite
from bookstore_tools.bench import targets
from bookstore_tools.bench.targets import evaluate, verdict


def verdicts(s):
    return {what: ok for what, _, ok in evaluate(s)}


def test_a_good_run_meets_every_target():
    out = evaluate(sample_suite())
    assert len(out) == 11 + 15
    assert all(ok for _, _, ok in out), [what for what, _, ok in out if not ok]
    catalog = next(m for what, m, _ in out if what.startswith("catalog page (20 books"))
    assert catalog == "45% (20000 / 44444 req/s)"


@pytest.mark.parametrize("figures, target", [
    ({"catalog__ratio": 0.39}, "catalog page (20 books, SQLite) >= 40% of NGINX static"),
    ({"catalog__p99_ms": 10.0}, "catalog page p99 < 10 ms at 64 connections"),
    ({"detail__ratio": 0.49}, "book detail >= 50% of its static ceiling"),
    ({"api_books__ratio": 0.2}, "GET /api/v1/books >= 50% of its static ceiling"),
    ({"write__ratio": 0.499}, "purchase path (MariaDB) >= 50% of MariaDB's own client, same transactions"),
    ({"memory__idle_after_start_mb": 30.0}, "memory < 30 MB RSS idle (after start)"),
    ({"memory__idle_after_load_mb": 31.0}, "memory < 30 MB RSS idle (after the page and API loads)"),
    ({"memory__catalog_load_peak_mb": 80.0}, "memory < 80 MB RSS under catalog load"),
    ({"startup__sqlite": [40.0, 300.0, 50.0]}, "start to ready (/health 200) < 300 ms on SQLite"),
    ({"startup__mariadb": [90.0, 95.0, 501.0]}, "start to ready < 500 ms on MariaDB"),
])
def test_one_figure_over_the_line_misses_exactly_its_target(figures, target):
    result = verdicts(changed(sample_suite(), **figures))
    assert target in result
    assert result[target] is False
    assert [what for what, ok in result.items() if not ok] == [target]


def test_boundaries_are_the_issues():
    # On the line: ratios and the 2x factor are met, "<" limits are missed.
    s = changed(sample_suite(), catalog__ratio=targets.TARGET_CATALOG_RATIO)
    assert verdicts(s)["catalog page (20 books, SQLite) >= 40% of NGINX static"] is True
    s = changed(sample_suite(), memory__catalog_load_peak_mb=targets.TARGET_LOAD_RSS_MB - 0.01)
    assert verdicts(s)["memory < 80 MB RSS under catalog load"] is True
    s = changed_scale(sample_suite(), "SQLite", 1_000_000, "mid",
                      p50_ms=3.0 * targets.TARGET_SCALE_LATENCY_FACTOR)
    assert verdicts(s)["SQLite, 1,000,000 books: page 25,000 (the middle) p50 <= 2x page 1's"] is True
    s = changed_scale(sample_suite(), "MariaDB", 200_000, "rare",
                      rows_read_per_s=targets.TARGET_SCALE_ROWS_READ)
    assert verdicts(s)["MariaDB, 200,000 books: rows read < 1,000/s under every catalog load "
                       "(nothing changing)"] is False


@pytest.mark.parametrize("backend, books, key, fields, target", [
    ("SQLite", 1_000_000, "p1", {"rps": 9999.0},
     "catalog page 1 at 1,000,000 books >= 0.5x its rate at 20 (SQLite)"),
    ("SQLite", 1_000_000, "mid", {"p50_ms": 6.01},
     "SQLite, 1,000,000 books: page 25,000 (the middle) p50 <= 2x page 1's"),
    ("SQLite", 1_000_000, "common", {"p50_ms": 6.5},
     "SQLite, 1,000,000 books: search `sombra` (~1 in 24) p50 <= 2x page 1's"),
    ("MariaDB", 200_000, "rare", {"p50_ms": 7.0},
     "MariaDB, 200,000 books: search `zafiro` (1 in 10,000) p50 <= 2x page 1's"),
    ("SQLite", 1_000_000, "spread", {"peak_rss_mb": 200.0},
     "SQLite, 1,000,000 books: peak RSS per replica < 200 MB under every load"),
    ("MariaDB", 200_000, "api", {"peak_rss_mb": 250.0},
     "MariaDB, 200,000 books: peak RSS per replica < 200 MB under every load"),
    ("MariaDB", 200_000, "common", {"rows_read_per_s": 5000.0},
     "MariaDB, 200,000 books: rows read < 1,000/s under every catalog load (nothing changing)"),
    # Random pages are first reads: judged per request, not per second.
    ("MariaDB", 200_000, "spread", {"rows_read_per_s": 12000.0 * 2500},
     "MariaDB, 200,000 books: random pages (mostly first reads) read < 2,500 rows per request"),
    ("SQLite", 1_000_000, "spread", {"errors": 3},
     "SQLite, 1,000,000 books: no errors under any load (random pages included)"),
    ("MariaDB", 200_000, "p1", {"errors": 1},
     "MariaDB, 200,000 books: no errors under any load (random pages included)"),
])
def test_one_scale_figure_over_the_line_misses_exactly_its_target(backend, books, key, fields,
                                                                  target):
    result = verdicts(changed_scale(sample_suite(), backend, books, key, **fields))
    assert result[target] is False
    assert [what for what, ok in result.items() if not ok] == [target]


def test_a_slow_start_at_the_largest_size_misses_its_targets():
    s = sample_suite()
    s.scale.starts[1]["ready_ms"] = 300.0
    s.scale.starts[0]["first_page_ms"] = 1000.0
    result = verdicts(s)
    assert [what for what, ok in result.items() if not ok] == [
        "start to ready < 300 ms at 1,000,000 books (SQLite)",
        "first catalog page < 1 s after ready at 1,000,000 books"]


def test_a_failed_integrity_check_is_an_oversell():
    s = sample_suite()
    s.checks[2] = ("oversell race: stock 50 sold exactly, then 409", False, "stock left -1")
    result = evaluate(s)
    oversell = next(r for r in result if r[0].startswith("never an oversell"))
    assert oversell[2] is False
    assert "stock left -1" in oversell[1]


def test_a_page_1_without_latency_does_not_divide_by_zero():
    s = changed_scale(sample_suite(), "SQLite", 1_000_000, "p1", p50_ms=0.0, rps=0.0)
    measured = {what: m for what, m, _ in evaluate(s)}
    assert measured["SQLite, 1,000,000 books: search `zafiro` (1 in 10,000) p50 <= 2x page 1's"] \
        .startswith("0.00x")


def test_verdict_words():
    assert verdict(True) == "met"
    assert verdict(False) == "**missed**"
