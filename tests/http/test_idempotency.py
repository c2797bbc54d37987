"""Retries are safe (API.md; issue 12, item 4): an Idempotency-Key on
POST /api/v1/purchases and a purchase's payment, delivery and cancel is
stored in the database; the same request again is answered with the stored
status and body and changes nothing, another request under the key is 422
idempotency_key_reused, a repeat while the first runs is 409 with
Retry-After, a key left in flight by a dead replica is taken over, and keys
past 24 hours are swept. The buy form's one-time token makes a double
submission buy once. SQLite and MariaDB."""
import hashlib
import re
import threading
import time

import pytest

from api_client import Api, assert_error, new_book, new_user
from bookstore_tools.testing import wait_until
from pages_support import Browser, CSRF_RE, count, error_message, location_path, query, start_server

FORM_TOKEN_RE = re.compile(r'name="form_token" value="([0-9a-f]+)"')


@pytest.fixture(params=["sqlite", "mariadb"])
def dialect(request):
    return request.param


def keyed(key):
    return {"Idempotency-Key": key}


def stock_of(server, book_id):
    return query(server, "SELECT stock FROM book WHERE id = ?", (book_id,))[0][0]


def fingerprint(method, path, body):
    """domain::requestFingerprint: SHA-256 of the length-prefixed parts."""
    text = b"".join(str(len(p)).encode() + b":" + p + b"\n"
                    for p in (method.encode(), path.encode(), body))
    return hashlib.sha256(text).hexdigest()


def test_replay_reuse_and_users(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=5, price=10)
        buyer, *_ = new_user(server.url)
        other, *_ = new_user(server.url)
        body = {"book_id": book["id"], "quantity": 2}
        first = buyer.post("/api/v1/purchases", body, headers=keyed("order-1"))
        assert first.status_code == 201, first.text
        assert "Idempotent-Replayed" not in first.headers
        again = buyer.post("/api/v1/purchases", body, headers=keyed("order-1"))
        assert again.status_code == 201
        assert again.text == first.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.headers["Location"] == first.headers["Location"]
        assert stock_of(server, book["id"]) == 3
        assert count(server, "purchase") == 1
        # The same key with another body: refused, nothing bought.
        err = assert_error(buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1},
                                      headers=keyed("order-1")), 422, "idempotency_key_reused")
        assert "Idempotency-Key" in err["message"]
        # Another user's same key is theirs alone.
        theirs = other.post("/api/v1/purchases", body, headers=keyed("order-1"))
        assert theirs.status_code == 201 and theirs.json()["id"] != first.json()["id"]
        assert stock_of(server, book["id"]) == 1
        # A refusal is stored too: the same request stays refused though the
        # stock grows back, and a new key runs anew.
        too_many = {"book_id": book["id"], "quantity": 3}
        assert_error(buyer.post("/api/v1/purchases", too_many, headers=keyed("order-2")), 409,
                     "insufficient_stock")
        assert seller.patch(f"/api/v1/books/{book['id']}", {"stock": 10}).status_code == 200
        replayed = buyer.post("/api/v1/purchases", too_many, headers=keyed("order-2"))
        assert replayed.status_code == 409 and replayed.headers["Idempotent-Replayed"] == "true"
        assert buyer.post("/api/v1/purchases", too_many, headers=keyed("order-3")).status_code == 201
        assert count(server, "purchase") == 3
        # Without a key every post buys, as before.
        assert buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).status_code == 201
        assert buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).status_code == 201
        assert stock_of(server, book["id"]) == 5
        # Bad keys: 422 naming the header, nothing bought.
        for bad in ["", "x" * 256, "tab\there", "del\x7f"]:
            err = assert_error(buyer.post("/api/v1/purchases", body, headers=keyed(bad)), 422,
                               "validation_failed")
            assert "Idempotency-Key" in err["fields"], (bad, err)
        assert buyer.post("/api/v1/purchases", body, headers=keyed("k" * 255)).status_code == 201
        assert count(server, "purchase") == 6
        # A key without a valid token is 401 as ever.
        assert Api(server.url).post("/api/v1/purchases", body, headers=keyed("anon")).status_code == 401
    finally:
        server.stop()


