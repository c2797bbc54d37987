"""The request log cannot be forged (issue 11, item 4): whatever a client puts
in the path or, through a trusted proxy, in X-Forwarded-For, its request gets
exactly one line, written by this replica, with no field of the client's
making (src/ops/log_escape.cc escapes every client-supplied value)."""
import socket

import requests

from bookstore_tools.testing import Bookstore, wait_until
from test_request_log import LINE, request_lines

FORGED = "/x%0Arequest%20replica=evil%20client=1.2.3.4%20method=GET%20path=/admin%20status=200"


def stopped_output(server):
    server.stop()
    return server.output()


def lines_with(out, marker):
    return [line for line in out.splitlines() if marker in line]


def assert_one_honest_line(out, marker, replica="honest"):
    """Exactly one line mentions `marker`; it is a well-formed request line of
    `replica`, and nothing in the log claims to come from another replica or
    names a field twice."""
    mentioned = lines_with(out, marker)
    assert len(mentioned) == 1, mentioned
    line = mentioned[0]
    assert line.startswith(f"request replica={replica} "), line
    assert LINE.match(line), line
    keys = [field.split("=", 1)[0] for field in line.split(" ")[1:]]
    assert keys == ["replica", "client", "method", "path", "status", "duration_ms"], line
    assert "replica=evil" not in out
    assert all(r == replica for r, *_ in request_lines(out))
    return line


def raw_request(server, request_bytes):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(request_bytes)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    return reply


def test_an_encoded_newline_in_the_path_cannot_forge_a_line(workdir):
    server = Bookstore(workdir, env={"REPLICA_ID": "honest"}).start()
    try:
        assert requests.get(server.url + FORGED, timeout=5).status_code == 404
        wait_until(lambda: "%0Arequest%20replica%3Devil" in server.output(), 5, interval=0.01,
                   what="the request line")
    finally:
        out = stopped_output(server)
    line = assert_one_honest_line(out, "%0Arequest%20replica%3Devil")
    assert " client=127.0.0.1 method=GET path=/x%0Arequest%20replica%3Devil%20client%3D1.2.3.4" \
           "%20method%3DGET%20path%3D/admin%20status%3D200 status=404 " in line
    assert not [l for l in out.splitlines() if "path=/admin" in l]


def test_control_bytes_and_quotes_in_the_path_are_escaped(workdir):
    server = Bookstore(workdir, env={"REPLICA_ID": "honest"}).start()
    try:
        for path in ["/ctl%0D%0Astatus=200", "/nul%00x", "/tab%09%1B%7F", '/q%22%5C%3D', "/caf%C3%A9"]:
            assert requests.get(server.url + path, timeout=5).status_code in (400, 404)
        normal = requests.get(server.url + "/books/1-a_b.c~d", timeout=5)
        assert normal.status_code in (200, 404)
        wait_until(lambda: "path=/caf%C3%A9 " in server.output(), 5, interval=0.01,
                   what="the last request line")
    finally:
        out = stopped_output(server)
    for marker in ["path=/ctl%0D%0Astatus%3D200 ", "path=/nul%00x ", "path=/tab%09%1B%7F ",
                   "path=/q%22%5C%3D ", "path=/caf%C3%A9 "]:
        assert_one_honest_line(out, marker)
    # Normal paths read as they are.
    assert_one_honest_line(out, "path=/books/1-a_b.c~d ")


def test_a_raw_request_with_literal_bytes_cannot_forge_a_line(workdir):
    """Bytes no HTTP client library would send: a literal space, a tab and
    other control bytes in the request target. Drogon either refuses the
    request or routes it; either way no forged line appears."""
    server = Bookstore(workdir, env={"REPLICA_ID": "honest"}).start()
    try:
        targets = [b"/raw1\x01request\x0breplica=evil", b"/raw2\trequest\tclient=6.6.6.6",
                   b"/raw3 request replica=evil"]
        for target in targets:
            reply = raw_request(server, b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n"
                                b"Connection: close\r\n\r\n")
            assert reply.startswith(b"HTTP/1.1 ") or reply == b"", reply[:100]
        # A request after them, so their lines (if any) are written first.
        assert requests.get(server.url + "/after-raw", timeout=5).status_code == 404
        wait_until(lambda: "path=/after-raw " in server.output(), 5, interval=0.01,
                   what="the last request line")
    finally:
        out = stopped_output(server)
    assert_one_honest_line(out, "path=/after-raw ")
    # Drogon routes a target with control bytes (the line shows them
    # escaped) and refuses one with a literal space before routing (no line).
    assert_one_honest_line(out, "path=/raw1%01request%0Breplica%3Devil ")
    assert_one_honest_line(out, "path=/raw2%09request%09client%3D6.6.6.6 ")
    assert len(lines_with(out, "/raw3")) <= 1
    assert "client=6.6.6.6" not in out


def test_a_forwarded_address_cannot_forge_fields(workdir):
    """Through a trusted proxy the client address comes from X-Forwarded-For,
    which the client writes."""
    server = Bookstore(workdir, env={"REPLICA_ID": "honest",
                                     "TRUSTED_PROXIES": "127.0.0.1/32"}).start()
    try:
        forged = "1.2.3.4\x01 method=GET path=/admin status=200"
        assert requests.get(server.url + "/xff-forged", timeout=5,
                            headers={"X-Forwarded-For": forged}).status_code == 404
        assert requests.get(server.url + "/xff-plain", timeout=5,
                            headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 404
        wait_until(lambda: "path=/xff-plain " in server.output(), 5, interval=0.01,
                   what="the request line")
    finally:
        out = stopped_output(server)
    line = assert_one_honest_line(out, "path=/xff-forged ")
    assert " client=1.2.3.4%01%20method%3DGET%20path%3D/admin%20status%3D200 method=GET " in line
    line = assert_one_honest_line(out, "path=/xff-plain ")
    assert " client=203.0.113.9 " in line


def test_json_log_lines_cannot_be_forged_either(workdir):
    """LOG_FORMAT=json (CloudWatch): every line of the output is one JSON
    object; the forged path is one request's `path` value, nothing more."""
    import json
    server = Bookstore(workdir, env={"REPLICA_ID": "honest", "LOG_FORMAT": "json"}).start()
    try:
        assert requests.get(server.url + FORGED, timeout=5).status_code == 404
        assert requests.get(server.url + '/q%22%7D%0A%7B%22type%22:%22request%22', timeout=5).status_code == 404
        wait_until(lambda: "%0Arequest%20replica%3Devil" in server.output(), 5, interval=0.01,
                   what="the request line")
    finally:
        out = stopped_output(server)
    objects = [json.loads(line) for line in out.splitlines() if line.strip()]
    requests_logged = [o for o in objects if o["type"] == "request"]
    assert {o["replica"] for o in requests_logged} == {"honest"}
    forged = [o for o in requests_logged if o["path"].startswith("/x")]
    assert len(forged) == 1 and forged[0]["status"] == 404 and forged[0]["method"] == "GET"
    assert forged[0]["path"] == "/x%0Arequest%20replica%3Devil%20client%3D1.2.3.4%20method%3DGET" \
                                "%20path%3D/admin%20status%3D200"
    assert sorted(forged[0]) == ["client", "duration_ms", "method", "path", "replica", "status", "type"]
    quoted = [o for o in requests_logged if o["path"].startswith("/q")]
    assert len(quoted) == 1 and quoted[0]["path"] == "/q%22%7D%0A%7B%22type%22:%22request%22"
    assert any(o["type"] == "log" and o["level"] == "INFO" for o in objects)
