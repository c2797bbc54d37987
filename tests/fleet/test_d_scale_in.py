"""d. Scale-in by SIGTERM under mixed load (GETs and purchase POSTs): zero
failed requests, and every purchase answered 201 exists exactly once.

Two ways a replica leaves: `fleet scale` (HAProxy drains it through the
runtime API, then SIGTERM), and a bare SIGTERM as an Auto Scaling group sends
it (its /health turns 503, HAProxy's checks take it out during the grace
period, in-flight requests finish, it exits)."""
import time

from fleetlib import Load, Shop, process_gone, say, sigterm, wait_until


def test_d_scale_in_by_sigterm_under_mixed_load_fails_nothing(make_fleet):
    fleet = make_fleet(3, grace=4)
    shop = Shop(fleet.url, buyers=4)
    reps = fleet.replicas()
    load = Load(fleet.url, shop.plan(post_share=0.35), workers=6, max_seconds=60, name="mixed").start()
    load.sleep(2)

    # 1. fleet scale 2: r3 drained through HAProxy, then SIGTERM.
    scale_started = time.monotonic()
    fleet.run("scale", "2")
    scaled_at = time.monotonic()
    assert process_gone(reps["r3"]["pid"])
    served_r3_late = [r for r in load.records if r.server == "r3" and r.t0 > scaled_at]
    load.sleep(2)

    # 2. A bare SIGTERM to r2, as an Auto Scaling group terminates an instance.
    term_at = time.monotonic()
    sigterm(reps["r2"]["pid"])
    down_at = wait_until(lambda: fleet.stats()["r2"]["status"].startswith("DOWN"), 10,
                         what="r2 DOWN in HAProxy")
    exited_at = wait_until(lambda: process_gone(reps["r2"]["pid"]), fleet.grace + 20, what="r2 exited")
    load.sleep(2)
    load.stop()

    numbers = load.summary("d. mixed load, scale-in 3 -> 2 -> 1")
    during_grace = [r for r in load.records if r.server == "r2" and term_at < r.t0 < exited_at]
    say(f"d. fleet scale 3 -> 2 took {scaled_at - scale_started:.2f}s; r3 answered "
        f"{len(served_r3_late)} request(s) after it was removed")
    say(f"d. bare SIGTERM to r2: HAProxy marked it DOWN after {down_at - term_at:.2f}s, it served "
        f"{len(during_grace)} request(s) during its grace, exited after {exited_at - term_at:.2f}s")
    after = [r for r in load.records if r.t0 > exited_at]
    say(f"d. requests after both left: {len(after)}, served by {sorted({r.server for r in after})}")
    shop.check_purchases(fleet, load.records)

    assert numbers["failed"] == 0, load.failed()[:5]
    assert numbers["kinds"]["POST /api/v1/purchases"][0] > 50
    assert not served_r3_late
    assert down_at - term_at < fleet.grace, "HAProxy must take the replica out before its grace ends"
    assert exited_at - term_at >= fleet.grace - 0.2
    assert {r.server for r in after} == {"r1"}
