"""API: books and covers (API.md)."""
import requests

from api_client import Api, assert_error, new_book, new_user
from images import jpeg, png, webp_lossless


def test_create_get_patch_delete(server):
    api, user, _, _ = new_user(server.url, name="Vendedor")
    r = api.post("/api/v1/books", {"title": "Rayuela", "author": "Julio Cortázar",
                                   "description": "Novela", "price": 19.99, "stock": 3})
    assert r.status_code == 201
    book = r.json()
    assert r.headers["Location"] == f"/api/v1/books/{book['id']}"
    assert book == {"id": book["id"], "title": "Rayuela", "author": "Julio Cortázar",
                    "description": "Novela", "price": 19.99, "stock": 3, "seller_id": user["id"],
                    "seller_name": "Vendedor", "cover_url": None}
    assert Api(server.url).get(f"/api/v1/books/{book['id']}").json() == book
    r = api.patch(f"/api/v1/books/{book['id']}", {"price": 1000, "stock": 0})
    assert r.status_code == 200
    assert r.json()["price"] == 1000 and r.json()["stock"] == 0 and r.json()["title"] == "Rayuela"
    assert '"price":1000' in r.text.replace(" ", "")
    other, _, _, _ = new_user(server.url)
    assert_error(other.patch(f"/api/v1/books/{book['id']}", {"price": 1}), 403, "forbidden")
    assert_error(other.delete(f"/api/v1/books/{book['id']}"), 403, "forbidden")
    assert_error(Api(server.url).delete(f"/api/v1/books/{book['id']}"), 401, "unauthorized")
    assert api.delete(f"/api/v1/books/{book['id']}").status_code == 204
    assert_error(Api(server.url).get(f"/api/v1/books/{book['id']}"), 404, "not_found")


def test_money_is_exact(server):
    api, _, _, _ = new_user(server.url)
    for price in (12.3, 19.99, 0.1, 999999.99, 0, 1000000):
        book = new_book(api, price=price)
        got = Api(server.url).get(f"/api/v1/books/{book['id']}")
        assert got.json()["price"] == price
        assert "0000000" not in got.text  # no binary-float noise such as 12.300000000000001


def test_book_validation(server):
    api, _, _, _ = new_user(server.url)
    cases = [
        ({"title": "", "author": "A", "price": 1, "stock": 1}, "title"),
        ({"title": "T" * 151, "author": "A", "price": 1, "stock": 1}, "title"),
        ({"title": "T", "author": "A" * 101, "price": 1, "stock": 1}, "author"),
        ({"title": "T", "author": "A", "description": "d" * 10001, "price": 1, "stock": 1}, "description"),
        ({"title": "T", "author": "A", "price": 1.234, "stock": 1}, "price"),
        ({"title": "T", "author": "A", "price": -1, "stock": 1}, "price"),
        ({"title": "T", "author": "A", "price": 1000000.01, "stock": 1}, "price"),
        ({"title": "T", "author": "A", "price": "12", "stock": 1}, "price"),
        ({"title": "T", "author": "A", "price": 1, "stock": 1.5}, "stock"),
        ({"title": "T", "author": "A", "price": 1, "stock": -1}, "stock"),
        ({"title": "T", "author": "A", "price": 1, "stock": 1000001}, "stock"),
        ({"title": "T", "author": "A", "price": 1}, "stock"),
        ({"title": 5, "author": "A", "price": 1, "stock": 1}, "title"),
    ]
    before = Api(server.url).get("/api/v1/books").json()["total"]
    for body, field in cases:
        err = assert_error(api.post("/api/v1/books", body), 422, "validation_failed")
        assert field in err["fields"], (body, err)
    assert Api(server.url).get("/api/v1/books").json()["total"] == before


