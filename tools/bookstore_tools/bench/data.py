"""The data of a run: users and books through the API, or straight into SQLite."""
import json
import random
import sqlite3
import time

from . import PASSWORD, BenchError
from ..httpcall import request_json
from .statements import book_insert, book_insert_literal, user_insert


def api(port, method, path, body=None, token=None, expect=(200, 201)):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    status, _, data = request_json(port, method, path, body, headers)
    if status not in expect:
        raise BenchError(f"{method} {path} answered {status}: {data[:300]!r}")
    return json.loads(data) if data else None


WORDS_TITLE = ["sombra", "viento", "jardín", "ciudad", "memoria", "noche", "río", "invierno",
               "silencio", "camino", "espejo", "fuego", "luz", "tiempo", "casa", "puerto",
               "montaña", "desierto", "isla", "biblioteca", "reloj", "carta", "mapa", "puente"]
WORDS_ADJ = ["perdida", "secreto", "azul", "último", "eterno", "lejano", "dorado", "oculto",
             "antiguo", "breve", "quieto", "nuevo"]
AUTHORS = ["Ana Ruiz", "Carlos Fuentes Ortega", "Lucía Martín", "Jorge Salas", "María Gómez",
           "Pedro Alonso", "Elena Castillo", "Tomás Vidal", "Isabel Navarro", "Diego Herrera"]
LOREM = ("Una novela sobre la memoria y el paso del tiempo, contada por tres generaciones de una "
         "familia que vuelve cada verano a la misma casa junto al mar. Entre cartas, mapas y "
         "silencios, la historia reconstruye lo que nadie quiso decir en voz alta. ")


def book_data(rng, i, marker=None):
    title = f"El {rng.choice(WORDS_TITLE)} {rng.choice(WORDS_ADJ)}"
    if marker:
        title = f"{title} de {marker}"
    title = f"{title} ({i})"
    return {
        "title": title[:150],
        "author": rng.choice(AUTHORS),
        "description": LOREM * rng.randint(1, 3),
        "price": round(rng.uniform(5, 60), 2),
        "stock": rng.randint(5, 200),
    }


def seed_users(port, count, prefix):
    """Registers `count` users through the API; returns [(id, token)]."""
    out = []
    for i in range(count):
        email = f"{prefix}{i}@bench.bookstore"
        user = api(port, "POST", "/api/v1/users",
                   {"name": f"{prefix.capitalize()} {i}", "email": email, "password": PASSWORD})
        tok = api(port, "POST", "/api/v1/tokens", {"email": email, "password": PASSWORD})
        out.append((user["id"], tok["token"]))
    return out


def seed_catalog_api(port, token, count, rng, marker_every=0, marker="historia", stock=None):
    ids = []
    for i in range(count):
        book = book_data(rng, i + 1, marker if marker_every and i % marker_every == 0 else None)
        if stock is not None:
            book["stock"] = stock
        ids.append(api(port, "POST", "/api/v1/books", book, token)["id"])
    return ids


def bulk_books(count, marker, marker_every, seed=10000):
    """`count` books for a direct-SQL seed, lazily: a short description (the
    catalog never shows it; it only makes the file bigger and the seed slower).
    Book i (from 0) carries `marker` in its title when i % marker_every == 0."""
    rng = random.Random(seed)
    for i in range(count):
        book = book_data(rng, i + 1, marker if i % marker_every == 0 else None)
        book["description"] = LOREM[:120]
        yield book


def seed_big_sqlite(path, count, marker, marker_every):
    """The server's own INSERTs into a migrated SQLite database, in one
    transaction: one seller and `count` books (the server's triggers, such as
    the search index's, run as for any other write)."""
    now = int(time.time())
    db = sqlite3.connect(path)
    try:
        seller = db.execute(*user_insert("Vendedor masivo", "bulk@bench.bookstore", "!", now)).lastrowid
        sql = book_insert({"title": "", "author": "", "description": "", "price": 1, "stock": 1},
                          seller, now)[0]
        db.executemany(sql, (book_insert(b, seller, now)[1]
                             for b in bulk_books(count, marker, marker_every)))
        db.commit()  # no ANALYZE: the server never runs it, so plans are as in production
    finally:
        db.close()


def book_inserts(books, seller_id, now, rows_per_insert=1000):
    """The server's book INSERT (`kInsert`) of `books` as multi-row statements
    with SQL literals, `rows_per_insert` books each: texts of SQL."""
    head, values = None, []
    for book in books:
        prefix, _, tuple_text = book_insert_literal(book, seller_id, now).partition(" VALUES ")
        head = head or prefix
        values.append(tuple_text)
        if len(values) == rows_per_insert:
            yield f"{head} VALUES {','.join(values)}"
            values = []
    if values:
        yield f"{head} VALUES {','.join(values)}"


def bulk_books_sql(count, seller_id, marker, marker_every, rows_per_insert=1000):
    """bulk_books as book_inserts in one transaction, for MariaDB's
    command-line client: a text of SQL."""
    inserts = book_inserts(bulk_books(count, marker, marker_every), seller_id, int(time.time()),
                           rows_per_insert)
    return "START TRANSACTION;\n" + "".join(f"{sql};\n" for sql in inserts) + "COMMIT;\n"
