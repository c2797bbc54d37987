"""The catalog at any size (issue 10; README "Search", ARCHITECTURE.md "The
catalog"), on SQLite (FTS5) and MariaDB (FULLTEXT): searches find whole words
and word beginnings in titles and authors, case and accents aside, newest
first; deep pages are exact slices; a purchase changes its book's stock on the
next view without changing which books a page lists; the search index follows
edits, deletions and archiving; bad input gets its usual answers.
"""
import pytest

from api_client import Api, assert_error, new_book, new_user


def ids(server, **params):
    body = Api(server.url).get("/api/v1/books", params=params).json()
    return [b["id"] for b in body["items"]], body["total"]


def found(server, q):
    return ids(server, q=q, per_page=100)[0]


def test_search_words_prefixes_case_accents_newest_first(server):
    seller, *_ = new_user(server.url)
    cien = new_book(seller, title="Cien años de soledad", author="Gabriel García Márquez")["id"]
    rayuela = new_book(seller, title="Rayuela", author="Julio Cortázar")["id"]
    otono = new_book(seller, title="El otoño del patriarca", author="GARCÍA MÁRQUEZ")["id"]
    ficciones = new_book(seller, title="Ficciones", author="Jorge Luis Borges")["id"]
    assert found(server, "marq") == [otono, cien]
    assert found(server, "MÁRQUEZ") == [otono, cien]
    assert found(server, "marquez") == [otono, cien]
    assert found(server, "García márq") == [otono, cien]
    assert found(server, "ANOS soledad") == [cien]
    assert found(server, "otoño") == [otono]
    assert found(server, "cortazar") == [rayuela]
    assert found(server, "jorge borges ficc") == [ficciones]
    assert found(server, "soledad marquez") == [cien]  # a title word and an author word
    # Inside a word is not a match (the substring search before issue 10 found these).
    assert found(server, "arquez") == []
    assert found(server, "ayuela") == []
    # Every word must match.
    assert found(server, "rayuela borges") == []


@pytest.mark.parametrize("q", ['"', "*", "-", "+", "(", ")", "NEAR(", '"unclosed', "a*b", "-rayuela",
                               "+rayuela*", "rayuela)", "AND", "~rayuela", "@1", "<>", ":", "^",
                               "' OR '1'='1", "\\", "%_"])
def test_query_syntax_is_never_an_error(server, q):
    seller, *_ = new_user(server.url)
    rayuela = new_book(seller, title="Rayuela", author="Julio Cortázar")["id"]
    r = Api(server.url).get("/api/v1/books", params={"q": q})
    assert r.status_code == 200, r.text
    page = Api(server.url).get("/book/catalog", params={"q": q})
    assert page.status_code == 200
    if "rayuela" in q.lower():
        assert r.json()["items"][0]["id"] == rayuela, q


def test_deep_pages_are_exact_slices_newest_first(server):
    seller, *_ = new_user(server.url)
    made = [new_book(seller, title=f"Tomo {i}", author="Serie Larga", stock=3)["id"] for i in range(45)]
    expected = sorted(made, reverse=True)
    for per_page in (7, 20):
        walked = []
        page = 1
        while True:
            got, total = ids(server, q="serie", page=page, per_page=per_page)
            assert total == 45
            if not got:
                break
            walked += got
            page += 1
        assert walked == expected, per_page
    everything, total = ids(server, per_page=100)
    assert everything == expected and total == 45
    # Past the end: no books, the total still said.
    assert ids(server, page=1000000, per_page=100) == ([], 45)
    assert ids(server, page=10000000000, per_page=100) == ([], 45)


def seed_books_behind_the_server(server, seller_id, count, marker, marker_every):
    """`count` books by the server's own INSERT, written directly (an API
    seed of thousands is slow), and the change-log row that tells the
    server's cache the listing changed."""
    import time
    from bookstore_tools.bench.data import book_inserts, bulk_books
    from bookstore_tools.bench.statements import catalog_changed_sql
    from pages_support import query
    books = bulk_books(count, marker, marker_every)
    for sql in book_inserts(books, seller_id, int(time.time()), rows_per_insert=500):
        query(server, sql)
    query(server, catalog_changed_sql())


