"""One HTTP request on a fresh loopback connection (http.client: no proxies, no retries)."""
import http.client
import json

HOST = "127.0.0.1"
# What a request to a server that is not (yet) listening raises.
CONNECTION_ERRORS = (OSError, http.client.HTTPException)


def request(port, method, path, headers=None, body=None, timeout=10):
    """(status, {lower-case header: value}, body bytes)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def request_json(port, method, path, payload=None, headers=None, timeout=10):
    """`request` with a JSON body (when `payload` is not None)."""
    headers = dict(headers or {})
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    return request(port, method, path, headers, body, timeout)


def status_of(port, path, timeout=2.0):
    """Status of a GET, or None when nothing answers."""
    try:
        return request(port, "GET", path, timeout=timeout)[0]
    except CONNECTION_ERRORS:
        return None
