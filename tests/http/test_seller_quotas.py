"""Per-account quotas and a full disk (issue 11, item 6; rules 8 and 11).

Books listed per seller per hour (MAX_BOOKS_PER_SELLER_PER_HOUR) and the bytes
of a seller's covers (MAX_COVER_BYTES_PER_SELLER) are limited, and the limits
hold under parallel requests (counted in the shared database, one seller's
guarded writes taking turns): past them the API answers 429
`too_many_requests` and the page 429 (the form again, with the reason), both
with Retry-After, and nothing is stored. A full upload folder (a small tmpfs
mounted here as UPLOAD_DIR) answers 507 `insufficient_storage` on the API and
the page, stores nothing, and fails /health while a cover of MAX_UPLOAD_MB
does not fit."""
import concurrent.futures
import html
import os
import struct
import subprocess
import tempfile
import time
import zlib

import pytest
import requests

from api_client import Api, assert_error, new_book, new_user
from images import png
from pages_support import Browser, assert_layout, count, query, start_server
from bookstore_tools.testing import Bookstore, SECRET


def png_of_size(size):
    """A complete PNG of exactly `size` bytes (an ancillary tEXt chunk pads it)."""
    base = png()
    padding = size - len(base) - 12
    assert padding >= 0
    data = b"a" * padding
    chunk = struct.pack(">I", len(data)) + b"tEXt" + data + struct.pack(
        ">I", zlib.crc32(b"tEXt" + data) & 0xFFFFFFFF)
    out = base[:-12] + chunk + base[-12:]
    assert len(out) == size
    return out


def all_cover_entries(server):
    """Every entry of the covers folder, temporary (dot) files included."""
    folder = os.path.join(server.env["UPLOAD_DIR"], "covers")
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def seller_browser(server, email, password):
    browser = Browser(server)
    r = browser.login(email, password)
    assert r.status_code == 302, r.text[:500]
    return browser


def book_fields(title):
    return {"title": title, "author": "Autora", "description": "Descripción",
            "price": 9.5, "stock": 3}


# ------------------------------------------------------ books per hour ---

@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_parallel_publishes_stop_at_the_hourly_limit(request, workdir, dialect):
    server = start_server(request, workdir, dialect, {"MAX_BOOKS_PER_SELLER_PER_HOUR": "10",
                                                      "THREADS": "4"})
    try:
        api, user, email, password = new_user(server.url, name="Vendedora")
        for i in range(5):
            new_book(api, title=f"Antes {i}")
        # 30 parallel publishes when 5 are left: at most 5 are created.
        with concurrent.futures.ThreadPoolExecutor(30) as pool:
            answers = list(pool.map(
                lambda i: Api(server.url, api.token).post("/api/v1/books",
                                                          book_fields(f"Paralelo {i}")),
                range(30)))
        statuses = sorted(r.status_code for r in answers)
        created = statuses.count(201)
        print(f"\n{dialect}: 30 parallel publishes with 5 left: {created} x 201, "
              f"{statuses.count(429)} x 429")
        assert created == 5, statuses
        assert statuses.count(429) == 25, statuses
        for r in answers:
            if r.status_code == 429:
                assert_error(r, 429, "too_many_requests")
                assert 0 < int(r.headers["Retry-After"]) <= 3600
        assert count(server, "book", "seller_id = ?", (user["id"],)) == 10

        # Another seller is not held back by this one's limit.
        other, _, _, _ = new_user(server.url)
        new_book(other, title="De otra cuenta")

        # The page: the form again with the reason, 429 and Retry-After; no book.
        browser = seller_browser(server, email, password)
        r = browser.add_book(title="Desde la página")
        assert_layout(r, 429)
        assert 0 < int(r.headers["Retry-After"]) <= 3600
        text = html.unescape(r.text)
        assert "máximo de 10 libros por hora" in text, text[:3000]
        assert 'name="title"' in text and "Desde la página" in text
        assert count(server, "book", "seller_id = ?", (user["id"],)) == 10

        # Books listed over an hour ago no longer count.
        query(server, "UPDATE book SET created_at = created_at - 3700 WHERE seller_id = ? "
              "AND title LIKE ?", (user["id"], "Antes%"))
        new_book(api, title="Una hora después")
    finally:
        server.stop()


# --------------------------------------------------- cover bytes quota ---

