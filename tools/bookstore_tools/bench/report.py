"""The results of a run: the Markdown report, its JSON twin, and what --quick
counts as a problem."""
import json
import os

from . import say
from .scale import to_json
from .targets import evaluate, verdict


def fmt_int(x):
    return f"{x:,.0f}".replace(",", " ")


def markdown(s, elapsed):
    m = s.machine
    lines = []
    mode = "quick (about 1 s per scenario; figures not meaningful)" if s.quick else \
        f"full ({s.d} s per scenario)"
    lines.append("# BookStore benchmark results\n")
    lines.append(f"- date: {m['date']}; run: {mode}; took {elapsed:.0f} s")
    lines.append(f"- machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB RAM, Linux "
                 f"{m['kernel']}; load average at start {' '.join(m['loadavg_start'])}")
    lines.append(f"- software: bookstore binary `{s.binary}` built {s.binary_built:%Y-%m-%d %H:%M %Z} "
                 f"(repository at {m['commit']}), wrk {m['wrk']}, nginx {m['nginx']}, "
                 f"HAProxy {m['haproxy']}, MariaDB {m['mariadb']}")
    lines.append("- load: `wrk -t2 -c64 --latency` on the same 2 cores as the server; pages with a "
                 "returning visitor's cookie; the server as deployed (LOG_LEVEL=INFO: one log line "
                 "per request, THREADS and DB_POOL_SIZE at their defaults)")
    lines.append("")
    lines.append("## Read paths against NGINX serving the same bytes\n")
    lines.append("| scenario | DB | bytes | req/s | p50 ms | p99 ms | errors | server peak RSS MB | "
                 "server CPU % | server CPU µs/req | NGINX req/s | NGINX p99 ms | NGINX CPU µs/req | "
                 "ratio | others' CPU % |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in s.rows:
        c = r.get("ceiling", {})
        lines.append(
            f"| {r['label']} | {r['db']} | {fmt_int(r['page_bytes'])} | {fmt_int(r['rps'])} | "
            f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']}"
            f"{' (' + str(r['status']) + ' non-2xx/3xx)' if r['status'] else ''} | "
            f"{r['peak_rss_mb']:.1f} | {r['server_cpu_pct']:.0f} | {r['cpu_us_per_req']:.0f} | "
            f"{fmt_int(c['rps'])} | {c['p99_ms']:.2f} | {c['cpu_us_per_req']:.0f} | "
            f"{r['ratio'] * 100:.0f}% | {r['others_cpu_pct']:.0f} |")
    lines.append("")
    for r in s.rows:
        if r["status"] and r.get("known_issue"):
            lines.append(f"- {r['label']}: {fmt_int(r['status'])} of {fmt_int(r['requests'])} answers "
                         f"were not 2xx/3xx: {r['known_issue']}.")
    lines.append("")
    lines.append("RSS and CPU are the server's (for HAProxy: both replicas, peak RSS of the larger, "
                 "CPU summed; HAProxy's own CPU is not in the column). CPU % is of one core "
                 "(200% = both cores); CPU µs/req is the server's (or NGINX's) CPU time divided by "
                 "the requests answered, a figure that other load on the machine disturbs much less "
                 "than req/s. \"others' CPU\" is what processes outside the bench used "
                 "on the same cores during the server's run (other people's builds and tests): "
                 "figures of a run with a high value are depressed.")
    lines.append("")
    w = s.write
    lines.append("## Write path on MariaDB against MariaDB's own client\n")
    lines.append("A pair = `POST /api/v1/purchases` (201, Pending Payment) + `POST "
                 "/api/v1/purchases/{id}/payment` (201, Paid), bearer tokens of "
                 "several buyers, 100 books. The ceiling: "
                 "`mariadb` command-line clients over TCP running the same two transactions per "
                 "pair, the server's own statements read from "
                 "src/db/repositories/purchase_repository.cc and book_repository.cc (BEGIN; UPDATE book SET stock = stock - 1 WHERE id = ? AND archived = 0 AND "
                 "stock >= 1; SELECT price, title; INSERT purchase; SET @purchase_id; INSERT "
                 "catalog_change; COMMIT; BEGIN; UPDATE purchase SET status; SELECT the paid "
                 "purchase's fields; INSERT payment; COMMIT — 12 statements, the SET keeping the "
                 "purchase's id, which the server reads from the INSERT's answer); the server runs "
                 "11 of them and 2 bearer-token lookups per pair, 13 statements in all.\n")
    sr = w["server"]
    lines.append("| run | pairs/s | statements per pair | req/s | p50 ms | p99 ms | errors | "
                 "server peak RSS MB | server CPU % | MariaDB CPU % | others' CPU % |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines.append(f"| server, wrk -c64 | {fmt_int(sr['pairs_per_s'])} | {sr['statements_per_pair']:.1f} | "
                 f"{fmt_int(sr['rps'])} | "
                 f"{sr['p50_ms']:.2f} | {sr['p99_ms']:.2f} | {sr['socket_errors'] + sr['unexpected']} | "
                 f"{sr['peak_rss_mb']:.1f} | {sr['server_cpu_pct']:.0f} | "
                 f"{sr['extra_cpu_pct'].get('mariadb', 0):.0f} | {sr['others_cpu_pct']:.0f} |")
    for c in w["ceilings"]:
        lines.append(f"| `mariadb` client x{c['clients']} | {fmt_int(c['pairs_per_s'])} | "
                     f"{c['statements_per_pair']:.1f} | - | - | - | - "
                     f"| - | - | {c['server_cpu_pct']:.0f} | {c['others_cpu_pct']:.0f} |")
    lines.append("")
    lines.append(f"Ratio: {w['ratio'] * 100:.0f}% of the best client rate "
                 f"({fmt_int(w['best']['pairs_per_s'])} pairs/s with {w['best']['clients']} clients).")
    race = w["race"]
    lines.append(f"Oversell race (64 connections, one book of stock {w['race_stock']}): "
                 f"{race['purchased']} purchases answered 201, {race['insufficient']} answered 409 "
                 f"insufficient_stock (expected once sold out), {race['unexpected']} other answers, "
                 f"{race['socket_errors']} socket errors.")
    lines.append("")
    lines.append("Integrity at the end:\n")
    for what, ok, detail in s.checks:
        lines.append(f"- {'ok' if ok else '**FAILED**'}: {what} ({detail})")
    lines.append("")
    if s.diagnostics:
        lines.append("## Diagnostics: configuration variants (not targets)\n")
        lines.append("| variant | scenario | rate | default's rate | change | p50 ms | p99 ms | errors | "
                     "server CPU % | others' CPU % |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in s.diagnostics:
            change = (r["value"] / r["baseline"] - 1) * 100 if r["baseline"] else 0
            errors = r["socket_errors"] + r.get("unexpected", r["status"])
            lines.append(f"| {r['variant']} | {r['label']} | {fmt_int(r['value'])} | "
                         f"{fmt_int(r['baseline'])} | {change:+.0f}% | {r['p50_ms']:.2f} | "
                         f"{r['p99_ms']:.2f} | {errors} | {r['server_cpu_pct']:.0f} | "
                         f"{r['others_cpu_pct']:.0f} |")
        lines.append("")
    lines.extend(scale_markdown(s.scale))
    lines.append("## Start-up and memory\n")
    st = s.startup
    lines.append(f"- start to ready (exec to first `/health` 200), SQLite, seeded: "
                 f"{', '.join(f'{x:.0f}' for x in st['sqlite'])} ms; first start on a new file "
                 f"(schema created): {st['sqlite_fresh'][0]:.0f} ms (large catalogs: below)")
    lines.append(f"- start to ready, MariaDB (schema present): "
                 f"{', '.join(f'{x:.0f}' for x in st['mariadb'])} ms")
    killed = [x for x in s.stops if x["killed"]]
    clean = [x["seconds"] * 1000 for x in s.stops if not x["killed"]]
    lines.append(f"- SIGTERM to exit (SHUTDOWN_GRACE_SECONDS=0): {len(s.stops)} stops; "
                 + (f"{len(clean)} exited in {min(clean):.0f}-{max(clean):.0f} ms; " if clean else "")
                 + (f"**{len(killed)} still running after 5 s and were killed** "
                    f"({', '.join(x['server'] for x in killed)}): every one of them had served a load "
                    "whose client (wrk) closed connections with requests in flight"
                    if killed else "none needed SIGKILL"))
    mm = s.memory
    lines.append(f"- RSS (SQLite, 20 books): {mm['idle_after_start_mb']:.1f} MB idle after start; "
                 f"{mm['catalog_load_peak_mb']:.1f} MB peak under catalog load; "
                 f"{mm['idle_after_load_mb']:.1f} MB idle after the page and API loads; "
                 f"{mm['idle_after_health_mb']:.1f} MB idle after the `/health` load "
                 f"(VmHWM {mm['hwm_mb']:.1f} MB)")
    lines.append("")
    lines.append("## Targets (issues 6 and 10)\n")
    lines.append("| target | measured | verdict |")
    lines.append("|---|---|---|")
    for what, measured, ok in evaluate(s):
        lines.append(f"| {what} | {measured} | {verdict(ok)} |")
    lines.append("")
    lines.append("Reference figures for this class of machine (issue 6): NGINX static 15 KB page "
                 "~98,000 req/s; Drogon minimal JSON handler ~135,000; one trivial SQLite query per "
                 "request ~55,000; one trivial MariaDB query over TCP ~20,000; the original Python "
                 "application (gunicorn, 5 workers, 20 books on SQLite) under 2,000.")
    return "\n".join(lines) + "\n"


def scale_markdown(scale):
    """The section of issue 10: every catalog size side by side."""
    lines = ["## The catalog at any size (issue 10)\n"]
    if scale.seeds:
        lines.append("Seeds (direct SQL, the server's own `INSERT`, one transaction): " + "; ".join(
            f"{x['backend']} {x['books']:,} books in {x['seconds']:.1f} s"
            + (f" ({x['file_mb']:.0f} MB file)" if "file_mb" in x else "") for x in scale.seeds) + ".\n")
    lines.append("| DB | books | load | bytes | req/s | p50 ms | p99 ms | errors | peak RSS MB "
                 "(per replica) | server CPU µs/req | DB rows read/s | others' CPU % |")
    lines.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in scale.rows:
        rows = f"{r['rows_read_per_s']:,.0f}" if "rows_read_per_s" in r else "n/a"
        lines.append(f"| {r['backend']} | {r['books']:,} | {r['label']} | {fmt_int(r['page_bytes'])} | "
                     f"{fmt_int(r['rps'])} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['errors']} | "
                     f"{r['peak_rss_mb']:.1f} | {r['cpu_us_per_req']:.0f} | {rows} | "
                     f"{r['others_cpu_pct']:.0f} |")
    lines.append("")
    if scale.starts:
        lines.append("Start to ready, then the first catalog page: " + "; ".join(
            f"{x['backend']} {x['books']:,} books {x['ready_ms']:.0f} + {x['first_page_ms']:.0f} ms"
            for x in scale.starts) + ".\n")
    m = scale.mixed
    if m:
        lines.append(f"Mixed load (MariaDB, 3 replicas via HAProxy): random catalog pages 1–{m['pages']} "
                     f"at {fmt_int(m['rps'])} req/s (p50 {m['p50_ms']:.2f} ms, p99 {m['p99_ms']:.2f} "
                     f"ms, {m['errors']} errors, peak RSS {m['peak_rss_mb']:.1f} MB) while purchases ran "
                     f"through the API at a steady {m['rate']:.0f}/s ({m['purchases']} created, "
                     f"{m['purchase_refused']} refused for stock, {m['purchase_failed']} failed); "
                     f"database rows read {m['rows_read_per_s']:,.0f}/s; catalog cache hit rate "
                     f"{m['hit_rate'] * 100:.1f}% ({fmt_int(m['cache_hits'])} hits, "
                     f"{fmt_int(m['cache_misses'])} misses, from the replicas' `/metrics`).\n")
    lines.append("Rows read: the sum of MariaDB's `Handler_read_%` counters over the load (every "
                 "row the SQL layer asked the storage engine for), divided by its length: the whole "
                 "database, HAProxy's health checks and the replicas' change polls included. "
                 "SQLite keeps no such counter (n/a).\n")
    return lines


def quick_problems(s):
    """What --quick checks: every scenario ran, with no unexpected errors."""
    problems = []
    for r in s.rows:
        if r["requests"] <= 0:
            problems.append(f"{r['label']}: no requests")
        if r["socket_errors"] or (r["status"] and not r["known_issue"]):
            problems.append(f"{r['label']}: {r['errors']} errors ({r['status']} non-2xx/3xx, "
                            f"{r['socket_errors']} socket)")
        c = r.get("ceiling")
        if c and (c["requests"] <= 0 or c["errors"]):
            problems.append(f"{r['label']}: NGINX ceiling {c['requests']} requests, "
                            f"{c['errors']} errors")
    w = s.write
    sr = w["server"]
    if sr["paid"] <= 0:
        problems.append("purchase path: no purchase was paid")
    if sr["unexpected"] or sr["socket_errors"] or sr["insufficient"]:
        problems.append(f"purchase path: {sr['unexpected']} unexpected answers, "
                        f"{sr['insufficient']} insufficient_stock, {sr['socket_errors']} socket errors")
    for c in w["ceilings"]:
        if c["pairs"] <= 0:
            problems.append(f"MariaDB client x{c['clients']}: no transaction committed")
    for what, ok, detail in s.checks:
        if not ok:
            problems.append(f"{what}: {detail}")
    for r in s.scale.rows:
        if r["requests"] <= 0 or r["errors"]:
            problems.append(f"{r['backend']} {r['books']:,} books, {r['label']}: {r['requests']} "
                            f"requests, {r['errors']} errors")
    m = s.scale.mixed
    if m and (m["requests"] <= 0 or m["errors"] or m["purchases"] <= 0 or m["purchase_failed"]):
        problems.append(f"mixed load: {m['requests']} requests, {m['errors']} errors, "
                        f"{m['purchases']} purchases, {m['purchase_failed']} failed")
    for r in s.diagnostics:
        # Diagnostics are experiments with other settings: they must run, but a
        # stray answer in one is reported, not a failure of the suite.
        if r["requests"] <= 0 or r["socket_errors"]:
            problems.append(f"diagnostic {r['variant']} on {r['label']}: {r['requests']} requests, "
                            f"{r['socket_errors']} socket errors")
        elif r.get("unexpected", r["status"]):
            say(f"warning: diagnostic {r['variant']} on {r['label']}: "
                f"{r.get('unexpected', r['status'])} unexpected answers")
    return problems


def write_results(out, s, elapsed):
    """Writes the report to `out` and the figures to the .json beside it; returns the report."""
    text = markdown(s, elapsed)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    with open(os.path.splitext(out)[0] + ".json", "w") as f:
        json.dump({"machine": s.machine, "rows": s.rows, "write": s.write,
                   "startup": s.startup, "memory": s.memory,
                   "diagnostics": s.diagnostics, "stops": s.stops,
                   "checks": s.checks, "scale": to_json(s.scale), "elapsed_s": elapsed}, f,
                  indent=1, default=str)
    return text
