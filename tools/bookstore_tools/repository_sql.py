"""The server's SQL statements, read from where the server keeps them.

Each repository (src/db/repositories/<name>_repository.cc) declares its
statements as named constants at the top, in a `namespace sql { ... }` block:

    namespace sql {
    #define BOOK_SELECT "SELECT b.id, ... "
    constexpr auto kFind = BOOK_SELECT "WHERE b.id = ?";
    constexpr auto kInsert =
        "INSERT INTO book (title, ...) "
        "VALUES (?, ?, ...)";
    }  // namespace sql

`statement("book", "kInsert")` returns the text the compiler makes of it:
adjacent string literals concatenated, `#define`d string prefixes expanded, C
escapes decoded. `bind(sql, params)` fills its `?` placeholders with SQL
literals, for tools that hand a statement to the `mariadb` command-line client.
"""
import decimal
import functools
import math
import pathlib
import re

from . import REPO_ROOT

REPOSITORIES_DIR = REPO_ROOT / "src" / "db" / "repositories"


class SqlSourceError(ValueError):
    pass


# ------------------------------------------------------------- C++ text ---

_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                   "\\": "\\", "'": "'", '"': '"', "?": "?"}
_TOKEN = re.compile(r"""
      (?P<space>\s+)
    | (?P<comment>//[^\n]*|/\*.*?\*/)
    | (?P<raw>(?:u8|[uUL])?R"(?P<delim>[^()\\\s]{0,16})\((?P<rawbody>.*?)\)(?P=delim)")
    | (?P<string>(?:u8|[uUL])?"(?P<body>(?:[^"\\\n]|\\.)*)")
    | (?P<char>'(?:[^'\\\n]|\\.)+')
    | (?P<ident>[A-Za-z_]\w*)
    | (?P<number>\.?\d(?:[\w.']|[eEpP][+-])*)
    | (?P<punct>::|.)
""", re.S | re.X)


def decode_escapes(body):
    """The characters a C++ string literal's body stands for."""
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise SqlSourceError("string literal ends in a lone backslash")
        e = body[i + 1]
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i + 1:])
            out.append(chr(int(m.group(0), 8)))
            i += 1 + len(m.group(0))
        elif e == "x":
            m = re.match(r"[0-9A-Fa-f]+", body[i + 2:])
            if not m:
                raise SqlSourceError("\\x without hex digits")
            out.append(chr(int(m.group(0), 16)))
            i += 2 + len(m.group(0))
        elif e in "uU":
            n = 4 if e == "u" else 8
            digits = body[i + 2:i + 2 + n]
            if not re.fullmatch(r"[0-9A-Fa-f]{%d}" % n, digits):
                raise SqlSourceError(f"\\{e} wants {n} hex digits")
            out.append(chr(int(digits, 16)))
            i += 2 + n
        else:
            raise SqlSourceError(f"unknown escape \\{e}")
    return "".join(out)


def _tokens(text):
    """(kind, value) of C++ tokens, comments and white space dropped; string
    literals as ("str", decoded text)."""
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        pos = m.end()
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "raw":
            yield "str", m.group("rawbody")
        elif m.group("string") is not None:
            yield "str", decode_escapes(m.group("body"))
        elif kind in ("ident", "number", "char"):
            yield kind, m.group(0)
        else:
            yield "punct", m.group(0)


