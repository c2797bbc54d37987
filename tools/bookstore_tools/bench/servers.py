"""The processes of a run: every child by pid, the bookstore servers, and the
throwaway NGINX that serves the same bytes statically (the read ceiling)."""
import os
import signal
import subprocess
import time

from . import BenchError, say, tool
from ..httpcall import CONNECTION_ERRORS, request, status_of
from ..ports import ephemeral_port
from ..processes import descendants, die_with_parent, inherited_env, stop_popen, wait_for
from .sampling import proc_mem_kb


class Procs:
    """Every process this runner starts directly; stopped by pid, newest first."""

    def __init__(self):
        self.items = []

    def start(self, name, argv, log_path=None, env=None, cwd=None, stdin=None):
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            proc = subprocess.Popen(argv, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                    preexec_fn=die_with_parent, close_fds=True)
        finally:
            if log_path:
                log.close()
        proc.bench_name = name
        self.items.append(proc)
        return proc

    def stop(self, proc, sig=signal.SIGTERM, timeout=20):
        if not stop_popen(proc, sig, timeout):
            say(f"{proc.bench_name} (pid {proc.pid}) did not stop; SIGKILL")
        if proc in self.items:
            self.items.remove(proc)
        return proc.returncode

    def stop_all(self):
        for proc in reversed(list(self.items)):
            self.stop(proc, timeout=15)


PROCS = Procs()


def static_nginx_conf(prefix, root, port, as_root=False):
    """NGINX serving the files of `root` on 127.0.0.1:port, everything it
    writes under `prefix`, tuned like a static file server under load."""
    user = "user root;\n" if as_root else ""
    return f"""{user}worker_processes auto;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/html html; application/json json; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/html application/json;
    access_log off;
    sendfile on;
    tcp_nopush on;
    server_tokens off;
    keepalive_timeout 65;
    keepalive_requests 10000000;
    client_body_temp_path {prefix}/tmp_body;
    proxy_temp_path {prefix}/tmp_proxy;
    fastcgi_temp_path {prefix}/tmp_fastcgi;
    uwsgi_temp_path {prefix}/tmp_uwsgi;
    scgi_temp_path {prefix}/tmp_scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


class Nginx:
    """A throwaway NGINX on its own loopback port serving the saved page bodies."""

    def __init__(self, base):
        self.prefix = os.path.join(base, "nginx")
        self.root = os.path.join(self.prefix, "html")
        os.makedirs(self.root, exist_ok=True)
        os.makedirs(os.path.join(self.prefix, "logs"), exist_ok=True)
        self.port = ephemeral_port()
        self.proc = None

    def start(self):
        conf = os.path.join(self.prefix, "nginx.conf")
        with open(conf, "w") as f:
            f.write(static_nginx_conf(self.prefix, self.root, self.port, as_root=os.geteuid() == 0))
        self.proc = PROCS.start("nginx", [tool("nginx"), "-p", self.prefix + "/", "-e",
                                          f"{self.prefix}/logs/error.log", "-c", conf],
                                os.path.join(self.prefix, "logs", "stdout.log"))
        wait_for(lambda: self.proc.poll() is None and
                 request(self.port, "GET", "/missing")[0] == 404, 15, "NGINX ready",
                 retry_on=CONNECTION_ERRORS, error=BenchError)

    def serve(self, name, body, content_type):
        ext = "json" if "json" in content_type else "html"
        path = os.path.join(self.root, f"{name}.{ext}")
        with open(path, "wb") as f:
            f.write(body)
        url_path = f"/{name}.{ext}"
        status, _, got = request(self.port, "GET", url_path)
        if status != 200 or got != body:
            raise BenchError(f"NGINX does not serve {url_path} as written")
        return f"http://127.0.0.1:{self.port}{url_path}"

    def pids(self):
        return descendants(self.proc.pid)

    def stop(self):
        if self.proc:
            PROCS.stop(self.proc, signal.SIGQUIT)


class Server:
    """One `bookstore serve` on a free loopback port, started and timed from exec."""

    def __init__(self, binary, workdir, env, name, stops=None):
        self.binary = binary
        self.workdir = workdir
        self.name = name
        self.stops = stops if stops is not None else []  # how long each stop took
        self.port = ephemeral_port()
        self.env = inherited_env({
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "SHUTDOWN_GRACE_SECONDS": "0",
            # The benchmark's users all register from 127.0.0.1, and its login
            # phase is not a flood to refuse.
            "REGISTRATIONS_PER_ADDRESS_PER_HOUR": "1000000",
            "PASSWORD_HASH_QUEUE": "10000",
            "MAX_BOOKS_PER_SELLER_PER_HOUR": "0",
            "REPLICA_ID": name,
            "LOG_LEVEL": "INFO",
        })
        self.env.update(env)
        self.proc = None
        self.ready_ms = None
        os.makedirs(os.path.join(workdir, "run"), exist_ok=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self):
        return self.proc.pid

    def start(self, timeout=60):
        self.port = ephemeral_port()
        self.env["PORT"] = str(self.port)
        log = os.path.join(self.workdir, f"{self.name}.log")
        t0 = time.perf_counter()
        # An empty working folder: no stray .env is read.
        self.proc = PROCS.start(self.name, [self.binary, "serve"], log, env=self.env,
                                cwd=os.path.join(self.workdir, "run"))
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                with open(log, "rb") as f:
                    tail = f.read()[-2000:].decode("utf-8", "replace")
                raise BenchError(f"{self.name} exited with {self.proc.returncode}:\n{tail}")
            if status_of(self.port, "/health") == 200:
                break
            if time.monotonic() > deadline:
                raise BenchError(f"{self.name} not ready within {timeout}s")
            time.sleep(0.002)
        self.ready_ms = (time.perf_counter() - t0) * 1000
        return self

    def stop(self, timeout=5):
        """SIGTERM (SHUTDOWN_GRACE_SECONDS=0), SIGKILL after `timeout` s; records how long it took."""
        if not self.proc:
            return
        t0 = time.monotonic()
        killed = not stop_popen(self.proc, signal.SIGTERM, timeout)
        self.stops.append({"server": self.name, "seconds": time.monotonic() - t0, "killed": killed})
        PROCS.stop(self.proc)
        self.proc = None

    def rss_mb(self):
        mem = proc_mem_kb(self.pid)
        return mem[0] / 1024 if mem else 0.0

    def cli(self, *args):
        r = subprocess.run([self.binary] + list(args), env=self.env, cwd=os.path.join(self.workdir, "run"),
                           capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise BenchError(f"bookstore {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
        return r.stdout


def timed_starts(server, count):
    """Starts the server `count` times (stopping all but the last); start-to-ready times."""
    times = []
    for i in range(count):
        server.start()
        times.append(server.ready_ms)
        if i < count - 1:
            server.stop()
    return times

