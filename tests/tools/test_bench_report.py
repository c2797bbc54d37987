"""The benchmark's results (tools/bookstore_tools/bench/report.py, wrk.py,
servers.py): the Markdown report and its JSON twin written from a made-up run,
what --quick calls a problem, wrk's output, the static NGINX configuration."""
import json

from bench_sample import changed, sample_suite
from bookstore_tools.bench.report import fmt_int, markdown, quick_problems, write_results
from bookstore_tools.bench.servers import static_nginx_conf
from bookstore_tools.bench.wrk import parse_wrk_output


def section(text, title):
    """The lines of one `## title` section of the report."""
    part = text.split(f"## {title}", 1)[1]
    return part.split("\n## ", 1)[0]


def test_report_has_every_section_and_figure():
    text = markdown(sample_suite(), 321.4)
    assert text.startswith("# BookStore benchmark results\n")
    assert "run: full (10 s per scenario); took 321 s" in text
    assert "built 2026-01-02 03:04 UTC (repository at abc1234)" in text
    for title in ("Read paths against NGINX serving the same bytes",
                  "Write path on MariaDB against MariaDB's own client",
                  "Diagnostics: configuration variants (not targets)", "Start-up and memory",
                  "Targets (issues 6 and 10)"):
        assert f"\n## {title}\n" in text
    reads = section(text, "Read paths against NGINX serving the same bytes")
    assert "| catalog page 1, 20 books | SQLite | 15 000 | 20 000 | 2.00 | 6.00 | 0 |" in reads
    assert "| 45% |" in reads
    # The tolerated 503s of /health are explained under the table.
    assert "- `/health`: 2 of 9 000 answers were not 2xx/3xx: 503 when slow." in reads
    write = section(text, "Write path on MariaDB against MariaDB's own client")
    assert "| server, wrk -c64 | 1 200 | 12.0 | 2 400 |" in write
    assert "| `mariadb` client x16 | 2 000 |" in write
    assert "Ratio: 60% of the best client rate (2 000 pairs/s with 16 clients)." in write
    assert "- ok: one payment per paid purchase" in write
    startup = section(text, "Start-up and memory")
    assert "2 stops; 2 exited in 50-80 ms; none needed SIGKILL" in startup
    assert "| LOG_LEVEL=WARN | catalog page 1, 20 books | 23 000 | 20 000 | +15% |" in text
    scale = section(text, "The catalog at any size (issue 10)")
    assert "SQLite 1,000,000 books in 30.0 s (400 MB file); MariaDB 200,000 books in 12.0 s." in scale
    assert "| SQLite | 1,000,000 | page 25,000 (the middle) | 15 000 | 15 000 | 4.00 | 12.00 | 0 | " \
           "60.0 | 80 | n/a | 3 |" in scale
    assert "| MariaDB | 200,000 | catalog page 1 | 15 000 | 9 000 | 3.00 | 9.00 | 0 | 60.0 | 80 | 40 | 3 |" \
        in scale
    assert "SQLite 1,000,000 books 80 + 40 ms" in scale
    assert "cache hit rate 97.5% (78 000 hits, 2 000 misses" in scale
    assert "(198 created, 0 refused for stock, 0 failed); database rows read 450/s" in scale


def test_report_targets_table_follows_the_verdicts():
    good = section(markdown(sample_suite(), 1), "Targets (issues 6 and 10)")
    assert good.count("| met |") == 26 and "**missed**" not in good
    bad = section(markdown(changed(sample_suite(), catalog__ratio=0.1), 1), "Targets (issues 6 and 10)")
    assert "| catalog page (20 books, SQLite) >= 40% of NGINX static | 10% (20000 / 44444 req/s) " \
           "| **missed** |" in bad
    assert bad.count("| met |") == 25


def test_report_names_killed_servers_and_failed_checks():
    s = sample_suite()
    s.quick = True
    s.stops.append({"server": "mariadb-pool8", "seconds": 5.0, "killed": True})
    s.checks[0] = ("no book has negative stock", False, "3 negative")
    text = markdown(s, 90)
    assert "run: quick (about 1 s per scenario; figures not meaningful)" in text
    assert "**1 still running after 5 s and were killed** (mariadb-pool8)" in text
    assert "- **FAILED**: no book has negative stock (3 negative)" in text