@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_cover_bytes_per_seller_are_limited_and_given_back(request, workdir, dialect):
    server = start_server(request, workdir, dialect, {"MAX_COVER_BYTES_PER_SELLER": "1000000",
                                                      "THREADS": "4"})
    try:
        api, user, email, password = new_user(server.url)
        books = [new_book(api, title=f"Libro {i}") for i in range(10)]
        cover = png_of_size(300_000)

        def upload(book_id, data=cover):
            return Api(server.url, api.token).put(f"/api/v1/books/{book_id}/cover", data=data,
                                                  headers={"Content-Type": "image/png"})

        # 10 parallel 300 KB covers within 1,000,000 bytes: at most 3 are kept.
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda b: upload(b["id"]), books))
        statuses = sorted(r.status_code for r in answers)
        print(f"\n{dialect}: 10 parallel 300 KB covers, 1 MB quota: {statuses}")
        assert statuses.count(200) == 3, statuses
        assert statuses.count(429) == 7, statuses
        for r in answers:
            if r.status_code == 429:
                assert_error(r, 429, "too_many_requests")
                assert int(r.headers["Retry-After"]) > 0
        stored = int(query(server, "SELECT COALESCE(SUM(cover_bytes), 0) FROM book "
                                   "WHERE seller_id = ?", (user["id"],))[0][0])
        assert stored == 900_000
        # No orphan file: one file per kept cover.
        with_cover = [b["id"] for b, r in zip(books, answers) if r.status_code == 200]
        assert len(all_cover_entries(server)) == 3, all_cover_entries(server)

        # Replacing a cover gives the old one's bytes back.
        assert upload(with_cover[0], png_of_size(350_000)).status_code == 200
        assert_error(upload(with_cover[1], png_of_size(360_000)), 429, "too_many_requests")
        # Removing a book gives its cover's bytes back.
        assert api.delete(f"/api/v1/books/{with_cover[2]}").status_code == 204
        without = [b["id"] for b in books if b["id"] not in with_cover]
        assert upload(without[0]).status_code == 200
        assert len(all_cover_entries(server)) == 3

        # The page: the edit form again with the reason, 429; nothing changes.
        browser = seller_browser(server, email, password)
        before = all_cover_entries(server)
        r = browser.submit(f"/book/edit_book/{without[1]}",
                           {"title": "Cambiado", "author": "Autora", "description": "x",
                            "price": "9.50", "stock": "3"},
                           files={"cover": ("c.png", cover, "image/png")})
        assert_layout(r, 429)
        assert int(r.headers["Retry-After"]) > 0
        assert "espacio máximo permitido" in html.unescape(r.text), r.text[:3000]
        assert all_cover_entries(server) == before
        unchanged = Api(server.url).get(f"/api/v1/books/{without[1]}").json()
        assert unchanged["title"].startswith("Libro ") and unchanged["cover_url"] is None
    finally:
        server.stop()


# --------------------------------------------------- a full upload folder ---

@pytest.fixture
def tiny_upload_dir():
    """A 300 KB tmpfs to serve as UPLOAD_DIR (root only, as in CI)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs as a full upload folder needs root")
    path = tempfile.mkdtemp(prefix="bookstore-full-uploads-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", path],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(path)
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", path], check=False)
        os.rmdir(path)


def wait_live(server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(server.url + "/health/live", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not start:\n" + server.output()[-3000:])


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_a_full_upload_folder_answers_507_and_stores_nothing(request, workdir, tiny_upload_dir,
                                                             dialect):
    env = {"UPLOAD_DIR": tiny_upload_dir}
    if dialect == "mariadb":
        db = request.getfixturevalue("mariadb").create_database()
        env.update({"DATABASE_URL": db["url"], "SECRET_KEY": SECRET})
    server = Bookstore(workdir, env=env)
    server.dialect = dialect
    if dialect == "mariadb":
        server.database = db
    # /health fails from the start (a 5 MB cover cannot fit in 300 KB): no wait for it.
    server.start(wait=False)
    try:
        wait_live(server)
        health = requests.get(server.url + "/health", timeout=5)
        assert health.status_code == 503, health.text
        assert "no space left" in health.json()["checks"]["uploads"], health.json()

        api, user, email, password = new_user(server.url)
        book = new_book(api)
        big = png_of_size(1_900_000)
        r = api.put(f"/api/v1/books/{book['id']}/cover", data=big,
                    headers={"Content-Type": "image/png"})
        error = assert_error(r, 507, "insufficient_storage")
        assert "full" in error["message"]
        assert all_cover_entries(server) == []  # no partial or temporary file
        assert api.get(f"/api/v1/books/{book['id']}").json()["cover_url"] is None
        row = query(server, "SELECT cover_image, cover_bytes FROM book WHERE id = ?",
                    (book["id"],))[0]
        assert row[0] is None and int(row[1]) == 0, row

        # The page: the form again naming the cause, 507; no book, no file.
        browser = seller_browser(server, email, password)
        r = browser.add_book(title="Sin espacio", cover=("grande.png", big, "image/png"))
        assert_layout(r, 507)
        assert "No queda espacio" in html.unescape(r.text), r.text[:3000]
        assert count(server, "book", "seller_id = ?", (user["id"],)) == 1
        assert all_cover_entries(server) == []

        # A small cover still fits: the folder is not refused as a whole.
        small = png()
        r = api.put(f"/api/v1/books/{book['id']}/cover", data=small,
                    headers={"Content-Type": "image/png"})
        assert r.status_code == 200, r.text
        # /health stays failing while a cover of MAX_UPLOAD_MB cannot fit.
        assert requests.get(server.url + "/health", timeout=5).status_code == 503
    finally:
        server.stop()
