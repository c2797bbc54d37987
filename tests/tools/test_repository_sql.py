"""The loader of the server's SQL constants (tools/bookstore_tools/repository_sql.py)
on a small C++ fixture and on the real repositories, and the binding of
placeholders for the `mariadb` client."""
import decimal
import os
import pathlib
import sqlite3

import pytest

from bookstore_tools import repository_sql as rs
from bookstore_tools.bench import statements as bench_statements

SOURCE_DIR = pathlib.Path(os.environ.get("BOOKSTORE_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2])

FIXTURE = r'''#include "db/repositories/thing_repository.h"

namespace bookstore::db {
constexpr auto kOutside = "SELECT 'not in namespace sql'";
namespace sql {
// A comment with "quotes" and a ; that is not code.
constexpr auto kSimple = "SELECT 1";
constexpr auto kSplit =
    "INSERT INTO thing (a, b) "  /* adjacent literals */
    "VALUES (?, ?)";
#define THING_SELECT                                   \
  "SELECT t.id, t.name "                               \
  "FROM thing t "
constexpr auto kWithMacro = THING_SELECT "WHERE t.id = ?";
#undef THING_SELECT
constexpr auto kEscapes = "SELECT 'it\'s', \"q\", '\\', '\x41\101', '\u00e9', 'a\tb'";
constexpr auto kRaw = R"sql(SELECT "raw" FROM t WHERE a = '\n';)sql";
constexpr std::string_view kView = "SELECT 2";
constexpr char kArray[] = u8"SELECT 3";
constexpr int kLimit = 20;
constexpr auto kSemicolon = "SELECT ';' FROM t";
}  // namespace sql

namespace {
constexpr auto kHelper = "SELECT 'not sql either'";
}  // namespace
}  // namespace bookstore::db
'''


@pytest.fixture
def constants():
    return rs.parse_constants(FIXTURE)


def test_fixture_constants(constants):
    assert constants["kSimple"] == "SELECT 1"
    assert constants["kSplit"] == "INSERT INTO thing (a, b) VALUES (?, ?)"
    assert constants["kWithMacro"] == "SELECT t.id, t.name FROM thing t WHERE t.id = ?"
    assert constants["kEscapes"] == "SELECT 'it's', \"q\", '\\', 'AA', 'é', 'a\tb'"
    assert constants["kRaw"] == "SELECT \"raw\" FROM t WHERE a = '\\n';"
    assert constants["kView"] == "SELECT 2"
    assert constants["kArray"] == "SELECT 3"
    assert constants["kSemicolon"] == "SELECT ';' FROM t"


def test_only_string_constants_of_namespace_sql(constants):
    assert "kLimit" not in constants          # not a string
    assert "kOutside" not in constants and "kHelper" not in constants
    assert sorted(constants) == ["kArray", "kEscapes", "kRaw", "kSemicolon", "kSimple", "kSplit",
                                 "kView", "kWithMacro"]


def test_a_constant_with_an_unknown_macro_is_not_found(tmp_path):
    text = 'namespace sql {\nconstexpr auto kA = MISSING "WHERE x = ?";\n}\n'
    assert rs.parse_constants(text) == {}
    # A macro is known only between its #define and its #undef.
    text = 'namespace sql {\n#define P "SELECT "\n#undef P\nconstexpr auto kA = P "1";\n}\n'
    assert rs.parse_constants(text) == {}
    path = tmp_path / "x_repository.cc"
    path.write_text(text)
    with pytest.raises(rs.SqlSourceError, match="kA is not a string constant"):
        rs.load(path, "kA")


def test_a_constant_declared_twice_is_an_error():
    with pytest.raises(rs.SqlSourceError, match="kA is declared twice"):
        rs.parse_constants('namespace sql {\nconstexpr auto kA = "x";\nconstexpr auto kA = "y";\n}\n')


def test_load_names_the_file_and_what_it_has(tmp_path):
    path = tmp_path / "thing_repository.cc"
    path.write_text(FIXTURE)
    assert rs.load(path, "kSplit") == "INSERT INTO thing (a, b) VALUES (?, ?)"
    with pytest.raises(rs.SqlSourceError) as e:
        rs.load(path, "kMissing")
    assert str(path) in str(e.value) and "kSimple" in str(e.value)


def test_escape_decoding():
    assert rs.decode_escapes(r"a\nb\\c\"d\x7e\0\77") == 'a\nb\\c"d~\0?'
    with pytest.raises(rs.SqlSourceError):
        rs.decode_escapes(r"\q")


# ----------------------------------------------------------------- the real source ---

@pytest.mark.parametrize("repository, name", bench_statements.USED)
def test_every_statement_bench_uses_is_in_the_server_source(repository, name):
    sql = rs.statement(repository, name, root=SOURCE_DIR)
    assert sql.split()[0] in ("SELECT", "INSERT", "UPDATE"), sql
    assert "?" in sql


def test_the_real_statements_are_those_the_bench_expects():
    take = rs.statement("purchase", "kTakeStock", root=SOURCE_DIR)
    assert take.startswith("UPDATE book SET stock = stock - ?") and rs.placeholder_count(take) == 3
    # status, id, user, expected status, the expiry cutoff (rule 13)
    assert rs.placeholder_count(rs.statement("purchase", "kMarkPaid", root=SOURCE_DIR)) == 5
    assert rs.placeholder_count(rs.statement("purchase", "kPaidPurchase", root=SOURCE_DIR)) == 2
    # The macro-built ones load too.
    assert rs.statement("purchase", "kFindForBuyer", root=SOURCE_DIR).endswith("WHERE p.id = ? AND p.user_id = ?")
    assert rs.statement("book", "kFind", root=SOURCE_DIR).startswith("SELECT b.id, b.title")


def test_the_bench_purchase_pair_binds_every_placeholder():
    script = bench_statements.purchase_pair_sql(7, 42, 1700000000)
    lines = script.splitlines()
    assert lines[0] == "BEGIN;" and lines[6] == "COMMIT;" and lines[-1] == "COMMIT;"
    assert len(lines) == 12
    assert "?" not in script.replace("'?'", "")
    assert "WHERE id = 42" in lines[1] and "'Pending Payment'" in lines[3] and "12.50" in lines[3]
    # The purchase's id is kept before the change-log row takes LAST_INSERT_ID().
    assert lines[4] == "SET @purchase_id = LAST_INSERT_ID();"
    assert lines[5] == ("INSERT INTO catalog_change (book_id, listing, created_at) "
                        "VALUES (42, 0, 1700000000);")
    assert "@purchase_id" in lines[8] and "'Paid'" in lines[8]
    assert "@purchase_id" in lines[9] and "@purchase_id" in lines[10]


def test_the_bench_seed_inserts_run_on_sqlite():
    """The server's user and book INSERTs, with the bench's values, on a table
    with the columns they name (sqlite3 in memory, no server)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE user (id INTEGER PRIMARY KEY, name, email, password, is_admin, created_at)")
    db.execute("CREATE TABLE book (id INTEGER PRIMARY KEY, title, author, description, price, stock, "
               "seller_id, cover_image, archived, created_at, cover_bytes)")
    seller = db.execute(*bench_statements.user_insert("Vendedor", "v@x", "!", 5)).lastrowid
    book = {"title": "T", "author": "A", "description": "D", "price": 9.5, "stock": 3}
    db.execute(*bench_statements.book_insert(book, seller, 6))
    assert db.execute("SELECT name, email, is_admin, created_at FROM user").fetchall() == [("Vendedor", "v@x", 0, 5)]
    assert db.execute("SELECT title, price, stock, seller_id, archived, created_at FROM book").fetchall() == \
        [("T", 9.5, 3, seller, 0, 6)]


# ----------------------------------------------------------------------- binding ---

def test_sql_literals():
    assert rs.sql_literal(None) == "NULL"
    assert rs.sql_literal(True) == "1"
    assert rs.sql_literal(-12) == "-12"
    assert rs.sql_literal(12.5) == "12.5"
    assert rs.sql_literal(decimal.Decimal("12.50")) == "12.50"
    assert rs.sql_literal("O'Brien \\ x") == "'O''Brien \\\\ x'"
    assert rs.sql_literal("O'Brien \\ x", backslash_escapes=False) == "'O''Brien \\ x'"
    assert rs.sql_literal(rs.Raw("LAST_INSERT_ID()")) == "LAST_INSERT_ID()"
    for bad in (float("nan"), decimal.Decimal("Infinity"), "a\0b"):
        with pytest.raises(ValueError):
            rs.sql_literal(bad)
    with pytest.raises(TypeError):
        rs.sql_literal(b"bytes")


def test_bind_fills_placeholders_outside_quotes_only():
    sql = "SELECT '?', `a?`, \"b?\" FROM t WHERE x = ? AND y = 'it''s ?' AND z = ?"
    assert rs.placeholder_count(sql) == 2
    assert rs.bind(sql, [1, "'; DROP TABLE t; --"]) == (
        "SELECT '?', `a?`, \"b?\" FROM t WHERE x = 1 AND y = 'it''s ?' AND z = '''; DROP TABLE t; --'")
    with pytest.raises(ValueError, match="1 parameters for 2 placeholders"):
        rs.bind(sql, [1])
    with pytest.raises(ValueError):
        rs.bind(sql, [1, 2, 3])


def test_insert_params_by_column_name():
    sql = "INSERT INTO `t` (a, `b`, c, d) VALUES (?, 0, COALESCE(NULL, 1), ?)"
    assert rs.insert_columns(sql) == [("a", "?"), ("b", "0"), ("c", "COALESCE(NULL, 1)"), ("d", "?")]
    assert rs.insert_params(sql, {"d": "D", "a": "A", "unused": 1}) == ["A", "D"]
    assert rs.bind_insert(sql, {"a": 1, "d": None}) == \
        "INSERT INTO `t` (a, `b`, c, d) VALUES (1, 0, COALESCE(NULL, 1), NULL)"
    with pytest.raises(KeyError, match="no value for column d"):
        rs.insert_params(sql, {"a": 1})
    with pytest.raises(ValueError, match="not a single-row INSERT"):
        rs.insert_columns("UPDATE t SET a = ?")
