"""Shared helpers for the HTML page tests (test_pages_*.py); holds no tests.

A `Browser` is one person's requests.Session against one server; it reads
the CSRF token from the page's forms the way a browser would submit it.
"""
import html
import os
import re
import sqlite3
from urllib.parse import unquote, urlsplit

import pytest
import requests

from bookstore_tools.testing import Bookstore, SECRET, run_cli

CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PASSWORD = "correct horse 42"

# Payloads that must come back escaped and never break SQL.
SCRIPT = '<script>alert("x")</script>'
SQL_BITS = "'; DROP TABLE book; -- \" OR 1=1 %_! \\"


# ---------------------------------------------------------------- images ---

# The same small valid images the API tests use.
from images import _chunk, jpeg, png  # noqa: E402,F401
from images import webp_lossless as webp  # noqa: E402,F401


# --------------------------------------------------------------- servers ---

def start_server(request, workdir, dialect, env=None):
    """A server on SQLite or on a fresh MariaDB database, with extra settings."""
    env = dict(env or {})
    if dialect == "mariadb":
        db = request.getfixturevalue("mariadb").create_database()
        env.update({"DATABASE_URL": db["url"], "SECRET_KEY": SECRET})
        s = Bookstore(workdir, env=env)
        s.database = db
    else:
        s = Bookstore(workdir, env=env)
    s.dialect = dialect
    return s.start()


def query(server, sql, params=()):
    """Rows of `sql` ('?' placeholders) run directly on the server's database."""
    if server.dialect == "sqlite":
        conn = sqlite3.connect(os.path.join(server.workdir, "bookstore.db"), timeout=10)
        try:
            rows = conn.execute(sql, params).fetchall()
            conn.commit()
            return rows
        finally:
            conn.close()
    import pymysql
    db = server.database
    conn = pymysql.connect(host="127.0.0.1", port=urlsplit(db["url"]).port, user=db["user"],
                           password=db["password"], database=db["name"], autocommit=True)
    try:
        with conn.cursor() as c:
            c.execute(sql.replace("?", "%s"), params)
            return list(c.fetchall())
    finally:
        conn.close()


def count(server, table, where="1=1", params=()):
    return int(query(server, f"SELECT COUNT(*) FROM `{table}` WHERE {where}", params)[0][0])


def make_admin(server, email):
    """`bookstore admin grant`, or the flag set directly while the CLI lacks it."""
    result = run_cli(["admin", "grant", email], server.workdir, server.env)
    if result.returncode != 0:
        query(server, "UPDATE `user` SET is_admin = 1 WHERE email = ?", (email,))
    assert query(server, "SELECT is_admin FROM `user` WHERE email = ?", (email,))[0][0] in (1, True)


def cover_files(server):
    folder = os.path.join(server.env["UPLOAD_DIR"], "covers")
    if not os.path.isdir(folder):
        return []
    return sorted(f for f in os.listdir(folder) if not f.startswith("."))


# --------------------------------------------------------------- browser ---

class Browser:
    def __init__(self, server):
        self.server = server
        self.session = requests.Session()

    def url(self, path):
        return self.server.url + path

    def get(self, path, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        return self.session.get(self.url(path), **kw)

    def post(self, path, data=None, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        return self.session.post(self.url(path), data=data, **kw)

    def request(self, method, path, **kw):
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", 30)
        return self.session.request(method, self.url(path), **kw)

    def csrf(self, page="/"):
        r = self.get(page)
        assert r.status_code == 200, (page, r.status_code)
        match = CSRF_RE.search(r.text)
        assert match, f"no csrf_token on {page}"
        return match.group(1)

    def submit(self, path, data=None, page=None, files=None):
        """POSTs a form with the token read from `page` (default: the same path)."""
        fields = dict(data or {})
        fields["csrf_token"] = self.csrf(page or path)
        return self.post(path, data=fields, files=files)

    def cookie(self, name):
        return self.session.cookies.get(name)

    # Accounts ------------------------------------------------------------
    def register(self, name, email, password=PASSWORD):
        return self.submit("/register", {"name": name, "email": email, "password": password})

    def login(self, email, password=PASSWORD, next_=""):
        return self.submit("/login", {"email": email, "password": password, "next": next_})

    def signed_up(self, name, email, password=PASSWORD):
        r = self.register(name, email, password)
        assert r.status_code == 302 and r.headers["Location"].endswith("/login"), r.text[:500]
        r = self.login(email, password)
        assert r.status_code == 302, r.text[:500]
        return self

    # Books ---------------------------------------------------------------
    def add_book(self, title="El Quijote", author="Cervantes", description="Novela",
                 price="12.50", stock="5", cover=None):
        files = {"cover": cover} if cover is not None else {"cover": ("", b"", "application/octet-stream")}
        fields = {"title": title, "author": author, "description": description,
                  "price": price, "stock": stock}
        return self.submit("/book/add_book", fields, files=files)

    def new_book(self, **kw):
        r = self.add_book(**kw)
        assert r.status_code == 302, r.text[:2000]
        return self.my_book_ids()[0]

    def my_book_ids(self):
        r = self.get("/book/my_books")
        assert r.status_code == 200
        return [int(i) for i in re.findall(r'href="/book/edit_book/(\d+)"', r.text)]

    # Buying --------------------------------------------------------------
    def buy(self, book_id, quantity="1", extra=None):
        data = {"quantity": quantity}
        data.update(extra or {})
        return self.submit(f"/buy/{book_id}", data, page=f"/book/{book_id}")

    def new_purchase(self, book_id, quantity="1"):
        r = self.buy(book_id, quantity)
        assert r.status_code == 302, r.text[:2000]
        match = re.search(r"/payment/(\d+)$", r.headers["Location"])
        assert match, r.headers["Location"]
        return int(match.group(1))

    def pay(self, purchase_id, method="Credit Card"):
        return self.submit(f"/payment/{purchase_id}", {"method": method}, page="/book/catalog")

    def choose_delivery(self, purchase_id, provider_id):
        return self.submit(f"/delivery/{purchase_id}", {"provider": str(provider_id)},
                           page="/book/catalog")


def location_path(response):
    """The path+query a redirect points to (absolute or relative Location)."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + ("?" + parts.query if parts.query else "")


def next_of(response):
    """The decoded `next` of a redirect to the login page."""
    parts = urlsplit(response.headers["Location"])
    assert parts.path == "/login", response.headers["Location"]
    assert parts.query.startswith("next="), parts.query
    return unquote(parts.query[len("next="):])


def error_message(text):
    match = re.search(r'id="error-message">(.*?)</p>', text, re.S)
    return html.unescape(match.group(1)) if match else ""


def assert_layout(response, status):
    """An HTML page in the site's layout with the expected status."""
    assert response.status_code == status, (response.status_code, response.text[:1000])
    assert response.headers["Content-Type"].startswith("text/html")
    assert "charset=utf-8" in response.headers["Content-Type"].lower()
    assert '<nav class="navbar' in response.text and "</html>" in response.text


def assert_escaped(text, payload=SCRIPT):
    assert payload not in text
    assert "<script" not in text.lower()
    assert html.escape(payload, quote=True).replace("&#x27;", "&#39;") in text


@pytest.fixture
def provider_ids(server):
    return [row[0] for row in query(server, "SELECT id FROM delivery_provider ORDER BY id")]
