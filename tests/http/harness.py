"""Starts real servers for the HTTP tests: the bookstore binary and MariaDB.

Everything listens on 127.0.0.1 only, every wait is bounded, and every
process started here is stopped by the fixture that started it.
"""
import fcntl
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

BOOKSTORE_BIN = os.environ.get("BOOKSTORE_BIN", "")
SECRET = "test-secret-key-0123456789abcdef"


# Test servers are stopped and restarted on the same port, so a port must stay
# theirs while they are down. Ports are therefore taken below the kernel's
# ephemeral range (which outgoing connections and bind(0) draw from) and
# reserved with a lock file held for the life of this test process, so that
# parallel test processes never hand out the same port.
_PORT_RANGE = (20000, 32000)
_PORT_LOCK_DIR = os.path.join(tempfile.gettempdir(), "bookstore-test-ports")
_reserved_ports = {}


def _bindable(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    """A loopback port reserved for this process until it exits."""
    os.makedirs(_PORT_LOCK_DIR, exist_ok=True)
    rng = random.SystemRandom()
    for _ in range(500):
        port = rng.randrange(*_PORT_RANGE)
        if port in _reserved_ports:
            continue
        lock = open(os.path.join(_PORT_LOCK_DIR, str(port)), "a")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        if not _bindable(port):
            lock.close()
            continue
        _reserved_ports[port] = lock  # the open file keeps the reservation
        return port
    raise RuntimeError("no free loopback port found in %d-%d" % _PORT_RANGE)


def wait_until(predicate, timeout, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return time.monotonic()
        except Exception as e:  # the server may not be listening yet
            last_error = e
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout}s (last error: {last_error})")


class Bookstore:
    """One `bookstore serve` process on a free loopback port."""

    def __init__(self, workdir, env=None, name="bookstore"):
        if not BOOKSTORE_BIN or not os.path.exists(BOOKSTORE_BIN):
            raise RuntimeError(f"BOOKSTORE_BIN is not built: {BOOKSTORE_BIN!r}")
        self.workdir = workdir
        self.port = free_port()
        self.name = name
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "UPLOAD_DIR": os.path.join(workdir, "uploads"),
            "DATABASE_URL": "sqlite:///" + os.path.join(workdir, "bookstore.db"),
            "SHUTDOWN_GRACE_SECONDS": "0",
            "THREADS": "2",
            "REPLICA_ID": name,
            "LOG_LEVEL": "INFO",
        }
        for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if key in os.environ:
                self.env[key] = os.environ[key]
        self.env.update(env or {})
        self.port = int(self.env["PORT"])
        self.proc = None
        self.log_path = os.path.join(workdir, f"{name}-{self.port}.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait=True, timeout=60):
        os.makedirs(self.workdir, exist_ok=True)
        self.log = open(self.log_path, "ab")
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
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc and hasattr(self, "log"):
            self.log.close()
        return self.proc.returncode if self.proc else None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


def run_cli(args, workdir, env, timeout=60):
    """Runs `bookstore <args>`; returns the CompletedProcess."""
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if key in os.environ:
            full_env[key] = os.environ[key]
    full_env.update(env)
    return subprocess.run([BOOKSTORE_BIN] + list(args), cwd=workdir, env=full_env,
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

    def _tool(self, *names):
        for name in names:
            path = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
            if path:
                return path
        raise RuntimeError(f"none of {names} is installed (scripts/install-deps installs MariaDB)")

    def install(self):
        user_args = ["--user=root"] if os.geteuid() == 0 else []
        # mariadb-install-db occasionally fails on a loaded machine: retry on a
        # clean folder, and show its output when it keeps failing.
        for attempt in range(3):
            shutil.rmtree(self.datadir, ignore_errors=True)
            result = subprocess.run(
                [self._tool("mariadb-install-db", "mysql_install_db"), f"--datadir={self.datadir}",
                 "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"]
                + user_args,
                capture_output=True, timeout=180)
            if result.returncode == 0:
                return
            time.sleep(1 + attempt)
        raise RuntimeError("mariadb-install-db failed:\n" + result.stdout.decode(errors="replace")[-2000:]
                           + result.stderr.decode(errors="replace")[-2000:])

    def start(self, timeout=60):
        user_args = ["--user=root"] if os.geteuid() == 0 else []
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [self._tool("mariadbd", "mysqld"), "--no-defaults", f"--datadir={self.datadir}",
             f"--socket={self.socket}", f"--port={self.port}", "--bind-address=127.0.0.1",
             "--skip-name-resolve", "--innodb-buffer-pool-size=64M", "--max-connections=500",
             "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin",
             f"--pid-file={os.path.join(self.base, 'mariadb.pid')}"] + user_args,
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
        wait_until(lambda: subprocess.run(
            [self._tool("mariadb", "mysql"), f"--socket={self.socket}", "-uroot", "-e", "SELECT 1"],
            capture_output=True, timeout=10).returncode == 0, 30, interval=0.2,
            what="MariaDB socket login")
        subprocess.run(
            [self._tool("mariadb", "mysql"), f"--socket={self.socket}", "-uroot", "-e",
             f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
             f"CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
             f"ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '{self.ROOT_PASSWORD}';"
             "GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"],
            check=True, capture_output=True, timeout=30)
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
        from urllib.parse import quote
        url = f"mysql://{user}:{quote(password, safe='')}@127.0.0.1:{self.port}/{name}"
        return {"name": name, "user": user, "password": password, "url": url}

    def stop(self, timeout=60):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if hasattr(self, "log") and not self.log.closed:
            self.log.close()

    def destroy(self):
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
