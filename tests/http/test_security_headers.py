"""Security headers on every response (issue 11, item 3; src/web/security_headers.cc):
pages, the API, error pages (Drogon's own 404/405, the handlers' 413 and the route
guard's 503), /health, static files and covers. Strict-Transport-Security only when the
request came over HTTPS, as a trusted proxy's X-Forwarded-Proto says."""
import re
import socket

import pytest
import requests

from api_client import new_book, new_user
from bookstore_tools.testing import SECRET, Bookstore, wait_until
from images import png
from pages_support import Browser

SAME_ORIGIN_ONLY = {"default-src", "script-src", "style-src"}


def csp_directives(value):
    directives = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response, https=False):
    what = (response.request.method, response.url, response.status_code)
    h = response.headers
    assert h.get("X-Content-Type-Options") == "nosniff", what
    assert h.get("Referrer-Policy") == "same-origin", what
    assert h.get("X-Frame-Options") == "DENY", what
    csp = csp_directives(h.get("Content-Security-Policy", ""))
    assert csp.get("frame-ancestors") == ["'none'"], (what, csp)
    for directive in SAME_ORIGIN_ONLY:
        # No inline script or style, nothing from elsewhere.
        assert csp.get(directive) == ["'self'"], (what, directive, csp)
    assert csp.get("object-src") == ["'none'"], (what, csp)
    if https:
        assert h.get("Strict-Transport-Security", "").startswith("max-age="), what
        assert int(re.match(r"max-age=(\d+)", h["Strict-Transport-Security"]).group(1)) >= 15552000
    else:
        assert "Strict-Transport-Security" not in h, what


def test_every_kind_of_response_carries_them(server):
    api, user, email, password = new_user(server.url)
    book = new_book(api)
    r = api.put(f"/api/v1/books/{book['id']}/cover", data=png(), headers={"Content-Type": "image/png"})
    assert r.status_code == 200, r.text
    cover_url = r.json()["cover_url"]

    browser = Browser(server)
    browser.signed_up("Lectora", "reader@example.com")
    anonymous = requests.Session()
    checked = []

    def check(response, status, content_type=None):
        assert response.status_code == status, (response.url, response.status_code, response.text[:200])
        if content_type:
            assert response.headers["Content-Type"].startswith(content_type), response.headers
        assert_security_headers(response)
        checked.append(response.url)

    # Pages, signed in and not, and a redirect.
    for path in ["/", "/book/catalog", f"/book/{book['id']}", "/login", "/register"]:
        check(anonymous.get(server.url + path, timeout=10), 200, "text/html")
    for path in ["/book/my_books", "/purchases", "/book/add_book"]:
        check(browser.get(path), 200, "text/html")
    check(anonymous.get(server.url + "/purchases", allow_redirects=False, timeout=10), 302)
    # The API, and its errors.
    check(api.get("/api/v1/books"), 200, "application/json")
    check(api.get(f"/api/v1/books/{book['id']}"), 200, "application/json")
    check(requests.get(server.url + "/api/v1/books/999999", timeout=10), 404, "application/json")
    check(requests.post(server.url + "/api/v1/tokens", json={"email": email, "password": "wrong"},
                        timeout=10), 401, "application/json")
    check(requests.delete(server.url + "/api/v1/books", timeout=10), 405, "application/json")
    check(requests.get(server.url + "/api/v1/openapi.json", timeout=10), 200)
    # Error pages: Drogon's 404 and 405, a refused form, an unknown book.
    check(anonymous.get(server.url + "/no/such/page", timeout=10), 404, "text/html")
    check(anonymous.delete(server.url + "/book/catalog", timeout=10), 405, "text/html")
    check(anonymous.get(server.url + "/book/999999", timeout=10), 404, "text/html")
    check(anonymous.post(server.url + "/login", data={"email": "x"}, timeout=10), 403, "text/html")
    # /health, static files, the stylesheet and the cover.
    check(requests.get(server.url + "/health", timeout=10), 200)
    check(requests.get(server.url + "/health/live", timeout=10), 200)
    check(requests.get(server.url + "/static/app.css", timeout=10), 200, "text/css")
    check(requests.get(server.url + "/static/bootstrap/css/bootstrap.min.css", timeout=10), 200,
          "text/css")
    check(requests.get(server.url + "/static/bootstrap/nothing.css", timeout=10), 404)
    cover = requests.get(server.url + cover_url, timeout=10)
    check(cover, 200, "image/png")
    assert cover.content == png()
    check(requests.get(server.url + "/uploads/covers/missing.png", timeout=10), 404)
    check(requests.head(server.url + cover_url, timeout=10), 200, "image/png")
    assert len(checked) == 27


