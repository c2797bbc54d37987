"""e. Scale-out under load: the new replica receives traffic only after its
first passing health check, and no request fails."""
import re
import time

from fleetlib import Load, Shop, log_requests, say


def test_e_scale_out_under_load_routes_only_after_a_healthy_check(make_fleet):
    fleet = make_fleet(2)
    shop = Shop(fleet.url, buyers=4)
    load = Load(fleet.url, shop.plan(post_share=0.3), workers=6, max_seconds=60, name="mixed").start()
    load.sleep(2)
    hap_log_offset = len(fleet.haproxy_log())
    scale_started = time.monotonic()
    fleet.run("scale", "3")
    scaled_at = time.monotonic()
    load.sleep(3)
    load.stop()

    numbers = load.summary("e. mixed load, scale-out 2 -> 3")
    new = fleet.replicas()["r3"]
    first_r3 = min((r.t1 for r in load.records if r.server == "r3"), default=None)
    served_r3 = sum(1 for r in load.records if r.server == "r3")

    # The replica's own log: its first request that is not a health check
    # comes after a /health answered 200.
    lines = log_requests(fleet.replica_log(new))
    first_traffic = next(i for i, (path, _) in enumerate(lines) if path != "/health")
    healthy_checks_before = [i for i, (path, status) in enumerate(lines[:first_traffic])
                             if path == "/health" and status == "200"]
    # HAProxy's log: r3 went UP on a passing Layer-7 check before its first routed request.
    hap = fleet.haproxy_log()[hap_log_offset:]
    check_passed = hap.find("Server replicas/r3 is UP, reason: Layer7 check passed")
    routed = re.search(r"\] store replicas/r3 -?\d+/", hap)  # first request log line of r3
    first_routed = routed.start() if routed else -1
    say(f"e. fleet scale 2 -> 3 took {scaled_at - scale_started:.2f}s; r3 served {served_r3} request(s), "
        f"the first {first_r3 - scale_started:.2f}s after the scale began; "
        f"{len(healthy_checks_before)} /health 200 in its log before its first routed request")
    shop.check_purchases(fleet, load.records)

    assert numbers["failed"] == 0, load.failed()[:5]
    assert served_r3 > 50
    assert first_r3 is not None and first_r3 > scale_started
    assert healthy_checks_before, lines[:first_traffic + 1]
    assert 0 <= check_passed < first_routed, "r3 received traffic before HAProxy's check passed"
    assert hap.find("Server replicas/r3 is UP (leaving forced drain)") > check_passed
