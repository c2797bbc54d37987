"""The server's own statements that the bench runs itself, read from where the
server keeps them (src/db/repositories/*_repository.cc, namespace sql): the
purchase path's two transactions for MariaDB's client (the write ceiling), and
the rows of the large catalogs (SQLite and MariaDB)."""
import decimal
import time
import functools

from .. import repository_sql
from ..repository_sql import Raw, bind, bind_insert, insert_params

# (repository, constant): every statement the bench takes from the server.
PURCHASE_PATH = (("purchase", "kTakeStock"), ("purchase", "kBookPriceTitle"),
                 ("purchase", "kInsertPurchase"), ("book", "kRecordChange"), ("purchase", "kMarkPaid"),
                 ("purchase", "kPaidPurchase"), ("purchase", "kInsertPayment"))
SEED = (("user", "kInsert"), ("book", "kInsert"))
USED = PURCHASE_PATH + SEED

# The values of the purchase path as the server writes them (domain/purchase_state).
PENDING_PAYMENT = "Pending Payment"
PAID = "Paid"
PAYMENT_METHOD = "Credit Card"
PAYMENT_COMPLETED = "Completed"
PAIR_TOTAL = decimal.Decimal("12.50")
# In the ceiling's script the new purchase's id is MariaDB's, as in the server,
# kept in a session variable right after its INSERT (the change-log INSERT that
# follows sets LAST_INSERT_ID() to its own id; the server reads the purchase's
# id from the INSERT's answer instead).
LAST_ID = Raw("@purchase_id")
KEEP_PURCHASE_ID = "SET @purchase_id = LAST_INSERT_ID()"


@functools.lru_cache(maxsize=None)
def statement(repository, name):
    return repository_sql.statement(repository, name)


# The server's default PENDING_PAYMENT_TIMEOUT_SECONDS.
PENDING_TIMEOUT_SECONDS = 1800


def purchase_pair_sql(user_id, book_id, now):
    """The purchase path's two transactions, as the server runs them (the
    repository's buy() and pay()): the conditional stock decrement, price and
    title, purchase row, catalog change-log row; then the status change, the paid purchase's fields,
    the payment row. One copy of one book."""
    s = {name: statement(repo, name) for repo, name in PURCHASE_PATH}
    quantity = 1
    statements = [
        "BEGIN",
        bind(s["kTakeStock"], [quantity, book_id, quantity]),
        bind(s["kBookPriceTitle"], [book_id]),
        bind_insert(s["kInsertPurchase"], {
            "user_id": user_id, "book_id": book_id, "quantity": quantity,
            "total_price": PAIR_TOTAL, "status": PENDING_PAYMENT, "created_at": now}),
        KEEP_PURCHASE_ID,
        # The catalog's change log: the book's stock changed (listing = 0).
        bind_insert(s["kRecordChange"], {"book_id": book_id, "listing": 0, "created_at": now}),
        "COMMIT",
        "BEGIN",
        # The last parameter is the expiry cutoff (now - PENDING_PAYMENT_TIMEOUT_SECONDS).
        bind(s["kMarkPaid"], [PAID, LAST_ID, user_id, PENDING_PAYMENT, now - PENDING_TIMEOUT_SECONDS]),
        bind(s["kPaidPurchase"], [LAST_ID, user_id]),
        bind_insert(s["kInsertPayment"], {
            "purchase_id": LAST_ID, "amount": PAIR_TOTAL, "payment_method": PAYMENT_METHOD,
            "payment_status": PAYMENT_COMPLETED, "created_at": now}),
        "COMMIT",
    ]
    return "".join(f"{sql};\n" for sql in statements)


def user_insert(name, email, password_hash, now):
    """(SQL with ? placeholders, parameters) of a new user, for sqlite3."""
    sql = statement("user", "kInsert")
    return sql, insert_params(sql, {"name": name, "email": email, "password": password_hash,
                                    "is_admin": 0, "created_at": now})


def book_insert(book, seller_id, now):
    """(SQL with ? placeholders, parameters) of a new book (no cover), for sqlite3."""
    sql = statement("book", "kInsert")
    return sql, insert_params(sql, dict(book, seller_id=seller_id, cover_image=None, cover_bytes=0,
                                        archived=0, created_at=now))


def book_insert_literal(book, seller_id, now):
    """The same INSERT with its values as SQL literals, for MariaDB's client."""
    sql, params = book_insert(book, seller_id, now)
    return bind(sql, params)


def catalog_changed_sql():
    """A row of the catalog's change log saying the listing changed (book 0:
    none in particular), for a seed written behind the servers' back."""
    sql = statement("book", "kRecordChange")
    return bind_insert(sql, {"book_id": 0, "listing": 1, "created_at": int(time.time())})


def check_all():
    """Loads and binds every statement once, so that a statement the server
    renamed or changed fails the run at its start (raises ValueError or OSError)."""
    for repository, name in USED:
        statement(repository, name)
    purchase_pair_sql(1, 1, 0)
    user_insert("n", "e", "!", 0)
    catalog_changed_sql()
    book_insert({"title": "t", "author": "a", "description": "d", "price": 1.0, "stock": 1}, 1, 0)
