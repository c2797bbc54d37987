"""Each replica serves the catalog from an in-memory snapshot
(src/services/catalog_cache.h). What that must never break:
- a replica's own writes show in its very next answer;
- another replica's writes show within the documented bound, CatalogCache::kMaxAge (1 s).
Two real servers on one database (one SQLite file, or one MariaDB database).
"""
import re
import time

import pytest

from api_client import Api, new_book, new_user
from bookstore_tools.testing import SECRET, Bookstore

MAX_AGE = 1.0          # CatalogCache::kMaxAge
SLACK = 1.0            # the polling requests themselves, on a loaded CI machine


@pytest.fixture(params=["sqlite", "mariadb"])
def replicas(request, workdir):
    env = {}
    if request.param == "mariadb":
        db = request.getfixturevalue("mariadb").create_database()
        env = {"DATABASE_URL": db["url"], "SECRET_KEY": SECRET}
    a = Bookstore(workdir, env=env, name="replica-a").start()
    b = Bookstore(workdir, env=env, name="replica-b").start()
    yield a, b
    a.stop()
    b.stop()


def listed_stocks(server, book_id, query=None):
    """The book's stock as the API list and the catalog page show it (None when absent)."""
    params = {"per_page": 100}
    if query:
        params["q"] = query
    items = Api(server.url).get("/api/v1/books", params=params).json()["items"]
    from_api = next((b["stock"] for b in items if b["id"] == book_id), None)
    page = Api(server.url).get("/book/catalog", params={"q": query} if query else None).text
    card = re.search(r'href="/book/%d".*?<span class="book-stock">(\d+)</span>' % book_id, page, re.S)
    from_page = int(card.group(1)) if card else None
    return from_api, from_page


def listed_stock(server, book_id, query=None):
    """The stock both show; they agree when the replica's snapshot is not changing meanwhile."""
    from_api, from_page = listed_stocks(server, book_id, query)
    assert from_api == from_page, (from_api, from_page)
    return from_api


def shows(server, book_id, stock, query=None):
    return listed_stocks(server, book_id, query) == (stock, stock)


def seconds_until(predicate, limit):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.02)
    raise AssertionError(f"not visible within {limit:.1f} s")


def test_a_purchase_shows_at_once_on_its_replica_and_within_the_bound_on_the_others(replicas):
    a, b = replicas
    seller, *_ = new_user(a.url)
    book = new_book(seller, title="Frescura garantizada", stock=10)
    # The new book: at once on A, within the bound on B.
    assert listed_stock(a, book["id"]) == 10
    print("new book visible on B after %.3f s" % seconds_until(
        lambda: shows(b, book["id"], 10), MAX_AGE + SLACK))
    # B's snapshot is warm now; buy through A.
    buyer, *_ = new_user(a.url)
    for round_ in range(3):
        before = listed_stock(a, book["id"])
        r = buyer.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 2})
        assert r.status_code == 201, r.text
        assert listed_stock(a, book["id"]) == before - 2  # its own write: the very next answer
        assert listed_stock(a, book["id"], query="frescura") == before - 2
        page = Api(a.url).get(f"/book/{book['id']}").text
        assert f'<dd class="col-sm-9 book-stock">{before - 2}</dd>' in page
        waited = seconds_until(lambda: shows(b, book["id"], before - 2), MAX_AGE + SLACK)
        print(f"round {round_}: stock {before - 2} visible on B after {waited:.3f} s")
        detail = Api(b.url).get(f"/api/v1/books/{book['id']}").json()
        assert detail["stock"] == before - 2


def test_edits_and_removals_reach_every_replica_within_the_bound(replicas):
    a, b = replicas
    seller, *_ = new_user(a.url)
    book = new_book(seller, title="Antes", stock=3)
    seconds_until(lambda: shows(b, book["id"], 3), MAX_AGE + SLACK)
    r = seller.patch(f"/api/v1/books/{book['id']}", {"title": "Después", "stock": 4})
    assert r.status_code == 200, r.text
    assert listed_stock(a, book["id"], query="despues") == 4
    seconds_until(lambda: shows(b, book["id"], 4, query="Después"), MAX_AGE + SLACK)
    assert seller.delete(f"/api/v1/books/{book['id']}").status_code == 204
    assert listed_stock(a, book["id"]) is None
    assert Api(a.url).get(f"/book/{book['id']}").status_code == 404
    seconds_until(lambda: shows(b, book["id"], None), MAX_AGE + SLACK)
    assert Api(b.url).get(f"/api/v1/books/{book['id']}").status_code == 404
