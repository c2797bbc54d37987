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


def test_database_outage_is_survived_without_restart(mariadb, workdir):
    db = mariadb.create_database()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
                                     "DB_TIMEOUT_MS": "1500"}).start()
    try:
        assert requests.get(server.url + "/health", timeout=5).status_code == 200
        pid = server.proc.pid
        mariadb.stop()
        stopped_at = time.monotonic()

        # /health turns 503 within 2 seconds, and each answer is quick.
        def unhealthy():
            t0 = time.monotonic()
            r = requests.get(server.url + "/health", timeout=5)
            assert time.monotonic() - t0 < 2.5
            return r.status_code == 503
        wait_until(unhealthy, 5, what="/health 503")
        assert time.monotonic() - stopped_at < 2.5
        body = requests.get(server.url + "/health", timeout=5).json()
        assert body["checks"]["database"] != "ok"
        # Requests that need the database answer 503 quickly, never hang or 500.
        for path in ("/api/v1/books", "/book/catalog"):
            t0 = time.monotonic()
            r = requests.get(server.url + path, timeout=10)
            assert r.status_code == 503, (path, r.status_code, r.text[:200])
            assert time.monotonic() - t0 < 3.5
        assert requests.get(server.url + "/health/live", timeout=5).status_code == 200

        mariadb.start()
        back_at = time.monotonic()
        wait_until(lambda: requests.get(server.url + "/health", timeout=5).status_code == 200,
                   15, interval=0.2, what="healthy again")
        assert time.monotonic() - back_at < 10
        assert requests.get(server.url + "/api/v1/books", timeout=5).status_code == 200
        assert server.proc.pid == pid and server.proc.poll() is None
    finally:
        if mariadb.proc is None or mariadb.proc.poll() is not None:
            mariadb.start()
        server.stop()


def test_health_answers_quickly_when_the_database_hangs(mariadb, workdir):
    """A database that accepts nothing (SIGSTOP) must not hang /health."""
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
                elapsed = time.monotonic() - t0
                assert r.status_code == 503, r.text
                assert r.json()["checks"]["database"] != "ok"
                assert elapsed < 2.2, elapsed
            t0 = time.monotonic()
            r = requests.get(server.url + "/api/v1/books", timeout=10)
            assert r.status_code == 503 and time.monotonic() - t0 < 3.5
        finally:
            mariadb.proc.send_signal(signal.SIGCONT)
        wait_until(lambda: requests.get(server.url + "/health", timeout=5).status_code == 200,
                   15, interval=0.2, what="healthy after SIGCONT")
    finally:
        server.stop()
