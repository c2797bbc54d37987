"""Pages: administration of users and delivery providers (BOOKSTORE.md §2, §3.6)."""
import re

import pytest

from pages_support import (SCRIPT, SQL_BITS, Browser, assert_escaped, assert_layout, count,
                                error_message, location_path, make_admin, next_of, provider_ids,  # noqa: F401
                                query)


@pytest.fixture
def admin(server):
    b = Browser(server)
    assert b.register("Administradora", "admin@example.com").status_code == 302
    make_admin(server, "admin@example.com")
    assert b.login("admin@example.com").status_code == 302
    return b


@pytest.fixture
def member(server):
    return Browser(server).signed_up("Socio", "member@example.com")


def provider_row(server, provider_id):
    rows = query(server, "SELECT name, coverage_area, cost FROM delivery_provider WHERE id = ?",
                 (provider_id,))
    return tuple(rows[0]) if rows else None


def money(value):
    return f"{float(value):.2f}"


# --------------------------------------------------------------- users ---

def test_admin_sees_the_user_table(server, admin, member):
    r = admin.get("/admin/users")
    assert_layout(r, 200)
    rows = re.findall(r'<tr class="user-row"><td>(\d+)</td><td class="user-name">(.*?)</td>'
                      r'<td class="user-email">(.*?)</td><td class="user-admin">(.*?)</td>', r.text)
    assert [(name, email, flag) for _, name, email, flag in rows] == [
        ("Administradora", "admin@example.com", "Sí"), ("Socio", "member@example.com", "No")]
    assert 'href="/admin/users"' in r.text and 'href="/admin/providers"' in r.text  # admin nav


def test_user_table_escapes_names(server, admin):
    Browser(server).register(SCRIPT, "xss@example.com")
    assert_escaped(admin.get("/admin/users").text)


def test_users_page_is_for_admins_only(server, member):
    r = Browser(server).get("/admin/users")
    assert r.status_code == 302 and next_of(r) == "/admin/users"
    r = member.get("/admin/users")
    assert_layout(r, 403)
    assert "member@example.com" not in r.text
    assert 'href="/admin/users"' not in member.get("/book/catalog").text


# ----------------------------------------------------------- providers ---

def test_admin_sees_the_seeded_providers(server, admin):
    r = admin.get("/admin/providers")
    assert_layout(r, 200)
    for name, area, cost in (("DHL", "Internacional", "50.00"), ("FedEx", "Internacional", "45.00"),
                             ("Envia", "Nacional", "20.00"), ("Servientrega", "Nacional", "15.00")):
        assert f'value="{name}"' in r.text and f'value="{area}"' in r.text
        assert f'value="{cost}"' in r.text


def test_add_edit_delete_a_provider(server, admin):
    r = admin.submit("/admin/providers/add", {"name": "  Correo  ", "coverage_area": "Local",
                                              "cost": "7,5"}, page="/admin/providers")
    assert r.status_code == 302 and location_path(r) == "/admin/providers"
    assert "Proveedor guardado" in admin.get("/admin/providers").text
    new_id = query(server, "SELECT id FROM delivery_provider WHERE name = ?", ("Correo",))[0][0]
    row = provider_row(server, new_id)
    assert row[:2] == ("Correo", "Local") and money(row[2]) == "7.50"

    r = admin.submit(f"/admin/providers/edit/{new_id}", {"name": "Correo Express",
                                                         "coverage_area": "Regional", "cost": "9"},
                     page="/admin/providers")
    assert r.status_code == 302
    row = provider_row(server, new_id)
    assert row[:2] == ("Correo Express", "Regional") and money(row[2]) == "9.00"

    r = admin.submit(f"/admin/providers/delete/{new_id}", page="/admin/providers")
    assert r.status_code == 302 and location_path(r) == "/admin/providers"
    assert "Proveedor eliminado" in admin.get("/admin/providers").text
    assert provider_row(server, new_id) is None
    assert count(server, "delivery_provider") == 4


