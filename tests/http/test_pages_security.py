"""Pages: CSRF on every form, methods, unknown ids, error pages, cookies and escaping
(BOOKSTORE.md §3.4, §3.6, §3.9)."""
import re

import pytest
import requests

from pages_support import (SCRIPT, Browser, assert_layout, count, make_admin,
                                png, query, start_server)


@pytest.fixture
def world(server):
    """An admin seller with a paid purchase of their own book, and a second user."""
    admin = Browser(server)
    admin.register("Admin", "admin@example.com")
    make_admin(server, "admin@example.com")
    assert admin.login("admin@example.com").status_code == 302
    book = admin.new_book(title="Protegido", stock="10")
    purchase = admin.new_purchase(book)
    assert admin.pay(purchase).status_code == 302
    provider = query(server, "SELECT id FROM delivery_provider ORDER BY id")[0][0]
    other = Browser(server).signed_up("Otro", "other@example.com")
    return {"admin": admin, "other": other, "book": book, "purchase": purchase,
            "provider": provider}


def snapshot(server):
    """Everything a state-changing form could change."""
    tables = ["user", "book", "purchase", "payment", "delivery_assignment", "delivery_provider"]
    state = {t: count(server, t) for t in tables}
    state["books"] = [tuple(r) for r in query(server, "SELECT id, title, stock, archived FROM book ORDER BY id")]
    state["providers"] = [tuple(r) for r in query(server, "SELECT id, name FROM delivery_provider ORDER BY id")]
    state["status"] = [tuple(r) for r in query(server, "SELECT id, status FROM purchase ORDER BY id")]
    return state


def forms(w):
    b, p, v = w["book"], w["purchase"], w["provider"]
    book_fields = {"title": "Cambiado", "author": "X", "description": "", "price": "1", "stock": "1"}
    return [
        ("/register", {"name": "Nuevo", "email": "new@example.com", "password": "long enough 1"}),
        ("/login", {"email": "admin@example.com", "password": "correct horse 42"}),
        ("/logout", {}),
        ("/book/add_book", book_fields),
        (f"/book/edit_book/{b}", book_fields),
        (f"/book/delete_book/{b}", {}),
        (f"/buy/{b}", {"quantity": "1"}),
        (f"/payment/{p}", {"method": "Paypal"}),
        (f"/delivery/{p}", {"provider": str(v)}),
        ("/admin/providers/add", {"name": "N", "coverage_area": "A", "cost": "1"}),
        (f"/admin/providers/edit/{v}", {"name": "N", "coverage_area": "A", "cost": "1"}),
        (f"/admin/providers/delete/{v}", {}),
    ]


@pytest.mark.parametrize("token_kind", ["missing", "empty", "wrong", "other-users", "anonymous"])
def test_every_form_refuses_a_bad_csrf_token(server, world, token_kind):
    admin = world["admin"]
    anonymous = Browser(server)
    tokens = {"missing": None, "empty": "", "wrong": "0" * 64,
              "other-users": world["other"].csrf("/book/catalog"),
              "anonymous": anonymous.csrf("/login")}
    before = snapshot(server)
    for path, fields in forms(world):
        data = dict(fields)
        if tokens[token_kind] is not None:
            data["csrf_token"] = tokens[token_kind]
        r = admin.post(path, data=data)
        assert_layout(r, 403)
        # Multipart (as the book form sends it) is checked the same way.
        if path.startswith("/book/"):
            r = admin.post(path, data=data, files={"cover": ("c.png", png(), "image/png")})
            assert_layout(r, 403)
    assert snapshot(server) == before
    assert admin.get("/book/my_books").status_code == 200   # still signed in


WRONG_METHODS = [
    ("POST", "/"), ("PUT", "/register"), ("DELETE", "/login"), ("PUT", "/logout"),
    ("POST", "/book/catalog"), ("DELETE", "/book/{book}"), ("POST", "/book/{book}"),
    ("POST", "/book/my_books"), ("PUT", "/book/add_book"), ("DELETE", "/book/edit_book/{book}"),
    ("GET", "/book/delete_book/{book}"), ("GET", "/buy/{book}"), ("PUT", "/buy/{book}"),
    ("DELETE", "/payment/{purchase}"), ("PATCH", "/delivery/{purchase}"), ("POST", "/purchases"),
    ("POST", "/admin/users"), ("PUT", "/admin/providers"), ("GET", "/admin/providers/add"),
    ("GET", "/admin/providers/edit/{provider}"), ("GET", "/admin/providers/delete/{provider}"),
]


