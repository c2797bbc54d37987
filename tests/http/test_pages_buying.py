"""Pages: buying, payment, delivery and the purchase list (BOOKSTORE.md §2, §3.1–§3.6)."""
import re
import threading

import pytest

from pages_support import (SCRIPT, Browser, assert_layout, count, error_message,
                                location_path, next_of, provider_ids, query)  # noqa: F401


@pytest.fixture
def shop(server):
    """A seller with one book (price 12.50, stock 5) and a signed-in buyer."""
    seller = Browser(server).signed_up("Vendedora", "seller@example.com")
    book = seller.new_book(title="Libro caro", price="12.50", stock="5")
    buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
    return seller, buyer, book


def stock_of(server, book):
    return query(server, "SELECT stock FROM book WHERE id = ?", (book,))[0][0]


def purchase_row(server, purchase):
    return query(server, "SELECT user_id, book_id, quantity, total_price, status FROM purchase "
                         "WHERE id = ?", (purchase,))[0]


def money(value):
    return f"{float(value):.2f}"


# ----------------------------------------------------------------- buy ---

def test_buy_creates_a_pending_purchase_at_the_database_price(server, shop):
    _, buyer, book = shop
    # A client-sent price is ignored (rule 3.1).
    r = buyer.buy(book, "2", extra={"price": "0.01", "total_price": "0.01"})
    assert r.status_code == 302
    purchase = int(re.search(r"/payment/(\d+)$", r.headers["Location"]).group(1))
    row = purchase_row(server, purchase)
    assert row[2] == 2 and money(row[3]) == "25.00" and row[4] == "Pending Payment"
    assert stock_of(server, book) == 3


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1.5", "", "1e2", "0x2", "6", "１",
                                      "99999999999999999999", "2; DROP TABLE book"])
def test_invalid_quantity_is_a_400_page_and_nothing_changes(server, shop, quantity):
    _, buyer, book = shop
    r = buyer.buy(book, quantity)
    assert_layout(r, 400)
    assert error_message(r.text)
    assert stock_of(server, book) == 5
    assert count(server, "purchase") == 0


def test_buying_the_whole_stock_then_one_more(server, shop):
    _, buyer, book = shop
    assert buyer.buy(book, "5").status_code == 302
    assert stock_of(server, book) == 0
    r = buyer.buy(book, "1")
    assert_layout(r, 400)
    assert "agotado" in error_message(r.text)
    assert count(server, "purchase") == 1


def test_buy_needs_login_and_a_real_book(server, shop):
    seller, buyer, book = shop
    anonymous = Browser(server)
    r = anonymous.submit(f"/buy/{book}", {"quantity": "1"}, page=f"/book/{book}")
    assert r.status_code == 302 and next_of(r) == f"/book/{book}"
    token = buyer.csrf("/book/catalog")
    for path in ("/buy/999999", "/buy/abc", "/buy/0", "/buy/-3", "/buy/1%20OR%201=1"):
        assert_layout(buyer.post(path, data={"csrf_token": token, "quantity": "1"}), 404)
    assert_layout(buyer.get(f"/buy/{book}"), 405)
    assert count(server, "purchase") == 0 and stock_of(server, book) == 5


def test_buy_without_csrf_is_refused(server, shop):
    _, buyer, book = shop
    for data in ({"quantity": "1"}, {"quantity": "1", "csrf_token": "0" * 64}):
        assert_layout(buyer.post(f"/buy/{book}", data=data), 403)
    assert count(server, "purchase") == 0 and stock_of(server, book) == 5


def test_concurrent_buyers_never_oversell(server, shop):
    seller, buyer, book = shop
    other = Browser(server).signed_up("Otra", "other@example.com")
    tokens = {id(b): b.csrf(f"/book/{book}") for b in (buyer, other)}
    results = []
    lock = threading.Lock()

    def attempt(browser):
        r = browser.post(f"/buy/{book}", data={"quantity": "1", "csrf_token": tokens[id(browser)]})
        with lock:
            results.append(r.status_code)

    threads = [threading.Thread(target=attempt, args=(b,)) for b in [buyer, other] * 6]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == [302] * 5 + [400] * 7
    assert stock_of(server, book) == 0
    assert count(server, "purchase") == 5
    assert int(query(server, "SELECT SUM(quantity) FROM purchase")[0][0]) == 5


# ------------------------------------------------------------- payment ---

def test_payment_page_shows_the_purchase_and_spanish_methods(server, shop):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book, "2")
    r = buyer.get(f"/payment/{purchase}")
    assert_layout(r, 200)
    assert "Libro caro" in r.text and "$25.00" in r.text
    assert '<dd class="col-sm-9 purchase-quantity">2</dd>' in r.text
    for value, label in (("Credit Card", "Tarjeta de crédito"), ("Paypal", "PayPal"),
                         ("Bank Transfer", "Transferencia bancaria")):
        assert f'value="{value}"' in r.text and label in r.text


def test_pay_records_one_payment_for_the_total(server, shop):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book, "2")
    r = buyer.pay(purchase, "paypal")
    assert r.status_code == 302 and location_path(r) == f"/delivery/{purchase}"
    assert "Pago registrado" in buyer.get(f"/delivery/{purchase}").text
    rows = query(server, "SELECT amount, payment_method FROM payment WHERE purchase_id = ?", (purchase,))
    assert len(rows) == 1 and money(rows[0][0]) == "25.00" and rows[0][1] == "Paypal"
    assert purchase_row(server, purchase)[4] == "Paid"
    # Again: no second payment, back to delivery with a message.
    token = buyer.csrf("/book/catalog")
    again = buyer.post(f"/payment/{purchase}", data={"csrf_token": token, "method": "Credit Card"})
    assert again.status_code == 302 and location_path(again) == f"/delivery/{purchase}"
    assert "ya estaba pagada" in buyer.get(f"/delivery/{purchase}").text
    page = buyer.get(f"/payment/{purchase}")
    assert page.status_code == 302 and location_path(page) == f"/delivery/{purchase}"
    assert count(server, "payment", "purchase_id = ?", (purchase,)) == 1


