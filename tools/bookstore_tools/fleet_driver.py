"""Drives the `fleet` command (deploy/local/fleet) as a separate process, in a
state folder of its own, and reads what it reports: used by the benchmark and
by the high-availability tests."""
import json
import os
import subprocess
import time
from urllib.parse import unquote, urlsplit

from . import REPO_ROOT, haproxy

FLEET_COMMAND = os.path.join(REPO_ROOT, "deploy", "local", "fleet")
PYTHON = "/usr/bin/python3"


def database_settings(database_url):
    """{host, port, user, password, name} of a mysql:// URL (user and password percent-decoded)."""
    u = urlsplit(database_url)
    return {"host": u.hostname, "port": u.port, "user": unquote(u.username or ""),
            "password": unquote(u.password or ""), "name": u.path.lstrip("/")}


class FleetDriver:
    """One fleet in `state_dir`, driven through the `fleet` command."""

    error = RuntimeError  # what a failed or stuck command raises

    def __init__(self, state_dir, binary=None, command=FLEET_COMMAND):
        self.state_dir = state_dir
        self.binary = binary
        self.command = command
        self.info = None  # the last `status --json`

    def argv(self, *args):
        argv = [PYTHON, self.command, "--state-dir", self.state_dir]
        if self.binary:
            argv += ["--bin", self.binary]
        return argv + list(args)

    def execute(self, *args, timeout=300):
        """Runs `fleet ARGS`: (exit code, stdout, stderr, seconds); kills it after `timeout` s."""
        t0 = time.monotonic()
        proc = subprocess.Popen(self.argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise self.error(f"`fleet {' '.join(args)}` took more than {timeout}s:\n{out}\n{err[-3000:]}")
        return proc.returncode, out, err, time.monotonic() - t0

    def checked(self, *args, timeout=300):
        """`execute` that raises when the command fails; its stdout."""
        code, out, err, _ = self.execute(*args, timeout=timeout)
        if code != 0:
            raise self.error(f"`fleet {' '.join(args)}` failed ({code}):\n{out}\n{err[-3000:]}")
        return out

    def refresh(self):
        """Reads `fleet status --json` into self.info (kept as it was when unreadable)."""
        _, out, _, _ = self.execute("status", "--json", timeout=30)
        try:
            self.info = json.loads(out)
        except ValueError:
            pass
        return self.info

    def exists(self):
        return os.path.exists(os.path.join(self.state_dir, "fleet.json"))

    # Views of the last status ---------------------------------------------
    @property
    def url(self):
        return self.info["url"].rstrip("/")

    @property
    def port(self):
        return urlsplit(self.info["url"]).port

    def database(self):
        return database_settings(self.info["database_url"])

    def replica_pids(self):
        return [r["pid"] for r in self.info["replicas"]]

    def hap(self, command):
        return haproxy.admin(self.info["haproxy_socket"], command)

    def stats(self):
        """{svname: row} of the backend (its servers and BACKEND)."""
        return haproxy.parse_show_stat(self.hap("show stat"))