def test_wrong_methods_are_405_pages(server, world):
    before = snapshot(server)
    for method, template in WRONG_METHODS:
        path = template.format(**world)
        r = world["admin"].request(method, path)
        assert r.status_code == 405, (method, path, r.status_code)
        assert r.headers["Content-Type"].startswith("text/html"), (method, path)
        assert "Allow" in r.headers, (method, path)
    assert snapshot(server) == before


@pytest.mark.parametrize("path", [
    "/nope", "/book/", "/book/99999999999999999999", "/book/1.0", "/book/%00", "/book/%3Cscript%3E",
    "/payment/99999999", "/payment/-1", "/delivery/abc", "/book/edit_book/0",
    "/book/edit_book/1%27%20OR%20%271%27=%271", "/uploads/covers/../../bookstore.db",
    "/uploads/covers/nothing.png", "/static/../bookstore.db",
])
def test_unknown_addresses_are_404_pages_in_the_layout(server, world, path):
    r = requests.get(server.url + path, timeout=10, allow_redirects=False,
                     cookies=world["admin"].session.cookies)
    assert r.status_code in (404, 400), (path, r.status_code)
    assert r.headers["Content-Type"].startswith("text/html")
    assert "SQLITE" not in r.text.upper() and "exception" not in r.text.lower()
    assert "<script" not in r.text.lower()


def test_pages_are_html_utf8_and_not_cached(server, world):
    for path in ("/", "/book/catalog", f"/book/{world['book']}", "/book/my_books", "/purchases",
                 "/admin/users", "/admin/providers", f"/book/edit_book/{world['book']}"):
        r = world["admin"].get(path)
        assert_layout(r, 200)
        assert r.headers.get("Cache-Control") == "no-store", path
    assert_layout(world["other"].get(f"/book/edit_book/{world['book']}"), 403)
    assert_layout(world["other"].get(f"/payment/{world['purchase']}"), 404)


def test_flash_cookie_shows_only_known_messages(server):
    b = Browser(server)
    b.session.cookies.set("bookstore_flash", SCRIPT, domain="127.0.0.1", path="/")
    r = b.get("/book/catalog")
    assert "<script" not in r.text.lower() and "alert" not in r.text
    b.session.cookies.set("bookstore_flash", "registered", domain="127.0.0.1", path="/")
    assert "Registro exitoso" in b.get("/book/catalog").text


@pytest.mark.parametrize("value", ["garbage", "a" * 64, "Z" * 64, "' OR 1=1 --", "0" * 10000])
def test_forged_session_cookies_are_anonymous(server, world, value):
    b = Browser(server)
    b.session.cookies.set("bookstore_session", value, domain="127.0.0.1", path="/")
    r = b.get("/book/my_books")
    assert r.status_code in (302, 400, 431) and "/login" in r.headers.get("Location", "/login")


def cookie_attributes(response, name):
    """The attributes of Set-Cookie `name`, lower-cased."""
    for header in response.raw.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            return [part.strip().lower() for part in header.split(";")[1:]]
    raise AssertionError(f"no Set-Cookie {name}: {response.headers}")


def test_cookie_flags_over_plain_http(server):
    b = Browser(server)
    page = b.get("/login")
    anon = cookie_attributes(page, "bookstore_visitor")
    assert "httponly" in anon and "samesite=lax" in anon and "secure" not in anon
    b.register("Ana", "ana@example.com")
    r = b.login("ana@example.com")
    session = cookie_attributes(r, "bookstore_session")
    assert "httponly" in session and "samesite=lax" in session and "secure" not in session
    assert "path=/" in session
    # A client claiming HTTPS is not believed without a trusted proxy.
    c = Browser(server)
    r = c.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in cookie_attributes(r, "bookstore_visitor")


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_cookies_are_secure_behind_a_trusted_https_proxy(request, workdir, dialect):
    server = start_server(request, workdir, dialect, {"TRUSTED_PROXIES": "127.0.0.1"})
    try:
        Browser(server).register("Ana", "ana@example.com")
        b = Browser(server)
        b.session.headers["X-Forwarded-Proto"] = "https"
        page = b.get("/login")
        assert "secure" in cookie_attributes(page, "bookstore_visitor")
        # requests keeps Secure cookies for https only; send this one explicitly, with
        # the token of the same page.
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)
        r = b.session.post(server.url + "/login", allow_redirects=False, timeout=30,
                           cookies={"bookstore_visitor": page.cookies.get("bookstore_visitor")},
                           data={"email": "ana@example.com", "password": "correct horse 42",
                                 "next": "", "csrf_token": token})
        assert r.status_code == 302, r.text[:500]
        session = cookie_attributes(r, "bookstore_session")
        assert "secure" in session and "httponly" in session and "samesite=lax" in session
        # Plain HTTP through the same proxy: no Secure flag.
        plain = Browser(server)
        plain.session.headers["X-Forwarded-Proto"] = "http"
        assert "secure" not in cookie_attributes(plain.get("/login"), "bookstore_visitor")
    finally:
        server.stop()