def test_write_results_writes_the_report_and_its_json(tmp_path):
    out = tmp_path / "results" / "quick.md"
    s = sample_suite()
    text = write_results(str(out), s, 12.5)
    assert out.read_text() == text == markdown(s, 12.5)
    data = json.loads((tmp_path / "results" / "quick.json").read_text())
    assert data["elapsed_s"] == 12.5
    assert [r["key"] for r in data["rows"]] == [r["key"] for r in s.rows]
    assert data["write"]["best"]["clients"] == 16
    assert data["stops"] == s.stops
    assert data["checks"][0] == ["no book has negative stock", True, "0 negative"]
    assert set(data) == {"machine", "rows", "write", "startup", "memory", "diagnostics", "stops",
                         "checks", "scale", "elapsed_s"}
    assert data["scale"]["mixed"]["hit_rate"] == 0.975
    assert len(data["scale"]["rows"]) == len(s.scale.rows)


def test_quick_problems_of_a_good_run():
    assert quick_problems(sample_suite()) == []


def test_quick_problems_names_what_went_wrong(capsys):
    s = sample_suite()
    s.rows[1]["status"], s.rows[1]["errors"] = 4, 4          # catalog: unexpected non-2xx
    s.rows[5]["status"] = 9                                  # /health: tolerated (known issue)
    s.rows[3]["ceiling"]["errors"] = 1                       # detail's NGINX ceiling
    s.write["server"]["paid"] = 0
    s.write["ceilings"][0]["pairs"] = 0
    s.checks[3] = ("one payment per paid purchase", False, "2 paid twice")
    s.diagnostics[0]["unexpected"] = 3                       # a diagnostic: warned only
    s.scale.rows[7]["errors"] = 2                            # 1,000,000 books, middle page
    s.scale.mixed["purchase_failed"] = 1
    problems = quick_problems(s)
    assert problems == [
        "catalog page 1, 20 books: 4 errors (4 non-2xx/3xx, 0 socket)",
        "book detail: NGINX ceiling 38181 requests, 1 errors",
        "purchase path: no purchase was paid",
        "MariaDB client x2: no transaction committed",
        "one payment per paid purchase: 2 paid twice",
        "SQLite 1,000,000 books, page 25,000 (the middle): 15000 requests, 2 errors",
        "mixed load: 8000 requests, 0 errors, 198 purchases, 1 failed",
    ]
    assert "warning: diagnostic LOG_LEVEL=WARN" in capsys.readouterr().err
    s.diagnostics[0]["socket_errors"] = 1
    assert quick_problems(s)[-1].startswith("diagnostic LOG_LEVEL=WARN on catalog page 1")


def test_fmt_int_groups_thousands_with_spaces():
    assert fmt_int(1234567.4) == "1 234 567"
    assert fmt_int(999) == "999"


def test_wrk_output_is_read_from_its_json_line():
    out = ("Running 1s test @ http://127.0.0.1:1/\n"
           'BENCH_JSON {"duration_us": 2000000, "requests": 5000, "connect": 1, "read": 2, '
           '"write": 0, "timeout": 3, "status": 4, "p50_us": 1500, "p90_us": 2500, "p99_us": 9000}\n')
    r = parse_wrk_output(out, "http://x/")
    assert r["rps"] == 2500.0
    assert r["socket_errors"] == 6 and r["errors"] == 10
    assert (r["p50_ms"], r["p90_ms"], r["p99_ms"]) == (1.5, 2.5, 9.0)
    assert r["url"] == "http://x/"
    assert parse_wrk_output("wrk: connection refused\n") is None


def test_static_nginx_conf():
    conf = static_nginx_conf("/tmp/p", "/tmp/p/html", 12345)
    assert "listen 127.0.0.1:12345;" in conf
    assert "root /tmp/p/html;" in conf
    assert "pid /tmp/p/nginx.pid;" in conf
    assert not conf.startswith("user")
    assert conf.count("{") == conf.count("}")
    assert static_nginx_conf("/tmp/p", "/tmp/p/html", 1, as_root=True).startswith("user root;\n")