def test_each_purchase_step_is_idempotent(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=6, price=10)
        buyer, *_ = new_user(server.url)
        purchase = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
        pid = purchase["id"]
        pay = f"/api/v1/purchases/{pid}/payment"
        paid = buyer.post(pay, {"method": "Paypal"}, headers=keyed("pay-1"))
        assert paid.status_code == 201, paid.text
        # Replayed as first answered (201), where a plain repeat says 200.
        again = buyer.post(pay, {"method": "Paypal"}, headers=keyed("pay-1"))
        assert again.status_code == 201 and again.text == paid.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert buyer.post(pay, {"method": "Paypal"}).status_code == 200
        assert count(server, "payment", "purchase_id = ?", (pid,)) == 1
        assert_error(buyer.post(pay, {"method": "Credit Card"}, headers=keyed("pay-1")), 422,
                     "idempotency_key_reused")
        # The same key on another step is another request.
        provider = buyer.get("/api/v1/delivery-providers").json()["items"][0]["id"]
        deliver = f"/api/v1/purchases/{pid}/delivery"
        assert_error(buyer.post(deliver, {"provider_id": provider}, headers=keyed("pay-1")), 422,
                     "idempotency_key_reused")
        shipped = buyer.post(deliver, {"provider_id": provider}, headers=keyed("ship-1"))
        assert shipped.status_code == 201, shipped.text
        again = buyer.post(deliver, {"provider_id": provider}, headers=keyed("ship-1"))
        assert again.status_code == 201 and again.text == shipped.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert_error(buyer.post(deliver, {"provider_id": provider}), 409, "conflict")
        assert count(server, "delivery_assignment", "purchase_id = ?", (pid,)) == 1
        # Cancel: the copies come back once, the repeat is the first answer.
        pending = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 3}).json()
        assert stock_of(server, book["id"]) == 2
        cancel = f"/api/v1/purchases/{pending['id']}/cancel"
        cancelled = buyer.post(cancel, headers=keyed("cancel-1"))
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "Cancelled"
        again = buyer.post(cancel, headers=keyed("cancel-1"))
        assert again.status_code == 200 and again.text == cancelled.text
        assert again.headers["Idempotent-Replayed"] == "true"
        assert_error(buyer.post(cancel), 409, "conflict")
        assert stock_of(server, book["id"]) == 5
        # Someone else's purchase stays not found, key or not.
        other, *_ = new_user(server.url)
        assert_error(other.post(cancel, headers=keyed("cancel-1")), 404, "not_found")
    finally:
        server.stop()


def test_concurrent_repeats_buy_once(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=50, price=3)
        buyer, *_ = new_user(server.url)
        body = {"book_id": book["id"], "quantity": 2}
        answers = []
        start = threading.Barrier(12)

        def send():
            api = Api(server.url, buyer.token)
            start.wait()
            answers.append(api.post("/api/v1/purchases", body, headers=keyed("race-1")))

        threads = [threading.Thread(target=send) for _ in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(r.status_code for r in answers)
        assert set(statuses) <= {201, 409}, statuses
        created = [r for r in answers if r.status_code == 201]
        assert created, statuses
        assert len({r.json()["id"] for r in created}) == 1
        for r in answers:
            if r.status_code == 409:
                assert r.json()["error"]["code"] == "conflict" and int(r.headers["Retry-After"]) >= 1
        assert count(server, "purchase") == 1
        assert stock_of(server, book["id"]) == 48
        # Once done, every repeat is the stored answer.
        final = buyer.post("/api/v1/purchases", body, headers=keyed("race-1"))
        assert final.status_code == 201 and final.json()["id"] == created[0].json()["id"]
    finally:
        server.stop()


def test_key_left_in_flight_is_taken_over(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=5, price=3)
        buyer, user, *_ = new_user(server.url)
        body = b'{"book_id": %d, "quantity": 1}' % book["id"]
        now = int(time.time())
        # As a replica killed mid-request leaves it: in flight, no answer.
        query(server, "INSERT INTO idempotency_key (user_id, idem_key, request_hash, state, claim, "
                      "locked_at, created_at) VALUES (?, ?, ?, 'in_flight', ?, ?, ?)",
              (user["id"], "orphan", fingerprint("POST", "/api/v1/purchases", body), "d" * 32,
               now - 5, now - 5))

        def post():
            return buyer.post("/api/v1/purchases", data=body,
                              headers={"Content-Type": "application/json", **keyed("orphan")})

        busy = post()
        assert_error(busy, 409, "conflict")
        assert int(busy.headers["Retry-After"]) >= 1
        assert count(server, "purchase") == 0
        # Past the takeover bound (30 s) a repeat carries it out, once.
        query(server, "UPDATE idempotency_key SET locked_at = ? WHERE idem_key = 'orphan'", (now - 31,))
        taken = post()
        assert taken.status_code == 201, taken.text
        again = post()
        assert again.status_code == 201 and again.text == taken.text
        assert count(server, "purchase") == 1 and stock_of(server, book["id"]) == 4
    finally:
        server.stop()


def test_old_keys_are_swept_in_batches(request, workdir, dialect):
    # A short payment timeout makes the periodic sweep run every second.
    server = start_server(request, workdir, dialect, env={"PENDING_PAYMENT_TIMEOUT_SECONDS": "4"})
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=5, price=3)
        buyer, user, *_ = new_user(server.url)
        fresh = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1},
                           headers=keyed("fresh-1"))
        assert fresh.status_code == 201
        old = int(time.time()) - 25 * 3600
        rows = ", ".join(f"({user['id']}, 'old-{i}', 'h', 'done', 'c', {old + i % 7}, {old + i % 7})"
                         for i in range(1203))
        query(server, "INSERT INTO idempotency_key (user_id, idem_key, request_hash, state, claim, "
                      f"locked_at, created_at) VALUES {rows}")
        wait_until(lambda: count(server, "idempotency_key", "created_at < ?", (old + 3600,)) == 0, 20,
                   what="old keys swept")
        assert count(server, "idempotency_key") == 1
        assert "expired idempotency keys" in server.output()
        again = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1},
                           headers=keyed("fresh-1"))
        assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
        assert count(server, "purchase") == 1
    finally:
        server.stop()


