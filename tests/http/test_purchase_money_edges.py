"""Money edges (rule 3, issue 12 item 5): a total above what
purchase.total_price holds is refused before anything is written, naming the
limit; a failure in the middle of a purchase's transaction leaves stock and
purchases consistent. SQLite and MariaDB."""
import pytest

from api_client import assert_error, new_book, new_user
from pages_support import Browser, count, error_message, query, start_server


@pytest.fixture(params=["sqlite", "mariadb"])
def dialect(request):
    return request.param


def test_a_total_beyond_the_column_is_refused_and_changes_nothing(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, price=1000000, stock=20000)
        buyer, *_ = new_user(server.url)
        # 1,000,000.00 x 10,001 = 10,001,000,000.00 > 9,999,999,999.99
        r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 10001})
        assert_error(r, 422, "validation_failed")
        assert "9999999999.99" in r.json()["error"]["fields"]["quantity"]
        assert query(server, "SELECT stock FROM book WHERE id = ?", (book["id"],))[0][0] == 20000
        assert count(server, "purchase") == 0
        # The largest total that fits is accepted.
        ok = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 9999})
        assert ok.status_code == 201 and ok.json()["total_price"] == 9999000000
        # The page says so too.
        page_buyer = Browser(server).signed_up("Compradora", "page-buyer@example.com")
        refused = page_buyer.buy(book["id"], "10001")
        assert refused.status_code == 400 and "máximo" in error_message(refused.text)
        assert query(server, "SELECT stock FROM book WHERE id = ?", (book["id"],))[0][0] == 10001
    finally:
        server.stop()


def test_a_failure_mid_transaction_keeps_stock_and_purchases_consistent(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, price=5, stock=10)
        buyer, *_ = new_user(server.url)
        # Injected: the database refuses the purchase row of a 7-copy purchase,
        # after the stock was already taken in the same transaction.
        if dialect == "sqlite":
            query(server, "CREATE TRIGGER fail_seven BEFORE INSERT ON purchase "
                          "WHEN NEW.quantity = 7 BEGIN SELECT RAISE(ABORT, 'injected'); END")
        else:
            query(server, "CREATE TRIGGER fail_seven BEFORE INSERT ON purchase FOR EACH ROW "
                          "BEGIN IF NEW.quantity = 7 THEN SIGNAL SQLSTATE '45000' "
                          "SET MESSAGE_TEXT = 'injected'; END IF; END")
        r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 7})
        assert r.status_code == 500 and r.json()["error"]["code"] == "internal", r.text
        assert "injected" not in r.text
        assert query(server, "SELECT stock FROM book WHERE id = ?", (book["id"],))[0][0] == 10
        assert count(server, "purchase") == 0
        # Nothing is stuck: the next purchase goes through.
        assert buyer.post("/api/v1/purchases",
                          {"book_id": book["id"], "quantity": 3}).status_code == 201
        left = query(server, "SELECT stock FROM book WHERE id = ?", (book["id"],))[0][0]
        bought = query(server, "SELECT COALESCE(SUM(quantity), 0) FROM purchase WHERE book_id = ?",
                       (book["id"],))[0][0]
        assert (left, int(bought)) == (7, 3)
    finally:
        server.stop()
