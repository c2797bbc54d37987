"""ORIGINAL_COMPATIBLE: after a cut-over the original can take over again.

The original application (the stand-in in original/original_app.py, which
reproduces its models, its Werkzeug hashing and the pages that read shared
rows; or a real copy given by BOOKSTORE_ORIGINAL_COMMAND, a shell command with
{uri} and {port} placeholders) creates its database and two accounts. Our
server then serves that database with ORIGINAL_COMPATIBLE=true: the original's
users log in, a new user registers, sells, a buyer buys, pays, chooses a
delivery, a sold book is removed. Then the original serves the same database
again: every user logs in there, and its catalog, "my books" and purchases
pages render our rows. Without the mode, the same steps lock the original's
users out (the control), on SQLite and on MariaDB.
"""
import os
import shlex
import subprocess
import sys
from urllib.parse import quote

import pytest
import requests

from api_client import Api
from bookstore_tools.processes import inherited_env, stop_popen
from bookstore_tools.testing import SECRET, Bookstore, free_port, wait_until
from pages_support import query

HERE = os.path.dirname(os.path.abspath(__file__))
STAND_IN = os.path.join(HERE, "original", "original_app.py")

ANA = ("Ana Original", "ana@original.example", "clave-original-ana")
BRUNO = ("Bruno Original", "bruno@original.example", "clave-original-bruno")
CARLA = ("Carla Nueva", "carla@new.example", "clave-nueva-carla")


def original_command(uri, port):
    given = os.environ.get("BOOKSTORE_ORIGINAL_COMMAND")
    if given:
        return ["/bin/sh", "-c", given.format(uri=shlex.quote(uri), port=port)]
    try:
        import flask  # noqa: F401
        import flask_login  # noqa: F401
        import flask_sqlalchemy  # noqa: F401
    except ImportError as e:
        pytest.skip(f"the original's stand-in needs Debian's python3-flask, -flask-login and "
                    f"-flask-sqlalchemy (scripts/install-deps installs them): {e}")
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
        assert "Login failed" in r.text, r.text
        return None

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


def serve_ours(workdir, url, extra, compatible):
    env = {"DATABASE_URL": url, "ORIGINAL_COMPATIBLE": "true" if compatible else "false"}
    env.update({k: v for k, v in extra.items() if k != "database"})
    server = Bookstore(workdir, env=env).start()
    server.dialect = "mariadb" if "database" in extra else "sqlite"
    server.database = extra.get("database")
    return server


def token(server, email, password):
    r = Api(server.url).post("/api/v1/tokens", {"email": email, "password": password})
    assert r.status_code == 201, r.text
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
        assert "$18.75" in catalog.text and "stock 3" in catalog.text and "Carla Nueva" in catalog.text
        assert "Libro retirado" in catalog.text and "stock 0" in catalog.text
        mine = sessions[CARLA[1]].get(original.url + "/book/my_books", timeout=10)
        assert mine.status_code == 200
        assert "Rayuela (nueva) (3) $18.75" in mine.text and "Libro retirado (0)" in mine.text
        bought = sessions[BRUNO[1]].get(original.url + "/purchases", timeout=10)
        assert bought.status_code == 200, bought.text
        text = " ".join(bought.text.split())
        assert "Rayuela (nueva) x2 $37.50 Shipped Credit Card 37.50 DHL" in text, text
        assert "Libro retirado x1 $9.50 Pending Payment" in text, text
    finally:
        original.stop()


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_without_the_mode_a_login_on_ours_locks_the_original_out(request, workdir, dialect):
    """The control: what the mode prevents does happen without it."""
    ours_url, original_uri, extra = databases(request, workdir, dialect)
    original = Original(workdir, original_uri)
    try:
        original.register(*ANA)
    finally:
        original.stop()
    server = serve_ours(workdir, ours_url, extra, compatible=False)
    try:
        token(server, ANA[1], ANA[2])
        assert stored_hash(server, ANA[1]).startswith("$argon2id$")
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
