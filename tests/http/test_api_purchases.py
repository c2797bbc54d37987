"""API: buying, paying, delivery, providers (API.md, spec §3.1–3.5)."""
import concurrent.futures
import os

from api_client import Api, assert_error, new_book, new_user
from bookstore_tools.testing import Bookstore, SECRET


def test_buy_pay_deliver(server):
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    book = new_book(seller, price=12.3, stock=5)
    r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 2, "price": 0.01})
    assert r.status_code == 201
    p = r.json()
    assert p["status"] == "Pending Payment" and p["quantity"] == 2
    assert p["total_price"] == 24.6  # from the database's price, not the client's
    assert p["payment"] is None and p["delivery"] is None and p["book_title"] == "El Aleph"
    assert Api(server.url).get(f"/api/v1/books/{book['id']}").json()["stock"] == 3
    providers = Api(server.url).get("/api/v1/delivery-providers").json()["items"]
    assert [x["name"] for x in providers][:4] == ["DHL", "FedEx", "Envia", "Servientrega"]
    assert providers[0]["cost"] == 50
    # Delivery before payment is refused.
    assert_error(buyer.post(f"/api/v1/purchases/{p['id']}/delivery", {"provider_id": providers[0]["id"]}),
                 409, "conflict")
    assert_error(buyer.post(f"/api/v1/purchases/{p['id']}/payment", {"method": "Bitcoin"}),
                 422, "validation_failed")
    r = buyer.post(f"/api/v1/purchases/{p['id']}/payment", {"method": "Paypal", "amount": 0.01})
    assert r.status_code == 201
    assert r.json()["status"] == "Paid"
    assert r.json()["payment"]["amount"] == 24.6 and r.json()["payment"]["method"] == "Paypal"
    again = buyer.post(f"/api/v1/purchases/{p['id']}/payment", {"method": "Credit Card"})
    assert again.status_code == 200 and again.json()["payment"]["method"] == "Paypal"
    assert_error(buyer.post(f"/api/v1/purchases/{p['id']}/delivery", {"provider_id": 999999}),
                 422, "validation_failed")
    r = buyer.post(f"/api/v1/purchases/{p['id']}/delivery", {"provider_id": providers[3]["id"]})
    assert r.status_code == 201
    assert r.json()["delivery"] == {"provider_id": providers[3]["id"], "provider_name": "Servientrega", "cost": 15}
    assert_error(buyer.post(f"/api/v1/purchases/{p['id']}/delivery", {"provider_id": providers[0]["id"]}),
                 409, "conflict")
    listed = buyer.get("/api/v1/purchases").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == p["id"]
    assert listed["items"][0]["delivery"]["provider_name"] == "Servientrega"


def test_only_the_buyer_sees_a_purchase(server):
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    stranger, _, _, _ = new_user(server.url)
    book = new_book(seller)
    p = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
    assert_error(stranger.get(f"/api/v1/purchases/{p['id']}"), 404, "not_found")
    assert_error(stranger.post(f"/api/v1/purchases/{p['id']}/payment", {"method": "Paypal"}), 404, "not_found")
    assert_error(stranger.post(f"/api/v1/purchases/{p['id']}/delivery", {"provider_id": 1}), 404, "not_found")
    assert stranger.get("/api/v1/purchases").json()["total"] == 0
    assert buyer.get(f"/api/v1/purchases/{p['id']}").json()["status"] == "Pending Payment"
    assert_error(Api(server.url).get("/api/v1/purchases"), 401, "unauthorized")


def test_quantity_rules(server):
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    book = new_book(seller, stock=3)
    for quantity in (0, -1, 1.5, "2", None, True, 10**12):
        assert_error(buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": quantity}),
                     422, "validation_failed")
    assert_error(buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 4}),
                 409, "insufficient_stock")
    assert_error(buyer.post("/api/v1/purchases", {"book_id": 987654321, "quantity": 1}), 404, "not_found")
    assert Api(server.url).get(f"/api/v1/books/{book['id']}").json()["stock"] == 3
    assert buyer.get("/api/v1/purchases").json()["total"] == 0
    assert buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 3}).status_code == 201
    assert_error(buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}),
                 409, "insufficient_stock")