def test_hostile_text_never_appears_raw_on_any_page(server):
    """One payload in every text field a user controls, then every page visited."""
    admin = Browser(server)
    admin.register(SCRIPT, "admin@example.com")
    make_admin(server, "admin@example.com")
    admin.login("admin@example.com")
    book = admin.new_book(title=SCRIPT, author=SCRIPT, description=SCRIPT,
                          cover=("<script>.png", png(), "image/png"))
    admin.submit("/admin/providers/add", {"name": SCRIPT, "coverage_area": SCRIPT, "cost": "1"},
                 page="/admin/providers")
    provider = query(server, "SELECT id FROM delivery_provider WHERE name = ?", (SCRIPT,))[0][0]
    purchase = admin.new_purchase(book)
    admin.pay(purchase)
    delivery_page = admin.get(f"/delivery/{purchase}")
    admin.choose_delivery(purchase, provider)
    pages = [delivery_page]
    for path in ("/", "/book/catalog", f"/book/catalog?q={SCRIPT}", f"/book/{book}",
                 "/book/my_books", f"/book/edit_book/{book}", "/purchases", "/admin/users",
                 "/admin/providers", f"/login?next={SCRIPT}", f"/login?next=/{SCRIPT}"):
        pages.append(admin.get(path))
    for r in pages:
        assert r.status_code in (200, 302), r.url
        assert "<script" not in r.text.lower(), r.url
    # Refused forms echo what was typed, escaped.
    bad = admin.submit("/book/add_book", {"title": SCRIPT, "author": SCRIPT, "description": SCRIPT,
                                          "price": SCRIPT, "stock": SCRIPT},
                       files={"cover": ("", b"", "application/octet-stream")})
    assert bad.status_code == 400 and "<script" not in bad.text.lower()
    bad = admin.submit("/admin/providers/add", {"name": "", "coverage_area": SCRIPT, "cost": SCRIPT},
                       page="/admin/providers")
    assert bad.status_code == 400 and "<script" not in bad.text.lower()


def test_malformed_multipart_is_a_400_page(server, world):
    admin = world["admin"]
    token = admin.csrf("/book/add_book")
    before = snapshot(server)
    bodies = [
        b"no boundary here",
        b"--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nunterminated",
        b"--XYZ\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--XYZ--\r\n",
        b"--XYZ\r\nno headers end",
        b"",
    ]
    for body in bodies:
        r = admin.post("/book/add_book", data=body,
                       headers={"Content-Type": "multipart/form-data; boundary=XYZ"})
        assert r.status_code in (400, 403), r.status_code
        assert r.headers["Content-Type"].startswith("text/html")
    # Well-formed by hand, with the token: accepted.
    body = (b"--XYZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n" + token.encode()
            + b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA mano"
            + b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"author\"\r\n\r\nYo"
            + b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"price\"\r\n\r\n3"
            + b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"stock\"\r\n\r\n1"
            + b"\r\n--XYZ\r\nContent-Disposition: form-data; name=\"cover\"; filename=\"\"\r\n"
            + b"Content-Type: application/octet-stream\r\n\r\n\r\n--XYZ--\r\n")
    r = admin.post("/book/add_book", data=body,
                   headers={"Content-Type": 'multipart/form-data; boundary="XYZ"'})
    assert r.status_code == 302, r.text[:1000]
    assert count(server, "book") == before["book"] + 1
