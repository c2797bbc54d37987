#!/usr/bin/python3
"""The NGINX site of compose.yaml and the AWS instances, run with Debian's
NGINX on 127.0.0.1 with its own prefix, pid and logs:

  NginxConfig   nginx -t, then NGINX in front of a small echo server: uploads
                served by NGINX itself, everything else proxied with
                X-Forwarded-For/-Proto/-Host, compression, body-size limit.
  NginxWithApp  NGINX in front of a real `bookstore serve` (BOOKSTORE_BIN):
                /uploads/ from the folder, /health proxied to the app, the
                app's access log shows the proxied request.
"""
import gzip
import http.server
import json
import os
import pathlib
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

import deploylib
from bookstore_tools.httpcall import request
from bookstore_tools.ports import port_open, reserve_port
from bookstore_tools.processes import stop_popen, wait_for as wait

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")
WAIT = 20  # seconds, for anything to start


def wait_for(predicate, timeout, what):
    wait(predicate, timeout, what, interval=0.1, error=AssertionError)


def stop(proc, sig=signal.SIGTERM, timeout=15):
    stop_popen(proc, sig, timeout, kill_wait=5)


class Nginx:
    """Debian's nginx, foreground, everything under one temporary prefix."""

    def __init__(self, workdir, upstream, uploads_dir, trusted_lb="127.0.0.1/32"):
        self.binary = deploylib.nginx_binary()
        if not self.binary:
            raise AssertionError("nginx is not installed (tests/deploy/install-tools)")
        self.prefix = pathlib.Path(workdir) / f"nginx-{secrets.token_hex(3)}"
        self.prefix.mkdir()
        self.prefix.chmod(0o755)
        self.port = reserve_port()
        site = self.prefix / "bookstore.conf"
        site.write_text(deploylib.render_nginx_site(f"127.0.0.1:{self.port}", upstream, uploads_dir, trusted_lb))
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(deploylib.nginx_main_conf(self.prefix, site,
                                                       user="nobody nogroup" if os.geteuid() == 0 else None))
        self.proc = None

    def cmd(self, *extra):
        return [self.binary, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.prefix / "error.log"),
                *extra]

    def test_config(self):
        return subprocess.run(self.cmd("-t"), capture_output=True, text=True, timeout=30)

    def start(self):
        self.proc = subprocess.Popen(self.cmd("-g", "daemon off;"), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, WAIT, "nginx to listen")
        finally:
            if self.proc.poll() is not None or not port_open(self.port):
                raise AssertionError("nginx did not start:\n" + self.error_log())
        return self

    def error_log(self):
        p = self.prefix / "error.log"
        return p.read_text()[-3000:] if p.exists() else ""

    def stop(self):
        stop(self.proc, signal.SIGQUIT)


def make_uploads(workdir):
    uploads = pathlib.Path(workdir) / "uploads"
    (uploads / "covers").mkdir(parents=True)
    for p in (pathlib.Path(workdir), uploads, uploads / "covers"):
        p.chmod(0o755)
    return uploads


def put_cover(uploads, name, data=PNG):
    path = uploads / "covers" / name
    path.write_bytes(data)
    path.chmod(0o644)
    return path


def assert_nginx_security_headers(test, headers, https=False):
    """What NGINX answers itself (covers, /uploads/ refusals, its own error
    pages) carries the security headers; HSTS only over HTTPS."""
    test.assertEqual(headers.get("x-content-type-options"), "nosniff")
    test.assertEqual(headers.get("x-frame-options"), "DENY")
    test.assertEqual(headers.get("referrer-policy"), "same-origin")
    csp = headers.get("content-security-policy", "")
    test.assertIn("frame-ancestors 'none'", csp)
    test.assertIn("default-src 'none'", csp)
    if https:
        test.assertRegex(headers.get("strict-transport-security", ""), r"^max-age=\d{8}")
    else:
        test.assertNotIn("strict-transport-security", headers)