def test_deleting_a_sold_book_archives_it(server):
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    book = new_book(seller, title="Archivable")
    p = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
    assert seller.delete(f"/api/v1/books/{book['id']}").status_code == 204
    assert all(b["id"] != book["id"] for b in Api(server.url).get("/api/v1/books?per_page=100").json()["items"])
    # Kept for the order history.
    assert buyer.get(f"/api/v1/purchases/{p['id']}").json()["book_title"] == "Archivable"
    assert_error(buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}), 404, "not_found")


def test_concurrent_buyers_never_oversell(server):
    seller, _, _, _ = new_user(server.url)
    book = new_book(seller, stock=7)
    buyers = [new_user(server.url)[0] for _ in range(4)]

    def attempt(i):
        return buyers[i % len(buyers)].post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).status_code

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert codes.count(201) == 7, codes
    assert set(codes) <= {201, 409}, codes
    assert Api(server.url).get(f"/api/v1/books/{book['id']}").json()["stock"] == 0
    assert sum(b.get("/api/v1/purchases").json()["total"] for b in buyers) == 7


def test_two_replicas_on_one_mariadb_never_oversell(mariadb, workdir):
    db = mariadb.create_database()
    env = {"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
           "UPLOAD_DIR": os.path.join(workdir, "shared-uploads")}
    a = Bookstore(os.path.join(workdir, "a"), env=env, name="a").start()
    b = Bookstore(os.path.join(workdir, "b"), env=env, name="b").start()
    try:
        seller, _, _, _ = new_user(a.url)
        book = new_book(seller, stock=25, price=3.33)
        # A token issued by replica A works on replica B.
        clients = []
        for i in range(6):
            api, _, _, _ = new_user(a.url)
            clients.append(Api(b.url if i % 2 else a.url, api.token))

        def attempt(i):
            return clients[i % len(clients)].post(
                "/api/v1/purchases", {"book_id": book["id"], "quantity": 1 + i % 2}).status_code

        with concurrent.futures.ThreadPoolExecutor(24) as pool:
            codes = list(pool.map(attempt, range(120)))
        assert set(codes) <= {201, 409}, codes
        conn = mariadb.connect(db["name"])
        with conn.cursor() as c:
            c.execute("SELECT stock FROM book WHERE id = %s", (book["id"],))
            stock = c.fetchone()[0]
            c.execute("SELECT COUNT(*), COALESCE(SUM(quantity), 0), COALESCE(SUM(total_price), 0) "
                      "FROM purchase WHERE book_id = %s", (book["id"],))
            count, sold, total = c.fetchone()
            sold = int(sold)
        conn.close()
        assert stock >= 0
        assert sold == 25 - stock
        assert count == codes.count(201)
        assert str(total) == f"{sold * 333 // 100}.{sold * 333 % 100:02d}"
        print(f"\n120 purchase attempts over 2 replicas: {count} created, {sold} copies sold, stock left {stock}")
    finally:
        a.stop()
        b.stop()


def test_purchase_answers_are_the_stored_purchase(server):
    """The answers of buying and paying (built from the transactions' own
    values) are exactly what a later read of the purchase shows."""
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    book = new_book(seller, title="Ficciones", price=19.99, stock=4)
    r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 3})
    assert r.status_code == 201
    assert r.headers["Location"] == f"/api/v1/purchases/{r.json()['id']}"
    created = r.json()
    assert created == buyer.get(f"/api/v1/purchases/{created['id']}").json()
    assert created["book_title"] == "Ficciones" and created["total_price"] == 59.97
    r = buyer.post(f"/api/v1/purchases/{created['id']}/payment", {"method": "Bank Transfer"})
    assert r.status_code == 201
    paid = r.json()
    assert paid == buyer.get(f"/api/v1/purchases/{created['id']}").json()
    assert paid["payment"] == {"method": "Bank Transfer", "amount": 59.97, "status": "Completed"}
    again = buyer.post(f"/api/v1/purchases/{created['id']}/payment", {"method": "Paypal"})
    assert again.status_code == 200 and again.json() == paid
    provider = Api(server.url).get("/api/v1/delivery-providers").json()["items"][0]
    shipped = buyer.post(f"/api/v1/purchases/{created['id']}/delivery", {"provider_id": provider["id"]})
    assert shipped.status_code == 201
    again = buyer.post(f"/api/v1/purchases/{created['id']}/payment", {"method": "Paypal"})
    assert again.status_code == 200 and again.json() == shipped.json()


