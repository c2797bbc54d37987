"""h. Many clients buying one book through the balancer, across replicas: no
oversell, and every purchase answered 201 exists exactly once in the database."""
import random
import threading
import time

from fleetlib import Rec, new_book, register, say, session, summarize

STOCK = 300
BUYERS = 16


def test_h_concurrent_buyers_across_replicas_never_oversell(make_fleet):
    fleet = make_fleet(3)
    seller, _, _ = register(fleet.url, "Librería")
    book = new_book(seller, stock=STOCK, price=15)
    buyers = [register(fleet.url, f"Comprador {i}")[0] for i in range(BUYERS)]
    records = []
    lock = threading.Lock()
    start = threading.Barrier(BUYERS)

    def buy(index, client):
        http = session()
        rnd = random.Random(index)
        deadline = time.monotonic() + 30
        quantity = rnd.randint(1, 3)
        start.wait(10)
        while time.monotonic() < deadline:
            t0 = time.monotonic()
            try:
                r = http.post(fleet.url + "/api/v1/purchases", json={"book_id": book["id"], "quantity": quantity},
                              headers={"Authorization": f"Bearer {client.token}"}, timeout=15)
            except Exception as e:  # noqa: BLE001 - counted as a failure
                with lock:
                    records.append(Rec("POST /api/v1/purchases", t0, time.monotonic(), None, repr(e), None, False))
                continue
            sold_out = r.status_code == 409 and r.json().get("error", {}).get("code") == "insufficient_stock"
            rec = Rec("POST /api/v1/purchases", t0, time.monotonic(), r.status_code, None,
                      r.headers.get("X-Served-By"), r.status_code == 201 or sold_out, r.text[:300])
            rec.body = (r.json(), quantity) if r.status_code == 201 else None
            with lock:
                records.append(rec)
            if sold_out:
                if quantity == 1:
                    return
                quantity = 1
            elif r.status_code == 201:
                quantity = rnd.randint(1, 3)

    threads = [threading.Thread(target=buy, args=(i, c)) for i, c in enumerate(buyers)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(45)
    numbers = summarize(records, f"h. {BUYERS} buyers, one book of stock {STOCK}", time.monotonic() - t0)

    sold = [r for r in records if r.status == 201]
    sold_quantity = sum(q for (_, q) in (r.body for r in sold))
    ids = [body["id"] for body, _ in (r.body for r in sold)]
    rows = fleet.query("SELECT id, quantity FROM purchase WHERE book_id = %s ORDER BY id", (book["id"],))
    stock_db = fleet.query("SELECT stock FROM book WHERE id = %s", (book["id"],))[0][0]
    stock_api = session().get(f"{fleet.url}/api/v1/books/{book['id']}", timeout=15).json()["stock"]
    by_server = {}
    for r in sold:
        by_server[r.server] = by_server.get(r.server, 0) + 1
    say(f"h. purchases answered 201: {len(sold)} for {sold_quantity} copies (stock {STOCK}); "
        f"409 insufficient_stock: {sum(1 for r in records if r.status == 409)}; rows in the database: "
        f"{len(rows)}; stock left {stock_db} (API {stock_api}); 201s by replica {by_server}")

    assert numbers["failed"] == 0
    assert all(not t.is_alive() for t in threads)
    assert sold_quantity == STOCK, "every copy is sold, and not one more"
    assert stock_db == 0 and stock_api == 0
    assert len(ids) == len(set(ids))
    assert sorted(ids) == [row[0] for row in rows], "a 201 without its row, or a row without its 201"
    assert {row[0]: row[1] for row in rows} == {body["id"]: q for body, q in (r.body for r in sold)}
    assert len(by_server) >= 2
