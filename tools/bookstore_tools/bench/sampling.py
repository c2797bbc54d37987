"""CPU and memory of the processes under load, and of the whole machine."""
import os
import threading
import time

from ..processes import cpu_ticks, descendants

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_mem_kb(pid):
    """(VmRSS, VmHWM) in KiB, or None when the process is gone."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except OSError:
        return None
    return out.get("VmRSS", 0), out.get("VmHWM", 0)


def machine_busy_ticks():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle


class Sampler:
    """While a load runs: RSS of the server processes every 100 ms, CPU of the
    servers, of everything the bench runs (its children, the fleet's processes)
    and of the whole machine; the difference is other people's work on the same
    cores, reported so that a disturbed run can be recognised."""

    def __init__(self, server_pids, own_roots=(), extra=None):
        self.server_pids = list(server_pids)
        self.extra = dict(extra or {})  # name -> pid whose CPU is reported too
        self.own_roots = list(own_roots) + self.server_pids
        self.peak_rss = {pid: 0 for pid in self.server_pids}
        self.hwm = {pid: 0 for pid in self.server_pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _own_ticks(self):
        pids = set(descendants(os.getpid()))
        for root in self.own_roots:
            pids.update(descendants(root))
        return {pid: cpu_ticks(pid) or 0 for pid in pids}

    @staticmethod
    def _reaped_ticks():
        t = os.times()
        return (t.children_user + t.children_system) * CLK_TCK

    def __enter__(self):
        self.t0 = time.monotonic()
        self.server0 = {pid: cpu_ticks(pid) or 0 for pid in self.server_pids}
        self.extra0 = {name: cpu_ticks(pid) or 0 for name, pid in self.extra.items()}
        self.busy0 = machine_busy_ticks()
        self.own0 = self._own_ticks()
        self.reaped0 = self._reaped_ticks()
        self._thread.start()
        return self

    def _sample(self):
        for pid in self.server_pids:
            mem = proc_mem_kb(pid)
            if mem:
                self.peak_rss[pid] = max(self.peak_rss[pid], mem[0])
                self.hwm[pid] = max(self.hwm[pid], mem[1])

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.1)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(2)
        self._sample()
        elapsed = max(time.monotonic() - self.t0, 1e-6)
        busy = machine_busy_ticks() - self.busy0
        own1 = self._own_ticks()
        # Processes still running: their growth; processes that ended and were
        # reaped here (wrk, the mariadb clients): the children's totals.
        own = sum(t - self.own0.get(pid, 0) for pid, t in own1.items())
        own += self._reaped_ticks() - self.reaped0
        server = sum(max((cpu_ticks(p) or self.server0[p]) - self.server0[p], 0)
                     for p in self.server_pids)
        self.elapsed = elapsed
        self.server_ticks = server
        self.extra_cpu = {name: 100.0 * ((cpu_ticks(pid) or 0) - self.extra0[name]) / CLK_TCK / elapsed
                          for name, pid in self.extra.items()}
        self.server_cpu = 100.0 * server / CLK_TCK / elapsed
        self.machine_cpu = 100.0 * busy / CLK_TCK / elapsed
        self.own_cpu = 100.0 * max(own, 0) / CLK_TCK / elapsed
        return False

    def result(self):
        return {
            "peak_rss_mb": max(self.peak_rss.values()) / 1024 if self.peak_rss else 0,
            "hwm_mb": max(self.hwm.values()) / 1024 if self.hwm else 0,
            "server_cpu_pct": self.server_cpu,
            "server_cpu_s": self.server_ticks / CLK_TCK,
            "machine_cpu_pct": self.machine_cpu,
            "others_cpu_pct": max(self.machine_cpu - self.own_cpu, 0.0),
            "extra_cpu_pct": self.extra_cpu,
        }

