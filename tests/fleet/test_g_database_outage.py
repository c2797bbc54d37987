"""g. The database stopped, then restarted (same data folder, same port) under
load: every replica's /health is 503 within 2 seconds, pages answer 503
quickly (no hang, no 500), and every replica serves again within 10 seconds of
the database's return, with no replica restarted."""
import threading
import time

from fleetlib import Load, Rec, get_plan, say, session, summarize, wait_until

OUTAGE_SECONDS = 4


class Prober:
    """Polls every replica's /health and /book/catalog directly, every 0.1 s."""

    def __init__(self, replicas):
        self.replicas = replicas
        self.records = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        http = session()
        deadline = time.monotonic() + 90
        while not self.stop.is_set() and time.monotonic() < deadline:
            for name, rep in self.replicas.items():
                for path in ("/health", "/book/catalog"):
                    t0 = time.monotonic()
                    try:
                        r = http.get(rep["url"] + path, timeout=10)
                        rec = Rec(f"{path} on {name}", t0, time.monotonic(), r.status_code, None, name,
                                  r.status_code in (200, 503))
                    except Exception as e:  # noqa: BLE001 - a hang or refusal is a failure
                        rec = Rec(f"{path} on {name}", t0, time.monotonic(), None, repr(e)[:200], name, False)
                        http = session()
                    self.records.append(rec)
            self.stop.wait(0.1)


def test_g_database_outage_turns_health_503_quickly_and_recovers_without_restarts(make_fleet):
    fleet = make_fleet(2)
    before = fleet.replicas()
    pages = get_plan(("/book/catalog", "/api/v1/books?per_page=5", "/"))

    def plan(worker, i):
        kind, method, path, body, headers, _ = pages(worker, i)
        return kind, method, path, body, headers, lambda r: r.status_code in (200, 503)
    load = Load(fleet.url, plan, workers=4, max_seconds=60, pause=0.02, timeout=10, name="pages").start()
    prober = Prober(before)
    prober.thread.start()
    load.sleep(2)

    # The outage: from the SIGTERM to mariadbd (`stop_sent`; it refuses work
    # from then on and has exited at `stopped`) until `fleet db start` is
    # called (`start_sent`; ready, on the same port and data, at `back`).
    stop_sent = time.monotonic()
    fleet.run("db", "stop", refresh=False)
    stopped = time.monotonic()
    load.sleep(OUTAGE_SECONDS)
    start_sent = time.monotonic()
    fleet.run("db", "start", refresh=False)
    back = time.monotonic()

    def all_serving():
        reps = fleet.replicas()
        direct = all(session().get(r["url"] + "/health", timeout=5).status_code == 200 for r in reps.values())
        return direct and all(r["lb_status"] == "UP" for r in reps.values())
    recovered = wait_until(all_serving, 15, interval=0.1, what="every replica healthy and UP again")
    load.sleep(2)
    load.stop()
    prober.stop.set()
    prober.thread.join(15)
    after = fleet.replicas()

    # Numbers --------------------------------------------------------
    numbers = summarize(load.records, "g. page load through the balancer", load.stopped - load.started)
    probes = summarize(prober.records, "g. direct probes of each replica")
    say(f"g. mariadbd took {stopped - stop_sent:.2f}s to stop, was down {start_sent - stopped:.2f}s, took "
        f"{back - start_sent:.2f}s to start; all replicas healthy and UP {recovered - back:.2f}s after it was back")
    outage = [r for r in load.records if stop_sent + 2 <= r.t0 and r.t1 <= start_sent]
    worst_outage = max((r.latency_ms for r in outage), default=0)
    say(f"g. during the outage: {len(outage)} page requests through the balancer, statuses "
        f"{sorted({r.status for r in outage})}, slowest {worst_outage:.0f} ms")
    for name in before:
        health = [r for r in prober.records if r.server == name and r.kind.startswith("/health")]
        first_503 = min((r.t1 for r in health if r.t0 >= stop_sent and r.status == 503), default=None)
        during = [r for r in health if first_503 is not None and first_503 <= r.t0 and r.t1 <= start_sent]
        say(f"g. {name}: first /health 503 {first_503 - stop_sent:.2f}s after the SIGTERM to mariadbd; "
            f"{len(during)} /health answers from then until the restart, all 503: "
            f"{all(r.status == 503 for r in during)}, slowest {max((r.latency_ms for r in during), default=0):.0f} ms")
        # Every /health is 503 within 2 seconds of the database going away, and stays so.
        assert first_503 is not None and first_503 - stop_sent <= 2.0
        late = [r for r in health if stop_sent + 2.0 <= r.t0 and r.t1 <= start_sent]
        assert late and all(r.status == 503 for r in late), [(r.status, r.t0 - stop_sent) for r in late]
        assert all(r.latency_ms < 2000 for r in health if stop_sent <= r.t0 <= back)
        catalog = [r for r in prober.records if r.server == name and r.kind.startswith("/book/catalog")
                   and stop_sent + 2.0 <= r.t0 and r.t1 <= start_sent]
        assert catalog and all(r.status == 503 and r.latency_ms < 3000 for r in catalog)

    assert numbers["failed"] == 0 and probes["failed"] == 0
    # Pages that need the database answer 503. The home page needs none for an
    # anonymous visitor: a replica that has not yet seen its connections drop
    # may still serve it (200); one that has answers 503 for every page.
    assert outage and worst_outage < 3000
    assert all(r.status == 503 or (r.kind == "GET /" and r.status == 200) for r in outage), \
        [(r.kind, r.status, r.server) for r in outage if r.status != 503]
    assert recovered - back <= 10
    assert {n: r["pid"] for n, r in after.items()} == {n: r["pid"] for n, r in before.items()}
    assert all(r["running"] for r in after.values())
    tail = [r for r in load.records if r.t0 > recovered]
    assert tail and all(r.status == 200 for r in tail)
