"""A database created by the original Flask application keeps every row.

The original's DDL (FLOAT money, every column nullable, Werkzeug password
hashes) is built here on SQLite and on MariaDB, the new server is started on
it, and every row is checked afterwards, with money converted exactly.
"""
import hashlib
import os
import sqlite3

import requests

from api_client import Api
from bookstore_tools.testing import Bookstore, SECRET

ORIGINAL_DDL = [
    "CREATE TABLE user (id INTEGER NOT NULL {auto}, name VARCHAR(150), email VARCHAR(150), "
    "password VARCHAR(150), PRIMARY KEY (id), UNIQUE (email))",
    "CREATE TABLE book (id INTEGER NOT NULL {auto}, title VARCHAR(150), author VARCHAR(100), "
    "description TEXT, price FLOAT, stock INTEGER, seller_id INTEGER, PRIMARY KEY (id), "
    "FOREIGN KEY(seller_id) REFERENCES user (id))",
    "CREATE TABLE delivery_provider (id INTEGER NOT NULL {auto}, name VARCHAR(100), "
    "coverage_area VARCHAR(150), cost FLOAT, PRIMARY KEY (id))",
    "CREATE TABLE purchase (id INTEGER NOT NULL {auto}, user_id INTEGER, book_id INTEGER, "
    "quantity INTEGER, total_price FLOAT, status VARCHAR(50), PRIMARY KEY (id), "
    "FOREIGN KEY(user_id) REFERENCES user (id), FOREIGN KEY(book_id) REFERENCES book (id))",
    "CREATE TABLE payment (id INTEGER NOT NULL {auto}, purchase_id INTEGER, amount FLOAT, "
    "payment_method VARCHAR(50), payment_status VARCHAR(50), PRIMARY KEY (id), "
    "FOREIGN KEY(purchase_id) REFERENCES purchase (id))",
    "CREATE TABLE delivery_assignment (id INTEGER NOT NULL {auto}, purchase_id INTEGER, "
    "provider_id INTEGER, PRIMARY KEY (id), FOREIGN KEY(purchase_id) REFERENCES purchase (id), "
    "FOREIGN KEY(provider_id) REFERENCES delivery_provider (id))",
]


def werkzeug_pbkdf2(password, salt, iterations):
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2:sha256:{iterations}${salt}${digest}"


USERS = [
    (1, "Original Seller", "seller@old.example", werkzeug_pbkdf2("old-password-1", "Xy7salt01", 260000)),
    (2, "Original Buyer", "buyer@old.example", werkzeug_pbkdf2("old-password-2", "Qw3salt02", 600000)),
    (3, None, "nulls@old.example", None),
]
BOOKS = [
    (1, "Old Book A", "Author A", "desc", 12.3, 5, 1),
    (2, "Old Book B", "Author B", None, 19.99, 0, 1),
    (3, None, None, None, None, None, None),
]
PROVIDERS = [(1, "DHL", "Internacional", 50.0), (2, "Correo Local", "Nacional", 7.5)]
PURCHASES = [(1, 2, 1, 2, 24.6, "Paid"), (2, 2, 2, 1, 19.99, "Pending Payment"), (3, None, None, None, None, None)]
PAYMENTS = [(1, 1, 24.6, "Credit Card", "Completed"), (2, 1, 24.6, "Paypal", "Completed")]
ASSIGNMENTS = [(1, 1, 2)]
TABLES = {"user": USERS, "book": BOOKS, "delivery_provider": PROVIDERS, "purchase": PURCHASES,
          "payment": PAYMENTS, "delivery_assignment": ASSIGNMENTS}


def fill(conn, placeholder, quote):
    cur = conn.cursor()
    for table, rows in TABLES.items():
        for row in rows:
            marks = ", ".join([placeholder] * len(row))
            cur.execute(f"INSERT INTO {quote(table)} VALUES ({marks})", row)
    conn.commit()


