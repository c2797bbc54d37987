"""Small helpers for the JSON API tests."""
import secrets

import requests


class Api:
    def __init__(self, base_url, token=None):
        self.base = base_url
        self.token = token
        self.http = requests.Session()

    def _headers(self, extra=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def get(self, path, **kw):
        return self.http.get(self.base + path, headers=self._headers(kw.pop("headers", None)), timeout=30, **kw)

    def post(self, path, json=None, **kw):
        return self.http.post(self.base + path, json=json, headers=self._headers(kw.pop("headers", None)), timeout=30, **kw)

    def patch(self, path, json=None, **kw):
        return self.http.patch(self.base + path, json=json, headers=self._headers(kw.pop("headers", None)), timeout=30, **kw)

    def put(self, path, data=None, **kw):
        return self.http.put(self.base + path, data=data, headers=self._headers(kw.pop("headers", None)), timeout=30, **kw)

    def delete(self, path, **kw):
        return self.http.delete(self.base + path, headers=self._headers(kw.pop("headers", None)), timeout=30, **kw)


def new_user(base_url, name=None, password="correct horse 1"):
    """Registers a fresh user and returns (Api with its token, user json, email, password)."""
    email = f"user-{secrets.token_hex(5)}@example.com"
    anon = Api(base_url)
    r = anon.post("/api/v1/users", {"name": name or "Test User", "email": email, "password": password})
    assert r.status_code == 201, r.text
    r = anon.post("/api/v1/tokens", {"email": email, "password": password})
    assert r.status_code == 201, r.text
    body = r.json()
    return Api(base_url, body["token"]), body["user"], email, password


def new_book(api, **fields):
    book = {"title": "El Aleph", "author": "Jorge Luis Borges", "description": "Cuentos",
            "price": 12.5, "stock": 5}
    book.update(fields)
    r = api.post("/api/v1/books", book)
    assert r.status_code == 201, r.text
    return r.json()


def assert_error(response, status, code):
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