def _split_directives(text):
    """The text with line continuations spliced, cut into code and
    preprocessor-directive pieces: [("code" | "directive", text)]."""
    text = text.replace("\\\r\n", "").replace("\\\n", "")
    pieces, code = [], []
    in_block_comment = False
    for line in text.split("\n"):
        stripped = line.lstrip()
        if not in_block_comment and stripped.startswith("#"):
            if code:
                pieces.append(("code", "\n".join(code)))
                code = []
            pieces.append(("directive", stripped[1:].strip()))
            continue
        code.append(line)
        # Good enough for "is a /* comment still open at the end of the line".
        scan = re.sub(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*', "", line)
        for opener_or_closer in re.findall(r"/\*|\*/", scan):
            in_block_comment = opener_or_closer == "/*"
    if code:
        pieces.append(("code", "\n".join(code)))
    return pieces


def _concatenate(tokens, macros, where):
    """The string of a run of literals and string macros."""
    parts = []
    for kind, value in tokens:
        if kind == "str":
            parts.append(value)
        elif kind == "ident" and value in macros:
            parts.append(macros[value])
        else:
            raise SqlSourceError(f"{where}: {value!r} is neither a string literal nor a "
                                 "string macro defined above")
    if not parts:
        raise SqlSourceError(f"{where}: no string")
    return "".join(parts)


def parse_constants(text, namespace="sql"):
    """{name: SQL text} of the string constants declared in every
    `namespace <namespace> { ... }` block of a C++ source text."""
    macros = {}
    found = {}
    depth = 0            # braces open
    sql_depths = []      # the depths at which a `namespace sql {` opened
    pending = []         # tokens of the current declaration inside the namespace
    prev = []            # the last few tokens (to see `namespace sql {`)
    for piece_kind, piece in _split_directives(text):
        if piece_kind == "directive":
            m = re.match(r"(define|undef)\s+([A-Za-z_]\w*)(.*)", piece, re.S)
            if m and m.group(1) == "undef":
                macros.pop(m.group(2), None)
            elif m and "(" not in m.group(3)[:1]:
                body = list(_tokens(m.group(3)))
                if body and all(k == "str" or (k == "ident" and v in macros) for k, v in body):
                    macros[m.group(2)] = _concatenate(body, macros, f"#define {m.group(2)}")
            continue
        for kind, value in _tokens(piece):
            inside = bool(sql_depths)
            if kind == "punct" and value == "{":
                depth += 1
                if [v for _, v in prev[-2:]] == ["namespace", namespace]:
                    sql_depths.append(depth)
                pending = []
            elif kind == "punct" and value == "}":
                if sql_depths and sql_depths[-1] == depth:
                    sql_depths.pop()
                depth -= 1
                pending = []
            elif inside and kind == "punct" and value == ";":
                _declaration(pending, macros, found)
                pending = []
            elif inside:
                pending.append((kind, value))
            prev = (prev + [(kind, value)])[-3:]
    return found


def _declaration(tokens, macros, found):
    """Records `constexpr <type> kName [ [] ] = <literals>` (others are ignored)."""
    values = [v for _, v in tokens]
    if "constexpr" not in values or "=" not in values:
        return
    eq = values.index("=")
    names = [v for k, v in tokens[:eq] if k == "ident" and v not in ("constexpr", "static", "inline")]
    if not names:
        return
    name = names[-1]
    rhs = tokens[eq + 1:]
    if not rhs or not all(k == "str" or (k == "ident" and v in macros) for k, v in rhs):
        return  # not a string constant (a number, a function call, ...)
    if name in found:
        raise SqlSourceError(f"{name} is declared twice")
    found[name] = _concatenate(rhs, macros, name)


def load(path, name):
    """The SQL text of constant `name` in the C++ file `path`."""
    path = pathlib.Path(path)
    constants = parse_constants(path.read_text(encoding="utf-8"))
    if name not in constants:
        raise SqlSourceError(f"{name} is not a string constant of namespace sql in {path} "
                             f"(it has: {', '.join(sorted(constants)) or 'none'})")
    return constants[name]


def repository_file(repository, root=None):
    base = pathlib.Path(root) / "src" / "db" / "repositories" if root else REPOSITORIES_DIR
    return base / f"{repository}_repository.cc"


def statement(repository, name, root=None):
    """The statement `name` of src/db/repositories/<repository>_repository.cc."""
    return load(repository_file(repository, root), name)


# ------------------------------------------------------------- binding ---

class Raw(str):
    """An SQL expression given as a parameter, put in as it is (LAST_INSERT_ID())."""


def sql_literal(value, backslash_escapes=True):
    """A Python value as an SQL literal: numbers as numbers, text quoted.

    `backslash_escapes`: MariaDB/MySQL (unless NO_BACKSLASH_ESCAPES) read a
    backslash in a string as an escape, so it is doubled; SQLite does not."""
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value} has no SQL literal")
        return repr(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} has no SQL literal")
        return format(value, "f")
    if isinstance(value, str):
        if "\0" in value:
            raise ValueError("a NUL character in an SQL string")
        text = value.replace("\\", "\\\\") if backslash_escapes else value
        return "'" + text.replace("'", "''") + "'"
    raise TypeError(f"no SQL literal for {type(value).__name__}")