def test_413_pages_carry_them(workdir):
    """A cover past MAX_UPLOAD_MB gets the handlers' 413 page or JSON error,
    with the headers. A body far past it (over Drogon's own limit, twice
    MAX_UPLOAD_MB + 1 MB) is refused by Drogon before any hook runs, as a bare
    status line with no body: nothing a browser could render or sniff."""
    server = Bookstore(workdir, env={"MAX_UPLOAD_MB": "1"}).start()
    try:
        seller = Browser(server).signed_up("Ana", "ana@example.com")
        big = png() + b"\x00" * (1024 * 1024 + 50_000)
        r = seller.add_book(cover=("big.png", big, "image/png"))
        assert r.status_code == 413 and r.headers["Content-Type"].startswith("text/html")
        assert_security_headers(r)
        api, _, _, _ = new_user(server.url)
        book = new_book(api)
        r = api.put(f"/api/v1/books/{book['id']}/cover", data=big, headers={"Content-Type": "image/png"})
        assert r.status_code == 413 and r.headers["Content-Type"].startswith("application/json")
        assert_security_headers(r)

        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /book/add_book HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                         b"Content-Length: 9000000\r\n\r\n")
            reply = b""
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    reply += chunk
            except ConnectionResetError:
                pass
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.lower().startswith(b"http/1.1 413"), head
        assert body == b"" and b"content-type" not in head.lower(), reply[:300]
    finally:
        server.stop()


def test_the_route_guards_503_carries_them(mariadb, workdir):
    db = mariadb.create_database()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET,
                                     "DB_TIMEOUT_MS": "1500"}).start()
    try:
        mariadb.stop()
        wait_until(lambda: requests.get(server.url + "/health", timeout=5).json()["checks"]["database"]
                   != "ok", 5, what="/health reporting the database")
        health = requests.get(server.url + "/health", timeout=5)
        assert_security_headers(health)
        for path, content_type in [("/book/catalog", "text/html"), ("/api/v1/books", "application/json"),
                                   ("/login", "text/html")]:
            r = requests.get(server.url + path, timeout=10)
            if path == "/login" and r.status_code == 200:
                continue  # a page that needs no database
            assert r.status_code == 503, (path, r.status_code)
            assert r.headers["Content-Type"].startswith(content_type)
            assert_security_headers(r)
    finally:
        if mariadb.proc is None or mariadb.proc.poll() is not None:
            mariadb.start()
        server.stop()


@pytest.mark.parametrize("trusted", [True, False])
def test_hsts_only_over_https_from_a_trusted_proxy(workdir, trusted):
    env = {"TRUSTED_PROXIES": "127.0.0.1/32" if trusted else "10.0.0.0/8"}
    server = Bookstore(workdir, env=env).start()
    try:
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
        for path in ["/", "/api/v1/books", "/no/such/page", "/static/app.css", "/health"]:
            plain = requests.get(server.url + path, timeout=10)
            assert_security_headers(plain, https=False)
            forwarded = requests.get(server.url + path, headers=https, timeout=10)
            assert_security_headers(forwarded, https=trusted)
            http = requests.get(server.url + path, headers={"X-Forwarded-Proto": "http"}, timeout=10)
            assert_security_headers(http, https=False)
    finally:
        server.stop()


# The style= attributes left in src/web/views/book_views.cc: the policy blocks
# them, and /static/app.css gives the same elements the same rules, so the
# pages look the same. (They can go from the views; then this list is empty.)
KNOWN_STYLE_ATTRIBUTES = set()  # the views carry none: the rules are in /static/app.css


def test_pages_hold_no_inline_script(server):
    """What the Content-Security-Policy would block: <script> without src,
    on* handlers, javascript: URLs, <style> blocks; style= attributes only the
    known ones, whose rules are in the stylesheet."""
    api, user, email, password = new_user(server.url)
    book = new_book(api, description="Línea uno\nLínea dos")
    browser = Browser(server)
    browser.signed_up("Lectora", "reader@example.com")
    mine = browser.new_book(title="Propio", stock="3", cover=("c.png", png(), "image/png"))
    pages = ["/", "/book/catalog", f"/book/{book['id']}", "/login", "/register", "/no/such/page",
             "/book/my_books", "/purchases", "/book/add_book", f"/book/edit_book/{mine}"]
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\son[a-z]+\s*=|javascript:", re.I)
    styles = set()
    for path in pages:
        r = browser.get(path)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert not inline.search(r.text), (path, inline.search(r.text).group(0))
        styles.update(re.findall(r'\sstyle\s*=\s*"([^"]*)"', r.text, re.I))
    assert styles <= KNOWN_STYLE_ATTRIBUTES, styles - KNOWN_STYLE_ATTRIBUTES
    css = requests.get(server.url + "/static/app.css", timeout=10).text
    for rule in [".book-description { white-space: pre-line; }",
                 'input.form-control-sm[name="quantity"] { max-width: 6rem; }',
                 ".table thead th:empty { width: 4rem; }",
                 'label[for="cover"] + .mb-2 { max-width: 8rem; }']:
        assert rule in css
