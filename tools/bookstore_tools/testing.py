"""Real servers for the Python tests (tests/http, tests/browser): the bookstore
binary ($BOOKSTORE_BIN) and a throwaway MariaDB. Needs Debian's python3-requests
(and python3-pymysql for MariaDB connections).

Everything listens on 127.0.0.1 only, every wait is bounded, and every
process started here is stopped by the fixture that started it.
"""
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from urllib.parse import quote

import requests

from . import mariadb
from .ports import reserve_port as free_port
from .processes import inherited_env, stop_popen, wait_for

BOOKSTORE_BIN = os.environ.get("BOOKSTORE_BIN", "")
SECRET = "test-secret-key-0123456789abcdef"

__all__ = ["BOOKSTORE_BIN", "SECRET", "Bookstore", "MariaDB", "free_port", "run_cli", "wait_until"]


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    """Waits until `predicate()` is true (an exception counts as not yet: the
    server may not be listening); returns time.monotonic() then, or raises
    TimeoutError."""
    return wait_for(predicate, timeout, what, interval, retry_on=Exception, error=TimeoutError)


class Bookstore:
    """One `bookstore serve` process on a free loopback port."""

    def __init__(self, workdir, env=None, name="bookstore"):
        if not BOOKSTORE_BIN or not os.path.exists(BOOKSTORE_BIN):
            raise RuntimeError(f"BOOKSTORE_BIN is not built: {BOOKSTORE_BIN!r}")
        self.workdir = workdir
        self.port = free_port()
        self.name = name
        self.env = inherited_env({
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "UPLOAD_DIR": os.path.join(workdir, "uploads"),
            "DATABASE_URL": "sqlite:///" + os.path.join(workdir, "bookstore.db"),
            "SHUTDOWN_GRACE_SECONDS": "0",
            # Tests register many accounts from 127.0.0.1; the limit itself is
            # tested with its own setting (tests/http/test_abuse_limits.py).
            "REGISTRATIONS_PER_ADDRESS_PER_HOUR": "1000000",
            "THREADS": "2",
            "REPLICA_ID": name,
            "LOG_LEVEL": "INFO",
        })
        self.env.update(env or {})
        self.port = int(self.env["PORT"])
        self.proc = None
        self.log_path = os.path.join(workdir, f"{name}-{self.port}.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait=True, timeout=60):
        os.makedirs(self.workdir, exist_ok=True)
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            [BOOKSTORE_BIN, "serve"], cwd=self.workdir, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        if wait:
            self.wait_healthy(timeout)
        return self

    def wait_healthy(self, timeout=60):
        def healthy():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.output()}")
            return requests.get(self.url + "/health", timeout=2).status_code == 200
        try:
            wait_until(healthy, timeout, what=f"{self.name} healthy")
        except RuntimeError as e:
            raise AssertionError(str(e)) from None

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=30):
        stop_popen(self.proc, signal.SIGTERM, timeout, kill_wait=5)
        if self.proc and hasattr(self, "log"):
            self.log.close()
        return self.proc.returncode if self.proc else None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def run_cli(args, workdir, env, timeout=60):
    """Runs `bookstore <args>`; returns the CompletedProcess."""
    return subprocess.run([BOOKSTORE_BIN] + list(args), cwd=workdir, env=inherited_env(env),
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


class MariaDB:
    """A throwaway MariaDB server: its own data folder, loopback TCP, no systemd."""

    ROOT_PASSWORD = "root-pass-for-tests"

    def __init__(self):
        self.base = tempfile.mkdtemp(prefix="bookstore-mariadb-")
        self.datadir = os.path.join(self.base, "data")
        self.socket = os.path.join(self.base, "mysqld.sock")
        self.port = free_port()
        self.proc = None
        self.bootstrapped = False
        self.log_path = os.path.join(self.base, "mariadb.log")

    def install(self):
        mariadb.install_datadir(self.datadir)

    def start(self, timeout=60):
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(
            mariadb.server_argv(self.datadir, self.socket, self.port,
                                os.path.join(self.base, "mariadb.pid")),
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        wait_until(self._ready, timeout, interval=0.1, what="MariaDB ready")
        return self

    def _ready(self):
        if self.proc.poll() is not None:
            raise RuntimeError("mariadbd exited; see " + self.log_path)
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            pass
        if self.bootstrapped:
            # The answer must come from this server, not from another test's
            # MariaDB that happens to listen on the port.
            conn = self.connect(db=None)
            try:
                with conn.cursor() as c:
                    c.execute("SELECT @@datadir")
                    datadir = c.fetchone()[0]
            finally:
                conn.close()
            if os.path.realpath(datadir.rstrip("/")) != os.path.realpath(self.datadir):
                raise RuntimeError(f"port {self.port} is served by another MariaDB ({datadir})")
        return True

    def connect(self, db=None, user="root", password=None):
        import pymysql
        return pymysql.connect(
            host="127.0.0.1", port=self.port, user=user,
            password=self.ROOT_PASSWORD if password is None else password,
            database=db, autocommit=True, connect_timeout=2)

    def bootstrap_root(self):
        # A fresh datadir has root without a password on the socket only.
        wait_until(lambda: mariadb.socket_client(self.socket, "SELECT 1", timeout=10).returncode == 0,
                   30, interval=0.2, what="MariaDB socket login")
        result = mariadb.socket_client(
            self.socket,
            f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
            f"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
            f"ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
            "GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;")
        if result.returncode != 0:
            raise RuntimeError(f"could not set MariaDB's root password: {result.stderr}")
        self.bootstrapped = True

    def create_database(self, prefix="bs"):
        name = f"{prefix}_{secrets.token_hex(4)}"
        user = f"u{secrets.token_hex(4)}"
        password = "p-" + secrets.token_hex(8) + "'\\ x"  # quotes/backslashes must survive
        conn = self.connect()
        with conn.cursor() as c:
            c.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            c.execute(f"CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY %s", (password,))
            c.execute(f"GRANT ALL ON `{name}`.* TO '{user}'@'127.0.0.1'")
        conn.close()
        url = f"mysql://{user}:{quote(password, safe='')}@127.0.0.1:{self.port}/{name}"
        return {"name": name, "user": user, "password": password, "url": url}

    def stop(self, timeout=60):
        stop_popen(self.proc, signal.SIGTERM, timeout)
        if hasattr(self, "log") and not self.log.closed:
            self.log.close()

    def destroy(self):
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
