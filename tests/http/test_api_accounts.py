"""API: users, tokens, me, admin user list (API.md)."""
import secrets

from api_client import Api, assert_error, new_user
from bookstore_tools.testing import run_cli


def test_register_login_me_logout(server):
    anon = Api(server.url)
    email = f"ana-{secrets.token_hex(4)}@example.com"
    r = anon.post("/api/v1/users", {"name": "Ana", "email": email, "password": "password-123"})
    assert r.status_code == 201
    user = r.json()
    assert set(user) == {"id", "name", "email", "is_admin"}
    assert user["is_admin"] is False and user["email"] == email
    assert_error(anon.post("/api/v1/users", {"name": "Ana 2", "email": email.upper(),
                                             "password": "password-123"}), 409, "conflict")
    r = anon.post("/api/v1/tokens", {"email": email, "password": "password-123"})
    assert r.status_code == 201
    token = r.json()["token"]
    assert r.json()["user"]["id"] == user["id"]
    api = Api(server.url, token)
    assert api.get("/api/v1/me").json()["id"] == user["id"]
    assert api.delete("/api/v1/tokens/current").status_code == 204
    assert_error(api.get("/api/v1/me"), 401, "unauthorized")
    assert_error(api.delete("/api/v1/tokens/current"), 401, "unauthorized")


def test_wrong_credentials_and_validation(server):
    anon = Api(server.url)
    assert_error(anon.post("/api/v1/tokens", {"email": "nobody@example.com", "password": "whatever1"}),
                 401, "unauthorized")
    err = assert_error(anon.post("/api/v1/users", {"name": "", "email": "not-an-email", "password": "short"}),
                       422, "validation_failed")
    assert set(err["fields"]) == {"name", "email", "password"}
    err = assert_error(anon.post("/api/v1/users", {"name": "x" * 151, "email": "a@b.co", "password": 12345678}),
                       422, "validation_failed")
    assert "name" in err["fields"] and "password" in err["fields"]
    r = anon.http.post(server.url + "/api/v1/users", data="{not json",
                       headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(r, 400, "invalid_json")
    r = anon.http.post(server.url + "/api/v1/users", data="[1,2]",
                       headers={"Content-Type": "application/json"}, timeout=10)
    assert_error(r, 400, "invalid_json")


def test_bad_tokens_are_refused(server):
    for header in ("Bearer nope", "Bearer " + "a" * 64, "Basic abc", "Bearer", "Bearer 'OR 1=1 --" + "x" * 50):
        r = Api(server.url).get("/api/v1/me", headers={"Authorization": header})
        assert_error(r, 401, "unauthorized")
    assert_error(Api(server.url).get("/api/v1/me"), 401, "unauthorized")


def test_login_throttling_per_account(server):
    api, user, email, password = new_user(server.url)
    anon = Api(server.url)
    for _ in range(5):
        assert_error(anon.post("/api/v1/tokens", {"email": email, "password": "wrong-password"}), 401, "unauthorized")
    # Locked now, even with the right password.
    r = anon.post("/api/v1/tokens", {"email": email, "password": password})
    assert_error(r, 429, "too_many_requests")
    assert "Retry-After" in r.headers


def test_admin_user_list(server, workdir):
    api, user, email, _ = new_user(server.url)
    assert_error(api.get("/api/v1/users"), 403, "forbidden")
    assert_error(Api(server.url).get("/api/v1/users"), 401, "unauthorized")
    result = run_cli(["admin", "grant", email], server.workdir, server.env)
    assert result.returncode == 0, result.stderr
    r = api.get("/api/v1/users?per_page=1")
    assert r.status_code == 200
    body = r.json()
    assert body["per_page"] == 1 and body["page"] == 1 and body["total"] >= 1
    assert len(body["items"]) == 1
    assert api.get("/api/v1/me").json()["is_admin"] is True
    missing = run_cli(["admin", "grant", "nobody@example.com"], server.workdir, server.env)
    assert missing.returncode != 0 and "nobody@example.com" in missing.stderr
    assert_error(api.get("/api/v1/users?per_page=abc"), 422, "validation_failed")
