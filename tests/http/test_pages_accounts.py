"""Pages: welcome, registration, login, logout and sessions (BOOKSTORE.md §2, §3.6, §3.7, §3.10)."""
import re

import pytest

from pages_support import (PASSWORD, SCRIPT, SQL_BITS, Browser, assert_escaped,
                                assert_layout, count, error_message, location_path, next_of, query)


def test_welcome_page_links_to_the_main_sections(server):
    r = Browser(server).get("/")
    assert_layout(r, 200)
    for href in ("/book/catalog", "/book/my_books", "/purchases"):
        assert f'href="{href}"' in r.text
    assert '<html lang="es">' in r.text


def test_register_then_login_lands_on_the_catalog(server):
    b = Browser(server)
    r = b.register("Ana Pérez", "Ana@Example.com ")
    assert r.status_code == 302 and location_path(r) == "/login"
    page = b.get("/login")
    assert "Registro exitoso" in page.text          # the flash, shown once
    assert "Registro exitoso" not in b.get("/login").text
    assert count(server, "user", "email = ?", ("ana@example.com",)) == 1
    stored = query(server, "SELECT name, password FROM `user` WHERE email = ?", ("ana@example.com",))[0]
    assert stored[0] == "Ana Pérez" and stored[1].startswith("$argon2id$")
    r = b.login("ANA@example.com")
    assert r.status_code == 302 and location_path(r) == "/book/catalog"
    catalog = b.get("/book/catalog")
    assert 'id="current-user">Ana Pérez<' in catalog.text


@pytest.mark.parametrize("fields,bad_field", [
    ({"name": "", "email": "a@example.com", "password": PASSWORD}, "name"),
    ({"name": "x" * 151, "email": "a@example.com", "password": PASSWORD}, "name"),
    ({"name": "Ana", "email": "not-an-email", "password": PASSWORD}, "email"),
    ({"name": "Ana", "email": "a" * 140 + "@example.com", "password": PASSWORD}, "email"),
    ({"name": "Ana", "email": "a@example.com", "password": "short"}, "password"),
])
def test_register_refuses_invalid_fields_and_keeps_the_input(server, fields, bad_field):
    b = Browser(server)
    r = b.register(**fields)
    assert_layout(r, 400)
    assert f'data-field="{bad_field}"' in r.text
    if bad_field != "email":
        assert f'value="{fields["email"]}"' in r.text       # what was typed comes back
    assert fields["password"] not in re.findall(r'value="([^"]*)"', r.text)  # never the password
    assert count(server, "user") == 0


def test_register_duplicate_email_is_a_message_not_a_500(server):
    b = Browser(server)
    assert b.register("Ana", "dup@example.com").status_code == 302
    r = Browser(server).register("Otra Ana", "DUP@example.com")
    assert_layout(r, 400)
    assert "Ya existe una cuenta" in r.text
    assert 'value="Otra Ana"' in r.text
    assert count(server, "user") == 1


def test_register_escapes_hostile_text_everywhere_it_is_shown(server):
    b = Browser(server)
    # Refused (bad email): both fields are echoed back escaped.
    r = b.register(SCRIPT, SCRIPT + "@x")
    assert r.status_code == 400
    assert_escaped(r.text)
    # Accepted: the name is shown in the navigation bar, escaped.
    assert b.register(SCRIPT, "xss@example.com").status_code == 302
    assert b.login("xss@example.com").status_code == 302
    assert_escaped(b.get("/book/catalog").text)


def test_register_and_login_with_sql_metacharacters(server):
    b = Browser(server)
    assert b.register(SQL_BITS, "o'brien+x@example.com", SQL_BITS).status_code == 302
    assert b.login("o'brien+x@example.com", SQL_BITS).status_code == 302
    assert count(server, "user") == 1 and count(server, "book") == 0
    r = Browser(server).login("' OR '1'='1", "' OR '1'='1")
    assert r.status_code == 200 and "Login failed" in r.text


def test_wrong_password_rerenders_with_login_failed(server):
    b = Browser(server)
    b.register("Ana", "ana@example.com")
    r = b.login("ana@example.com", "wrong password")
    assert_layout(r, 200)
    assert "Login failed" in r.text
    assert 'value="ana@example.com"' in r.text
    assert b.cookie("bookstore_session") is None
    unknown = b.login("nobody@example.com", "whatever-123")
    assert unknown.status_code == 200 and "Login failed" in unknown.text


@pytest.mark.parametrize("email", ["\udcff@example.com".encode("utf-8", "surrogateescape"),
                                   ("x" * 400 + "@example.com").encode()])
