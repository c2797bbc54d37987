"""The write path on MariaDB: the fleet (deploy/local/fleet) the bench runs it
on, and the ceiling, MariaDB's own client running the same transactions."""
import os
import random
import signal
import subprocess
import time

from . import BenchError, say, tool
from ..fleet_driver import FleetDriver
from .sampling import Sampler
from .servers import PROCS
from .statements import purchase_pair_sql


class BenchFleet(FleetDriver):
    """deploy/local/fleet in a state folder of its own: MariaDB + replicas + HAProxy."""

    error = BenchError

    def __init__(self, base, binary):
        super().__init__(os.path.join(base, "fleet"), binary)
        self.started = False

    def up(self, replicas):
        self.started = True
        # The write path's sellers publish books by the hundred: no per-seller quota.
        self.checked("up", "--replicas", str(replicas), "--port", "0", "--stats-port", "0",
                     "--env", "MAX_BOOKS_PER_SELLER_PER_HOUR=0", "--env", "PASSWORD_HASH_QUEUE=10000",
                     # The mixed catalog load reads the replicas' cache counters.
                     "--env", "METRICS_PUBLIC=true")
        if not self.refresh():
            raise BenchError("`fleet status --json` gave no status")
        self.db = self.database()
        self.defaults_file = os.path.join(self.state_dir, "bench-client.cnf")
        with open(self.defaults_file, "w") as f:
            os.chmod(self.defaults_file, 0o600)
            f.write(f"[client]\nhost=127.0.0.1\nport={self.db['port']}\nuser={self.db['user']}\n"
                    f"password=\"{self.db['password']}\"\n")

    def down(self):
        if self.started:
            try:
                self.checked("down", "--wipe", timeout=180)
            except BenchError as e:
                say(f"fleet down: {e}")
            self.started = False

    def sql(self, statement, timeout=60):
        r = subprocess.run([tool("mariadb"), f"--defaults-extra-file={self.defaults_file}",
                            "--batch", "--skip-column-names", self.db["name"], "-e", statement],
                           capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise BenchError(f"mariadb: {r.stderr.strip()}")
        return [line.split("\t") for line in r.stdout.splitlines()]

    def sql_script(self, script, timeout=600):
        """Runs a text of statements (on the client's stdin)."""
        r = subprocess.run([tool("mariadb"), f"--defaults-extra-file={self.defaults_file}",
                            "--batch", self.db["name"]], input=script, capture_output=True,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise BenchError(f"mariadb: {r.stderr.strip()[:2000]}")

    def counters(self):
        """MariaDB's global statement counters (Questions, Com_select, ...)."""
        rows = self.sql("SHOW GLOBAL STATUS WHERE Variable_name IN ('Questions', 'Com_select', "
                        "'Com_insert', 'Com_update', 'Com_begin', 'Com_commit', 'Com_rollback')")
        return {name: int(value) for name, value in rows}


def mariadb_client_ceiling(fleet, workdir, clients, duration, buyers, books, sampler_pids,
                           own_roots):
    """`clients` concurrent `mariadb` command-line clients over TCP, each running
    purchase+payment transaction pairs from a script, for `duration` seconds;
    the rate is counted from the payment rows committed in that window."""
    rng = random.Random(clients)
    now = int(time.time())
    # Generously more pairs than a client can run in the window (capped).
    pairs = max(200, min(40000, int(8000 * duration * 1.5 / clients)))
    paths = []
    for c in range(clients):
        path = os.path.join(workdir, f"client-{clients}-{c}.sql")
        with open(path, "w") as f:
            for _ in range(pairs):
                book = rng.choice(books)
                user = buyers[book % len(buyers)][0]
                f.write(purchase_pair_sql(user, book, now))
        paths.append(path)
    before = int(fleet.sql("SELECT COUNT(*) FROM payment")[0][0])
    counters0 = fleet.counters()
    procs = []
    sampler = Sampler(sampler_pids, own_roots)
    with sampler:
        t0 = time.monotonic()
        for c, path in enumerate(paths):
            with open(path, "rb") as script:
                procs.append(PROCS.start(f"mariadb-client-{c}", [
                    tool("mariadb"), f"--defaults-extra-file={fleet.defaults_file}", "--batch",
                    "--silent", fleet.db["name"]], None, stdin=script))
        time.sleep(duration)
        exhausted = sum(1 for p in procs if p.poll() is not None)
        for p in procs:
            PROCS.stop(p, signal.SIGTERM, timeout=10)
        elapsed = time.monotonic() - t0
    after = int(fleet.sql("SELECT COUNT(*) FROM payment")[0][0])
    counters = {k: v - counters0.get(k, 0) for k, v in fleet.counters().items()}
    for path in paths:
        os.remove(path)
    done = after - before
    r = {"clients": clients, "pairs": done, "seconds": elapsed, "pairs_per_s": done / elapsed,
         "statements_per_s": counters["Questions"] / elapsed, "exhausted_clients": exhausted,
         "counters": counters,
         "statements_per_pair": counters["Questions"] / done if done else 0}
    r.update(sampler.result())
    if exhausted:
        say(f"warning: {exhausted} client(s) ran out of script before {duration}s")
    return r
