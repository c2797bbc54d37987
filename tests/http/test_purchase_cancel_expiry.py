"""Rule 13: a buyer cancels a purchase pending payment, and one left unpaid
past PENDING_PAYMENT_TIMEOUT_SECONDS is cancelled by itself; either way its
copies go back to stock exactly once, and a cancelled purchase cannot be
paid. Pages and API, SQLite and MariaDB."""
import time

import pytest

from api_client import Api, assert_error, new_book, new_user
from bookstore_tools.testing import wait_until
from pages_support import Browser, count, error_message, location_path, query, start_server


@pytest.fixture(params=["sqlite", "mariadb"])
def dialect(request):
    return request.param


def stock_of(server, book_id):
    return query(server, "SELECT stock FROM book WHERE id = ?", (book_id,))[0][0]


def status_of(server, purchase_id):
    return query(server, "SELECT status FROM purchase WHERE id = ?", (purchase_id,))[0][0]


def test_buyer_cancels_through_the_page(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller = Browser(server).signed_up("Vendedora", "seller@example.com")
        book = seller.new_book(title="Cancelable", price="10.00", stock="5")
        buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
        purchase = buyer.new_purchase(book, "3")
        assert stock_of(server, book) == 2
        page = buyer.get("/purchases")
        assert f'action="/purchases/{purchase}/cancel"' in page.text
        # Someone else's purchase does not exist; no CSRF token is refused.
        assert seller.submit(f"/purchases/{purchase}/cancel", {}, page="/purchases").status_code == 404
        assert buyer.post(f"/purchases/{purchase}/cancel", {}).status_code == 403
        assert stock_of(server, book) == 2
        r = buyer.submit(f"/purchases/{purchase}/cancel", {}, page="/purchases")
        assert r.status_code == 302 and location_path(r) == "/purchases"
        assert status_of(server, purchase) == "Cancelled"
        assert stock_of(server, book) == 5
        listed = buyer.get("/purchases")
        assert "Cancelada" in listed.text and f'action="/purchases/{purchase}/cancel"' not in listed.text
        # Twice is refused and gives nothing back twice.
        again = buyer.submit(f"/purchases/{purchase}/cancel", {}, page="/purchases")
        assert again.status_code == 409 and "pendiente" in error_message(again.text)
        assert stock_of(server, book) == 5
        # The payment page says so, and paying is refused.
        shown = buyer.get(f"/payment/{purchase}")
        assert shown.status_code == 409 and "cancelada" in error_message(shown.text)
        assert buyer.pay(purchase).status_code == 409
        assert count(server, "payment") == 0
        # A paid purchase cannot be cancelled.
        paid = buyer.new_purchase(book, "1")
        assert buyer.pay(paid).status_code == 302
        assert buyer.submit(f"/purchases/{paid}/cancel", {}, page="/purchases").status_code == 409
        assert stock_of(server, book) == 4
    finally:
        server.stop()


def test_buyer_cancels_through_the_api(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=4, price=7.5)
        buyer, *_ = new_user(server.url)
        other, *_ = new_user(server.url)
        purchase = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 4}).json()
        assert stock_of(server, book["id"]) == 0
        assert_error(other.post(f"/api/v1/purchases/{purchase['id']}/cancel"), 404, "not_found")
        assert Api(server.url).post(f"/api/v1/purchases/{purchase['id']}/cancel").status_code == 401
        r = buyer.post(f"/api/v1/purchases/{purchase['id']}/cancel")
        assert r.status_code == 200, r.text
        assert r.json()["status"] == "Cancelled" and r.json()["quantity"] == 4
        assert stock_of(server, book["id"]) == 4
        assert buyer.get(f"/api/v1/purchases/{purchase['id']}").json()["status"] == "Cancelled"
        assert_error(buyer.post(f"/api/v1/purchases/{purchase['id']}/cancel"), 409, "conflict")
        assert_error(buyer.post(f"/api/v1/purchases/{purchase['id']}/payment",
                                {"method": "Paypal"}), 409, "conflict")
        assert stock_of(server, book["id"]) == 4
    finally:
        server.stop()


def test_unpaid_purchases_expire_and_give_their_stock_back(request, workdir, dialect):
    server = start_server(request, workdir, dialect, env={"PENDING_PAYMENT_TIMEOUT_SECONDS": "2"})
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=6, price=3)
        buyer, *_ = new_user(server.url)
        held = [buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 2}).json()
                for _ in range(3)]
        assert stock_of(server, book["id"]) == 0
        # Paid in time: kept.
        assert buyer.post(f"/api/v1/purchases/{held[0]['id']}/payment",
                          {"method": "Paypal"}).status_code == 201
        # The sweep (every second here) cancels the other two, once.
        wait_until(lambda: stock_of(server, book["id"]) == 4, 20, what="expired stock back")
        assert [status_of(server, p["id"]) for p in held] == ["Paid", "Cancelled", "Cancelled"]
        time.sleep(2.5)  # more sweeps: nothing is given back twice
        assert stock_of(server, book["id"]) == 4
        assert_error(buyer.post(f"/api/v1/purchases/{held[1]['id']}/payment",
                                {"method": "Paypal"}), 409, "conflict")
    finally:
        server.stop()


def test_paying_after_the_timeout_is_refused_even_before_a_sweep(request, workdir, dialect):
    # A long sweep interval (timeout / 4 = 30 s, the most) and a purchase
    # backdated past its timeout: the payment itself notices.
    server = start_server(request, workdir, dialect,
                          env={"PENDING_PAYMENT_TIMEOUT_SECONDS": "3600"})
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, stock=3, price=3)
        buyer, *_ = new_user(server.url)
        purchase = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 3}).json()
        query(server, "UPDATE purchase SET created_at = created_at - 4000 WHERE id = ?",
              (purchase["id"],))
        assert_error(buyer.post(f"/api/v1/purchases/{purchase['id']}/payment",
                                {"method": "Paypal"}), 409, "conflict")
        assert status_of(server, purchase["id"]) == "Cancelled"
        assert stock_of(server, book["id"]) == 3
        assert count(server, "payment") == 0
        # A purchase the original wrote has no creation time: it never expires.
        legacy = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
        query(server, "UPDATE purchase SET created_at = NULL WHERE id = ?", (legacy["id"],))
        assert buyer.post(f"/api/v1/purchases/{legacy['id']}/payment",
                          {"method": "Paypal"}).status_code == 201
    finally:
        server.stop()


def test_setting_is_checked(workdir):
    from bookstore_tools.testing import Bookstore
    server = Bookstore(workdir, env={"PENDING_PAYMENT_TIMEOUT_SECONDS": "0"})
    server.start(wait=False)
    assert server.proc.wait(timeout=30) != 0
    assert "PENDING_PAYMENT_TIMEOUT_SECONDS" in server.output()