def test_login_with_unusable_email_is_just_a_failure(server, email):
    b = Browser(server)
    token = b.csrf("/login")
    r = b.post("/login", data={"email": email, "password": "whatever-123", "csrf_token": token})
    assert r.status_code == 200 and "Login failed" in r.text


def test_login_goes_to_a_local_next(server):
    b = Browser(server)
    b.register("Ana", "ana@example.com")
    r = b.get("/purchases?page=1")
    assert r.status_code == 302 and next_of(r) == "/purchases?page=1"
    form = b.get(location_path(r))
    assert 'name="next" value="/purchases?page=1"' in form.text
    r = b.login("ana@example.com", next_="/purchases?page=1")
    assert r.status_code == 302 and location_path(r) == "/purchases?page=1"


@pytest.mark.parametrize("target", ["//evil.example", "//evil.example/book/catalog",
                                    "http://evil", "https://evil.example/x", "/\\evil.example",
                                    "javascript:alert(1)", "/ok\r\nSet-Cookie: x=1", "evil"])
def test_login_ignores_a_next_that_leaves_the_site(server, target):
    b = Browser(server)
    b.register("Ana", "ana@example.com")
    form = b.get("/login", params={"next": target})
    assert 'name="next" value=""' in form.text
    r = b.login("ana@example.com", next_=target)
    assert r.status_code == 302
    assert r.headers["Location"] in ("/book/catalog", server.url + "/book/catalog")
    assert "Set-Cookie: x" not in r.headers.get("Set-Cookie", "")


def test_sixth_attempt_is_throttled_even_with_the_right_password(server):
    b = Browser(server)
    b.register("Ana", "ana@example.com")
    for _ in range(5):
        r = b.login("ana@example.com", "wrong password")
        assert r.status_code == 200 and "Login failed" in r.text
    r = b.login("ana@example.com", PASSWORD)
    assert_layout(r, 429)
    assert "Demasiados intentos" in error_message(r.text)
    assert b.cookie("bookstore_session") is None
    # Another account from the same address is not locked by these five.
    other = Browser(server)
    other.register("Bea", "bea@example.com")
    assert other.login("bea@example.com").status_code == 302


def test_session_id_changes_at_login(server):
    b = Browser(server)
    b.register("Ana", "ana@example.com")
    # A session id planted before login (fixation) is never adopted.
    planted = "a" * 64
    b.session.cookies.set("bookstore_session", planted, domain="127.0.0.1", path="/")
    assert b.login("ana@example.com").status_code == 302
    first = b.cookie("bookstore_session")
    assert first and first != planted
    # Logging in again replaces the session, and the old id stops working.
    assert b.login("ana@example.com").status_code == 302
    second = b.cookie("bookstore_session")
    assert second and second != first
    stale = Browser(server)
    stale.session.cookies.set("bookstore_session", first, domain="127.0.0.1", path="/")
    assert stale.get("/book/my_books").status_code == 302
    assert count(server, "web_session") == 1


def test_post_logout_deletes_the_session(server):
    b = Browser(server).signed_up("Ana", "ana@example.com")
    old = b.cookie("bookstore_session")
    assert count(server, "web_session") == 1
    r = b.submit("/logout", page="/book/catalog")
    assert r.status_code == 302 and location_path(r) == "/login"
    assert count(server, "web_session") == 0
    replay = Browser(server)
    replay.session.cookies.set("bookstore_session", old, domain="127.0.0.1", path="/")
    r = replay.get("/book/my_books")
    assert r.status_code == 302 and next_of(r) == "/book/my_books"


def test_get_logout_works_like_the_original(server):
    b = Browser(server).signed_up("Ana", "ana@example.com")
    old = b.cookie("bookstore_session")
    r = b.get("/logout")
    assert r.status_code == 302 and location_path(r) == "/login"
    assert count(server, "web_session") == 0
    replay = Browser(server)
    replay.session.cookies.set("bookstore_session", old, domain="127.0.0.1", path="/")
    assert replay.get("/book/my_books").status_code == 302
    # Anonymous: nothing to end, still back to the login page.
    r = Browser(server).get("/logout")
    assert r.status_code == 302 and location_path(r) == "/login"


def test_post_logout_without_csrf_is_refused_and_keeps_the_session(server):
    b = Browser(server).signed_up("Ana", "ana@example.com")
    for data in ({}, {"csrf_token": "0" * 64}):
        r = b.post("/logout", data=data)
        assert_layout(r, 403)
    assert count(server, "web_session") == 1
    assert b.get("/book/my_books").status_code == 200
