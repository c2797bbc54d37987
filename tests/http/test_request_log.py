"""The request log: one line per request, in order, written out promptly and
never lost when the process stops on SIGTERM (the lines are buffered in
memory, src/ops/lifecycle.cc)."""
import concurrent.futures
import re
import signal
import subprocess
import threading
import time

import requests

from bookstore_tools.testing import BOOKSTORE_BIN, Bookstore, wait_until

LINE = re.compile(r"^request replica=(\S+) client=(\S+) method=(\S+) path=(\S+) status=(\d+) "
                  r"duration_ms=(\d+\.\d\d)$")


def request_lines(text):
    lines = [line for line in text.splitlines() if line.startswith("request ")]
    malformed = [line for line in lines if not LINE.match(line)]
    assert not malformed, malformed[:5]
    return [LINE.match(line).groups() for line in lines]


def test_a_line_is_written_soon_after_its_request(sqlite_server):
    for i in range(3):
        requests.get(f"{sqlite_server.url}/soon-{i}", timeout=5)
        started = time.monotonic()
        wait_until(lambda: f"path=/soon-{i} status=404" in sqlite_server.output(), 5, interval=0.01,
                   what="the request line")
        assert time.monotonic() - started < 0.5


def test_lines_keep_request_order_and_none_is_lost_on_sigterm(workdir):
    server = Bookstore(workdir, env={"THREADS": "2", "REPLICA_ID": "order"}).start()
    try:
        # A new connection each, so both I/O threads answer some.
        paths = [f"/missing-{i}" for i in range(150)]
        for path in paths:
            assert requests.get(server.url + path + "?token=secret", timeout=5).status_code == 404
        with requests.Session() as keep_alive:
            for i in range(150):
                path = f"/kept-{i}"
                paths.append(path)
                assert keep_alive.get(server.url + path, timeout=5).status_code == 404
        server.signal(signal.SIGTERM)  # at once: the last lines are still buffered
        assert server.proc.wait(20) == 0
    finally:
        server.stop()
    out = server.output()
    logged = [(path, status) for replica, client, method, path, status, _ in request_lines(out)
              if path.startswith(("/missing-", "/kept-"))
              and replica == "order" and client == "127.0.0.1" and method == "GET"]
    assert logged == [(path, "404") for path in paths]
    assert "secret" not in out
    # The exit's own line comes after the request lines.
    assert 0 <= out.rfind("request replica=") < out.find("drained; exiting")


def test_lines_of_requests_answered_up_to_the_exit_are_all_written(workdir):
    """SIGTERM in the middle of a load: every answered request has its line."""
    server = Bookstore(workdir, env={"THREADS": "2", "SHUTDOWN_GRACE_SECONDS": "0"}).start()
    answered = []
    stop = threading.Event()

    def client(worker):
        i = 0
        while not stop.is_set():
            path = f"/load-{worker}-{i}"
            i += 1
            try:
                if requests.get(server.url + path, timeout=5).status_code == 404:
                    answered.append(path)
            except requests.RequestException:
                if server.proc.poll() is not None:
                    return

    threads = [threading.Thread(target=client, args=(w,)) for w in range(6)]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        server.signal(signal.SIGTERM)
        assert server.proc.wait(20) == 0
    finally:
        stop.set()
        for t in threads:
            t.join(10)
        server.stop()
    logged = {path for _, _, _, path, _, _ in request_lines(server.output())}
    assert len(answered) > 100
    missing = [path for path in answered if path not in logged]
    assert not missing, f"{len(missing)} of {len(answered)} answered requests have no line: {missing[:5]}"


def test_many_lines_through_a_pipe_arrive_whole(workdir):
    """More than one buffer's worth (32 KB) from concurrent requests, to a pipe."""
    server = Bookstore(workdir, env={"THREADS": "2", "REPLICA_ID": "piped"})
    server.proc = subprocess.Popen([BOOKSTORE_BIN, "serve"], cwd=workdir, env=server.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: server.proc.stdout.read1(65536), b"")))
    reader.start()
    try:
        server.wait_healthy()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda i: requests.get(f"{server.url}/piped-{i}", timeout=10).status_code,
                                  range(600)))
        assert codes == [404] * 600
        server.signal(signal.SIGTERM)
        assert server.proc.wait(20) == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait(5)
        reader.join(10)
    out = b"".join(chunks).decode("utf-8", "replace")
    logged = sorted(int(path.rsplit("-", 1)[1]) for _, _, _, path, status, _ in request_lines(out)
                    if path.startswith("/piped-") and status == "404")
    assert logged == list(range(600))


def test_no_request_lines_below_info(workdir):
    server = Bookstore(workdir, env={"LOG_LEVEL": "WARN"}).start()
    try:
        requests.get(server.url + "/quiet", timeout=5)
        server.signal(signal.SIGTERM)
        assert server.proc.wait(20) == 0
    finally:
        server.stop()
    assert "request replica=" not in server.output()
