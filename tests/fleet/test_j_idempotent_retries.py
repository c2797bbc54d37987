"""j. Buyers send purchases with an Idempotency-Key through the balancer and
retry every answer they did not get (connection errors, 502/503/504, 409
while the first is still in flight), while one replica is SIGKILLed under
them (frozen with SIGSTOP for 0.7 s first, so requests are in flight on it,
some inside their purchase's transaction). Afterwards every key corresponds to exactly one purchase, no copy is
sold twice, and stock + copies in live purchases = the initial stock.

A request that was in flight on the killed replica may have left its key in
flight with no answer: a retry is told 409 (Retry-After) until the key is 30
seconds old and is then taken over (IdempotencyService::kTakeOverAfterSeconds),
so the test runs for about 40 seconds."""
import json
import os
import random
import signal
import threading
import time
import uuid

from fleetlib import register, new_book, say, session, sigkill

# Enough that buyers are still buying when the replica is killed at about 2 s
# (a fast machine sold 2,000 copies in 2.7 s), so requests are in flight on it.
STOCK = 200000
BUYERS = 10
NEW_KEYS_FOR = 10      # seconds during which buyers start new purchases (the kill is at about 2 s)
RETRY_FOR = 50          # a key's retries stop after this many seconds (never reached)
RETRYABLE = {502, 503, 504}


def test_j_keyed_purchases_survive_a_sigkill_exactly_once(make_fleet):
    fleet = make_fleet(3)
    seller, _, _ = register(fleet.url, "Librería")
    book = new_book(seller, stock=STOCK, price=4)
    buyers = [register(fleet.url, f"Comprador {i}")[0] for i in range(BUYERS)]
    victim = fleet.replicas()["r2"]
    lock = threading.Lock()
    outcomes = []   # (key, {"quantity", "ids": [ids of every 201], "final", "tries", "errors", ...})
    start = threading.Barrier(BUYERS + 1)

    def purchase(http, client, key, quantity, deadline):
        """Sends one keyed purchase until it gets an answer; returns (final status, record)."""
        rec = {"quantity": quantity, "ids": [], "final": None, "tries": 0, "errors": [],
               "in_flight_409": 0}
        with lock:
            outcomes.append((key, rec))
        while time.monotonic() < deadline:
            rec["tries"] += 1
            try:
                r = http.post(fleet.url + "/api/v1/purchases",
                              json={"book_id": book["id"], "quantity": quantity},
                              headers={"Authorization": f"Bearer {client.token}", "Idempotency-Key": key},
                              timeout=15)
            except Exception as e:  # noqa: BLE001 - no answer: send it again
                rec["errors"].append(type(e).__name__)
                http.close()
                time.sleep(0.1)
                continue
            if r.status_code in RETRYABLE:
                rec["errors"].append(r.status_code)
                time.sleep(0.1)
                continue
            code = r.json().get("error", {}).get("code") if r.status_code >= 400 else None
            if r.status_code == 409 and code == "conflict":
                rec["in_flight_409"] += 1
                time.sleep(min(float(r.headers.get("Retry-After", "1")), 1.0))
                continue
            if r.status_code == 201:
                rec["ids"].append(r.json()["id"])
                rec["final"] = 201
                return 201, rec
            rec["final"] = (r.status_code, code)
            return r.status_code, rec
        rec["final"] = "gave up"
        return None, rec

    def buy(index, client):
        http = session()
        rnd = random.Random(index)
        start.wait(10)
        begun = time.monotonic()
        while time.monotonic() < begun + NEW_KEYS_FOR:
            key = f"fleet-{index}-{uuid.uuid4()}"
            status, rec = purchase(http, client, key, rnd.randint(1, 3), begun + RETRY_FOR)
            if status == 201 and rnd.random() < 0.3:
                # Sometimes the answer is "lost" and the same request sent again: a replay.
                purchase(http, client, key, rec["quantity"], begun + RETRY_FOR)
            if status == 409 and rec["final"][1] == "insufficient_stock":
                return

    threads = [threading.Thread(target=buy, args=(i, c)) for i, c in enumerate(buyers)]
    for t in threads:
        t.start()
    start.wait(10)
    t0 = time.monotonic()
    time.sleep(2)
    assert all(t.is_alive() for t in threads), "the buyers stopped before the kill"

    # Frozen first, so requests pile up on it mid-way (some inside their
    # purchase's transaction, their key already in flight), then killed.
    os.kill(victim["pid"], signal.SIGSTOP)
    time.sleep(0.7)
    in_flight = int(fleet.stats()["r2"]["scur"])
    sigkill(victim["pid"])
    killed_at = time.monotonic() - t0
    say(f"j. SIGKILL to r2 (pid {victim['pid']}) {killed_at:.1f}s in, with {in_flight} request(s) in flight on it")
    for t in threads:
        t.join(RETRY_FOR + 20)
    elapsed = time.monotonic() - t0
    assert all(not t.is_alive() for t in threads)

    # The replays above reuse their key: merge them (same key -> one record of all 201 ids).
    keys = {}
    for key, rec in outcomes:
        keys.setdefault(key, []).append(rec)
    bought = {}
    for key, recs in keys.items():
        ids = {i for rec in recs for i in rec["ids"]}
        assert all(rec["final"] != "gave up" for rec in recs), (key, recs)
        assert len(ids) <= 1, f"key {key} answered with purchases {ids}"
        if ids:
            bought[key] = (ids.pop(), recs[0]["quantity"])
    retried = sum(1 for recs in keys.values() for rec in recs if rec["errors"] or rec["in_flight_409"])
    errors = [e for recs in keys.values() for rec in recs for e in rec["errors"]]
    waited = sum(rec["in_flight_409"] for recs in keys.values() for rec in recs)
    replays = sum(len(recs) - 1 for recs in keys.values())

    rows = fleet.query("SELECT id, quantity, status FROM purchase WHERE book_id = %s", (book["id"],))
    stock = fleet.query("SELECT stock FROM book WHERE id = %s", (book["id"],))[0][0]
    stored = fleet.query("SELECT idem_key, state, response_status, response_body FROM idempotency_key "
                         "WHERE idem_key LIKE 'fleet-%%'")
    live = sum(q for _, q, status in rows if status != "Cancelled")
    say(f"j. {len(keys)} keys in {elapsed:.1f}s: {len(bought)} bought, {replays} sent again after a 201, "
        f"{retried} retried (errors {len(errors)}: {sorted(set(map(str, errors)))}; 409 in flight {waited}); "
        f"purchase rows {len(rows)}, copies in them {live}, stock {stock} of {STOCK}; "
        f"answers after waiting out 409s (a key left in flight, taken over): "
        f"{[rec['final'] for recs in keys.values() for rec in recs if rec['in_flight_409']]}")

    # Every key that bought is exactly one purchase row, and every row is one key's.
    by_id = {pid: quantity for _, (pid, quantity) in bought.items()}
    assert len(by_id) == len(bought), "two keys answered with the same purchase"
    assert {row[0]: row[1] for row in rows} == by_id, "a row without its key, or a key without its row"
    # The stored answers say the same: each key done, naming its purchase.
    stored_ids = {}
    for key, state, status, body in stored:
        assert state == "done", (key, state)
        if status == 201:
            stored_ids[key] = json.loads(body)["id"]
    assert stored_ids == {key: pid for key, (pid, _) in bought.items()}
    # No copy sold twice, none lost.
    assert stock >= 0 and stock + live == STOCK
    # The kill cost requests their answers, and their retries were answered.
    assert errors or waited, "no request was in flight on the killed replica"