@pytest.mark.parametrize("method", ["", "Bitcoin", "Credit  Card", SCRIPT, "' OR 1=1 --"])
def test_pay_refuses_unknown_methods(server, shop, method):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    r = buyer.pay(purchase, method)
    assert_layout(r, 400)
    assert "método de pago" in r.text
    assert "<script" not in r.text.lower()
    assert count(server, "payment") == 0
    assert purchase_row(server, purchase)[4] == "Pending Payment"


def test_pay_without_csrf_is_refused(server, shop):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    assert_layout(buyer.post(f"/payment/{purchase}", data={"method": "Paypal"}), 403)
    assert count(server, "payment") == 0


def test_someone_elses_purchase_does_not_exist(server, shop):
    seller, buyer, book = shop
    purchase = buyer.new_purchase(book)
    for path in (f"/payment/{purchase}", f"/delivery/{purchase}"):
        r = seller.get(path)
        assert_layout(r, 404)
        assert_layout(seller.submit(path, {"method": "Paypal", "provider": "1"},
                                    page="/book/catalog"), 404)
    assert count(server, "payment") == 0 and count(server, "delivery_assignment") == 0
    assert "Libro caro" not in seller.get("/purchases").text
    # Unknown and odd ids look the same as someone else's.
    for path in ("/payment/999999", "/payment/abc", "/delivery/0", "/delivery/1e2"):
        assert_layout(buyer.get(path), 404)
    # Anonymous visitors are sent to log in.
    r = Browser(server).get(f"/payment/{purchase}")
    assert r.status_code == 302 and next_of(r) == f"/payment/{purchase}"


# ------------------------------------------------------------ delivery ---

def test_delivery_only_after_payment(server, shop, provider_ids):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    r = buyer.get(f"/delivery/{purchase}")
    assert r.status_code == 302 and location_path(r) == f"/payment/{purchase}"
    assert "Primero paga" in buyer.get(f"/payment/{purchase}").text
    r = buyer.choose_delivery(purchase, provider_ids[0])
    assert_layout(r, 409)
    assert count(server, "delivery_assignment") == 0
    assert purchase_row(server, purchase)[4] == "Pending Payment"


def test_delivery_lists_providers_and_is_chosen_once(server, shop, provider_ids):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    assert buyer.pay(purchase).status_code == 302
    page = buyer.get(f"/delivery/{purchase}")
    assert_layout(page, 200)
    for name, area, cost in (("DHL", "Internacional", "$50.00"), ("FedEx", "Internacional", "$45.00"),
                             ("Envia", "Nacional", "$20.00"), ("Servientrega", "Nacional", "$15.00")):
        assert name in page.text and area in page.text and cost in page.text
    r = buyer.choose_delivery(purchase, provider_ids[2])
    assert r.status_code == 302 and location_path(r) == "/purchases"
    listing = buyer.get("/purchases")
    assert "Proveedor de entrega asignado" in listing.text
    rows = query(server, "SELECT provider_id FROM delivery_assignment WHERE purchase_id = ?", (purchase,))
    assert [tuple(row) for row in rows] == [(provider_ids[2],)]
    again = buyer.choose_delivery(purchase, provider_ids[0])
    assert_layout(again, 409)
    assert_layout(buyer.get(f"/delivery/{purchase}"), 409)
    assert count(server, "delivery_assignment") == 1


@pytest.mark.parametrize("provider", ["", "abc", "999999", "0", "-1", "1 OR 1=1"])
def test_delivery_refuses_unknown_providers(server, shop, provider):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    buyer.pay(purchase)
    r = buyer.choose_delivery(purchase, provider)
    assert_layout(r, 400)
    assert "proveedor" in r.text
    assert count(server, "delivery_assignment") == 0
    assert purchase_row(server, purchase)[4] == "Paid"


def test_delivery_without_csrf_is_refused(server, shop, provider_ids):
    _, buyer, book = shop
    purchase = buyer.new_purchase(book)
    buyer.pay(purchase)
    r = buyer.post(f"/delivery/{purchase}", data={"provider": str(provider_ids[0])})
    assert_layout(r, 403)
    assert count(server, "delivery_assignment") == 0


# ----------------------------------------------------------- purchases ---

def test_purchases_list_shows_everything_in_spanish(server, shop, provider_ids):
    _, buyer, book = shop
    first = buyer.new_purchase(book, "2")
    second = buyer.new_purchase(book, "1")
    buyer.pay(first, "Bank Transfer")
    buyer.choose_delivery(first, provider_ids[1])
    r = buyer.get("/purchases")
    assert_layout(r, 200)
    rows = re.findall(r'<tr class="purchase-row" data-purchase-id="(\d+)">(.*?)</tr>', r.text, re.S)
    by_id = {int(i): body for i, body in rows}
    assert set(by_id) == {first, second}
    assert "Libro caro" in by_id[first] and "$25.00" in by_id[first]
    assert "Enviado" in by_id[first] and "Transferencia bancaria" in by_id[first]
    assert "FedEx" in by_id[first]
    assert "Pendiente de pago" in by_id[second] and f'href="/payment/{second}"' in by_id[second]
    r = Browser(server).get("/purchases")
    assert r.status_code == 302 and next_of(r) == "/purchases"
