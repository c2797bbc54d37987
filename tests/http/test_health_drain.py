"""Honest health and graceful drain (ARCHITECTURE.md (3) and (4))."""
import os
import signal
import sqlite3
import threading
import time

import requests

from bookstore_tools.testing import Bookstore, wait_until


def test_health_reports_each_check(sqlite_server):
    r = requests.get(sqlite_server.url + "/health", timeout=5)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "uploads": "ok", "event_loops": "ok", "draining": False}
    assert r.headers["Cache-Control"] == "no-store"
    live = requests.get(sqlite_server.url + "/health/live", timeout=5)
    assert live.status_code == 200 and live.json()["status"] == "alive"


def test_unwritable_upload_folder_fails_health(workdir):
    if os.geteuid() == 0:
        # root ignores permissions; replace the folder with a file instead.
        server = Bookstore(workdir).start()
        try:
            uploads = server.env["UPLOAD_DIR"]
            os.rename(uploads, uploads + ".moved")
            with open(uploads, "w") as f:
                f.write("not a folder")
            # The upload check's result is reused for at most a second.
            wait_until(lambda: requests.get(server.url + "/health", timeout=5).status_code == 503,
                       3, what="/health 503")
            r = requests.get(server.url + "/health", timeout=5)
            assert r.status_code == 503
            assert r.json()["checks"]["uploads"] != "ok"
            assert r.json()["checks"]["database"] == "ok"
            os.remove(uploads)
            os.rename(uploads + ".moved", uploads)
            wait_until(lambda: requests.get(server.url + "/health", timeout=5).status_code == 200,
                       3, what="/health 200 again")
        finally:
            server.stop()


def test_requests_log_one_line_each(sqlite_server):
    requests.get(sqlite_server.url + "/health/live", timeout=5)
    requests.get(sqlite_server.url + "/definitely-missing?token=secret", timeout=5)
    time.sleep(0.2)
    out = sqlite_server.output()
    assert "method=GET path=/health/live status=200" in out
    assert "path=/definitely-missing status=404" in out
    assert "replica=bookstore" in out
    assert "secret" not in out  # query strings are not logged


def test_sigterm_drains_then_exits_zero(workdir):
    server = Bookstore(workdir, env={"SHUTDOWN_GRACE_SECONDS": "2"}).start()
    assert requests.get(server.url + "/health", timeout=5).status_code == 200
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    time.sleep(0.2)
    r = requests.get(server.url + "/health", timeout=5)
    assert r.status_code == 503 and r.json()["status"] == "draining"
    # Still serving during the grace period.
    assert requests.get(server.url + "/health/live", timeout=5).status_code == 200
    assert server.proc.wait(20) == 0
    assert time.monotonic() - started >= 1.9


def test_drain_waits_for_a_slow_in_flight_request(workdir):
    """A write held up by a lock outlives the grace period; it still completes."""
    server = Bookstore(workdir, env={"SHUTDOWN_GRACE_SECONDS": "1"}).start()
    db_path = os.path.join(workdir, "bookstore.db")
    blocker = sqlite3.connect(db_path, timeout=5, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # holds the write lock
    result = {}

    def register():
        try:
            r = requests.post(server.url + "/api/v1/users", timeout=30, json={
                "name": "Slow", "email": "slow@example.com", "password": "long-enough-1"})
            result["status"] = r.status_code
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            result["error"] = repr(e)

    t = threading.Thread(target=register)
    t.start()
    time.sleep(0.5)  # the request is now waiting for the lock
    server.signal(signal.SIGTERM)
    time.sleep(0.2)
    assert requests.get(server.url + "/health", timeout=5).status_code == 503
    time.sleep(1.8)  # past the grace period: the process must still be up
    assert server.proc.poll() is None
    blocker.execute("ROLLBACK")
    blocker.close()
    t.join(30)
    assert result.get("status") == 201, result
    assert server.proc.wait(20) == 0


def test_concurrent_health_checks_all_pass(sqlite_server):
    """Two load balancers probing at the same moment both see a healthy replica."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(lambda _: requests.get(sqlite_server.url + "/health", timeout=5).status_code,
                              range(200)))
    assert codes.count(200) == 200, codes


def test_sigterm_exits_promptly_after_clients_vanish(workdir):
    """Requests whose clients went away must not hold the drain open."""
    import socket
    server = Bookstore(workdir, env={"SHUTDOWN_GRACE_SECONDS": "0"}).start()
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET /book/catalog HTTP/1.1\r\nHost: x\r\n\r\n")
        s.close()  # gone before the answer
    time.sleep(0.5)
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    assert server.proc.wait(20) == 0
    assert time.monotonic() - started < 5