def test_payment_refusals_keep_their_order(server):
    """401 without a token, then 404 for a missing or someone else's purchase
    whatever the body, then 400 for a body that is not JSON, then 422."""
    seller, _, _, _ = new_user(server.url)
    buyer, _, _, _ = new_user(server.url)
    stranger, _, _, _ = new_user(server.url)
    book = new_book(seller)
    p = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
    path = f"/api/v1/purchases/{p['id']}/payment"
    assert_error(Api(server.url).post(path, {"method": "Paypal"}), 401, "unauthorized")
    for who in (stranger, buyer):
        for target in ("/api/v1/purchases/987654321/payment", "/api/v1/purchases/abc/payment"):
            assert_error(who.post(target, {"method": "Paypal"}), 404, "not_found")
            assert_error(who.post(target, data="not json"), 404, "not_found")
            assert_error(who.post(target, {"method": "Bitcoin"}), 404, "not_found")
    assert_error(stranger.post(path, data="not json"), 404, "not_found")
    assert_error(stranger.post(path, {}), 404, "not_found")
    assert_error(stranger.post(path, {"method": "Paypal"}), 404, "not_found")
    assert_error(buyer.post(path, data="not json"), 400, "invalid_json")
    assert_error(buyer.post(path, []), 400, "invalid_json")
    assert_error(buyer.post(path, {}), 422, "validation_failed")
    assert_error(buyer.post(path, {"method": 3}), 422, "validation_failed")
    assert buyer.get(f"/api/v1/purchases/{p['id']}").json()["status"] == "Pending Payment"
    assert buyer.post(path, {"method": "Paypal"}).status_code == 201


def test_paying_a_legacy_purchase_that_already_has_rows(sqlite_server):
    """A database from the original may hold a payment and a delivery for a
    purchase still "Pending Payment": the answer shows them, as a read does."""
    import sqlite3
    seller, _, _, _ = new_user(sqlite_server.url)
    buyer, _, _, _ = new_user(sqlite_server.url)
    book = new_book(seller, price=10, stock=5)
    p = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 2}).json()
    provider = Api(sqlite_server.url).get("/api/v1/delivery-providers").json()["items"][1]
    conn = sqlite3.connect(os.path.join(sqlite_server.workdir, "bookstore.db"), timeout=10)
    with conn:
        conn.execute("INSERT INTO payment (purchase_id, amount, payment_method, payment_status) "
                     "VALUES (?, 20.0, 'Credit Card', 'Pending')", (p["id"],))
        conn.execute("INSERT INTO delivery_assignment (purchase_id, provider_id) VALUES (?, ?)",
                     (p["id"], provider["id"]))
    conn.close()
    r = buyer.post(f"/api/v1/purchases/{p['id']}/payment", {"method": "Paypal"})
    assert r.status_code == 201
    assert r.json() == buyer.get(f"/api/v1/purchases/{p['id']}").json()
    assert r.json()["status"] == "Paid" and r.json()["payment"]["method"] == "Credit Card"
    assert r.json()["delivery"]["provider_id"] == provider["id"]


def test_largest_total_answers_as_stored(sqlite_server):
    """The largest total the database holds (DECIMAL(12,2) on MySQL) is
    answered exactly as stored; a larger one is refused before anything is
    written (issue 12: it was accepted on SQLite and failed on strict MySQL)."""
    seller, _, _, _ = new_user(sqlite_server.url)
    buyer, _, _, _ = new_user(sqlite_server.url)
    book = new_book(seller, price=1000000, stock=1000000)
    too_large = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1000000})
    assert_error(too_large, 422, "validation_failed")
    r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 9999})
    assert r.status_code == 201
    assert r.json()["total_price"] == 9999000000
    assert r.json() == buyer.get(f"/api/v1/purchases/{r.json()['id']}").json()
    r = buyer.post(f"/api/v1/purchases/{r.json()['id']}/payment", {"method": "Paypal"})
    assert r.status_code == 201
    assert r.json()["payment"]["amount"] == 9999000000
    assert r.json() == buyer.get(f"/api/v1/purchases/{r.json()['id']}").json()