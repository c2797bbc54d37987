"""The OpenAPI document matches the server: every documented operation
answers with one of its documented statuses, and every API route the server
registers is documented."""
from api_client import Api, new_book, new_user
from bookstore_tools.testing import run_cli
from images import png


def documented_operations(server):
    doc = Api(server.url).get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    ops = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                ops.append((method.upper(), path, op))
    return ops


def test_every_api_route_is_documented(sqlite_server):
    documented = {(m, p) for m, p, _ in documented_operations(sqlite_server)}
    routes = run_cli(["routes"], sqlite_server.workdir, sqlite_server.env)
    assert routes.returncode == 0, routes.stderr
    served = {tuple(line.split(" ", 1)) for line in routes.stdout.splitlines()
              if line.split(" ", 1)[1].startswith("/api/")}
    assert served, routes.stdout
    assert served == documented, {"undocumented": served - documented, "not served": documented - served}


def test_every_documented_operation_answers(sqlite_server):
    api, user, email, password = new_user(sqlite_server.url)
    run_cli(["admin", "grant", email], sqlite_server.workdir, sqlite_server.env)
    book = new_book(api, stock=10)
    purchase = api.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
    # Cancelling needs a purchase still pending: not the one paid below.
    cancellable = api.post("/api/v1/purchases", {"book_id": book["id"], "quantity": 1}).json()
    bodies = {
        ("POST", "/api/v1/users"): {"name": "Doc", "email": "doc-check@example.com", "password": "long-enough"},
        ("POST", "/api/v1/tokens"): {"email": email, "password": password},
        ("POST", "/api/v1/books"): {"title": "T", "author": "A", "price": 1, "stock": 1},
        ("PATCH", "/api/v1/books/{id}"): {"stock": 9},
        ("POST", "/api/v1/purchases"): {"book_id": book["id"], "quantity": 1},
        ("POST", "/api/v1/purchases/{id}/payment"): {"method": "Paypal"},
        ("POST", "/api/v1/purchases/{id}/delivery"): {"provider_id": 1},
    }
    ops = documented_operations(sqlite_server)
    # Destructive calls last, so the others still find their objects.
    ops.sort(key=lambda o: (o[0] == "DELETE", o[1] == "/api/v1/tokens/current"))
    for method, path, op in ops:
        if "/purchases/" in path:
            ident = cancellable["id"] if path.endswith("/cancel") else purchase["id"]
        else:
            ident = book["id"]
        url = path.replace("{id}", str(ident))
        if method == "PUT":
            r = api.put(url, data=png(), headers={"Content-Type": "image/png"})
        elif method in ("POST", "PATCH"):
            r = getattr(api, method.lower())(url, bodies.get((method, path), {}))
        else:
            r = getattr(api, method.lower())(url)
        assert str(r.status_code) in op["responses"], (method, path, r.status_code, r.text[:200])
        assert r.status_code < 300, (method, path, r.status_code, r.text[:200])


def test_keyed_operations_document_the_idempotency_key(sqlite_server):
    ops = {(m, p): op for m, p, op in documented_operations(sqlite_server)}
    keyed = [("POST", "/api/v1/purchases"), ("POST", "/api/v1/purchases/{id}/payment"),
             ("POST", "/api/v1/purchases/{id}/delivery"), ("POST", "/api/v1/purchases/{id}/cancel")]
    for key in keyed:
        refs = [p.get("$ref") for p in ops[key].get("parameters", [])]
        assert "#/components/parameters/IdempotencyKey" in refs, key
        assert "422" in ops[key]["responses"] and "409" in ops[key]["responses"], key
    doc = Api(sqlite_server.url).get("/api/v1/openapi.json").json()
    header = doc["components"]["parameters"]["IdempotencyKey"]
    assert header["in"] == "header" and header["name"] == "Idempotency-Key"
    assert header["schema"]["maxLength"] == 255
