"""ORIGINAL_COMPATIBLE: after a cut-over the original can take over again.

The original application (the stand-in in original/original_app.py, which
reproduces its models, its Werkzeug hashing and the pages that read shared
rows; or a real copy: BOOKSTORE_ORIGINAL_DIR, the folder of a copy of
BookStore-monolith, run by original/run_copy.py, or BOOKSTORE_ORIGINAL_COMMAND,
a shell command with {uri} and {port} placeholders) creates its database and
two accounts. Our
server then serves that database with ORIGINAL_COMPATIBLE=true: the original's
users log in, a new user registers, sells, a buyer buys, pays, chooses a
delivery, a sold book is removed. Then the original serves the same database
again: every user logs in there, and its catalog, "my books" and purchases
pages render our rows, and its own writes (a new user, a book, a purchase)
still work on our schema and are served by ours again. Without the mode, the
same steps lock the original's users out (the control), on SQLite and on
MariaDB. Against a real copy the pages' exact wording is not known, so those
checks look for the values only.
"""
import os
import shlex
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
import requests

from api_client import Api
from bookstore_tools.processes import inherited_env, stop_popen
from bookstore_tools.testing import SECRET, Bookstore, free_port, wait_until
from pages_support import query

HERE = os.path.dirname(os.path.abspath(__file__))
STAND_IN = os.path.join(HERE, "original", "original_app.py")
RUN_COPY = os.path.join(HERE, "original", "run_copy.py")
# A real copy of the original rather than the stand-in.
REAL_COPY = bool(os.environ.get("BOOKSTORE_ORIGINAL_COMMAND") or
                 os.environ.get("BOOKSTORE_ORIGINAL_DIR"))

ANA = ("Ana Original", "ana@original.example", "clave-original-ana")
BRUNO = ("Bruno Original", "bruno@original.example", "clave-original-bruno")
CARLA = ("Carla Nueva", "carla@new.example", "clave-nueva-carla")
DORA = ("Dora Vuelta", "dora@rollback.example", "clave-de-dora")


def original_command(uri, port):
    given = os.environ.get("BOOKSTORE_ORIGINAL_COMMAND")
    if given:
        return ["/bin/sh", "-c", given.format(uri=shlex.quote(uri), port=port)]
    directory = os.environ.get("BOOKSTORE_ORIGINAL_DIR")
    if directory and not os.path.isdir(directory):
        pytest.fail(f"BOOKSTORE_ORIGINAL_DIR={directory} is not a folder")
    try:
        import flask  # noqa: F401
        import flask_login  # noqa: F401
        import flask_sqlalchemy  # noqa: F401
    except ImportError as e:
        pytest.skip(f"the original's stand-in needs Debian's python3-flask, -flask-login and "
                    f"-flask-sqlalchemy (scripts/install-deps installs them): {e}")
    if directory:
        return [sys.executable, RUN_COPY, directory, uri, str(port)]
    return [sys.executable, STAND_IN, uri, str(port)]


class Original:
    """The original application on a free loopback port."""

    def __init__(self, workdir, uri):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(workdir, f"original-{self.port}.log"), "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(original_command(uri, self.port), cwd=workdir,
                                     env=inherited_env(), stdout=self.log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

        def up():
            if self.proc.poll() is not None:
                raise AssertionError(f"the original exited with {self.proc.returncode}")
            return requests.get(self.url + "/book/catalog", timeout=2).status_code == 200
        wait_until(up, 60, what="the original application")

    def register(self, name, email, password):
        r = requests.post(self.url + "/register", data={"name": name, "email": email,
                                                       "password": password},
                          allow_redirects=False, timeout=30)
        assert r.status_code in (200, 302), r.text

    def login(self, email, password):
        """A logged-in session, or None when the original says "Login failed"."""
        session = requests.Session()
        r = session.post(self.url + "/login", data={"email": email, "password": password},
                         allow_redirects=False, timeout=60)
        if r.status_code == 302:
            return session
        if not REAL_COPY:
            assert "Login failed" in r.text, r.text
        return None

    def add_book(self, session, title, author, price, stock):
        r = session.post(self.url + "/book/add_book",
                         data={"title": title, "author": author, "description": "del original",
                               "price": price, "stock": stock},
                         allow_redirects=False, timeout=30)
        assert r.status_code in (200, 302), r.text

    def buy(self, session, book_id, quantity, price):
        # The original read a `price` field too (rule 1); ours ignores it.
        r = session.post(self.url + f"/buy/{book_id}",
                         data={"quantity": quantity, "price": price},
                         allow_redirects=False, timeout=30)
        assert r.status_code in (200, 302), r.text

    def stop(self):
        stop_popen(self.proc)
        self.log.close()