def check_common(server, fetch):
    # Every row is still there.
    for table, rows in TABLES.items():
        ids = [r[0] for r in fetch(f"SELECT id FROM {table} ORDER BY id")]
        assert ids == [r[0] for r in rows], table
    # The original's providers are kept, not reseeded.
    assert len(fetch("SELECT id FROM delivery_provider")) == 2
    anon = Api(server.url)
    books = {b["id"]: b for b in anon.get("/api/v1/books?per_page=100").json()["items"]}
    assert books[1]["price"] == 12.3 and books[2]["price"] == 19.99
    assert books[3]["title"] == "" and books[3]["price"] == 0
    assert requests.get(server.url + "/book/catalog", timeout=10).status_code == 200
    # The migration indexed the original's books for search (FTS5 / FULLTEXT).
    def found(q):
        return [b["id"] for b in anon.get("/api/v1/books", params={"q": q}).json()["items"]]
    assert found("old book") == [2, 1]
    assert found("AUTHOR") == [2, 1]
    assert found("old a") == [2, 1]  # "a" begins "Author" too
    assert found("boo") == [2, 1]
    assert found("missing") == []
    # Werkzeug hashes still log in, and are replaced by Argon2id.
    for email, password in (("seller@old.example", "old-password-1"), ("buyer@old.example", "old-password-2")):
        r = anon.post("/api/v1/tokens", {"email": email, "password": password})
        assert r.status_code == 201, r.text
    assert anon.post("/api/v1/tokens", {"email": "buyer@old.example", "password": "wrong-password"}).status_code == 401
    hashes = [r[0] for r in fetch("SELECT password FROM user WHERE id IN (1, 2) ORDER BY id")]
    assert all(h.startswith("$argon2id$") for h in hashes), hashes
    buyer = Api(server.url, anon.post("/api/v1/tokens", {"email": "buyer@old.example",
                                                          "password": "old-password-2"}).json()["token"])
    history = {p["id"]: p for p in buyer.get("/api/v1/purchases").json()["items"]}
    assert history[1]["total_price"] == 24.6 and history[1]["payment"]["method"] == "Credit Card"
    assert history[1]["delivery"]["provider_name"] == "Correo Local"
    assert history[2]["total_price"] == 19.99
    # A legacy paid purchase that already has a delivery cannot get a second one.
    assert buyer.post("/api/v1/purchases/1/delivery", {"provider_id": 1}).status_code == 409


def test_original_sqlite_database_keeps_every_row(workdir):
    path = os.path.join(workdir, "bookstore.db")
    conn = sqlite3.connect(path)
    for ddl in ORIGINAL_DDL:
        conn.execute(ddl.format(auto=""))
    fill(conn, "?", lambda t: f'"{t}"')
    conn.close()
    server = Bookstore(workdir).start()
    try:
        def fetch(sql):
            c = sqlite3.connect(path)
            try:
                return c.execute(sql.replace("FROM user", 'FROM "user"')).fetchall()
            finally:
                c.close()
        check_common(server, fetch)
        prices = dict(fetch("SELECT id, price FROM book WHERE id IN (1, 2)"))
        assert prices == {1: 12.3, 2: 19.99}
    finally:
        server.stop()


def test_original_mariadb_database_keeps_every_row(mariadb, workdir):
    db = mariadb.create_database("legacy")
    conn = mariadb.connect(db["name"])
    with conn.cursor() as c:
        for ddl in ORIGINAL_DDL:
            c.execute(ddl.format(auto="AUTO_INCREMENT").replace("user (", "`user` (").replace("REFERENCES user", "REFERENCES `user`"))
    conn.autocommit(False)
    fill(conn, "%s", lambda t: f"`{t}`")
    conn.close()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET}).start()
    try:
        def fetch(sql):
            c = mariadb.connect(db["name"])
            try:
                with c.cursor() as cur:
                    cur.execute(sql.replace("FROM user", "FROM `user`"))
                    return cur.fetchall()
            finally:
                c.close()
        check_common(server, fetch)
        prices = {i: str(p) for i, p in fetch("SELECT id, price FROM book WHERE id IN (1, 2)")}
        assert prices == {1: "12.30", 2: "19.99"}
        totals = {i: str(t) for i, t in fetch("SELECT id, total_price FROM purchase WHERE id IN (1, 2)")}
        assert totals == {1: "24.60", 2: "19.99"}
        assert [str(a) for (a,) in fetch("SELECT amount FROM payment ORDER BY id")] == ["24.60", "24.60"]
        assert [str(c) for (c,) in fetch("SELECT cost FROM delivery_provider ORDER BY id")] == ["50.00", "7.50"]
    finally:
        server.stop()
