"""The database gate (services/readiness, ARCHITECTURE.md "Health"): a query
that times out while the database still answers is no outage. Another
request right after it is served; only a lost connection, or a probe that
times out too (test_mariadb_resilience.py: a hung MariaDB), closes the gate.
"""
import os
import sqlite3
import time

import requests

from api_client import Api, new_user
from bookstore_tools.testing import Bookstore

TIMEOUT_MS = 600


def test_a_query_timeout_alone_does_not_close_the_gate(workdir):
    server = Bookstore(workdir, env={"DB_TIMEOUT_MS": str(TIMEOUT_MS)}).start()
    try:
        seller, *_ = new_user(server.url)
        db_path = os.path.join(workdir, "bookstore.db")
        blocker = sqlite3.connect(db_path, timeout=5, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
        try:
            t0 = time.monotonic()
            r = seller.post("/api/v1/books", {"title": "Bloqueado", "author": "Nadie",
                                              "description": "", "price": 10, "stock": 1})
            waited = time.monotonic() - t0
            # The write waited for the lock until its timeout: 503, Retry-After.
            assert r.status_code == 503, r.text
            assert r.headers.get("Retry-After") == "1"
            assert waited >= TIMEOUT_MS / 1000 * 0.9, waited
            # The database still answers reads: the gate stays open, so the
            # very next requests are served (a closed gate answers 503 for
            # 0.5 s at least, without trying).
            for _ in range(3):
                listed = Api(server.url).get("/api/v1/books")
                assert listed.status_code == 200, listed.text
                assert requests.get(server.url + "/book/catalog", timeout=5).status_code == 200
            health = requests.get(server.url + "/health", timeout=5).json()
            assert health["checks"]["database"] == "ok", health
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # The writer gone, writes succeed again.
        deadline = time.monotonic() + 10
        while True:
            r = seller.post("/api/v1/books", {"title": "Desbloqueado", "author": "Alguien",
                                              "description": "", "price": 10, "stock": 1})
            if r.status_code == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 201, r.text
    finally:
        server.stop()