def test_list_search_and_pagination(server):
    api, _, _, _ = new_user(server.url)
    ids = [new_book(api, title=f"Libro {i:02d}", author="Autora Común")["id"] for i in range(25)]
    new_book(api, title="100% puro_algodón", author="O'Brien; DROP TABLE book;--")
    anon = Api(server.url)
    page1 = anon.get("/api/v1/books?per_page=20").json()
    assert page1["total"] >= 26 and len(page1["items"]) == 20 and page1["per_page"] == 20
    listed = [b["id"] for b in page1["items"]]
    assert listed == sorted(listed, reverse=True)  # newest first
    found = anon.get("/api/v1/books", params={"q": "Autora Común", "per_page": 100}).json()
    assert found["total"] == 25 and {b["id"] for b in found["items"]} == set(ids)
    assert anon.get("/api/v1/books", params={"q": "Libro 1", "page": 3, "per_page": 5}).json()["items"] == []
    assert anon.get("/api/v1/books", params={"q": "100%"}).json()["total"] == 1
    # Words and their beginnings (README, "Search"); punctuation alone finds nothing.
    assert anon.get("/api/v1/books", params={"q": "PURO"}).json()["total"] == 1
    assert anon.get("/api/v1/books", params={"q": "drop tab"}).json()["total"] == 1
    assert anon.get("/api/v1/books", params={"q": "_"}).json()["total"] == 0
    assert anon.get("/api/v1/books", params={"q": "lgodon"}).json()["total"] == 0
    assert anon.get("/api/v1/books", params={"q": "DROP TABLE"}).json()["total"] == 1
    assert anon.get("/api/v1/books", params={"q": "' OR '1'='1"}).json()["total"] == 0
    assert len(anon.get("/api/v1/books?per_page=500").json()["items"]) <= 100
    assert_error(anon.get("/api/v1/books?page=0"), 422, "validation_failed")
    assert_error(anon.get("/api/v1/books?page=-3"), 422, "validation_failed")
    assert_error(anon.get("/api/v1/books/abc"), 404, "not_found")
    assert_error(anon.get("/api/v1/books/999999999"), 404, "not_found")


def test_cover_upload_and_download(server):
    api, _, _, _ = new_user(server.url)
    book = new_book(api)
    for data, ctype in ((png(), "image/png"), (jpeg(), "image/jpeg"), (webp_lossless(), "image/webp")):
        r = api.put(f"/api/v1/books/{book['id']}/cover", data=data, headers={"Content-Type": ctype})
        assert r.status_code == 200, r.text
        url = r.json()["cover_url"]
        assert url.startswith("/uploads/covers/")
        got = requests.get(server.url + url, timeout=10)
        assert got.status_code == 200 and got.content == data
        assert got.headers["Content-Type"].startswith(ctype)
        assert "max-age=31536000" in got.headers.get("Cache-Control", "")
        previous = url
    # The replaced covers were deleted: only the last one remains.
    import os
    covers = os.listdir(os.path.join(server.env["UPLOAD_DIR"], "covers"))
    assert covers == [previous.rsplit("/", 1)[1]]


def test_hostile_cover_uploads(server):
    api, _, _, _ = new_user(server.url)
    book = new_book(api)
    path = f"/api/v1/books/{book['id']}/cover"
    assert_error(api.put(path, data=b"hello, I am text", headers={"Content-Type": "image/png"}),
                 415, "unsupported_media_type")
    assert_error(api.put(path, data=png()[:-20], headers={"Content-Type": "image/png"}),
                 415, "unsupported_media_type")
    assert_error(api.put(path, data=jpeg()[:-2], headers={"Content-Type": "image/jpeg"}),
                 415, "unsupported_media_type")
    assert_error(api.put(path, data=png(), headers={"Content-Type": "text/plain"}),
                 415, "unsupported_media_type")
    big = png() + b"\x00" * (6 * 1024 * 1024)
    r = api.put(path, data=big, headers={"Content-Type": "image/png"})
    assert r.status_code == 413
    other, _, _, _ = new_user(server.url)
    assert_error(other.put(path, data=png(), headers={"Content-Type": "image/png"}), 403, "forbidden")
    import os
    assert os.listdir(os.path.join(server.env["UPLOAD_DIR"], "covers")) == []
    assert Api(server.url).get(f"/api/v1/books/{book['id']}").json()["cover_url"] is None


def test_upload_paths_cannot_escape(server):
    for path in ("/uploads/covers/../bookstore.db", "/uploads/covers/..%2f..%2fbookstore.db",
                 "/uploads/covers/%2e%2e/secret_key", "/uploads/../bookstore.db",
                 "/uploads/covers/nope.png", "/static/bootstrap/../../../../etc/passwd"):
        r = requests.get(server.url + path, timeout=10)
        assert r.status_code in (400, 403, 404), (path, r.status_code)
        assert b"SQLite" not in r.content and b"root:" not in r.content
