"""g. The database stopped for 30 seconds under load, then restarted (same data
folder, same port): every replica's /health keeps answering 200 and reports the
database in its body, so HAProxy (the target group) takes no replica out of
rotation (ARCHITECTURE.md point 3: a shared database's outage must never get
healthy replicas replaced); pages answer 503 quickly meanwhile (no hang, no
500); every replica serves again within 10 seconds of the database's return,
with no replica restarted."""
import threading
import time

from fleetlib import Load, Rec, get_plan, say, session, summarize, wait_until

OUTAGE_SECONDS = 30
# From this long after the SIGTERM to mariadbd, every replica has seen the
# database go (its connections drop at once): pages must answer 503 quickly.
SETTLED_SECONDS = 3
QUICK_MS = 500


class Prober:
    """Polls /health on every replica directly, one thread per replica, every
    0.1 s, and the balancer's view of every replica about once a second."""

    def __init__(self, fleet, replicas):
        self.fleet = fleet
        self.replicas = replicas
        self.records = []
        self.lb_views = []  # (t, {name: lb_status})
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._health, args=(name, rep), daemon=True)
                        for name, rep in replicas.items()]
        self.threads.append(threading.Thread(target=self._balancer, daemon=True))

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(15)

    def _health(self, name, rep):
        http = session()
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline:
            t0 = time.monotonic()
            try:
                r = http.get(rep["url"] + "/health", timeout=10)
                database = r.json()["checks"]["database"]
                rec = Rec(f"/health on {name}", t0, time.monotonic(), r.status_code, None, name,
                          r.status_code == 200, body=database)
            except Exception as e:  # noqa: BLE001 - a hang or refusal is a failure
                rec = Rec(f"/health on {name}", t0, time.monotonic(), None, repr(e)[:200], name, False)
                http = session()
            self.records.append(rec)
            self.stop.wait(0.1)

    def _balancer(self):
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline:
            reps = self.fleet.replicas()
            self.lb_views.append((time.monotonic(), {n: r["lb_status"] for n, r in reps.items()}))
            self.stop.wait(1.0)


def test_g_database_outage_keeps_replicas_in_rotation_and_pages_fail_fast(make_fleet):
    fleet = make_fleet(2)
    before = fleet.replicas()
    pages = get_plan(("/book/catalog", "/api/v1/books?per_page=5", "/"))

    def plan(worker, i):
        kind, method, path, body, headers, _ = pages(worker, i)
        return kind, method, path, body, headers, lambda r: r.status_code in (200, 503)
    load = Load(fleet.url, plan, workers=4, max_seconds=OUTAGE_SECONDS + 40, pause=0.02, timeout=10,
                name="pages").start()
    prober = Prober(fleet, before)
    prober.start()
    load.sleep(2)

    # The outage: from the SIGTERM to mariadbd (`stop_sent`) until `fleet db
    # start` is called (`start_sent`; ready, on the same port and data, at `back`).
    stop_sent = time.monotonic()
    fleet.run("db", "stop", refresh=False)
    stopped = time.monotonic()
    load.sleep(OUTAGE_SECONDS)
    start_sent = time.monotonic()
    fleet.run("db", "start", refresh=False)
    back = time.monotonic()

    def all_serving():
        reps = fleet.replicas()
        direct = all(session().get(r["url"] + "/api/v1/books?per_page=1", timeout=5).status_code == 200
                     for r in reps.values())
        return direct and all(r["lb_status"] == "UP" for r in reps.values())
    recovered = wait_until(all_serving, 15, interval=0.1, what="every replica serving again")
    load.sleep(2)
    load.stop()
    prober.join()
    after = fleet.replicas()

    # Numbers --------------------------------------------------------
    numbers = summarize(load.records, "g. page load through the balancer", load.stopped - load.started)
    probes = summarize(prober.records, "g. direct /health probes of each replica")
    say(f"g. mariadbd took {stopped - stop_sent:.2f}s to stop, was down {start_sent - stopped:.2f}s, took "
        f"{back - start_sent:.2f}s to start; every replica serving {recovered - back:.2f}s after it was back")
    settled = [r for r in load.records if stop_sent + SETTLED_SECONDS <= r.t0 and r.t1 <= start_sent]
    say(f"g. during the outage (from {SETTLED_SECONDS}s after the stop): {len(settled)} page requests "
        f"through the balancer, statuses {sorted({r.status for r in settled}, key=str)}, slowest "
        f"{max((r.latency_ms for r in settled), default=0):.0f} ms")
    views = [(t, v) for t, v in prober.lb_views if stop_sent <= t <= back]
    say(f"g. balancer views during the outage: {len(views)}, statuses "
        f"{sorted({s for _, v in views for s in v.values()}, key=str)}")

    # /health: 200 all along, the database reported within 2 s and until the restart.
    assert probes["failed"] == 0, [(r.kind, r.status, r.error) for r in prober.records if not r.ok][:5]
    for name in before:
        health = [r for r in prober.records if r.server == name]
        assert all(r.status == 200 and r.latency_ms < 1000 for r in health), \
            [(r.status, r.latency_ms) for r in health if r.status != 200 or r.latency_ms >= 1000][:5]
        reported = [r for r in health if stop_sent + 2.0 <= r.t0 and r.t1 <= start_sent]
        assert len(reported) > 50 and all(r.body != "ok" for r in reported), \
            sorted({r.body for r in reported})
    # The balancer kept every replica in rotation (nothing the group would replace).
    assert len(views) >= OUTAGE_SECONDS // 2
    assert all(status == "UP" for _, v in views for status in v.values()), views
    # Pages: never a hang or a 500; once settled, 503 (the anonymous home page
    # needs no database and may be 200) and quick.
    assert numbers["failed"] == 0
    assert settled and all(r.latency_ms < QUICK_MS for r in settled), \
        sorted(r.latency_ms for r in settled)[-5:]
    assert all(r.status == 503 or (r.kind == "GET /" and r.status == 200) for r in settled), \
        [(r.kind, r.status, r.server) for r in settled if r.status != 503][:5]
    # Recovery without restarts.
    assert recovered - back <= 10
    assert {n: r["pid"] for n, r in after.items()} == {n: r["pid"] for n, r in before.items()}
    assert all(r["running"] for r in after.values())
    tail = [r for r in load.records if r.t0 > recovered]
    assert tail and all(r.status == 200 for r in tail)
