"""a. A login through replica A continues through replica B: the HTML session
(with its CSRF token) and an API token live in the shared database."""
import re
import time

from fleetlib import PASSWORD, Client, Rec, register, session, summarize

CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class Timed:
    """Records every request for the printed numbers."""

    def __init__(self):
        self.records = []

    def __call__(self, kind, fn, expect):
        t0 = time.monotonic()
        r = fn()
        t1 = time.monotonic()
        ok = r.status_code in (expect if isinstance(expect, tuple) else (expect,))
        self.records.append(Rec(kind, t0, t1, r.status_code, None, None, ok, r.text[:200]))
        assert ok, (kind, r.status_code, r.text[:300])
        return r


def test_a_login_through_one_replica_continues_through_another(make_fleet):
    fleet = make_fleet(2)
    a, b = (rep["url"] for rep in fleet.replicas().values())
    timed = Timed()

    # API: a token issued by A works on B, and revoking it on B is seen by A.
    client_a, user, email = register(a, "Ana Flota")
    client_b = Client(b, client_a.token)
    me = timed("GET /api/v1/me on B", lambda: client_b.get("/api/v1/me"), 200)
    assert me.json()["email"] == email
    timed("POST /api/v1/books on B", lambda: client_b.post("/api/v1/books", {
        "title": "Rayuela", "author": "Cortázar", "description": "Novela", "price": 20, "stock": 3}), 201)
    timed("GET /api/v1/me on A", lambda: client_a.get("/api/v1/me"), 200)
    timed("DELETE /api/v1/tokens/current on B", lambda: client_b.delete("/api/v1/tokens/current"), 204)
    timed("GET /api/v1/me on A, revoked token", lambda: client_a.get("/api/v1/me"), 401)

    # HTML: the form (and its CSRF token) comes from A, the login is posted to B,
    # and the session cookie then works on A and on B.
    browser = session()
    form = timed("GET /login on A", lambda: browser.get(a + "/login", timeout=15), 200)
    token = CSRF_RE.search(form.text).group(1)
    login = timed("POST /login on B (CSRF token from A)", lambda: browser.post(
        b + "/login", data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False, timeout=15), 302)
    assert "bookstore_session" in login.headers.get("Set-Cookie", "")
    for name, base in (("A", a), ("B", b)):
        page = timed(f"GET /purchases on {name}", lambda base=base: browser.get(
            base + "/purchases", allow_redirects=False, timeout=15), 200)
        assert "Ana Flota" in page.text
        timed(f"GET /book/my_books on {name}", lambda base=base: browser.get(
            base + "/book/my_books", allow_redirects=False, timeout=15), 200)

    # Logging out on A (CSRF token read from a page of B) ends the session on B.
    page = browser.get(b + "/book/catalog", timeout=15)
    token = CSRF_RE.search(page.text).group(1)
    timed("POST /logout on A (CSRF token from B)", lambda: browser.post(
        a + "/logout", data={"csrf_token": token}, allow_redirects=False, timeout=15), 302)
    after = timed("GET /purchases on B after logout", lambda: browser.get(
        b + "/purchases", allow_redirects=False, timeout=15), 302)
    assert "/login" in after.headers["Location"]

    numbers = summarize(timed.records, "a. sessions across replicas")
    assert numbers["failed"] == 0