# A `?` outside quotes: quoted strings and identifiers are matched first and kept.
_PLACEHOLDER = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`[^`]*`|(\?)""", re.S)


@functools.lru_cache(maxsize=256)
def _pieces(sql):
    """`sql` cut at its placeholders: the texts between them (one more than there are `?`)."""
    pieces, start = [], 0
    for m in _PLACEHOLDER.finditer(sql):
        if m.group(1) is not None:
            pieces.append(sql[start:m.start()])
            start = m.end()
    pieces.append(sql[start:])
    return tuple(pieces)


def placeholder_count(sql):
    return len(_pieces(sql)) - 1


def bind(sql, params, backslash_escapes=True):
    """`sql` with each `?` placeholder (outside quotes) replaced by the literal
    of the next parameter; the number of parameters must match."""
    pieces = _pieces(sql)
    params = list(params)
    if len(params) != len(pieces) - 1:
        raise ValueError(f"{len(params)} parameters for {len(pieces) - 1} placeholders in: {sql}")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:]):
        out.append(sql_literal(value, backslash_escapes))
        out.append(piece)
    return "".join(out)


def _split_top_level(text):
    """Comma-separated items of `text`, commas inside parentheses or quotes kept."""
    items, depth, current, quote = [], 0, [], None
    for c in text:
        if quote:
            quote = None if c == quote else quote
        elif c in "'\"`":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            items.append("".join(current).strip())
            current = []
            continue
        current.append(c)
    items.append("".join(current).strip())
    return items


_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\S+\s*\((?P<columns>[^)]*)\)\s*VALUES\s*\((?P<values>.*)\)\s*;?\s*$",
                     re.I | re.S)


def insert_columns(sql):
    """[(column, value expression)] of `INSERT INTO t (columns) VALUES (values)`."""
    return list(_insert_columns(sql))


@functools.lru_cache(maxsize=64)
def _insert_columns(sql):
    # Cached: the bench's seeds fill the same INSERT a million times.
    m = _INSERT.match(sql)
    if not m:
        raise ValueError(f"not a single-row INSERT with a column list: {sql}")
    columns = [c.strip("` ") for c in _split_top_level(m.group("columns"))]
    values = _split_top_level(m.group("values"))
    if len(columns) != len(values):
        raise ValueError(f"{len(columns)} columns for {len(values)} values in: {sql}")
    return tuple(zip(columns, values))


@functools.lru_cache(maxsize=64)
def _placeholders_of(sql):
    """The placeholder columns of an INSERT, in order (each value a plain ?)."""
    out = []
    for column, expression in _insert_columns(sql):
        n = placeholder_count(expression)
        if n == 0:
            continue
        if expression.strip() != "?":
            raise ValueError(f"column {column}: only a plain ? can be filled by name ({expression})")
        out.append(column)
    if len(out) != placeholder_count(sql):
        raise ValueError(f"placeholders outside the VALUES list in: {sql}")
    return tuple(out)


def insert_params(sql, values):
    """The parameters of an INSERT's placeholders, taken from `values` by column
    name (so a column the server adds or drops needs no change here; a
    placeholder column missing from `values` is an error)."""
    params = []
    for column in _placeholders_of(sql):
        if column not in values:
            raise KeyError(f"no value for column {column} of: {sql}")
        params.append(values[column])
    return params


def bind_insert(sql, values, backslash_escapes=True):
    """An INSERT with its placeholders filled by column name (see insert_params)."""
    return bind(sql, insert_params(sql, values), backslash_escapes)
