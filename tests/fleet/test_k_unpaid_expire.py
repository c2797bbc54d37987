"""k. Purchases left unpaid, made through the balancer on every replica, all
expire exactly once and their copies come back in full: with
PENDING_PAYMENT_TIMEOUT_SECONDS=4 every replica sweeps every second, so all
three race for the same overdue purchases; the paid ones stay sold."""
import random
import re
import threading
import time

from fleetlib import register, new_book, say

STOCK = 300
BUYERS = 6
PURCHASES_EACH = 12
TIMEOUT = 4


def test_k_unpaid_purchases_expire_exactly_once_across_replicas(make_fleet):
    fleet = make_fleet(3, env={"PENDING_PAYMENT_TIMEOUT_SECONDS": str(TIMEOUT)})
    seller, _, _ = register(fleet.url, "Librería")
    book = new_book(seller, stock=STOCK, price=6)
    buyers = [register(fleet.url, f"Comprador {i}")[0] for i in range(BUYERS)]
    made = []  # (purchase id, quantity, paid?, replica)
    lock = threading.Lock()

    def buy(index, client):
        rnd = random.Random(index)
        for _ in range(PURCHASES_EACH):
            quantity = rnd.randint(1, 4)
            r = client.post("/api/v1/purchases", {"book_id": book["id"], "quantity": quantity})
            assert r.status_code == 201, r.text[:300]
            pid = r.json()["id"]
            paid = rnd.random() < 0.25
            if paid:
                p = client.post(f"/api/v1/purchases/{pid}/payment", {"method": "Paypal"})
                assert p.status_code == 201, p.text[:300]
            with lock:
                made.append((pid, quantity, paid, r.headers.get("X-Served-By")))

    t0 = time.monotonic()
    threads = [threading.Thread(target=buy, args=(i, c)) for i, c in enumerate(buyers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(made) == BUYERS * PURCHASES_EACH
    unpaid = {pid: q for pid, q, paid, _ in made if not paid}
    paid_copies = sum(q for _, q, paid, _ in made if paid)
    say(f"k. {len(made)} purchases in {time.monotonic() - t0:.1f}s on replicas "
        f"{sorted({r for *_, r in made if r})}: {len(unpaid)} left unpaid "
        f"({sum(unpaid.values())} copies), {len(made) - len(unpaid)} paid ({paid_copies} copies)")

    def statuses():
        return dict(fleet.query("SELECT id, status FROM purchase WHERE book_id = %s", (book["id"],)))

    deadline = time.monotonic() + TIMEOUT + 20
    while time.monotonic() < deadline:
        if all(statuses()[pid] == "Cancelled" for pid in unpaid):
            break
        time.sleep(0.5)
    expired_in = time.monotonic() - t0
    final = statuses()
    stock = fleet.query("SELECT stock FROM book WHERE id = %s", (book["id"],))[0][0]
    time.sleep(2)  # a few more sweeps on every replica: nothing changes any more
    stock_later = fleet.query("SELECT stock FROM book WHERE id = %s", (book["id"],))[0][0]
    # Each replica logs how many it cancelled; together, each purchase once.
    by_replica = {}
    for name, rep in fleet.replicas().items():
        counts = re.findall(r"cancelled (\d+) purchases left unpaid", fleet.replica_log(rep))
        by_replica[name] = sum(int(c) for c in counts)
    say(f"k. all unpaid cancelled {expired_in:.1f}s after the first purchase; cancelled by replica "
        f"{by_replica}; stock {stock} (then {stock_later}) of {STOCK}")

    assert all(final[pid] == "Cancelled" for pid in unpaid)
    assert all(final[pid] == "Paid" for pid, _, paid, _ in made if paid)
    assert stock == STOCK - paid_copies, "copies came back more or less than once"
    assert stock_later == stock
    assert sum(by_replica.values()) == len(unpaid)
