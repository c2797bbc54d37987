"""Pages in Spanish and English (issue 14 item 3): Accept-Language, the
switch's cookie, <html lang>, the switch refusing other sites, translated
statuses and payment methods over unchanged stored values, error pages,
flash messages and the catalog's per-language rendering."""
import re

import pytest

from pages_support import Browser, error_message, location_path, make_admin, query


def lang_of(text):
    match = re.search(r'<html lang="([a-z]+)">', text)
    return match.group(1) if match else None


def english(server):
    b = Browser(server)
    b.session.headers["Accept-Language"] = "en-US,en;q=0.9,es;q=0.5"
    return b


@pytest.fixture
def sqlite_server(sqlite_server):
    sqlite_server.dialect = "sqlite"  # for pages_support.query
    return sqlite_server


@pytest.fixture
def shop(sqlite_server):
    seller = Browser(sqlite_server).signed_up("Vendedora", "seller@example.com")
    book = seller.new_book(title="Libro bilingüe", author="Autora", price="12.50", stock="5")
    return seller, book


def test_spanish_is_the_default_and_accept_language_chooses_english(sqlite_server):
    plain = Browser(sqlite_server).get("/book/catalog")
    assert lang_of(plain.text) == "es"
    assert "<h1 class=\"h3 mb-0\">Catálogo</h1>" in plain.text
    french = Browser(sqlite_server)
    french.session.headers["Accept-Language"] = "fr-FR, de;q=0.9"
    assert lang_of(french.get("/book/catalog").text) == "es"
    r = english(sqlite_server).get("/book/catalog")
    assert lang_of(r.text) == "en"
    assert "<h1 class=\"h3 mb-0\">Catalog</h1>" in r.text
    assert "Catálogo" not in r.text
    # Weights decide: Spanish preferred over English.
    weighted = Browser(sqlite_server)
    weighted.session.headers["Accept-Language"] = "en;q=0.4, es-MX;q=0.8"
    assert lang_of(weighted.get("/login").text) == "es"


def test_the_switch_sets_a_cookie_and_goes_back(sqlite_server):
    b = Browser(sqlite_server)
    page = b.get("/login")
    assert 'href="/language/en?next=%2Flogin"' in page.text
    r = b.get("/language/en?next=/book/catalog%3Fq%3Dx")
    assert r.status_code == 302
    assert location_path(r) == "/book/catalog?q=x"
    set_cookie = r.headers["Set-Cookie"]
    assert "bookstore_lang=en" in set_cookie and "Max-Age=" in set_cookie
    assert "HttpOnly" in set_cookie and "Path=/" in set_cookie
    r = b.get("/login")
    assert lang_of(r.text) == "en"
    assert ">Log in</h1>" in r.text and "Iniciar sesión" not in r.text
    assert 'href="/language/es?next=%2Flogin"' in r.text
    # The cookie beats the header, both ways.
    b.session.headers["Accept-Language"] = "es"
    assert lang_of(b.get("/register").text) == "en"
    b.get("/language/es?next=/")
    b.session.headers["Accept-Language"] = "en"
    assert lang_of(b.get("/register").text) == "es"


@pytest.mark.parametrize("next_", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                   "javascript:alert(1)", "evil.example", ""])
def test_the_switch_never_leaves_the_site(sqlite_server, next_):
    r = Browser(sqlite_server).get("/language/en", params={"next": next_})
    assert r.status_code == 302
    assert r.headers["Location"] in ("/", sqlite_server.url + "/")


def test_an_unknown_language_is_not_found(sqlite_server):
    r = Browser(sqlite_server).get("/language/fr?next=/")
    assert r.status_code == 404
    assert "Set-Cookie" not in r.headers or "bookstore_lang" not in r.headers["Set-Cookie"]


def test_error_pages_follow_the_language(sqlite_server):
    r = english(sqlite_server).get("/no/such/page")
    assert r.status_code == 404
    assert lang_of(r.text) == "en"
    assert error_message(r.text) == "The page you are looking for does not exist."
    r = Browser(sqlite_server).get("/no/such/page")
    assert lang_of(r.text) == "es"
    assert error_message(r.text) == "La página que buscas no existe."
    r = english(sqlite_server).get("/book/999999")
    assert r.status_code == 404 and lang_of(r.text) == "en"
    # A CSRF refusal (a form posted without its token).
    r = english(sqlite_server).post("/login", data={"email": "a@b.c", "password": "x"})
    assert r.status_code == 403
    assert error_message(r.text).startswith("The form expired")


