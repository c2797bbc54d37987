"""A private MariaDB server: its data folder, its command line, the root client
on its unix socket, and a data folder template made once per machine."""
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import time

from .processes import require_tool

HINT = "scripts/install-deps installs MariaDB"


def _as_root_args():
    return ["--user=root"] if os.geteuid() == 0 else []


def install_datadir(datadir, attempts=3, error=RuntimeError):
    """mariadb-install-db into a new `datadir` (root: unix socket login only).

    It occasionally fails on a loaded machine: retried on a clean folder, and
    its output is shown when it keeps failing."""
    argv = [require_tool("mariadb-install-db", "mysql_install_db", error=error, hint=HINT),
            "--no-defaults", f"--datadir={datadir}", "--auth-root-authentication-method=normal",
            "--skip-test-db", "--skip-name-resolve"] + _as_root_args()
    for attempt in range(attempts):
        shutil.rmtree(datadir, ignore_errors=True)
        result = subprocess.run(argv, capture_output=True, text=True, timeout=180,
                                stdin=subprocess.DEVNULL)
        if result.returncode == 0:
            return
        if attempt + 1 < attempts:
            time.sleep(1 + attempt)
    raise error(f"mariadb-install-db failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")


def server_argv(datadir, socket_path, port, pid_file, error=RuntimeError):
    """mariadbd on 127.0.0.1:port and a unix socket; no config files, small and fast."""
    return [require_tool("mariadbd", "mysqld", error=error, hint=HINT), "--no-defaults",
            f"--datadir={datadir}", f"--socket={socket_path}", f"--port={port}",
            "--bind-address=127.0.0.1", "--skip-name-resolve", "--innodb-buffer-pool-size=64M",
            "--max-connections=500", "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin",
            # The catalog search's FULLTEXT index (README, "Search"): every word
            # indexed, one letter long included, and no stopword list.
            "--innodb-ft-min-token-size=1", "--innodb-ft-enable-stopword=0",
            f"--pid-file={pid_file}"] + _as_root_args()


def socket_client(socket_path, sql, timeout=30, error=RuntimeError):
    """Runs `sql` as root over the unix socket; the CompletedProcess (text)."""
    return subprocess.run([require_tool("mariadb", "mysql", error=error, hint=HINT),
                           f"--socket={socket_path}", "-uroot", "--connect-timeout=5", "-e", sql],
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def template_datadir():
    """An initialized data folder, made once per machine and MariaDB version, to
    copy (shutil.copytree) for each new server: `mariadb-install-db` takes ~9 s,
    a copy well under one."""
    server = require_tool("mariadbd", "mysqld", hint=HINT)
    version = subprocess.run([server, "--version"], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL).stdout
    tag = hashlib.sha1(version.encode()).hexdigest()[:10]
    base = os.path.join(tempfile.gettempdir(), f"bookstore-fleet-mariadb-template-{os.geteuid()}-{tag}")
    data = os.path.join(base, "data")
    ready = os.path.join(data, ".fleet-template-ready")
    if os.path.exists(ready):
        return data
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.exists(ready):
            tmp = os.path.join(base, f"data.tmp{os.getpid()}")
            install_datadir(tmp)
            open(os.path.join(tmp, ".fleet-template-ready"), "w").close()
            shutil.rmtree(data, ignore_errors=True)
            os.rename(tmp, data)
    return data