def test_pages_past_many_anchors_are_exact_slices(server):
    """Pages past several anchors (one every 250 positions: #10's deep
    pages), read out of order and concurrently, are the listing's and a
    search's exact slices: each database's anchor statements, run on it."""
    from concurrent.futures import ThreadPoolExecutor
    from pages_support import query
    seller, user, *_ = new_user(server.url)
    seed_books_behind_the_server(server, user["id"], 1900, "Zafiro", 3)
    listing = [r[0] for r in query(server, "SELECT id FROM book WHERE archived = 0 "
                                           "ORDER BY id DESC")]
    searched = [r[0] for r in query(server, "SELECT id FROM book WHERE archived = 0 AND "
                                            "title LIKE ? ORDER BY id DESC", ("% de Zafiro (%",))]
    assert len(listing) == 1900 and len(searched) == 634
    per_page = 20

    def expect(q, expected, page):
        params = {"page": page, "per_page": per_page, **({"q": q} if q else {})}
        got, total = ids(server, **params)
        return got == expected[(page - 1) * per_page:page * per_page] and total == len(expected)

    # Concurrent first reads of deep pages: the anchors are read once, as
    # deep as the deepest page (the others wait for the walk or extend it).
    pages = [95, 60, 13, 88, 40, 77, 26, 51, 94, 70, 3, 33, 82, 14, 65, 90]
    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(lambda p: expect("", listing, p), pages))
        assert all(pool.map(lambda p: expect("zafiro", searched, p), [p % 32 + 1 for p in pages]))
    for page in (96, 1, 95, 13, 12, 14, 50, 76):
        assert expect("", listing, page), page
    assert expect("", listing, 200)  # past the end: empty, the total said
    # A listing change moves every position: the anchors are read again.
    r = seller.delete(f"/api/v1/books/{listing[300]}")
    assert r.status_code in (200, 204), r.text
    listing.pop(300)
    for page in (95, 14, 16, 40):
        assert expect("", listing, page), page


def test_a_purchase_changes_its_stock_not_the_pages(server):
    seller, *_ = new_user(server.url)
    buyer, *_ = new_user(server.url)
    made = [new_book(seller, title=f"Libro {i}", stock=10)["id"] for i in range(25)]
    anon = Api(server.url)
    before = {p: anon.get("/api/v1/books", params={"page": p}).json() for p in (1, 2)}
    catalog_before = anon.get("/book/catalog").text
    bought = made[-1]  # the newest: on page 1
    r = buyer.post("/api/v1/purchases", {"book_id": bought, "quantity": 3})
    assert r.status_code == 201, r.text
    after = {p: anon.get("/api/v1/books", params={"page": p}).json() for p in (1, 2)}
    for p in (1, 2):
        assert [b["id"] for b in after[p]["items"]] == [b["id"] for b in before[p]["items"]]
        assert after[p]["total"] == before[p]["total"]
    stocks = {b["id"]: b["stock"] for b in after[1]["items"]}
    assert stocks[bought] == 7
    assert all(stocks[i] == 10 for i in stocks if i != bought)
    catalog_after = anon.get("/book/catalog").text
    assert catalog_after != catalog_before
    assert anon.get(f"/api/v1/books/{bought}").json()["stock"] == 7
    # Buying still checks the stock in the database.
    r = buyer.post("/api/v1/purchases", {"book_id": bought, "quantity": 8})
    assert r.status_code == 409, r.text


def test_the_search_index_follows_edits_deletions_and_archiving(server):
    seller, *_ = new_user(server.url)
    buyer, *_ = new_user(server.url)
    edited = new_book(seller, title="Borrador inicial", author="Autora Primera")["id"]
    deleted = new_book(seller, title="Efímero", author="Nadie")["id"]
    archived = new_book(seller, title="Vendido", author="Alguien")["id"]
    assert buyer.post("/api/v1/purchases", {"book_id": archived, "quantity": 1}).status_code == 201
    assert found(server, "borrador") == [edited]
    r = seller.patch(f"/api/v1/books/{edited}", {"title": "Versión final", "author": "Autora Segunda"})
    assert r.status_code == 200, r.text
    assert found(server, "borrador") == []
    assert found(server, "primera") == []
    assert found(server, "version final") == [edited]
    assert found(server, "segunda") == [edited]
    # A price change is not a listing change: still found.
    assert seller.patch(f"/api/v1/books/{edited}", {"price": 3}).status_code == 200
    assert found(server, "final") == [edited]
    assert found(server, "efimero") == [deleted]
    assert seller.delete(f"/api/v1/books/{deleted}").status_code == 204
    assert found(server, "efimero") == []
    assert found(server, "vendido") == [archived]
    assert seller.delete(f"/api/v1/books/{archived}").status_code == 204  # archived: it has a sale
    assert found(server, "vendido") == []
    assert ids(server)[1] == 1


def test_bad_input_gets_its_usual_answers(server):
    seller, *_ = new_user(server.url)
    new_book(seller, title="Visible")
    anon = Api(server.url)
    assert_error(anon.get("/api/v1/books?page=abc"), 422, "validation_failed")
    assert_error(anon.get("/api/v1/books?page=0"), 422, "validation_failed")
    assert_error(anon.get("/api/v1/books?per_page=x"), 422, "validation_failed")
    for q in ("", "   ", "a" * 10000, "visible " * 2000):
        r = anon.get("/api/v1/books", params={"q": q})
        assert r.status_code == 200
    assert anon.get("/api/v1/books", params={"q": ""}).json()["total"] == 1
    assert anon.get("/api/v1/books", params={"q": "a" * 10000}).json()["total"] == 0
    page = anon.get("/book/catalog", params={"q": "a" * 10000})
    assert page.status_code == 200 and "Sin resultados" in page.text
    assert anon.get("/book/catalog", params={"page": "abc"}).status_code == 200
    assert "Sin resultados" in anon.get("/book/catalog", params={"page": "999999"}).text