@pytest.mark.parametrize("fields", [
    {"name": "", "coverage_area": "Local", "cost": "1"},
    {"name": "   ", "coverage_area": "Local", "cost": "1"},
    {"name": "n" * 101, "coverage_area": "Local", "cost": "1"},
    {"name": "Ok", "coverage_area": "", "cost": "1"},
    {"name": "Ok", "coverage_area": "a" * 151, "cost": "1"},
    {"name": "Ok", "coverage_area": "Local", "cost": "-1"},
    {"name": "Ok", "coverage_area": "Local", "cost": "abc"},
    {"name": "Ok", "coverage_area": "Local", "cost": "1.234"},
    {"name": "Ok", "coverage_area": "Local", "cost": "1000000.01"},
    {"name": "Ok", "coverage_area": "Local", "cost": ""},
    {"name": "Ok\x07", "coverage_area": "Local", "cost": "1"},
], ids=lambda fields: "-".join(f"{k}={v[:6]!r}" for k, v in fields.items()))
def test_invalid_providers_are_refused_with_a_message(server, admin, fields):
    r = admin.submit("/admin/providers/add", fields, page="/admin/providers")
    assert_layout(r, 400)
    assert 'id="form-errors"' in r.text
    assert count(server, "delivery_provider") == 4
    first = query(server, "SELECT id FROM delivery_provider ORDER BY id")[0][0]
    before = provider_row(server, first)
    r = admin.submit(f"/admin/providers/edit/{first}", fields, page="/admin/providers")
    assert_layout(r, 400)
    assert provider_row(server, first) == before


def test_provider_limits_are_accepted(server, admin):
    r = admin.submit("/admin/providers/add", {"name": "n" * 100, "coverage_area": "a" * 150,
                                              "cost": "1000000.00"}, page="/admin/providers")
    assert r.status_code == 302
    assert count(server, "delivery_provider") == 5


def test_hostile_provider_text_is_stored_verbatim_and_escaped(server, admin):
    r = admin.submit("/admin/providers/add", {"name": SCRIPT, "coverage_area": SQL_BITS,
                                              "cost": "1"}, page="/admin/providers")
    assert r.status_code == 302
    assert query(server, "SELECT coverage_area FROM delivery_provider WHERE name = ?",
                 (SCRIPT,))[0][0] == SQL_BITS
    assert_escaped(admin.get("/admin/providers").text)
    # Buyers see it escaped on the delivery page too.
    seller = Browser(server).signed_up("Vende", "seller@example.com")
    book = seller.new_book()
    purchase = seller.new_purchase(book)
    seller.pay(purchase)
    assert_escaped(seller.get(f"/delivery/{purchase}").text)


def test_a_provider_in_use_cannot_be_deleted(server, admin, provider_ids):
    book = admin.new_book()
    purchase = admin.new_purchase(book)
    admin.pay(purchase)
    assert admin.choose_delivery(purchase, provider_ids[0]).status_code == 302
    r = admin.submit(f"/admin/providers/delete/{provider_ids[0]}", page="/admin/providers")
    assert_layout(r, 409)
    assert "entregas asignadas" in error_message(r.text)
    assert provider_row(server, provider_ids[0]) is not None
    assert "DHL" in admin.get("/purchases").text


def test_unknown_providers_are_404(server, admin):
    token = admin.csrf("/admin/providers")
    data = {"csrf_token": token, "name": "X", "coverage_area": "Y", "cost": "1"}
    for path in ("/admin/providers/edit/999999", "/admin/providers/edit/abc",
                 "/admin/providers/delete/999999", "/admin/providers/delete/0"):
        assert_layout(admin.post(path, data=data), 404)
    assert count(server, "delivery_provider") == 4


def test_provider_pages_are_for_admins_only(server, member, provider_ids):
    anonymous = Browser(server)
    r = anonymous.get("/admin/providers")
    assert r.status_code == 302 and next_of(r) == "/admin/providers"
    assert_layout(member.get("/admin/providers"), 403)
    token = member.csrf("/book/catalog")
    attempts = [("/admin/providers/add", {"name": "Mío", "coverage_area": "X", "cost": "0"}),
                (f"/admin/providers/edit/{provider_ids[0]}", {"name": "Mío", "coverage_area": "X",
                                                              "cost": "0"}),
                (f"/admin/providers/delete/{provider_ids[1]}", {})]
    for path, fields in attempts:
        assert_layout(member.post(path, data=dict(fields, csrf_token=token)), 403)
    assert count(server, "delivery_provider") == 4
    assert provider_row(server, provider_ids[0])[0] == "DHL"


def test_provider_forms_need_csrf_and_post(server, admin, provider_ids):
    for path in ("/admin/providers/add", f"/admin/providers/edit/{provider_ids[0]}",
                 f"/admin/providers/delete/{provider_ids[0]}"):
        r = admin.post(path, data={"name": "Nuevo", "coverage_area": "X", "cost": "1"})
        assert_layout(r, 403)
        assert_layout(admin.get(path), 405)
    assert count(server, "delivery_provider") == 4
    assert provider_row(server, provider_ids[0])[0] == "DHL"
