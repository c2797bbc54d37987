"""Pages: catalog, book detail, my books, publishing/editing/deleting books and covers
(BOOKSTORE.md §2, §3.7, §3.8)."""
import os
import re

import pytest
import requests

from pages_support import (SCRIPT, SQL_BITS, Browser, _chunk, assert_escaped, assert_layout,
                                count, cover_files, error_message, jpeg, location_path, next_of,
                                png, query, start_server, webp)

COVER_SRC = re.compile(r'src="/uploads/covers/([0-9a-f]{32}\.(?:png|jpg|webp))"')


def big_png(total_bytes):
    """A structurally valid PNG padded with an ancillary chunk to about `total_bytes`."""
    base = png()
    filler = b"x" * max(0, total_bytes - len(base) - 12)
    iend = _chunk(b"IEND", b"")
    return base[: -len(iend)] + _chunk(b"zzZz", filler) + iend


@pytest.fixture
def seller(server):
    return Browser(server).signed_up("Sofía Vendedora", "seller@example.com")


# ------------------------------------------------------------- catalog ---

def test_empty_catalog_says_no_results(server):
    r = Browser(server).get("/book/catalog")
    assert_layout(r, 200)
    assert "Sin resultados" in r.text


def test_catalog_shows_books_newest_first_with_a_buy_form(server, seller):
    seller.new_book(title="Primero", author="Autora Uno", price="10", stock="3")
    seller.new_book(title="Segundo", author="Autor Dos", price="0.5", stock="7")
    r = Browser(server).get("/book/catalog")
    assert_layout(r, 200)
    assert r.text.index("Segundo") < r.text.index("Primero")
    assert "Autora Uno" in r.text and "$10.00" in r.text and "$0.50" in r.text
    assert '<span class="book-stock">7</span>' in r.text
    forms = re.findall(r'<form class="d-flex gap-2 buy-form" method="post" action="/buy/(\d+)">'
                       r'<input type="hidden" name="csrf_token" value="[0-9a-f]{64}">'
                       r'.*?name="quantity"', r.text)
    assert len(forms) == 2
    # No cover: a typeset placeholder with the book's title and author.
    assert re.search(r'class="book-cover cover-placeholder cover-p[0-7] card-img-top">'
                     r'<span class="cover-title">Primero</span>.*?'
                     r'<span class="cover-author">Autora Uno</span>', r.text)


def test_search_matches_words_and_their_beginnings(server, seller):
    """README, "Search": every word typed must be a word, or the beginning of
    one, of the title or the author; case and accents aside; newest first."""
    seller.new_book(title="Cien años de soledad", author="García Márquez")
    seller.new_book(title="Rayuela", author="Cortázar")
    seller.new_book(title="100% cotidiano", author="Anónimo")
    seller.new_book(title="El otoño del patriarca", author="Gabriel GARCÍA MÁRQUEZ")
    b = Browser(server)

    def titles(q):
        text = b.get("/book/catalog", params={"q": q}).text
        return re.findall(r'book-title"[^>]*>(?:<a [^>]*>)?([^<]+)<', text)

    assert titles("rayu") == ["Rayuela"]
    assert titles("Márquez") == ["El otoño del patriarca", "Cien años de soledad"]
    assert titles("marq") == ["El otoño del patriarca", "Cien años de soledad"]
    assert titles("MARQUEZ garcía") == ["El otoño del patriarca", "Cien años de soledad"]
    assert titles("anos") == ["Cien años de soledad"]
    assert titles("cortazar") == ["Rayuela"]
    assert titles("100") == ["100% cotidiano"]
    assert titles("soledad márquez") == ["Cien años de soledad"]  # title and author words
    # Not inside a word, and punctuation alone finds nothing.
    for q in ("arque", "ayuela", "_ayuela", "%", "nada de esto", "rayuela cien"):
        assert "Sin resultados" in b.get("/book/catalog", params={"q": q}).text, q


@pytest.mark.parametrize("q", [SCRIPT, SQL_BITS, "' OR 1=1 --", "\\", "a" * 5000,
                               "\udcff".encode("utf-8", "surrogateescape")],
                         ids=["script", "sql", "or", "backslash", "long", "not-utf8"])
def test_hostile_searches_are_harmless(server, seller, q):
    seller.new_book(title="Visible")
    r = Browser(server).get("/book/catalog", params={"q": q})
    assert_layout(r, 200)
    assert "<script" not in r.text.lower()
    if q == SCRIPT:
        assert_escaped(r.text)
    assert count(server, "book") == 1