# ---- the echo server standing in for the app --------------------------------
class Echo(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen = []

    def log_message(self, *args):
        pass

    def reply(self):
        length = int(self.headers.get("Content-Length") or 0)
        body_len = len(self.rfile.read(length)) if length else 0
        Echo.seen.append(self.path)
        if self.path == "/big":
            body, ctype = ("<p>" + "BookStore catalog row. " * 400 + "</p>").encode(), "text/html; charset=utf-8"
        else:
            body = json.dumps({"path": self.path, "method": self.command, "body_length": body_len,
                               "client": self.client_address[0],
                               "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
            ctype = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = reply


class NginxConfig(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bookstore-nginx-")
        cls.uploads = make_uploads(cls.tmp)
        cls.echo = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        cls.echo_thread = threading.Thread(target=cls.echo.serve_forever, daemon=True)
        cls.echo_thread.start()
        upstream = f"127.0.0.1:{cls.echo.server_address[1]}"
        cls.nginx = Nginx(cls.tmp, upstream, cls.uploads)
        # a second NGINX that trusts no load balancer in front of it
        cls.untrusting = Nginx(cls.tmp, upstream, cls.uploads, trusted_lb="192.0.2.0/24")
        try:
            cls.nginx.start()
            cls.untrusting.start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        for n in (cls.nginx, cls.untrusting):
            n.stop()
        cls.echo.shutdown()
        cls.echo.server_close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        Echo.seen.clear()

    def test_nginx_t(self):
        result = self.nginx.test_config()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("syntax is ok", result.stderr)

    def test_directives(self):
        site = deploylib.NGINX_SITE.read_text()
        size = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
        self.assertGreater(size, 5, "covers up to 5 MiB must pass")
        self.assertLessEqual(size, 10)
        for directive in ("gzip on;", "gzip_proxied any;", "proxy_connect_timeout", "proxy_read_timeout",
                          "proxy_send_timeout", "client_body_timeout", "proxy_request_buffering on;"):
            self.assertIn(directive, site)
        self.assertIn("application/json", re.search(r"gzip_types([^;]*);", site).group(1))

    def test_uploads_served_by_nginx(self):
        name = secrets.token_hex(8) + ".png"
        put_cover(self.uploads, name)
        status, headers, body = request(self.nginx.port, "GET", f"/uploads/covers/{name}")
        self.assertEqual(status, 200)
        self.assertEqual(body, PNG)
        self.assertEqual(headers["content-type"], "image/png")
        self.assertEqual(headers["x-served-by"], "nginx")
        self.assertIn("immutable", headers["cache-control"])
        assert_nginx_security_headers(self, headers)
        self.assertEqual(Echo.seen, [], "the app must not see /uploads/ requests")

    def test_cover_types_and_hsts_over_https(self):
        for ext, ctype in (("jpg", "image/jpeg"), ("jpeg", "image/jpeg"), ("webp", "image/webp")):
            name = f"{secrets.token_hex(8)}.{ext}"
            put_cover(self.uploads, name)
            status, headers, _ = request(self.nginx.port, "GET", f"/uploads/covers/{name}")
            self.assertEqual((status, headers["content-type"]), (200, ctype))
            assert_nginx_security_headers(self, headers)
        name = secrets.token_hex(8) + ".png"
        put_cover(self.uploads, name)
        # HTTPS as the trusted load balancer says: HSTS; the same claim from
        # anyone else is not believed.
        _, headers, _ = request(self.nginx.port, "GET", f"/uploads/covers/{name}",
                                {"X-Forwarded-Proto": "https"})
        assert_nginx_security_headers(self, headers, https=True)
        _, headers, _ = request(self.untrusting.port, "GET", f"/uploads/covers/{name}",
                                {"X-Forwarded-Proto": "https"})
        assert_nginx_security_headers(self, headers, https=False)

    def test_uploads_only_cover_names(self):
        put_cover(self.uploads, ".tmp-upload.png")
        put_cover(self.uploads, "notes.txt", b"secret")
        for path in ("/uploads/covers/.tmp-upload.png", "/uploads/covers/notes.txt", "/uploads/",
                     "/uploads/covers/", "/uploads/covers/missing.png"):
            status, headers, _ = request(self.nginx.port, "GET", path)
            self.assertIn(status, (400, 404), path)
            if status == 404:
                assert_nginx_security_headers(self, headers)
        self.assertEqual(Echo.seen, [])
        # a path escaping the folder is normalised by NGINX: never a file of the host
        status, headers, body = request(self.nginx.port, "GET", "/uploads/covers/..%2f..%2f..%2fetc%2fpasswd")
        self.assertNotIn(b"root:", body)
        self.assertNotIn("x-served-by", headers) if status == 200 else None

    def test_metrics_never_proxied(self):
        # /metrics is the app's private listener's (METRICS_PORT); NGINX never
        # passes it on, whatever METRICS_PUBLIC says (issue 13).
        for path in ("/metrics", "/metrics/", "/metrics?name=x", "/metrics/../metrics"):
            status, headers, _ = request(self.nginx.port, "GET", path)
            self.assertEqual(status, 404, path)
            self.assertEqual(headers.get("x-served-by"), "nginx", path)
            assert_nginx_security_headers(self, headers)
        self.assertEqual(Echo.seen, [], "the app must not see /metrics through NGINX")

    def test_everything_else_proxied_with_forwarded_headers(self):
        status, headers, body = request(self.nginx.port, "GET", "/book/catalog?q=dune&page=2", {
            "Host": "shop.example.org:8443", "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "autoscale.example.org"})
        self.assertEqual(status, 200)
        self.assertNotIn("x-served-by", headers)
        seen = json.loads(body)
        self.assertEqual(seen["path"], "/book/catalog?q=dune&page=2")
        h = seen["headers"]
        self.assertEqual(h["x-forwarded-for"], "203.0.113.7, 127.0.0.1")
        self.assertEqual(h["x-forwarded-proto"], "https")
        self.assertEqual(h["x-forwarded-host"], "autoscale.example.org")
        self.assertEqual(h["x-real-ip"], "127.0.0.1")
        self.assertEqual(h["host"], "shop.example.org:8443")
        self.assertNotIn("connection", {k for k, v in h.items() if v.lower() == "close"})

    def test_without_load_balancer_forwarded_headers_are_nginxs_own(self):
        status, _, body = request(self.untrusting.port, "GET", "/health", {
            "Host": "localhost:8080", "X-Forwarded-For": "198.51.100.1",
            "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
        self.assertEqual(status, 200)
        h = json.loads(body)["headers"]
        self.assertEqual(h["x-forwarded-for"], "127.0.0.1")
        self.assertEqual(h["x-forwarded-proto"], "http")
        self.assertEqual(h["x-forwarded-host"], "localhost:8080")

    def test_text_is_compressed(self):
        status, headers, body = request(self.nginx.port, "GET", "/big", {"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-encoding"), "gzip")
        self.assertIn(b"BookStore catalog row.", gzip.decompress(body))
        self.assertIn("Accept-Encoding", headers.get("vary", ""))

    def test_cover_sized_upload_passes_and_oversized_is_refused(self):
        body = b"x" * (5 * 1024 * 1024 + 64 * 1024)  # a 5 MiB cover plus its form
        status, _, resp = request(self.nginx.port, "POST", "/book/add_book", {
            "Content-Type": "multipart/form-data; boundary=x"}, body, timeout=30)
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(resp)["body_length"], len(body))
        # 7 MiB announced: NGINX answers 413 from the headers alone
        with socket.create_connection(("127.0.0.1", self.nginx.port), timeout=10) as s:
            s.sendall(b"POST /book/add_book HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data\r\n"
                      b"Content-Length: 7340032\r\n\r\n")
            answer = s.recv(4096).decode(errors="replace")
        self.assertRegex(answer, r"^HTTP/1\.1 413 ")
        head = answer.split("\r\n\r\n", 1)[0].lower()
        self.assertIn("x-content-type-options: nosniff", head)
        self.assertIn("frame-ancestors 'none'", head)
        self.assertEqual(Echo.seen, ["/book/add_book"])

    def test_proxied_answers_keep_the_apps_own_headers(self):
        """NGINX adds nothing to what it proxies: the app sets its own."""
        status, headers, _ = request(self.nginx.port, "GET", "/book/catalog")
        self.assertEqual(status, 200)
        for name in ("content-security-policy", "x-frame-options", "strict-transport-security"):
            self.assertNotIn(name, headers)


# ---- the real replica -------------------------------------------------------
class NginxWithApp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        binary = os.environ.get("BOOKSTORE_BIN", "")
        if not binary or not os.access(binary, os.X_OK):
            raise AssertionError(f"the bookstore binary is not built (BOOKSTORE_BIN={binary!r})")
        cls.tmp = tempfile.mkdtemp(prefix="bookstore-nginx-app-")
        cls.uploads = make_uploads(cls.tmp)
        cls.app_port = reserve_port()
        cls.metrics_port = reserve_port()
        cls.app_log_path = pathlib.Path(cls.tmp) / "app.log"
        # /metrics on the public port too (METRICS_PUBLIC=true): NGINX still never passes it on
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{cls.tmp}/db.sqlite", UPLOAD_DIR=str(cls.uploads),
                   PORT=str(cls.app_port), HOST="127.0.0.1", TRUSTED_PROXIES="127.0.0.1",
                   SHUTDOWN_GRACE_SECONDS="1", LOG_LEVEL="INFO", REPLICA_ID="nginx-test",
                   METRICS_PUBLIC="true", METRICS_PORT=str(cls.metrics_port))
        cls.app_log = open(cls.app_log_path, "wb")
        cls.app = subprocess.Popen([binary, "serve"], cwd=cls.tmp, env=env, stdout=cls.app_log,
                                   stderr=subprocess.STDOUT)
        cls.nginx = None
        try:
            wait_for(lambda: cls.app.poll() is not None or cls.app_healthy(), WAIT, "the app's /health")
            if cls.app.poll() is not None:
                raise AssertionError(f"bookstore serve exited with {cls.app.returncode}:\n{cls.log_text()}")
            cls.nginx = Nginx(cls.tmp, f"127.0.0.1:{cls.app_port}", cls.uploads).start()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def app_healthy(cls):
        try:
            return request(cls.app_port, "GET", "/health", timeout=2)[0] == 200
        except OSError:
            return False

    @classmethod
    def log_text(cls):
        cls.app_log.flush()
        return cls.app_log_path.read_text(errors="replace")

    @classmethod
    def tearDownClass(cls):
        if cls.nginx:
            cls.nginx.stop()
        stop(cls.app, timeout=20)
        cls.app_log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_metrics_only_on_the_apps_own_ports(self):
        for port in (self.metrics_port, self.app_port):
            status, _, body = request(port, "GET", "/metrics")
            self.assertEqual(status, 200, port)
            self.assertIn(b"bookstore_http_requests_total", body)
        status, headers, body = request(self.nginx.port, "GET", "/metrics")
        self.assertEqual((status, headers.get("x-served-by")), (404, "nginx"))
        self.assertNotIn(b"bookstore_", body)

    def test_uploads_served_by_nginx_not_the_app(self):
        name = secrets.token_hex(8) + ".png"
        put_cover(self.uploads, name)
        status, headers, body = request(self.nginx.port, "GET", f"/uploads/covers/{name}")
        self.assertEqual(status, 200)
        self.assertEqual(body, PNG)
        self.assertEqual(headers.get("x-served-by"), "nginx")
        time.sleep(0.5)
        self.assertNotIn(name, self.log_text(), "the request reached the app")

    def test_app_down_is_nginxs_502_with_the_headers(self):
        nginx = Nginx(self.tmp, f"127.0.0.1:{reserve_port()}", self.uploads).start()
        try:
            status, headers, _ = request(nginx.port, "GET", "/book/catalog")
            self.assertEqual(status, 502)
            assert_nginx_security_headers(self, headers)
        finally:
            nginx.stop()

    def test_app_pages_through_nginx_carry_the_apps_headers(self):
        status, headers, body = request(self.nginx.port, "GET", "/book/catalog",
                                        {"X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200, body[:300])
        self.assertIn("script-src 'self'", headers.get("content-security-policy", ""))
        self.assertEqual(headers.get("x-frame-options"), "DENY")
        self.assertTrue(headers.get("strict-transport-security", "").startswith("max-age="))
        status, headers, _ = request(self.nginx.port, "GET", "/book/catalog")
        self.assertNotIn("strict-transport-security", headers)

    def test_health_proxied_to_the_app(self):
        status, headers, body = request(self.nginx.port, "GET", "/health", {
            "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
        self.assertEqual(status, 200, body[:300])
        self.assertNotIn("x-served-by", headers)
        self.assertIn("json", headers.get("content-type", ""))
        self.assertIsInstance(json.loads(body), dict)

    def test_proxied_request_in_the_app_access_log(self):
        marker = f"/deploy-check-{secrets.token_hex(6)}"
        status, headers, _ = request(self.nginx.port, "GET", marker, {
            "X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "autoscale.example.org"})
        self.assertNotIn("x-served-by", headers)
        self.assertLess(status, 500)
        lines = []

        def logged():
            lines[:] = [line for line in self.log_text().splitlines() if marker in line]
            return bool(lines)
        wait_for(logged, 5, f"an access-log line for {marker}")
        print(f"\napp access log: {lines[0]}")
        # NGINX forwarded the client's address and the app (trusting NGINX) logged it.
        self.assertIn("client=203.0.113.7", lines[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
