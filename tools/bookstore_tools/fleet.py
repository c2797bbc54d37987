"""The BookStore fleet on one machine: HAProxy + N replicas + MariaDB + shared uploads.

    fleet up [--replicas N] [--port P] [--stats-port P] ...   start (or repair) the fleet
    fleet status [--json]                                     URLs and each replica's state
    fleet scale N                                             add or drain-and-remove replicas
    fleet restart                                             rolling restart, one replica at a time
    fleet db stop|start|status                                stop/start the database (outage drills)
    fleet cli -- ARGS...                                      run `bookstore ARGS` with the fleet's settings
    fleet down [--wipe]                                       stop everything; --wipe deletes the state folder

Roles (see deploy/local/README.md): HAProxy is the ALB and its target group,
`fleet scale` the Auto Scaling group, MariaDB Aurora, the shared uploads folder EFS.

Everything listens on 127.0.0.1 only. Every process is started by this command,
recorded with its pid and start time in the state folder, and stopped by pid.
Uses only the Python standard library (Debian's /usr/bin/python3). The command
is deploy/local/fleet, which calls main() here.
"""
import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import REPO_ROOT, haproxy, mariadb, processes
from .haproxy import BACKEND
from .httpcall import status_of
from .ports import PortPicker, port_free

DEFAULT_STATE_DIR = os.path.join(REPO_ROOT, "deploy", "local", "state")
DEFAULTS = {
    "replicas": 2,
    "port": 8080,
    "stats_port": 8404,
    "slots": 8,
    "grace": 5,          # SHUTDOWN_GRACE_SECONDS: > fall * inter of the checks (2 s)
    "threads": 2,
    "db_timeout_ms": 1500,
}
DB_NAME = "bookstore"
DB_USER = "bookstore"
STATE_VERSION = 1


class FleetError(Exception):
    pass


_say_lock = threading.Lock()


def say(msg):
    with _say_lock:
        sys.stderr.write(f"[fleet] {msg}\n")
        sys.stderr.flush()


# ------------------------------------------------------------ processes ---
# Each process the fleet starts is recorded with its pid and start time, so a
# later command never signals a reused pid.

def alive(rec):
    """True while the recorded process runs (not a zombie, not a reused pid)."""
    if not rec or not rec.get("pid"):
        return False
    return not processes.process_gone(rec["pid"]) and \
        processes.start_time(rec["pid"]) == rec.get("start_time")


def spawn(argv, log_path, env=None, cwd=None):
    """Starts a long-lived process in its own session; returns its record."""
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=cwd, start_new_session=True, close_fds=True)
    rec = {"pid": proc.pid, "start_time": processes.start_time(proc.pid),
           "argv0": os.path.basename(argv[0])}
    rec["_popen"] = proc  # dropped when saved; lets this invocation see an early exit
    return rec


def exited_early(rec):
    proc = rec.get("_popen")
    return proc is not None and proc.poll() is not None


def send_signal(rec, sig):
    if alive(rec):
        try:
            os.kill(rec["pid"], sig)
            return True
        except ProcessLookupError:
            return False
    return False