@pytest.mark.parametrize("page", ["abc", "-1", "0", "1 OR 1=1", "99999999999999999999", "2.5", ""])
def test_odd_page_numbers_show_a_page(server, page):
    r = Browser(server).get("/book/catalog", params={"page": page})
    assert_layout(r, 200)


def test_pagination_is_twenty_a_page_and_keeps_the_query(server, seller):
    for i in range(21):
        seller.new_book(title=f"Saga {i:02d} & co", author="Autor", stock="1")
    seller.new_book(title="Otro", author="Otra")
    b = Browser(server)
    first = b.get("/book/catalog", params={"q": "& co"})
    assert len(re.findall(r'book-title"', first.text)) == 20
    assert "Saga 20" in first.text and "Saga 00" not in first.text and "Otro" not in first.text
    assert 'href="/book/catalog?q=%26%20co&amp;page=2"' in first.text
    second = b.get("/book/catalog", params={"q": "& co", "page": "2"})
    assert len(re.findall(r'book-title"', second.text)) == 1 and "Saga 00" in second.text
    beyond = b.get("/book/catalog", params={"q": "& co", "page": "9"})
    assert "Sin resultados" in beyond.text
    everything = b.get("/book/catalog")
    assert 'href="/book/catalog?page=2"' in everything.text


# -------------------------------------------------------------- detail ---

def test_book_detail_shows_everything(server, seller):
    book = seller.new_book(title="Detalle", author="Autora", description="Línea 1\nLínea 2",
                           price="19.99", stock="4", cover=("c.png", png(), "image/png"))
    r = Browser(server).get(f"/book/{book}")
    assert_layout(r, 200)
    for text in ("Detalle", "Autora", "Línea 1\nLínea 2", "$19.99", "Sofía Vendedora"):
        assert text in r.text
    assert COVER_SRC.search(r.text)
    assert f'action="/buy/{book}"' in r.text and 'name="quantity"' in r.text


@pytest.mark.parametrize("path", ["/book/999999", "/book/0", "/book/-1", "/book/abc", "/book/1e3",
                                  "/book/1;DROP TABLE book", "/book/%27%20OR%201=1"])
def test_unknown_or_odd_book_ids_are_404_pages(server, seller, path):
    seller.new_book()
    r = seller.get(path)
    assert_layout(r, 404)
    assert 'id="current-user">Sofía Vendedora<' in r.text   # error pages keep the nav
    assert count(server, "book") == 1


# ------------------------------------------------------------ my books ---

def test_my_books_needs_login_and_lists_only_mine(server, seller):
    r = Browser(server).get("/book/my_books")
    assert r.status_code == 302 and next_of(r) == "/book/my_books"
    mine = seller.new_book(title="Mío")
    other = Browser(server).signed_up("Otro", "other@example.com")
    other.new_book(title="Ajeno")
    page = seller.get("/book/my_books")
    assert_layout(page, 200)
    assert "Mío" in page.text and "Ajeno" not in page.text
    assert f'href="/book/edit_book/{mine}"' in page.text
    assert f'action="/book/delete_book/{mine}"' in page.text


# ------------------------------------------------------------ add book ---

def test_add_book_needs_login(server):
    b = Browser(server)
    r = b.get("/book/add_book")
    assert r.status_code == 302 and next_of(r) == "/book/add_book"
    # The anonymous visitor's form post (with a valid anonymous token) is not stored either.
    r = b.submit("/book/add_book", {"title": "T", "author": "A", "description": "",
                                    "price": "1", "stock": "1"}, page="/login",
                 files={"cover": ("c.png", png(), "image/png")})
    assert r.status_code == 302 and next_of(r) == "/book/add_book"
    assert count(server, "book") == 0


def test_add_book_stores_it_and_flashes(server, seller):
    form = seller.get("/book/add_book")
    assert_layout(form, 200)
    assert 'enctype="multipart/form-data"' in form.text
    for field in ("title", "author", "description", "price", "stock", "cover"):
        assert f'name="{field}"' in form.text
    r = seller.add_book(title="  Nuevo  ", author="Autor", price="12,5", stock="3")
    assert r.status_code == 302 and location_path(r) == "/book/catalog"
    assert "Libro publicado" in seller.get("/book/catalog").text
    row = query(server, "SELECT title, price, stock, seller_id, cover_image FROM book")[0]
    assert row[0] == "Nuevo" and str(row[1]) in ("12.5", "12.50") and row[2] == 3
    assert not row[4]


