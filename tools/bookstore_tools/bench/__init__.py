"""BookStore benchmark suite: every hot path measured against its ceiling.

    bench/run            full run (~10 s per scenario, about 6 minutes in all)
    bench/run --quick    every scenario for about a second: checks that they run
                         (part of the test suite, CTest label `bench`)

It builds a Release binary into build-bench/ (or uses $BOOKSTORE_BIN), starts
fresh servers on seeded databases (SQLite with 20 books, SQLite with 10,000
books, MariaDB + 2 replicas behind HAProxy via deploy/local/fleet), measures
with wrk (-t2 -c64, on the same 2 cores as the server) and, in the same run,
the ceilings: a throwaway NGINX serving the very bytes of each page statically,
and MariaDB's own client (`mariadb`) running the purchase path's transaction
statements (the server's own, read from src/db/repositories/). Results:
printed, and written to bench/results/latest.md (quick: quick.md) with a .json
beside it.

Everything listens on 127.0.0.1; every run is bounded in time; every process
started here is stopped by its pid at the end (also on errors and signals).
Standard library only; run by Debian's /usr/bin/python3.

Modules: suite (the run and the command line), servers (processes, the
bookstore servers, the static NGINX), sampling and wrk (measuring), data
(seeding), write_path (MariaDB: the fleet and its client ceiling), targets
(the verdicts) and report (the results files).
"""
import os
import sys

from .. import REPO_ROOT
from ..processes import require_tool

BENCH_DIR = os.path.join(REPO_ROOT, "bench")
LUA_DIR = os.path.join(BENCH_DIR, "lua")
# A returning visitor: pages are measured with a fixed anonymous-visitor cookie,
# as a browser sends it back after its first page (the body is then the same
# for every request, so NGINX can serve exactly those bytes).
VISITOR_COOKIE = "bookstore_visitor=" + "5eed" * 16
PASSWORD = "bench-password-2025"


class BenchError(Exception):
    pass


def say(msg):
    sys.stderr.write(f"[bench] {msg}\n")
    sys.stderr.flush()


def tool(name):
    return require_tool(name, error=BenchError,
                        hint="scripts/install-deps installs wrk, nginx, haproxy and MariaDB")
