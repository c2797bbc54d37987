"""Benchmark target evaluation (tools/bookstore_tools/bench/targets.py), on
made-up runs: each target is met on its side of the line and missed on the other."""
import pytest

from bench_sample import changed, sample_suite
from bookstore_tools.bench import targets
from bookstore_tools.bench.targets import evaluate, verdict


def verdicts(s):
    return {what: ok for what, _, ok in evaluate(s)}


def test_a_good_run_meets_every_target():
    out = evaluate(sample_suite())
    assert len(out) == 13
    assert all(ok for _, _, ok in out), [what for what, _, ok in out if not ok]
    catalog = next(m for what, m, _ in out if what.startswith("catalog page (20 books"))
    assert catalog == "45% (20000 / 44444 req/s)"


@pytest.mark.parametrize("figures, target", [
    ({"catalog__ratio": 0.39}, "catalog page (20 books, SQLite) >= 40% of NGINX static"),
    ({"catalog__p99_ms": 10.0}, "catalog page p99 < 10 ms at 64 connections"),
    ({"detail__ratio": 0.49}, "book detail >= 50% of its static ceiling"),
    ({"api_books__ratio": 0.2}, "GET /api/v1/books >= 50% of its static ceiling"),
    ({"big_mid__p50_ms": 6.01}, "10,000 books: middle page within 1.5x of page 1's latency (p50)"),
    ({"big_search__p50_ms": 9.0}, "10,000 books: search within 1.5x of page 1's latency (p50)"),
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
    # On the line: ratios and the 1.5x factor are met, "<" limits are missed.
    s = changed(sample_suite(), catalog__ratio=targets.TARGET_CATALOG_RATIO,
                big_mid__p50_ms=4.0 * targets.TARGET_10K_LATENCY_FACTOR)
    result = verdicts(s)
    assert result["catalog page (20 books, SQLite) >= 40% of NGINX static"] is True
    assert result["10,000 books: middle page within 1.5x of page 1's latency (p50)"] is True
    s = changed(sample_suite(), memory__catalog_load_peak_mb=targets.TARGET_LOAD_RSS_MB - 0.01)
    assert verdicts(s)["memory < 80 MB RSS under catalog load"] is True


def test_a_failed_integrity_check_is_an_oversell():
    s = sample_suite()
    s.checks[2] = ("oversell race: stock 50 sold exactly, then 409", False, "stock left -1")
    result = evaluate(s)
    oversell = next(r for r in result if r[0].startswith("never an oversell"))
    assert oversell[2] is False
    assert "stock left -1" in oversell[1]


def test_a_page_1_without_latency_does_not_divide_by_zero():
    s = changed(sample_suite(), big_p1__p50_ms=0.0, big_p1__p99_ms=0.0)
    measured = {what: m for what, m, _ in evaluate(s)}
    assert measured["10,000 books: search within 1.5x of page 1's latency (p50)"].startswith("0.00x p50")


def test_verdict_words():
    assert verdict(True) == "met"
    assert verdict(False) == "**missed**"