@pytest.mark.parametrize("field,value", [
    ("title", ""), ("title", "   "), ("title", "t" * 151), ("author", ""), ("author", "a" * 101),
    ("description", "d" * 10001), ("price", "-1"), ("price", "1.234"), ("price", "abc"),
    ("price", "1000000.01"), ("price", "1e3"), ("price", ""), ("stock", "-1"), ("stock", "1.5"),
    ("stock", "1000001"), ("stock", "x"), ("stock", ""), ("title", "bad\x01control"),
], ids=lambda value: repr(value)[:12])
def test_add_book_refuses_invalid_fields(server, seller, field, value):
    fields = {"title": "Válido", "author": "Autor", "description": "", "price": "1", "stock": "1"}
    fields[field] = value
    r = seller.add_book(**fields, cover=("c.png", png(), "image/png"))
    assert_layout(r, 400)
    assert f'data-field="{field}"' in r.text
    assert 'value="Autor"' in r.text or field == "author"       # other values kept
    assert count(server, "book") == 0
    assert cover_files(server) == []                             # the cover was not stored either


@pytest.mark.parametrize("field,value", [
    ("title", "t" * 150), ("author", "a" * 100), ("description", "d" * 10000),
    ("price", "1000000.00"), ("price", "0"), ("stock", "0"), ("stock", "1000000"),
], ids=lambda value: str(value)[:12])
def test_add_book_accepts_the_limits(server, seller, field, value):
    fields = {"title": "Válido", "author": "Autor", "description": "", "price": "1", "stock": "1"}
    fields[field] = value
    assert seller.add_book(**fields).status_code == 302
    assert count(server, "book") == 1


def test_hostile_book_text_is_escaped_on_every_page(server, seller):
    book = seller.new_book(title=SCRIPT, author=SCRIPT, description=SCRIPT)
    for path in ("/book/catalog", f"/book/{book}", "/book/my_books", f"/book/edit_book/{book}"):
        assert_escaped(seller.get(path).text)
    buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
    purchase = buyer.new_purchase(book)
    for path in (f"/payment/{purchase}", "/purchases"):
        assert_escaped(buyer.get(path).text)


def test_sql_metacharacters_are_stored_verbatim(server, seller):
    book = seller.new_book(title=SQL_BITS, author=SQL_BITS, description=SQL_BITS)
    assert query(server, "SELECT title, author, description FROM book")[0] == (SQL_BITS,) * 3
    assert count(server, "book") == 1
    assert "DROP TABLE" in seller.get(f"/book/{book}").text


# --------------------------------------------------------------- covers ---

@pytest.mark.parametrize("maker,ext", [(png, "png"), (jpeg, "jpg"), (webp, "webp")])
def test_cover_is_recognised_by_content_and_served(server, seller, maker, ext):
    data = maker()
    # The declared name and type are wrong on purpose: only the bytes count.
    book = seller.new_book(cover=("photo.gif", data, "text/plain"))
    name = query(server, "SELECT cover_image FROM book WHERE id = ?", (book,))[0][0]
    assert re.fullmatch(r"[0-9a-f]{32}\." + ext, name)
    assert cover_files(server) == [name]
    assert f'src="/uploads/covers/{name}"' in Browser(server).get("/book/catalog").text
    served = requests.get(f"{server.url}/uploads/covers/{name}", timeout=10)
    assert served.status_code == 200 and served.content == data


@pytest.mark.parametrize("filename", ["../../../etc/evil.png", "..\\..\\evil.png", "a\x00b.png",
                                      "long-" + "x" * 2000 + ".png", "<script>.png", ".htaccess"],
                         ids=["dotdot", "backslashes", "nul", "long", "markup", "htaccess"])
def test_client_file_names_never_reach_the_disk(server, seller, filename):
    book = seller.new_book(cover=(filename, png(), "image/png"))
    name = query(server, "SELECT cover_image FROM book WHERE id = ?", (book,))[0][0]
    assert re.fullmatch(r"[0-9a-f]{32}\.png", name)
    assert cover_files(server) == [name]
    found = [os.path.join(root, f) for root, _, files in os.walk(server.workdir) for f in files
             if "evil" in f or "htaccess" in f or "script" in f or "xxxx" in f]
    assert found == []
    # Nothing but the server-named cover is left in the upload folder.
    uploads = server.env["UPLOAD_DIR"]
    stored = [os.path.relpath(os.path.join(root, f), uploads)
              for root, _, files in os.walk(uploads) for f in files]
    assert [f for f in stored if not f.startswith(".")] == [os.path.join("covers", name)] or \
        all(f == os.path.join("covers", name) or "health" in f for f in stored)


