"""f. A rolling restart of every replica, one at a time, under mixed load:
zero failed requests, every replica replaced and serving again."""
import time

from fleetlib import Load, Shop, process_gone, say


def test_f_rolling_restart_under_load_fails_nothing(make_fleet):
    fleet = make_fleet(3)
    shop = Shop(fleet.url, buyers=4)
    before = fleet.replicas()
    load = Load(fleet.url, shop.plan(post_share=0.3), workers=6, max_seconds=90, name="mixed").start()
    load.sleep(2)
    started = time.monotonic()
    fleet.run("restart")
    restarted_at = time.monotonic()
    load.sleep(3)
    load.stop()

    numbers = load.summary("f. mixed load, rolling restart of 3 replicas")
    after = fleet.replicas()
    say(f"f. rolling restart took {restarted_at - started:.2f}s; pids "
        f"{ {n: r['pid'] for n, r in before.items()} } -> { {n: r['pid'] for n, r in after.items()} }")
    late = [r for r in load.records if r.t0 > restarted_at]
    say(f"f. after the restart: {len(late)} requests, served by "
        f"{ {s: sum(1 for r in late if r.server == s) for s in sorted(after)} }")
    shop.check_purchases(fleet, load.records)

    assert numbers["failed"] == 0, load.failed()[:5]
    assert sorted(after) == sorted(before)
    for name, rep in after.items():
        assert rep["pid"] != before[name]["pid"] and rep["running"] and rep["lb_status"] == "UP"
        assert process_gone(before[name]["pid"])
    assert {r.server for r in late} == set(after)