def test_statuses_and_methods_are_translated_but_stored_as_the_original(sqlite_server, shop):
    _, book = shop
    buyer = english(sqlite_server).signed_up("Buyer", "buyer@example.com")
    paid = buyer.new_purchase(book)
    pending = buyer.new_purchase(book)
    r = buyer.pay(paid, "Bank Transfer")
    assert r.status_code == 302
    # The flash of the next page is English too.
    r = buyer.get(location_path(r))
    assert "Payment recorded." in r.text
    page = buyer.get("/purchases").text
    rows = dict(re.findall(r'data-purchase-id="(\d+)">.*?class="purchase-status">([^<]*)<', page,
                           re.S))
    assert rows[str(paid)] == "Paid"
    assert rows[str(pending)] == "Pending payment"
    assert "Bank transfer" in page and "Transferencia bancaria" not in page
    statuses = dict(query(sqlite_server, "SELECT id, status FROM purchase"))
    assert statuses[paid] == "Paid" and statuses[pending] == "Pending Payment"
    assert query(sqlite_server, "SELECT payment_method FROM payment WHERE purchase_id = ?",
                 (paid,))[0][0] == "Bank Transfer"
    # The same purchases in Spanish.
    buyer.session.headers["Accept-Language"] = "es"
    page = buyer.get("/purchases").text
    rows = dict(re.findall(r'data-purchase-id="(\d+)">.*?class="purchase-status">([^<]*)<', page,
                           re.S))
    assert rows[str(paid)] == "Pagado"
    assert rows[str(pending)] == "Pendiente de pago"
    assert "Transferencia bancaria" in page


def test_payment_form_labels_methods_in_english(sqlite_server, shop):
    _, book = shop
    buyer = english(sqlite_server).signed_up("Buyer", "buyer@example.com")
    purchase = buyer.new_purchase(book)
    page = buyer.get(f"/payment/{purchase}").text
    assert "Payment of purchase #%d" % purchase in page
    assert ">Credit card</label>" in page and 'value="Credit Card"' in page
    assert ">Pay $12.50</button>" in page


def test_the_catalog_is_rendered_once_per_language(sqlite_server, shop):
    # Alternating languages on the same snapshot never serves one the other's page.
    for _ in range(3):
        es = Browser(sqlite_server).get("/book/catalog").text
        en = english(sqlite_server).get("/book/catalog").text
        assert "Comprar</button>" in es and "Buy</button>" not in es
        assert "Buy</button>" in en and "Comprar</button>" not in en
        assert "Libro bilingüe" in es and "Libro bilingüe" in en


def test_form_errors_in_english_are_tied_to_their_fields(sqlite_server):
    b = english(sqlite_server)
    r = b.submit("/register", {"name": "", "email": "nope", "password": "short"})
    assert r.status_code == 400
    assert lang_of(r.text) == "en"
    assert "Check the marked fields." in r.text
    for field in ("name", "email", "password"):
        tag = re.search(r'<input[^>]*id="%s"[^>]*>' % field, r.text).group(0)
        assert 'aria-invalid="true"' in tag, tag
        assert f"{field}-error" in tag, tag
        assert f'id="{field}-error"' in r.text


def test_home_shows_the_newest_books_a_search_box_and_counts(sqlite_server, shop):
    seller, book = shop
    page = seller.get("/").text
    assert 'role="search"' in page and 'name="q"' in page
    assert "Libro bilingüe" in page and f'href="/book/{book}"' in page
    assert re.search(r'id="home-my-books"[^>]*>Mis libros \(1\)<', page)
    assert re.search(r'id="home-my-purchases"[^>]*>Mis compras \(0\)<', page)
    seller.session.headers["Accept-Language"] = "en"
    page = seller.get("/").text
    assert re.search(r'id="home-my-books"[^>]*>My books \(1\)<', page)
    anonymous = Browser(sqlite_server).get("/").text
    assert "home-my-books" not in anonymous and "Libro bilingüe" in anonymous


def test_a_book_without_a_cover_shows_a_typeset_placeholder(sqlite_server, shop):
    _, book = shop
    page = Browser(sqlite_server).get(f"/book/{book}").text
    match = re.search(r'<div class="book-cover cover-placeholder (cover-p[0-7])[^"]*">'
                      r'<span class="cover-title">Libro bilingüe</span>.*?'
                      r'<span class="cover-author">Autora</span>', page, re.S)
    assert match, page[:3000]
    # The same design everywhere the book appears.
    assert match.group(1) in Browser(sqlite_server).get("/book/catalog").text
    assert "style=" not in page


def test_a_refused_provider_names_why_in_english_and_ties_it_to_its_inputs(sqlite_server):
    admin = english(sqlite_server).signed_up("Admin", "admin@example.com")
    make_admin(sqlite_server, "admin@example.com")
    r = admin.submit("/admin/providers/add", {"name": "", "coverage_area": "Norte", "cost": "x"},
                     page="/admin/providers")
    assert r.status_code == 400
    assert lang_of(r.text) == "en"
    messages = re.search(r'id="form-errors">(.*?)</div></div>', r.text, re.S).group(1)
    assert "Name: " in messages and "Cost: " in messages
    for field in ("name-new", "coverage-new", "cost-new"):
        tag = re.search(r'<input[^>]*id="%s"[^>]*>' % field, r.text).group(0)
        assert 'aria-invalid="true"' in tag and 'aria-describedby="form-errors"' in tag, tag