def wait_gone(rec, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = rec.get("_popen")
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(0.05)
        if not alive(rec):
            return True
        time.sleep(0.05)
    return not alive(rec)


def stop_process(rec, what, timeout, sig=signal.SIGTERM):
    """Signals a recorded process and waits; SIGKILL after `timeout`. True if it stopped in time."""
    if not alive(rec):
        return True
    send_signal(rec, sig)
    if wait_gone(rec, timeout):
        return True
    say(f"{what} (pid {rec['pid']}) still running after {timeout:.0f}s; sending SIGKILL")
    send_signal(rec, signal.SIGKILL)
    wait_gone(rec, 10)
    return False


_ports = PortPicker()


def pick_port(preferred=None):
    """`preferred` when it is free, else a free ephemeral loopback port (never one handed out before)."""
    port = _ports.pick(preferred)
    if port is None:
        raise FleetError("no free loopback port")
    return port


def wait_for(predicate, timeout, what, interval=0.1):
    return processes.wait_for(predicate, timeout, what, interval, error=FleetError)


def tool(*names):
    return processes.require_tool(*names, error=FleetError)


def free_slots(taken, count):
    """The `count` lowest slot names r1, r2, ... not in `taken`."""
    names = []
    i = 1
    while len(names) < count:
        if f"r{i}" not in taken:
            names.append(f"r{i}")
        i += 1
    return names


# ---------------------------------------------------------------- state ---

class Fleet:
    def __init__(self, state_dir, bin_override=None):
        self.dir = os.path.abspath(state_dir)
        self.file = os.path.join(self.dir, "fleet.json")
        self.secrets_file = os.path.join(self.dir, "secrets.json")
        self.bin_override = bin_override
        self.st = None
        self.secret = None
        self._save_lock = threading.RLock()  # guards self.st between worker threads

    # Paths -----------------------------------------------------------
    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    @property
    def sock_dir(self):
        """Folder for the unix sockets; a short one under /tmp when the state path is too long."""
        if len(self.path("run", "haproxy.sock")) < 100:
            return self.path("run")
        digest = hashlib.sha1(self.dir.encode()).hexdigest()[:12]
        return os.path.join(tempfile.gettempdir(), f"bookstore-fleet-{digest}")

    @property
    def haproxy_sock(self):
        return os.path.join(self.sock_dir, "haproxy.sock")

    @property
    def mysql_sock(self):
        return os.path.join(self.sock_dir, "mysqld.sock")

    @property
    def datadir(self):
        return self.path("mariadb", "data")

    @property
    def upload_dir(self):
        return self.path("uploads")

    # Load and save ---------------------------------------------------
    def exists(self):
        return os.path.exists(self.file)

    def load(self):
        if self.exists():
            with open(self.file) as f:
                self.st = json.load(f)
        else:
            self.st = {"version": STATE_VERSION, "settings": dict(DEFAULTS, env={}),
                       "haproxy": {}, "mariadb": {}, "replicas": {}}
        if os.path.exists(self.secrets_file):
            with open(self.secrets_file) as f:
                self.secret = json.load(f)
        return self

    def save(self):
        with self._save_lock:
            os.makedirs(self.dir, exist_ok=True)
            clean = json.loads(json.dumps(self.st, default=lambda o: None))
            for rec in [clean["haproxy"], clean["mariadb"]] + list(clean["replicas"].values()):
                rec.pop("_popen", None)
            tmp = self.file + ".tmp"
            with open(tmp, "w") as f:
                json.dump(clean, f, indent=2, sort_keys=True)
            os.replace(tmp, self.file)

    def ensure_dirs(self):
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        for sub in ("logs", "run", "mariadb", os.path.join("uploads", "covers"), "haproxy"):
            os.makedirs(self.path(sub), exist_ok=True)
        os.makedirs(self.sock_dir, mode=0o700, exist_ok=True)
        os.chmod(self.path("run"), 0o700)
        info = os.lstat(self.sock_dir)
        if info.st_uid != os.geteuid() or (info.st_mode & 0o077):
            raise FleetError(f"{self.sock_dir} must be a private folder of this user")

    def ensure_secrets(self):
        if self.secret:
            return
        self.secret = {"secret_key": secrets.token_hex(32), "db_password": secrets.token_hex(16)}
        fd = os.open(self.secrets_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(self.secret, f)

    @contextlib.contextmanager
    def locked(self):
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        with open(self.path(".lock"), "w") as lock:
            deadline = time.monotonic() + 600
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise FleetError("another fleet command holds the lock") from None
                    time.sleep(0.1)
            self.load()
            yield self

    # Settings ----------------------------------------------------------
    @property
    def settings(self):
        return self.st["settings"]

    def bookstore_bin(self):
        candidates = [self.bin_override, os.environ.get("BOOKSTORE_BIN"), self.st.get("bin"),
                      os.path.join(REPO_ROOT, "build", "bookstore")]
        for c in candidates:
            if c and os.path.isfile(c) and os.access(c, os.X_OK):
                return os.path.abspath(c)
        raise FleetError("bookstore binary not found: build it (cmake --build build) "
                         "or set BOOKSTORE_BIN / --bin")

    def database_url(self):
        port = self.st["mariadb"]["port"]
        return f"mysql://{DB_USER}:{self.secret['db_password']}@127.0.0.1:{port}/{DB_NAME}"

    def app_env(self, extra=None):
        env = processes.inherited_env(keys=processes.SANITIZER_KEYS + ("TZ", "LANG"))
        env.update({
            "DATABASE_URL": self.database_url(),
            "SECRET_KEY": self.secret["secret_key"],
            "UPLOAD_DIR": self.upload_dir,
            "SHUTDOWN_GRACE_SECONDS": str(self.settings["grace"]),
            "THREADS": str(self.settings["threads"]),
            "DB_TIMEOUT_MS": str(self.settings["db_timeout_ms"]),
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_LEVEL": "INFO",
            # Every test buyer registers from 127.0.0.1 through HAProxy.
            "REGISTRATIONS_PER_ADDRESS_PER_HOUR": "1000000",
        })
        env.update(self.settings.get("env", {}))
        env.update(extra or {})
        return env

    # ------------------------------------------------------------ MariaDB ---
    def mariadb_running(self):
        return alive(self.st["mariadb"])

    def mysql_client(self, sql, timeout=30):
        return mariadb.socket_client(self.mysql_sock, sql, timeout, error=FleetError)

    def start_mariadb(self, timeout=90):
        db = self.st["mariadb"]
        if alive(db):
            return
        self.ensure_dirs()
        fresh = not os.path.isdir(os.path.join(self.datadir, "mysql"))
        if fresh:
            say(f"creating the MariaDB data folder {self.datadir}")
            mariadb.install_datadir(self.datadir, error=FleetError)
        port = db.get("port")
        if not port:
            port = pick_port()
        elif not port_free(port, reuse_addr=True):
            raise FleetError(f"the database port {port} is taken by another program; the replicas' "
                             "DATABASE_URL points there")
        log = self.path("logs", "mariadb.log")
        rec = spawn(mariadb.server_argv(self.datadir, self.mysql_sock, port,
                                        self.path("mariadb", "mariadb.pid"), error=FleetError), log)
        rec["port"] = port
        self.st["mariadb"] = rec
        self.save()

        def ready():
            if exited_early(rec):
                raise FleetError(f"mariadbd exited; see {log}")
            return self.mysql_client("SELECT 1", timeout=10).returncode == 0
        wait_for(ready, timeout, "MariaDB ready", interval=0.1)
        pw = self.secret["db_password"]
        sql = (f"CREATE DATABASE IF NOT EXISTS `{DB_NAME}` CHARACTER SET utf8mb4;"
               f"CREATE USER IF NOT EXISTS '{DB_USER}'@'127.0.0.1' IDENTIFIED BY '{pw}';"
               f"ALTER USER '{DB_USER}'@'127.0.0.1' IDENTIFIED BY '{pw}';"
               f"GRANT ALL ON `{DB_NAME}`.* TO '{DB_USER}'@'127.0.0.1';")
        # root only through the private unix socket; no anonymous or remote root accounts.
        sql += "DELETE FROM mysql.global_priv WHERE User='' OR (User='root' AND Host<>'localhost');"
        r = self.mysql_client(sql + "FLUSH PRIVILEGES;")
        if r.returncode != 0:
            raise FleetError(f"could not create the database and its user: {r.stderr}")
        say(f"MariaDB on 127.0.0.1:{port} (pid {rec['pid']})")

    def stop_mariadb(self, timeout=90):
        db = self.st["mariadb"]
        if alive(db):
            say(f"stopping MariaDB (pid {db['pid']})")
            stop_process(db, "mariadbd", timeout)
        for key in ("pid", "start_time", "_popen"):
            db.pop(key, None)
        self.save()

    # ------------------------------------------------------------ HAProxy ---
    def haproxy_running(self):
        return alive(self.st["haproxy"])

    def slot_names(self):
        return [f"r{i}" for i in range(1, self.settings["slots"] + 1)]

    def haproxy_config(self):
        s = self.settings
        servers = []
        for name in self.slot_names():
            rec = self.st["replicas"].get(name)
            servers.append((name, rec["port"] if rec else None))
        return haproxy.render_config(s["port"], s["stats_port"], self.haproxy_sock, servers)

    def write_haproxy_config(self):
        cfg = self.path("haproxy", "haproxy.cfg")
        tmp = cfg + ".tmp"
        with open(tmp, "w") as f:
            f.write(self.haproxy_config())
        haproxy.check_config(tmp, error=FleetError)
        os.replace(tmp, cfg)
        return cfg

    def hap(self, command, timeout=5.0):
        """One command on HAProxy's admin socket; returns its answer."""
        try:
            answer = haproxy.admin(self.haproxy_sock, command, timeout)
        except OSError as e:
            raise FleetError(f"HAProxy admin socket {self.haproxy_sock}: {e}") from None
        if command.startswith("set ") and answer.strip() and "changed from" not in answer \
                and "no need to change" not in answer:
            raise FleetError(f"HAProxy refused `{command}`: {answer.strip()}")
        return answer

    def server_stats(self):
        """{server name: row of `show stat`} for the backend's servers."""
        try:
            rows = haproxy.parse_show_stat(self.hap("show stat"), BACKEND)
        except ValueError as e:
            raise FleetError(str(e)) from None
        return {name: row for name, row in rows.items() if name not in ("FRONTEND", "BACKEND")}

    def start_haproxy(self):
        hp = self.st["haproxy"]
        if alive(hp):
            return
        for port in (self.settings["port"], self.settings["stats_port"]):
            if not port_free(port, reuse_addr=True):
                raise FleetError(f"port {port} is taken; choose another with --port/--stats-port")
        cfg = self.write_haproxy_config()
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.haproxy_sock)
        log = self.path("logs", "haproxy.log")
        rec = spawn([tool("haproxy"), "-W", "-f", cfg, "-p", self.path("haproxy", "haproxy.pid")], log)
        self.st["haproxy"] = rec
        self.save()

        def ready():
            if exited_early(rec):
                raise FleetError(f"haproxy exited; see {log}")
            try:
                return "Pid:" in self.hap("show info", timeout=1)
            except (FleetError, OSError):
                return False
        wait_for(ready, 30, "HAProxy ready")
        say(f"HAProxy on 127.0.0.1:{self.settings['port']} (pid {rec['pid']})")

    def reload_haproxy(self):
        """Hitless reload (master-worker): the new worker takes over the listeners."""
        old_pid = haproxy.worker_pid(self.hap("show info"))
        self.write_haproxy_config()
        send_signal(self.st["haproxy"], signal.SIGUSR2)

        def reloaded():
            try:
                info = self.hap("show info", timeout=1)
            except (FleetError, OSError):
                return False
            pid = haproxy.worker_pid(info)
            return pid and pid != old_pid
        wait_for(reloaded, 30, "HAProxy reload")
        say("HAProxy reloaded")

    def stop_haproxy(self):
        hp = self.st["haproxy"]
        if alive(hp):
            say(f"stopping HAProxy (pid {hp['pid']})")
            stop_process(hp, "haproxy", 30, sig=signal.SIGUSR1)  # soft stop: finish open requests
        for key in ("pid", "start_time", "_popen"):
            hp.pop(key, None)
        self.save()

    # Runtime API: a slot in and out of rotation -----------------------
    def lb_enable(self, name):
        """Puts a running replica into rotation, only after HAProxy's own check passed."""
        if not self.haproxy_running():
            return
        rec = self.st["replicas"][name]
        sv = f"{BACKEND}/{name}"
        self.hap(f"set server {sv} state maint")
        self.hap(f"set server {sv} addr 127.0.0.1 port {rec['port']}")
        # Leaving maintenance marks a server up before any check: leave it in
        # drain (no traffic), force it down, and let a real check bring it up.
        self.hap(f"set server {sv} state drain")
        self.hap(f"set server {sv} health down")

        def checked_up():
            row = self.server_stats().get(name, {})
            return row.get("status", "").startswith("DRAIN")
        wait_for(checked_up, 30, f"first passing health check of {name}", interval=0.05)
        self.hap(f"set server {sv} state ready")

    def lb_disable(self, name, timeout=40):
        """Takes a replica out of rotation and waits for its in-flight requests to end."""
        if not self.haproxy_running():
            return
        sv = f"{BACKEND}/{name}"
        self.hap(f"set server {sv} state drain")

        def idle():
            row = self.server_stats().get(name, {})
            return row.get("scur", "0") in ("0", "") and row.get("qcur", "0") in ("0", "")
        try:
            wait_for(idle, timeout, f"{name} without in-flight requests", interval=0.05)
        finally:
            self.hap(f"set server {sv} state maint")

    def ensure_slots(self, count):
        if count <= self.settings["slots"]:
            return
        self.settings["slots"] = max(count, self.settings["slots"] * 2)
        self.save()
        if self.haproxy_running():
            self.reload_haproxy()
        else:
            self.write_haproxy_config()

    # ----------------------------------------------------------- replicas ---
    def active(self):
        return sorted(self.st["replicas"], key=lambda n: int(n[1:]))

    def start_replica(self, name):
        """Starts the bookstore process of a slot and waits until its /health is 200."""
        old = self.st["replicas"].get(name, {})
        port = pick_port(old.get("port"))
        log = self.path("logs", f"{name}.log")
        run_dir = self.path("run", name)
        os.makedirs(run_dir, exist_ok=True)  # empty working folder: no stray .env
        with open(log, "ab") as f:
            f.write(f"=== fleet: starting {name} on 127.0.0.1:{port} at "
                    f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n".encode())
            offset = f.tell()
        rec = spawn([self.bookstore_bin(), "serve"], log, cwd=run_dir, env=self.app_env(
            {"HOST": "127.0.0.1", "PORT": str(port), "REPLICA_ID": name}))
        rec.update(port=port, log=log, log_offset=offset, started_at=time.time())
        with self._save_lock:
            self.st["replicas"][name] = rec
            self.save()

        def healthy():
            if exited_early(rec) or not alive(rec):
                raise FleetError(f"replica {name} exited at start; see {log}")
            return status_of(port, "/health") == 200
        wait_for(healthy, 90, f"{name} healthy", interval=0.1)
        say(f"replica {name} healthy on 127.0.0.1:{port} (pid {rec['pid']})")
        return rec

    def stop_replica(self, name):
        """Drains a replica (out of rotation, in-flight finished), SIGTERMs it and forgets it."""
        rec = self.st["replicas"].get(name)
        if rec is None:
            return
        with contextlib.suppress(FleetError):
            self.lb_disable(name)
        if alive(rec):
            ok = stop_process(rec, name, self.settings["grace"] + 35)
            say(f"replica {name} (pid {rec['pid']}) stopped{'' if ok else ' with SIGKILL'}")
        with self._save_lock:
            del self.st["replicas"][name]
            self.save()

    def add_replica(self, name):
        self.start_replica(name)
        self.lb_enable(name)

    def free_slots(self, count):
        return free_slots(set(self.st["replicas"]), count)

    def parallel(self, fn, names):
        errors = []

        def run(name):
            try:
                fn(name)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(f"{name}: {e}")
        threads = [threading.Thread(target=run, args=(n,)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise FleetError("; ".join(errors))

    def scale(self, count):
        if count < 0:
            raise FleetError("the number of replicas cannot be negative")
        current = self.active()
        if count > len(current):
            new = self.free_slots(count - len(current))
            self.ensure_slots(max(int(n[1:]) for n in new))
            say(f"scaling out {len(current)} -> {count}: {' '.join(new)}")
            self.parallel(self.add_replica, new)
        elif count < len(current):
            victims = current[count:]
            say(f"scaling in {len(current)} -> {count}: draining {' '.join(victims)}")
            self.parallel(self.stop_replica, victims)
        self.write_haproxy_config()

    def repair(self):
        """Replaces replicas whose process died (for example killed), in their slots."""
        dead = [n for n in self.active() if not alive(self.st["replicas"][n])]
        for name in dead:
            say(f"replica {name} is not running; starting it again")
            if self.haproxy_running():
                self.hap(f"set server {BACKEND}/{name} state maint")
        self.parallel(self.add_replica, dead)

    def rolling_restart(self):
        for name in self.active():
            if len(self.active()) == 1:
                (new,) = self.free_slots(1)
                self.ensure_slots(int(new[1:]))
                say(f"restarting {name}: surge {new} first (only one replica)")
                self.add_replica(new)
                self.stop_replica(name)
            else:
                say(f"restarting {name}")
                self.stop_replica(name)
                self.add_replica(name)
        self.write_haproxy_config()

    def wait_all_up(self, timeout=30):
        if not self.haproxy_running() or not self.active():
            return

        def all_up():
            rows = self.server_stats()
            return all(rows.get(n, {}).get("status") == "UP" for n in self.active())
        wait_for(all_up, timeout, "every replica UP in HAProxy")

    # ------------------------------------------------------------- status ---
    def status(self):
        hp, db = self.st["haproxy"], self.st["mariadb"]
        rows = {}
        if alive(hp):
            with contextlib.suppress(FleetError, OSError):
                rows = self.server_stats()
        s = self.settings
        out = {
            "state_dir": self.dir,
            "url": f"http://127.0.0.1:{s['port']}/",
            "stats_url": f"http://127.0.0.1:{s['stats_port']}/haproxy?stats",
            "haproxy_socket": self.haproxy_sock,
            "haproxy": {"running": alive(hp), "pid": hp.get("pid"),
                        "log": self.path("logs", "haproxy.log")},
            "mariadb": {"running": alive(db), "pid": db.get("pid"), "port": db.get("port"),
                        "datadir": self.datadir, "socket": self.mysql_sock,
                        "log": self.path("logs", "mariadb.log")},
            "database_url": self.database_url() if self.secret and db.get("port") else None,
            "secret_key": self.secret["secret_key"] if self.secret else None,
            "upload_dir": self.upload_dir,
            "settings": s,
            "replicas": [],
        }
        for name in self.active():
            rec = self.st["replicas"][name]
            row = rows.get(name, {})
            out["replicas"].append({
                "name": name, "pid": rec.get("pid"), "port": rec.get("port"),
                "url": f"http://127.0.0.1:{rec.get('port')}", "running": alive(rec),
                "lb_status": row.get("status"), "check_status": row.get("check_status"),
                "in_flight": int(row.get("scur") or 0), "served": int(row.get("lbtot") or 0),
                "log": rec.get("log"), "log_offset": rec.get("log_offset"),
                "started_at": rec.get("started_at")})
        return out


# ------------------------------------------------------------- commands ---

def print_status(fleet, as_json=False):
    info = fleet.status()
    if as_json:
        print(json.dumps(info, indent=2, sort_keys=True))
        return
    up = info["haproxy"]["running"]
    print(f"BookStore fleet (state {info['state_dir']})")
    print(f"  store:    {info['url']}{'' if up else '  (HAProxy not running)'}")
    print(f"  stats:    {info['stats_url']}")
    db = info["mariadb"]
    db_state = f"running, pid {db['pid']}" if db["running"] else "STOPPED"
    print(f"  database: MariaDB ({db_state}) on 127.0.0.1:{db['port']}, data {db['datadir']}")
    print(f"  uploads:  {info['upload_dir']}")
    print(f"  replicas: {len(info['replicas'])}")
    for r in info["replicas"]:
        proc = f"pid {r['pid']}" if r["running"] else "process DEAD"
        lb = r["lb_status"] or "-"
        check = r["check_status"] or "-"
        print(f"    {r['name']:<4} 127.0.0.1:{r['port']:<6} {proc:<14} haproxy {lb:<8} check {check:<6}"
              f" served {r['served']}")


def cmd_up(fleet, args):
    with fleet.locked():
        s = fleet.settings
        running = fleet.haproxy_running()
        for key in ("port", "stats_port"):
            value = getattr(args, key)
            if value is not None:
                if running and value != s[key]:
                    raise FleetError(f"HAProxy is running on the old --{key.replace('_', '-')}; "
                                     "run `fleet down` first")
                s[key] = value if value != 0 else pick_port()
        for key in ("grace", "threads", "db_timeout_ms", "slots"):
            value = getattr(args, key)
            if value is not None:
                s[key] = value
        for item in args.env or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise FleetError(f"--env wants KEY=VALUE, got {item!r}")
            s.setdefault("env", {})[key] = value
        count = args.replicas if args.replicas is not None else \
            fleet.st.get("desired", len(fleet.active()) or DEFAULTS["replicas"])
        fleet.st["desired"] = count
        fleet.st["bin"] = fleet.bookstore_bin()
        fleet.ensure_dirs()
        fleet.ensure_secrets()
        fleet.save()
        fleet.start_mariadb()
        fleet.ensure_slots(count)
        fleet.repair()
        if not fleet.haproxy_running():
            # Replicas first, so HAProxy starts with healthy servers.
            fleet.scale(count)
            fleet.start_haproxy()
        else:
            fleet.scale(count)
        fleet.write_haproxy_config()
        fleet.wait_all_up()
        if args.seed_demo:
            r = run_cli(fleet, ["seed-demo"])
            if r.returncode != 0:
                raise FleetError("seed-demo failed")
    print_status(fleet)
    return 0


def cmd_down(fleet, args):
    if not fleet.exists():
        say(f"no fleet in {fleet.dir}")
        return 0
    with fleet.locked():
        names = fleet.active()
        if names:
            say(f"stopping replicas {' '.join(names)}")
        if fleet.haproxy_running():
            for name in names:
                with contextlib.suppress(FleetError, OSError):
                    fleet.hap(f"set server {BACKEND}/{name} state drain")
        fleet.parallel(fleet.stop_replica, names)
        fleet.stop_haproxy()
        fleet.stop_mariadb()
        if args.wipe:
            if not os.path.exists(fleet.file):
                raise FleetError(f"{fleet.dir} does not look like a fleet state folder; not wiping")
            sock_dir = fleet.sock_dir
            shutil.rmtree(fleet.dir)
            if not sock_dir.startswith(fleet.dir):
                shutil.rmtree(sock_dir, ignore_errors=True)
            say(f"wiped {fleet.dir}")
        else:
            say(f"stopped; data kept in {fleet.dir} (`fleet down --wipe` deletes it)")
    return 0


def cmd_status(fleet, args):
    if not fleet.exists():
        if args.json:
            print(json.dumps({"state_dir": fleet.dir, "exists": False}))
        else:
            print(f"no fleet in {fleet.dir} (start one with `fleet up`)")
        return 3
    fleet.load()
    print_status(fleet, args.json)
    return 0 if fleet.haproxy_running() else 3


def cmd_scale(fleet, args):
    with fleet.locked():
        if not fleet.haproxy_running():
            raise FleetError("the fleet is not running; use `fleet up --replicas N`")
        fleet.st["desired"] = args.count
        fleet.repair()
        fleet.scale(args.count)
        fleet.wait_all_up()
    print_status(fleet)
    return 0


def cmd_restart(fleet, args):
    with fleet.locked():
        if not fleet.haproxy_running():
            raise FleetError("the fleet is not running")
        fleet.rolling_restart()
        fleet.wait_all_up()
    print_status(fleet)
    return 0


def cmd_db(fleet, args):
    with fleet.locked():
        if args.action == "stop":
            fleet.stop_mariadb()
        elif args.action == "start":
            fleet.ensure_dirs()
            fleet.ensure_secrets()
            fleet.start_mariadb()
        print(json.dumps(fleet.status()["mariadb"]))
    return 0


def run_cli(fleet, argv):
    env = fleet.app_env()
    run_dir = fleet.path("run", "cli")
    os.makedirs(run_dir, exist_ok=True)
    return subprocess.run([fleet.bookstore_bin()] + argv, env=env, cwd=run_dir, timeout=600,
                          stdin=subprocess.DEVNULL)


def cmd_cli(fleet, args):
    fleet.load()
    if not fleet.secret:
        raise FleetError("the fleet was never started")
    argv = [a for a in args.args if a != "--"] if args.args[:1] == ["--"] else args.args
    return run_cli(fleet, argv).returncode


def main(argv=None):
    p = argparse.ArgumentParser(prog="fleet", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--state-dir", default=os.environ.get("FLEET_STATE_DIR", DEFAULT_STATE_DIR),
                   help="state folder: pids, ports, configuration, database, uploads, logs "
                        "(default $FLEET_STATE_DIR or deploy/local/state)")
    p.add_argument("--bin", help="bookstore binary (default $BOOKSTORE_BIN, then build/bookstore)")
    sub = p.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start the fleet, or repair and resize a running one")
    up.add_argument("--replicas", type=int, help=f"number of replicas (default {DEFAULTS['replicas']}, "
                                                  "or the current number)")
    up.add_argument("--port", type=int, help=f"store port on 127.0.0.1 (default {DEFAULTS['port']}; 0 = any)")
    up.add_argument("--stats-port", type=int, help=f"HAProxy stats port (default {DEFAULTS['stats_port']}; 0 = any)")
    up.add_argument("--grace", type=int, help=f"SHUTDOWN_GRACE_SECONDS of the replicas (default {DEFAULTS['grace']})")
    up.add_argument("--threads", type=int, help=f"THREADS per replica (default {DEFAULTS['threads']})")
    up.add_argument("--db-timeout-ms", type=int, help=f"DB_TIMEOUT_MS (default {DEFAULTS['db_timeout_ms']})")
    up.add_argument("--slots", type=int, help=f"server slots declared in HAProxy (default {DEFAULTS['slots']})")
    up.add_argument("--env", action="append", metavar="KEY=VALUE", help="extra replica setting (repeatable)")
    up.add_argument("--seed-demo", action="store_true", help="load the demo catalog (safe to repeat)")
    up.set_defaults(fn=cmd_up)

    down = sub.add_parser("down", help="stop everything this fleet started; keeps the data")
    down.add_argument("--wipe", action="store_true", help="also delete the state folder (database, uploads, logs)")
    down.set_defaults(fn=cmd_down)

    status = sub.add_parser("status", help="URLs and the state of every part")
    status.add_argument("--json", action="store_true")
    status.set_defaults(fn=cmd_status)

    scale = sub.add_parser("scale", help="add replicas (in rotation after a passing check) or drain and remove them")
    scale.add_argument("count", type=int)
    scale.set_defaults(fn=cmd_scale)

    restart = sub.add_parser("restart", help="rolling restart: drain, stop, start, check, one replica at a time")
    restart.set_defaults(fn=cmd_restart)

    db = sub.add_parser("db", help="stop or start the database (same data folder and port)")
    db.add_argument("action", choices=["stop", "start", "status"])
    db.set_defaults(fn=cmd_db)

    cli = sub.add_parser("cli", help="run `bookstore ARGS` with the fleet's DATABASE_URL, SECRET_KEY, UPLOAD_DIR")
    cli.add_argument("args", nargs=argparse.REMAINDER)
    cli.set_defaults(fn=cmd_cli)

    args = p.parse_args(argv)
    fleet = Fleet(args.state_dir, args.bin)
    try:
        return args.fn(fleet, args)
    except FleetError as e:
        say(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        say("interrupted; `fleet status` shows what runs, `fleet down` stops it")
        return 130


