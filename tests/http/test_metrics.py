"""GET /metrics (ARCHITECTURE.md point 8): Prometheus text from Drogon's
PromExporter, on a private listener (METRICS_PORT) unless METRICS_PUBLIC=true;
every metric the deployments' dashboards use (deploy/metrics.txt) is exported
and counts what happens."""
import os
import re
import time

import requests

from bookstore_tools.testing import Bookstore, free_port, wait_until

SOURCE_DIR = os.environ.get("BOOKSTORE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
# PromExporter lets Drogon cache its answer for 5 seconds.
EXPORT_CACHE_SECONDS = 5.5


def exported_names():
    with open(os.path.join(SOURCE_DIR, "deploy", "metrics.txt"), encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def parse(text):
    """{(name, frozenset(labels)): value} and {name: type}."""
    samples, types = {}, {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)', line)
        assert m, f"not Prometheus text: {line!r}"
        labels = frozenset(re.findall(r'(\w+)="([^"]*)"', m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples, types


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def test_private_listener_serves_metrics_and_nothing_else(workdir):
    metrics_port = free_port()
    server = Bookstore(workdir, env={"METRICS_PORT": str(metrics_port)}).start()
    private = f"http://127.0.0.1:{metrics_port}"
    try:
        # Not on the public listener; nothing but /metrics on the private one.
        public = requests.get(server.url + "/metrics", timeout=5)
        assert public.status_code == 404
        assert requests.get(private + "/book/catalog", timeout=5).status_code == 404
        assert requests.get(private + "/health", timeout=5).status_code == 404

        for _ in range(3):
            assert requests.get(server.url + "/api/v1/books?per_page=2", timeout=5).status_code == 200
        assert requests.get(server.url + "/book/catalog", timeout=5).status_code == 200
        assert requests.get(server.url + "/api/v1/books/999999", timeout=5).status_code == 404
        time.sleep(EXPORT_CACHE_SECONDS)

        r = requests.get(private + "/metrics", timeout=5)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
        samples, types = parse(r.text)
        names = {name for name, _ in samples}
        base = {re.sub(r"_(bucket|sum|count)$", "", n) if types.get(re.sub(r"_(bucket|sum|count)$", "", n)) ==
                "histogram" else n for n in names}
        assert exported_names() <= base, exported_names() - base
        assert types["bookstore_http_requests_total"] == "counter"
        assert types["bookstore_http_request_duration_seconds"] == "histogram"

        assert value(samples, "bookstore_http_requests_total", route="/api/v1/books", method="GET",
                     status_class="2xx") >= 3
        assert value(samples, "bookstore_http_requests_total", route="/api/v1/books/{id}", method="GET",
                     status_class="4xx") >= 1
        count = value(samples, "bookstore_http_request_duration_seconds_count", route="/api/v1/books")
        assert count >= 3
        assert value(samples, "bookstore_http_request_duration_seconds_bucket", route="/api/v1/books",
                     le="+Inf") == count
        assert value(samples, "bookstore_database_up") == 1
        assert value(samples, "bookstore_draining") == 0
        assert value(samples, "bookstore_http_requests_in_flight") >= 0
        hits = value(samples, "bookstore_catalog_cache_hits_total")
        misses = value(samples, "bookstore_catalog_cache_misses_total")
        assert hits + misses >= 4  # the catalog page and the three book lists
    finally:
        server.stop()


def test_metrics_public_serves_them_on_the_main_port(workdir):
    server = Bookstore(workdir, env={"METRICS_PUBLIC": "true"}).start()
    try:
        r = requests.get(server.url + "/metrics", timeout=5)
        assert r.status_code == 200
        samples, types = parse(r.text)
        assert "bookstore_http_requests_total" in types
    finally:
        server.stop()


def test_bad_metrics_settings_are_refused(workdir):
    import subprocess
    from bookstore_tools.testing import BOOKSTORE_BIN
    from bookstore_tools.processes import inherited_env
    port = free_port()
    for env, problem in [({"PORT": str(port), "METRICS_PORT": str(port)}, "METRICS_PORT"),
                         ({"METRICS_PORT": "70000"}, "METRICS_PORT"),
                         ({"LOG_FORMAT": "xml"}, "LOG_FORMAT")]:
        full = inherited_env({"DATABASE_URL": "sqlite:///" + os.path.join(workdir, "x.db"),
                              "UPLOAD_DIR": os.path.join(workdir, "up"), "HOST": "127.0.0.1",
                              "PORT": str(free_port()), **env})
        out = subprocess.run([BOOKSTORE_BIN, "serve"], env=full, cwd=workdir, capture_output=True,
                             text=True, timeout=30)
        assert out.returncode != 0 and problem in out.stdout + out.stderr, (env, out)