def databases(request, workdir, dialect):
    """(our DATABASE_URL, the original's SQLAlchemy URI, env for our server)."""
    if dialect == "sqlite":
        path = os.path.join(workdir, "bookstore.db")
        return "sqlite:///" + path, "sqlite:///" + path, {}
    db = request.getfixturevalue("mariadb").create_database("orig")
    port = db["url"].rsplit(":", 1)[1].split("/")[0]
    uri = (f"mysql+pymysql://{db['user']}:{quote(db['password'], safe='')}@127.0.0.1:{port}/"
           f"{db['name']}?charset=utf8mb4")
    return db["url"], uri, {"SECRET_KEY": SECRET, "database": db}


def serve_ours(workdir, url, extra, compatible, more=None):
    env = {"DATABASE_URL": url, "ORIGINAL_COMPATIBLE": "true" if compatible else "false"}
    env.update({k: v for k, v in extra.items() if k != "database"})
    env.update(more or {})
    server = Bookstore(workdir, env=env).start()
    server.dialect = "mariadb" if "database" in extra else "sqlite"
    server.database = extra.get("database")
    return server


def token(server, email, password):
    r = Api(server.url).post("/api/v1/tokens", {"email": email, "password": password})
    assert r.status_code == 201, (email, r.status_code, r.headers, r.text)
    return Api(server.url, r.json()["token"])