def truncated_png():
    return png()[:-20]


def truncated_jpeg():
    data = jpeg()
    return data[: len(data) // 2]


@pytest.mark.parametrize("payload,declared", [
    (b"just some text, not a picture" * 10, "image/png"),
    (b"<html><script>alert(1)</script></html>" * 5, "image/jpeg"),
    (b"GIF89a" + b"\x00" * 200, "image/gif"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png"),
    (truncated_png(), "image/png"),
    (truncated_jpeg(), "image/jpeg"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"),
])
def test_bad_covers_are_refused_and_nothing_is_stored(server, seller, payload, declared):
    r = seller.add_book(title="Con portada mala", cover=("cover.png", payload, declared))
    assert_layout(r, 400)
    assert "JPEG, PNG o WebP" in r.text
    assert 'value="Con portada mala"' in r.text
    assert count(server, "book") == 0
    assert cover_files(server) == []


@pytest.mark.parametrize("dialect", ["sqlite", "mariadb"])
def test_oversized_cover_is_413_and_nothing_is_stored(request, workdir, dialect):
    server = start_server(request, workdir, dialect, {"MAX_UPLOAD_MB": "1"})
    try:
        seller = Browser(server).signed_up("Ana", "ana@example.com")
        # Just over the limit: the page in the layout says why.
        r = seller.add_book(cover=("big.png", big_png(1024 * 1024 + 50_000), "image/png"))
        assert_layout(r, 413)
        assert "tamaño máximo" in error_message(r.text)
        # Far over the limit: refused before the body is read.
        try:
            r = seller.add_book(cover=("huge.png", big_png(3 * 1024 * 1024), "image/png"))
            assert r.status_code == 413
        except requests.ConnectionError:
            pass  # the server may close the connection while the body is still being sent
        # Exactly at the limit is fine.
        assert seller.add_book(cover=("max.png", big_png(1024 * 1024), "image/png")).status_code == 302
        assert count(server, "book") == 1 and len(cover_files(server)) == 1
    finally:
        server.stop()


# ----------------------------------------------------------- edit book ---

def test_edit_book_is_prefilled_and_saves(server, seller):
    book = seller.new_book(title="Antes", author="Autor", description="Desc", price="5", stock="2")
    form = seller.get(f"/book/edit_book/{book}")
    assert_layout(form, 200)
    for value in ('value="Antes"', 'value="Autor"', ">Desc</textarea>", 'value="5.00"', 'value="2"'):
        assert value in form.text
    r = seller.submit(f"/book/edit_book/{book}", {"title": "Después", "author": "Autor",
                                                  "description": "", "price": "6.10", "stock": "9"},
                      files={"cover": ("", b"", "application/octet-stream")})
    assert r.status_code == 302
    row = query(server, "SELECT title, stock FROM book WHERE id = ?", (book,))[0]
    assert row == ("Después", 9)


def test_new_cover_replaces_the_old_file(server, seller):
    book = seller.new_book(cover=("a.png", png(), "image/png"))
    old = cover_files(server)
    assert len(old) == 1
    r = seller.submit(f"/book/edit_book/{book}", {"title": "T", "author": "A", "description": "",
                                                  "price": "1", "stock": "1"},
                      files={"cover": ("b.jpg", jpeg(), "image/jpeg")})
    assert r.status_code == 302
    new = cover_files(server)
    assert len(new) == 1 and new != old and new[0].endswith(".jpg")
    assert query(server, "SELECT cover_image FROM book WHERE id = ?", (book,))[0][0] == new[0]
    # A bad replacement changes nothing.
    r = seller.submit(f"/book/edit_book/{book}", {"title": "T2", "author": "A", "description": "",
                                                  "price": "1", "stock": "1"},
                      files={"cover": ("c.png", b"not an image" * 20, "image/png")})
    assert r.status_code == 400 and cover_files(server) == new
    assert query(server, "SELECT title FROM book WHERE id = ?", (book,))[0][0] == "T"


def test_edit_book_by_someone_else_is_403_and_changes_nothing(server, seller):
    book = seller.new_book(title="De Sofía")
    intruder = Browser(server).signed_up("Intruso", "intruder@example.com")
    assert_layout(intruder.get(f"/book/edit_book/{book}"), 403)
    token = intruder.csrf("/book/add_book")
    r = intruder.post(f"/book/edit_book/{book}",
                      data={"csrf_token": token, "title": "Robado", "author": "X",
                            "description": "", "price": "0", "stock": "0"},
                      files={"cover": ("x.png", png(), "image/png")})
    assert_layout(r, 403)
    assert query(server, "SELECT title FROM book WHERE id = ?", (book,))[0][0] == "De Sofía"
    assert cover_files(server) == []
    r = intruder.submit(f"/book/delete_book/{book}", page="/book/add_book")
    assert_layout(r, 403)
    assert count(server, "book") == 1


def test_edit_book_anonymous_unknown_and_invalid(server, seller):
    book = seller.new_book(title="Original")
    r = Browser(server).get(f"/book/edit_book/{book}")
    assert r.status_code == 302 and next_of(r) == f"/book/edit_book/{book}"
    assert_layout(seller.get("/book/edit_book/999999"), 404)
    assert_layout(seller.get("/book/edit_book/abc"), 404)
    r = seller.submit(f"/book/edit_book/{book}", {"title": "", "author": "A", "description": "",
                                                  "price": "1", "stock": "1"})
    assert_layout(r, 400)
    assert 'data-field="title"' in r.text
    assert query(server, "SELECT title FROM book WHERE id = ?", (book,))[0][0] == "Original"


def test_edit_without_csrf_is_403(server, seller):
    book = seller.new_book(title="Original")
    for token in (None, "f" * 64):
        data = {"title": "Cambiado", "author": "A", "description": "", "price": "1", "stock": "1"}
        if token:
            data["csrf_token"] = token
        r = seller.post(f"/book/edit_book/{book}", data=data,
                        files={"cover": ("x.png", png(), "image/png")})
        assert_layout(r, 403)
    assert query(server, "SELECT title FROM book WHERE id = ?", (book,))[0][0] == "Original"
    assert cover_files(server) == []


# --------------------------------------------------------- delete book ---

def test_delete_book_without_purchases_removes_row_and_cover(server, seller):
    book = seller.new_book(cover=("a.png", png(), "image/png"))
    r = seller.submit(f"/book/delete_book/{book}", page="/book/my_books")
    assert r.status_code == 302 and location_path(r) == "/book/my_books"
    assert "Libro eliminado" in seller.get("/book/my_books").text
    assert count(server, "book") == 0 and cover_files(server) == []
    assert_layout(seller.get(f"/book/{book}"), 404)


def test_delete_book_with_purchases_archives_it(server, seller):
    book = seller.new_book(title="Con historia", stock="5", cover=("a.png", png(), "image/png"))
    buyer = Browser(server).signed_up("Comprador", "buyer@example.com")
    buyer.new_purchase(book)
    r = seller.submit(f"/book/delete_book/{book}", page="/book/my_books")
    assert r.status_code == 302
    assert "se archivó" in seller.get("/book/my_books").text
    assert query(server, "SELECT archived FROM book WHERE id = ?", (book,))[0][0] in (1, True)
    assert "Con historia" not in Browser(server).get("/book/catalog").text
    detail = Browser(server).get(f"/book/{book}")
    assert_layout(detail, 200)
    assert "ya no está disponible" in detail.text and f'action="/buy/{book}"' not in detail.text
    assert "Con historia" in buyer.get("/purchases").text      # order history keeps it
    assert len(cover_files(server)) == 1
    # Buying it now is a 404.
    assert_layout(buyer.buy(book), 404)
    assert_layout(seller.get(f"/book/edit_book/{book}"), 404)


def test_delete_book_refusals(server, seller):
    book = seller.new_book()
    r = seller.post(f"/book/delete_book/{book}", data={})
    assert_layout(r, 403)
    assert_layout(seller.get(f"/book/delete_book/{book}"), 405)
    assert_layout(seller.submit("/book/delete_book/999999", page="/book/my_books"), 404)
    anonymous = Browser(server)
    r = anonymous.submit(f"/book/delete_book/{book}", page="/book/catalog")
    assert r.status_code == 302 and location_path(r).startswith("/login")
    assert count(server, "book") == 1
