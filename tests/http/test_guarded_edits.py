"""Rule 12: an edit never undoes what happened meanwhile. The edit form
carries the stock it showed; saving after a sale re-renders it with the
current stock (409) and changes nothing. The API's PATCH writes only the
fields it sends, and a stock change sent with expected_stock applies only
while the stock is still that. SQLite and MariaDB."""
import re
import threading

import pytest

from api_client import assert_error, new_book, new_user
from pages_support import Browser, error_message, query, start_server


@pytest.fixture(params=["sqlite", "mariadb"])
def dialect(request):
    return request.param


def book_row(server, book_id):
    return query(server, "SELECT title, author, description, price, stock FROM book WHERE id = ?",
                 (book_id,))[0]


def test_a_stale_edit_form_does_not_resurrect_sold_stock(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller = Browser(server).signed_up("Vendedora", "seller@example.com")
        book = seller.new_book(title="Con errata", price="10.00", stock="10")
        form = seller.get(f"/book/edit_book/{book}")
        assert re.search(r'name="expected_stock" value="10"', form.text), form.text[:3000]
        buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
        buyer.new_purchase(book, "10")
        assert book_row(server, book)[4] == 0
        # The seller fixes the title and saves the form as it was (stock 10).
        fields = {"title": "Sin errata", "author": "Autora", "description": "Novela",
                  "price": "10.00", "stock": "10", "expected_stock": "10"}
        r = seller.submit(f"/book/edit_book/{book}", fields, page=f"/book/edit_book/{book}")
        assert r.status_code == 409, r.text[:2000]
        assert "ahora hay 0" in r.text
        assert re.search(r'name="expected_stock" value="0"', r.text)
        assert book_row(server, book)[0] == "Con errata" and book_row(server, book)[4] == 0
        # Saved again from the re-rendered form (current stock): applied.
        fields.update({"stock": "0", "expected_stock": "0"})
        r = seller.submit(f"/book/edit_book/{book}", fields, page=f"/book/edit_book/{book}")
        assert r.status_code == 302, r.text[:2000]
        assert book_row(server, book)[0] == "Sin errata" and book_row(server, book)[4] == 0
        # Restocking on purpose works against the stock the form showed.
        fields.update({"stock": "25", "expected_stock": "0"})
        assert seller.submit(f"/book/edit_book/{book}", fields,
                             page=f"/book/edit_book/{book}").status_code == 302
        assert book_row(server, book)[4] == 25
    finally:
        server.stop()


def test_patch_writes_only_what_it_sends_and_guards_the_stock(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, title="Original", author="Autor", stock=10, price=5)
        buyer, *_ = new_user(server.url)
        assert buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 4}).status_code == 201
        # A title-only PATCH leaves the stock the sale left (6), not the 10 read before.
        r = seller.patch(f"/api/v1/books/{book['id']}", {"title": "Renombrado"})
        assert r.status_code == 200 and r.json()["stock"] == 6 and r.json()["title"] == "Renombrado"
        # A stock change against a stale read is refused; nothing changes.
        stale = seller.patch(f"/api/v1/books/{book['id']}",
                             {"stock": 10, "expected_stock": 10, "author": "Otro"})
        assert_error(stale, 409, "stock_changed")
        assert book_row(server, book["id"])[1] == "Autor" and book_row(server, book["id"])[4] == 6
        fresh = seller.patch(f"/api/v1/books/{book['id']}", {"stock": 10, "expected_stock": 6})
        assert fresh.status_code == 200 and fresh.json()["stock"] == 10
        assert_error(seller.patch(f"/api/v1/books/{book['id']}", {"expected_stock": "6"}), 422,
                     "validation_failed")
    finally:
        server.stop()


def test_no_lost_update_under_concurrent_edits_and_sales(request, workdir, dialect):
    server = start_server(request, workdir, dialect)
    try:
        seller, *_ = new_user(server.url)
        book = new_book(seller, title="T0", author="A0", stock=200, price=2)
        buyers = [new_user(server.url)[0] for _ in range(3)]
        bought = []
        errors = []

        def buy(api):
            for _ in range(20):
                r = api.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1})
                (bought.append(1) if r.status_code == 201 else errors.append(r.text))

        def retitle():
            for i in range(20):
                r = seller.patch(f"/api/v1/books/{book['id']}", {"title": f"T{i + 1}"})
                if r.status_code != 200:
                    errors.append(r.text)

        def reprice():
            for i in range(20):
                r = seller.patch(f"/api/v1/books/{book['id']}", {"price": 3 + i})
                if r.status_code != 200:
                    errors.append(r.text)

        threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
        threads += [threading.Thread(target=retitle), threading.Thread(target=reprice)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not errors, errors[:3]
        title, author, _, price, stock = book_row(server, book["id"])
        # Every sale stays taken; each field holds its own last write.
        assert stock == 200 - len(bought) == 140
        assert title == "T20" and author == "A0" and float(price) == 22.0
    finally:
        server.stop()