def stored_hash(server, email):
    return query(server, "SELECT password FROM `user` WHERE email = ?", (email,))[0][0]


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_the_original_reads_back_what_the_compatible_server_wrote(request, workdir, dialect):
    ours_url, original_uri, extra = databases(request, workdir, dialect)
    # 1. The original makes its database and two accounts through its pages.
    original = Original(workdir, original_uri)
    try:
        original.register(*ANA)
        original.register(*BRUNO)
    finally:
        original.stop()

    # 2. Our server, in the compatibility mode, serves it.
    server = serve_ours(workdir, ours_url, extra, compatible=True)
    try:
        ana_hash = stored_hash(server, ANA[1])
        assert ana_hash.startswith("pbkdf2:sha256:"), ana_hash
        token(server, ANA[1], ANA[2])
        bruno = token(server, BRUNO[1], BRUNO[2])
        # The original's hashes are verified and kept as they are.
        assert stored_hash(server, ANA[1]) == ana_hash
        r = Api(server.url).post("/api/v1/users", {"name": CARLA[0], "email": CARLA[1],
                                                   "password": CARLA[2]})
        assert r.status_code == 201, r.text
        assert stored_hash(server, CARLA[1]).startswith("pbkdf2:sha256:600000$")
        carla = token(server, CARLA[1], CARLA[2])
        kept = carla.post("/api/v1/books", {"title": "Rayuela (nueva)", "author": "Julio Cortázar",
                                            "description": "Vendido por Carla", "price": 18.75,
                                            "stock": 5})
        assert kept.status_code == 201, kept.text
        removed = carla.post("/api/v1/books", {"title": "Libro retirado", "author": "Anónimo",
                                               "price": 9.5, "stock": 3})
        assert removed.status_code == 201, removed.text
        kept_id, removed_id = kept.json()["id"], removed.json()["id"]
        shipped = bruno.post("/api/v1/purchases", {"book_id": kept_id, "quantity": 2}).json()
        assert bruno.post(f"/api/v1/purchases/{shipped['id']}/payment",
                          {"method": "Credit Card"}).status_code == 201
        providers = bruno.get("/api/v1/delivery-providers").json()["items"]
        dhl = next(p for p in providers if p["name"] == "DHL")
        assert bruno.post(f"/api/v1/purchases/{shipped['id']}/delivery",
                          {"provider_id": dhl["id"]}).status_code == 201
        # A cancelled purchase: the original knows no "Cancelled", so in this
        # mode the (never paid) row goes, and its copy back to stock.
        dropped = bruno.post("/api/v1/purchases", {"book_id": kept_id, "quantity": 1}).json()
        assert bruno.post(f"/api/v1/purchases/{dropped['id']}/cancel").status_code == 200
        assert query(server, "SELECT COUNT(*) FROM purchase WHERE id = ?",
                     (dropped["id"],))[0][0] == 0
        pending = bruno.post("/api/v1/purchases", {"book_id": removed_id, "quantity": 1})
        assert pending.status_code == 201, pending.text
        # A sold book is archived; the original, which has no such flag,
        # must not be able to sell it: its stock is 0 too.
        assert carla.delete(f"/api/v1/books/{removed_id}").status_code == 204
        assert query(server, "SELECT archived, stock FROM book WHERE id = ?",
                     (removed_id,))[0] == (1, 0)
        # Every hash is one the original can check.
        for email in (ANA[1], BRUNO[1], CARLA[1]):
            assert stored_hash(server, email).startswith("pbkdf2:sha256:"), email
    finally:
        server.stop()

    # 3. Rollback: the original serves the same database again.
    original = Original(workdir, original_uri)
    try:
        sessions = {}
        for name, email, password in (ANA, BRUNO, CARLA):
            sessions[email] = original.login(email, password)
            assert sessions[email] is not None, f"{email} cannot log in on the original"
        assert original.login(CARLA[1], "not-her-password") is None
        catalog = requests.get(original.url + "/book/catalog", timeout=10)
        assert catalog.status_code == 200
        assert "Rayuela (nueva)" in catalog.text and "Julio Cortázar" in catalog.text
        assert "18.75" in catalog.text and "Libro retirado" in catalog.text
        mine = sessions[CARLA[1]].get(original.url + "/book/my_books", timeout=10)
        assert mine.status_code == 200
        assert "Rayuela (nueva)" in mine.text and "Libro retirado" in mine.text
        bought = sessions[BRUNO[1]].get(original.url + "/purchases", timeout=10)
        assert bought.status_code == 200, bought.text
        text = " ".join(bought.text.split())
        assert "Rayuela (nueva)" in text and "Shipped" in text and "Pending Payment" in text
        if not REAL_COPY:  # the stand-in's wording
            assert "$18.75" in catalog.text and "stock 3" in catalog.text
            assert "Carla Nueva" in catalog.text and "stock 0" in catalog.text
            assert "Rayuela (nueva) (3) $18.75" in mine.text and "Libro retirado (0)" in mine.text
            assert "Rayuela (nueva) x2 $37.50 Shipped Credit Card 37.50 DHL" in text, text
            assert "Libro retirado x1 $9.50 Pending Payment" in text, text
        # The original's own writes still work on our schema (every column we
        # added is nullable or has a default): a user, a book, a purchase.
        original.register(*DORA)
        dora = original.login(DORA[1], DORA[2])
        assert dora is not None
        original.add_book(dora, "Libro del original", "Autora Vieja", "12.5", 4)
        original.buy(sessions[BRUNO[1]], kept_id, 1, "18.75")
    finally:
        original.stop()

    # 4. And forward again: ours, still in the mode, serves what the original wrote.
    server = serve_ours(workdir, ours_url, extra, compatible=True)
    try:
        dora_hash = stored_hash(server, DORA[1])
        assert dora_hash.startswith("pbkdf2:sha256:"), dora_hash
        dora_api = token(server, DORA[1], DORA[2])
        assert stored_hash(server, DORA[1]) == dora_hash  # kept as the original wrote it
        books = dora_api.get("/api/v1/books", params={"q": "Libro del original"}).json()["items"]
        assert [(b["title"], b["price"], b["stock"], b["seller_name"]) for b in books] == \
            [("Libro del original", 12.5, 4, DORA[0])], books
        assert token(server, BRUNO[1], BRUNO[2]).get(f"/api/v1/books/{kept_id}").json()["stock"] == 2
        mine = token(server, BRUNO[1], BRUNO[2]).get("/api/v1/purchases").json()["items"]
        assert sorted((p["book_title"], p["quantity"], p["total_price"], p["status"])
                      for p in mine) == [("Libro retirado", 1, 9.5, "Pending Payment"),
                                         ("Rayuela (nueva)", 1, 18.75, "Pending Payment"),
                                         ("Rayuela (nueva)", 2, 37.5, "Shipped")], mine
    finally:
        server.stop()


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_without_the_mode_a_login_on_ours_locks_the_original_out(request, workdir, dialect):
    """The control: what the mode prevents does happen without it. Then the
    mode, turned on late, repairs what it can: the locked-out user gets a
    Werkzeug hash at her next login here, and the sweep deletes the
    "Cancelled" purchase and empties the archived book's stock, so the
    original can take over again."""
    ours_url, original_uri, extra = databases(request, workdir, dialect)
    original = Original(workdir, original_uri)
    try:
        original.register(*ANA)
        original.register(*BRUNO)
    finally:
        original.stop()
    server = serve_ours(workdir, ours_url, extra, compatible=False)
    try:
        ana = token(server, ANA[1], ANA[2])
        assert stored_hash(server, ANA[1]).startswith("$argon2id$")
        bruno = token(server, BRUNO[1], BRUNO[2])
        book = ana.post("/api/v1/books", {"title": "Vendido y retirado", "author": "Ana",
                                          "price": 10, "stock": 5})
        assert book.status_code == 201, book.text
        book_id = book.json()["id"]
        assert bruno.post("/api/v1/purchases",
                          {"book_id": book_id, "quantity": 1}).status_code == 201  # left pending
        dropped = bruno.post("/api/v1/purchases", {"book_id": book_id, "quantity": 1}).json()
        assert bruno.post(f"/api/v1/purchases/{dropped['id']}/cancel").status_code == 200
        assert ana.delete(f"/api/v1/books/{book_id}").status_code == 204
        # Written without the mode: a status the original does not know, and
        # an archived book it would list (it has no such flag) with 4 to sell.
        assert query(server, "SELECT status FROM purchase WHERE id = ?",
                     (dropped["id"],))[0][0] == "Cancelled"
        assert query(server, "SELECT archived, stock FROM book WHERE id = ?",
                     (book_id,))[0] == (1, 4)
    finally:
        server.stop()
    original = Original(workdir, original_uri)
    try:
        # Werkzeug cannot read an Argon2id hash: the original's login fails
        # (with a 500, as its check_password_hash raises on the format).
        r = requests.post(original.url + "/login", data={"email": ANA[1], "password": ANA[2]},
                          allow_redirects=False, timeout=60)
        assert r.status_code != 302, "the original logged in a user whose hash is Argon2id"
    finally:
        original.stop()

    # The mode turned on late. A short payment timeout makes the sweep run
    # every second; it also expires Bruno's pending purchase, whose copy must
    # not go back to the archived book.
    server = serve_ours(workdir, ours_url, extra, compatible=True,
                        more={"PENDING_PAYMENT_TIMEOUT_SECONDS": "4"})
    try:
        def swept():
            return (query(server, "SELECT COUNT(*) FROM purchase")[0][0] == 0 and
                    query(server, "SELECT stock FROM book WHERE id = ?", (book_id,))[0][0] == 0)
        wait_until(swept, 30, interval=0.2,
                   what="the sweep to delete the cancelled and expired purchases")
        time.sleep(1.5)  # another sweep or two: still nothing given back
        assert query(server, "SELECT archived, stock FROM book WHERE id = ?",
                     (book_id,))[0] == (1, 0)
        # Both logged in here without the mode: each needs one login in it.
        for _, email, password in (ANA, BRUNO):
            token(server, email, password)
            assert stored_hash(server, email).startswith("pbkdf2:sha256:600000$"), email
    finally:
        server.stop()
    original = Original(workdir, original_uri)
    try:
        assert original.login(ANA[1], ANA[2]) is not None, "Ana is still locked out"
        bruno_there = original.login(BRUNO[1], BRUNO[2])
        assert bruno_there is not None
        assert bruno_there.get(original.url + "/purchases", timeout=10).status_code == 200
        catalog = requests.get(original.url + "/book/catalog", timeout=10)
        assert catalog.status_code == 200 and "Vendido y retirado" in catalog.text
        if not REAL_COPY:
            text = " ".join(catalog.text.split())
            assert "Vendido y retirado by Ana — $10.00 — stock 0" in text, text
    finally:
        original.stop()