def buy_form(browser, page):
    r = browser.get(page)
    assert r.status_code == 200
    return CSRF_RE.search(r.text).group(1), FORM_TOKEN_RE.search(r.text).group(1)


def test_buy_form_double_submit_buys_once(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller = Browser(server).signed_up("Vendedora", "seller@example.com")
        book = seller.new_book(title="Doble clic", price="10.00", stock="9")
        buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
        csrf, token = buy_form(buyer, f"/book/{book}")
        form = {"csrf_token": csrf, "form_token": token, "quantity": "2"}
        first = buyer.post(f"/buy/{book}", form)
        assert first.status_code == 302, first.text[:500]
        target = location_path(first)
        assert re.fullmatch(r"/payment/\d+", target)
        second = buyer.post(f"/buy/{book}", form)
        assert second.status_code == 302 and location_path(second) == target
        shown = buyer.get(target)
        assert "no se compró otra vez" in shown.text
        assert count(server, "purchase") == 1 and stock_of(server, book) == 7
        # The same form with another quantity: a clear refusal, nothing bought.
        changed = buyer.post(f"/buy/{book}", dict(form, quantity="1"))
        assert changed.status_code == 409 and "Recarga la página" in error_message(changed.text)
        assert count(server, "purchase") == 1
        # A double click: two submissions at once buy once.
        csrf, token = buy_form(buyer, "/book/catalog")
        form = {"csrf_token": csrf, "form_token": token, "quantity": "1"}
        answers = []
        go = threading.Barrier(2)

        def click():
            go.wait()
            answers.append(buyer.post(f"/buy/{book}", form))

        clicks = [threading.Thread(target=click) for _ in range(2)]
        for t in clicks:
            t.start()
        for t in clicks:
            t.join()
        assert count(server, "purchase") == 2 and stock_of(server, book) == 6
        assert all(r.status_code in (302, 409) for r in answers), [r.status_code for r in answers]
        # Each page render has its own token: the next buy from a fresh page buys.
        csrf, token2 = buy_form(buyer, f"/book/{book}")
        assert token2 != token
        assert buyer.post(f"/buy/{book}", {"csrf_token": csrf, "form_token": token2,
                                           "quantity": "1"}).status_code == 302
        assert count(server, "purchase") == 3
        # A malformed token is refused; no token at all buys as the original's forms do.
        assert buyer.post(f"/buy/{book}", {"csrf_token": csrf, "form_token": "x",
                                           "quantity": "1"}).status_code == 400
        assert buyer.new_purchase(book, "1")
        assert count(server, "purchase") == 4 and stock_of(server, book) == 4
    finally:
        server.stop()
