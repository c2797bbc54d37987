"""Load with wrk (and bench/lua/*.lua, which print one BENCH_JSON line)."""
import json
import os
import re
import subprocess

from . import LUA_DIR, BenchError, tool
from ..processes import die_with_parent
from .sampling import Sampler


def parse_wrk_output(out, url=""):
    """The figures of a wrk run from its BENCH_JSON line (None when it has none),
    with rates, error totals and milliseconds added."""
    match = re.search(r"^BENCH_JSON (\{.*\})$", out, re.M)
    if not match:
        return None
    r = json.loads(match.group(1))
    seconds = r["duration_us"] / 1e6
    r["rps"] = r["requests"] / seconds if seconds else 0.0
    r["socket_errors"] = r["connect"] + r["read"] + r["write"] + r["timeout"]
    r["errors"] = r["socket_errors"] + r["status"]
    r["p50_ms"] = r["p50_us"] / 1000
    r["p90_ms"] = r["p90_us"] / 1000
    r["p99_ms"] = r["p99_us"] / 1000
    r["url"] = url
    return r


def run_wrk(url, script, duration, args=(), connections=64, threads=2):
    cmd = [tool("wrk"), f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency",
           "--timeout", "2s", "-s", os.path.join(LUA_DIR, script), url]
    if args:
        cmd += ["--"] + list(args)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
    try:
        out, err = proc.communicate(timeout=duration + 60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise BenchError(f"wrk on {url} did not finish") from None
    r = parse_wrk_output(out, url)
    if proc.returncode != 0 or r is None:
        raise BenchError(f"wrk on {url} failed ({proc.returncode}):\n{out}\n{err}")
    return r


def measure(url, script, duration, server_pids, args=(), own_roots=(), extra=None):
    """wrk on url while sampling the server processes."""
    sampler = Sampler(server_pids, own_roots, extra)
    with sampler:
        r = run_wrk(url, script, duration, args)
    r.update(sampler.result())
    r["cpu_us_per_req"] = r["server_cpu_s"] * 1e6 / r["requests"] if r["requests"] else 0.0
    return r
