"""MariaDB: three replicas migrating at once, and a database outage survived."""
import os
import time

import requests

from bookstore_tools.testing import Bookstore, SECRET, wait_until


def test_three_replicas_start_together_on_an_empty_database(mariadb, workdir):
    db = mariadb.create_database()
    replicas = [Bookstore(os.path.join(workdir, f"r{i}"), name=f"r{i}",
                          env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
                               "UPLOAD_DIR": os.path.join(workdir, "shared-uploads")})
                for i in range(3)]
    try:
        for r in replicas:
            r.start(wait=False)
        for r in replicas:
            r.wait_healthy(90)
        conn = mariadb.connect(db["name"])
        with conn.cursor() as c:
            c.execute("SELECT version, name FROM schema_migrations ORDER BY version")
            rows = c.fetchall()
            versions = [v for v, _ in rows]
            assert versions == sorted(set(versions)) and len(versions) >= 3
            c.execute("SELECT name, coverage_area, cost FROM delivery_provider ORDER BY id")
            providers = c.fetchall()
        conn.close()
        # Seeded once, not once per replica.
        assert [p[0] for p in providers] == ["DHL", "FedEx", "Envia", "Servientrega"]
        assert str(providers[0][2]) == "50.00"
        for r in replicas:
            assert "applying migration" in r.output() or "schema at version" in r.output()
    finally:
        for r in replicas:
            r.stop()


def database_state(server):
    r = requests.get(server.url + "/health", timeout=5)
    return r.status_code, r.json()["checks"]["database"]


def assert_fails_fast(server, paths=("/api/v1/books", "/book/catalog"), bound=0.5):
    """Pages that need the database answer 503 (with Retry-After) at once."""
    for path in paths:
        t0 = time.monotonic()
        r = requests.get(server.url + path, timeout=10)
        elapsed = time.monotonic() - t0
        assert r.status_code == 503, (path, r.status_code, r.text[:200])
        assert r.headers.get("Retry-After") == "1", r.headers
        assert elapsed < bound, (path, elapsed)


def test_database_outage_is_survived_without_restart(mariadb, workdir):
    """ARCHITECTURE.md point 3: the database's outage is reported by /health but
    does not fail it (every replica would fail at once and be replaced); pages
    answer 503 quickly meanwhile; the replica recovers by itself."""
    db = mariadb.create_database()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
                                     "DB_TIMEOUT_MS": "1500"}).start()
    try:
        assert database_state(server) == (200, "ok")
        pid = server.proc.pid
        mariadb.stop()
        stopped_at = time.monotonic()

        # Within 2 seconds /health reports the database, still answering 200
        # (quickly: it never waits for the database).
        def reported():
            t0 = time.monotonic()
            status, database = database_state(server)
            assert status == 200 and time.monotonic() - t0 < 1.0
            return database != "ok"
        wait_until(reported, 5, what="/health reporting the database")
        assert time.monotonic() - stopped_at < 2.5
        body = requests.get(server.url + "/health", timeout=5).json()
        assert body["status"] == "degraded" and body["checks"]["uploads"] == "ok"
        assert_fails_fast(server)
        assert requests.get(server.url + "/health/live", timeout=5).status_code == 200

        mariadb.start()
        back_at = time.monotonic()
        wait_until(lambda: database_state(server) == (200, "ok"), 15, interval=0.2,
                   what="database reported ok again")
        wait_until(lambda: requests.get(server.url + "/api/v1/books", timeout=5).status_code == 200,
                   5, interval=0.1, what="pages served again")
        assert time.monotonic() - back_at < 10
        assert server.proc.pid == pid and server.proc.poll() is None
    finally:
        if mariadb.proc is None or mariadb.proc.poll() is not None:
            mariadb.start()
        server.stop()


def test_health_answers_quickly_when_the_database_hangs(mariadb, workdir):
    """A database that accepts nothing (SIGSTOP) hangs neither /health nor pages."""
    import signal
    db = mariadb.create_database()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
                                     "DB_TIMEOUT_MS": "1500"}).start()
    try:
        assert mariadb.proc.poll() is None, "the test's own MariaDB must be running"
        mariadb.proc.send_signal(signal.SIGSTOP)
        try:
            for _ in range(3):
                t0 = time.monotonic()
                r = requests.get(server.url + "/health", timeout=10)
                assert r.status_code == 200, r.text
                assert time.monotonic() - t0 < 1.0
            # The first request waits for DB_TIMEOUT_MS; a probe that times out too
            # closes the gate.
            r = requests.get(server.url + "/api/v1/books", timeout=10)
            assert r.status_code == 503
            wait_until(lambda: database_state(server) == (200, "failing"), 5, interval=0.1,
                       what="/health reporting the hung database")
            assert_fails_fast(server)
        finally:
            mariadb.proc.send_signal(signal.SIGCONT)
        wait_until(lambda: requests.get(server.url + "/api/v1/books", timeout=5).status_code == 200,
                   15, interval=0.2, what="served after SIGCONT")
        assert database_state(server) == (200, "ok")
    finally:
        server.stop()
