"""c. Steady GET load through the balancer while one replica is killed with
SIGKILL: HAProxy retries what was in flight on it (GET is idempotent) and
redispatches to the others, then its checks take the dead replica out."""
import threading
import time

from fleetlib import Load, Shop, get_plan, say, sigkill


def test_c_sigkill_of_a_replica_under_get_load_fails_no_get(make_fleet):
    fleet = make_fleet(3)
    victim = fleet.replicas()["r2"]
    load = Load(fleet.url, get_plan(), workers=6, max_seconds=40, name="GET load").start()
    load.sleep(3)

    backend_before = fleet.stats()["BACKEND"]
    # Kill it while HAProxy has a request in flight on it, if that happens within 3 s.
    deadline = time.monotonic() + 3
    while True:
        in_flight = int(fleet.stats()["r2"]["scur"])
        if in_flight or time.monotonic() > deadline:
            break
    killed_at = time.monotonic()
    sigkill(victim["pid"])
    say(f"SIGKILL to r2 (pid {victim['pid']}) with {in_flight} request(s) in flight on it")

    marked_down = {}

    def watch():
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and "at" not in marked_down:
            if fleet.stats()["r2"]["status"].startswith("DOWN"):
                marked_down["at"] = time.monotonic()
            time.sleep(0.05)
    watcher = threading.Thread(target=watch)
    watcher.start()
    load.sleep(6)
    load.stop()
    watcher.join(20)

    numbers = load.summary("c. GET load, one replica SIGKILLed")
    backend = fleet.stats()["BACKEND"]
    retries = int(backend["wretr"]) - int(backend_before["wretr"])
    redispatches = int(backend["wredis"]) - int(backend_before["wredis"])
    down_after = marked_down.get("at", float("nan")) - killed_at
    say(f"c. in flight on r2 at the kill: {in_flight}; HAProxy retries {retries}, redispatches "
        f"{redispatches}; r2 marked DOWN {down_after:.2f}s after the kill")
    after = [r for r in load.records if r.t0 > killed_at + 0.1]
    say(f"c. requests after the kill: {len(after)}, failed {sum(1 for r in after if not r.ok)}")

    assert numbers["failed"] == 0, load.failed()[:5]
    assert "at" in marked_down, "HAProxy never marked the killed replica DOWN"
    assert down_after < 4
    # Nothing was answered by the dead replica after it died, and the others carried on.
    late = [r for r in load.records if r.server == "r2" and r.t1 > killed_at + 0.25]
    assert not late, f"{len(late)} answers from r2 after its death"
    assert {r.server for r in after} == {"r1", "r3"}
    assert len(after) > 100


def test_c2_sigkill_under_mixed_load_fails_only_posts_that_were_in_flight_on_it(make_fleet):
    """The same crash under GETs and purchase POSTs: a POST in flight on the
    killed replica cannot be replayed safely, so it may fail (502) — only
    those, each sent before the kill and answered after it."""
    fleet = make_fleet(3)
    shop = Shop(fleet.url, buyers=4)
    victim = fleet.replicas()["r2"]
    load = Load(fleet.url, shop.plan(post_share=0.4), workers=6, max_seconds=40, name="mixed").start()
    load.sleep(3)
    deadline = time.monotonic() + 3
    while True:
        in_flight = int(fleet.stats()["r2"]["scur"])
        if in_flight or time.monotonic() > deadline:
            break
    killed_at = time.monotonic()
    sigkill(victim["pid"])
    # The process dies, and the kernel resets its connections, a moment after
    # kill(2) returns: a request sent in that moment is in flight on it too.
    dead_by = time.monotonic() + 0.1
    load.sleep(5)
    load.stop()

    def in_flight_at_kill(r):
        return r.t0 < dead_by and r.t1 > killed_at

    numbers = load.summary("c2. mixed load, one replica SIGKILLed")
    failed = load.failed()
    say(f"c2. in flight on r2 at the kill (HAProxy): {in_flight}; failed: {len(failed)} "
        f"({sorted({r.kind for r in failed})}), each in flight at the kill: "
        f"{all(in_flight_at_kill(r) for r in failed)} (sent {[round(r.t0 - killed_at, 3) for r in failed]} s "
        "after the kill)")
    created = [r.body["id"] for r in load.records if r.status == 201 and isinstance(r.body, dict)]
    rows = [row[0] for row in fleet.query("SELECT id FROM purchase WHERE book_id = %s", (shop.book_id,))]
    unknown = sorted(set(rows) - set(created))
    say(f"c2. purchases answered 201: {len(created)}, rows: {len(rows)}, rows whose answer was lost "
        f"with the replica: {len(unknown)}")

    # Only POSTs fail, only those in flight at the kill, never more than HAProxy had in flight on
    # r2 (a snapshot just before the kill; +1 for one routed in between). HAProxy answers such a
    # request with 502, or, on a keep-alive client connection, closes it without an answer (as
    # an idle connection closes, which lets a client decide to retry) and logs nothing.
    assert all(r.kind.startswith("POST") and in_flight_at_kill(r) for r in failed), failed[:5]
    assert all(r.status == 502 or "RemoteDisconnected" in (r.error or "") for r in failed), \
        [(r.status, r.error) for r in failed]
    assert len(failed) <= in_flight + 1 and numbers["failed"] <= load.workers
    # Every 201 is exactly one row; a row without a 201 can only be a failed POST.
    assert len(created) == len(set(created)) and set(created) <= set(rows)
    assert len(unknown) <= len(failed)
