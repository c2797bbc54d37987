"""Child processes: finding programs, bounded waits, /proc, stopping by pid."""
import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import time

# Sanitizer settings reach the servers the tools start (scripts/test runs the
# tests on an AddressSanitizer build).
SANITIZER_KEYS = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def find_tool(*names):
    """Path of the first of `names` installed (PATH, then /usr/sbin and /usr/bin), or None."""
    for name in names:
        found = shutil.which(name) or next(
            (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.path.exists(p)), None)
        if found:
            return found
    return None


def require_tool(*names, error=RuntimeError, hint="run scripts/install-deps as root"):
    found = find_tool(*names)
    if not found:
        raise error(f"none of {', '.join(names)} is installed ({hint})")
    return found


def wait_for(predicate, timeout, what, interval=0.05, retry_on=(), error=TimeoutError):
    """Calls `predicate` every `interval` s until it is true; returns time.monotonic() then.

    Exceptions of the `retry_on` types count as "not yet" (the last one is named
    in the error); others propagate. After `timeout` s raises `error`."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return time.monotonic()
        except retry_on as e:  # noqa: PERF203 - a server may not listen yet
            last = e
        time.sleep(interval)
    raise error(f"{what} not reached within {timeout:g}s" + (f" (last error: {last})" if last else ""))


def inherited_env(extra=None, keys=SANITIZER_KEYS):
    """A small environment for a child: PATH, the given keys when set, then `extra`."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env.update({k: os.environ[k] for k in keys if k in os.environ})
    env.update(extra or {})
    return env


# ---------------------------------------------------------------- /proc ---

def parse_stat(data):
    """The fields of a /proc/PID/stat line after the command name: [state, ppid, ...]."""
    return data[data.rfind(")") + 2:].split()


def stat_fields(pid):
    """parse_stat of a live pid, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return parse_stat(f.read().decode("ascii", "replace"))
    except OSError:
        return None


def process_gone(pid):
    """True when the pid no longer runs (missing, zombie or dead)."""
    fields = stat_fields(pid)
    return fields is None or fields[0] in ("Z", "X", "x")


def cpu_ticks(pid):
    """utime + stime of a pid in clock ticks, or None when it is gone."""
    fields = stat_fields(pid)
    return int(fields[11]) + int(fields[12]) if fields else None


def start_time(pid):
    """Start time of a pid in clock ticks since boot (with the pid, names one process)."""
    fields = stat_fields(pid)
    return int(fields[19]) if fields else None


def descendants(root):
    """pids of root and every process below it."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = stat_fields(entry)
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


# ------------------------------------------------------------ lifecycle ---

def die_with_parent():
    """preexec_fn: the child gets SIGKILL if the process that started it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def become_subreaper():
    """Orphans of our children become our children (so they can be reaped)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def stop_popen(proc, sig=signal.SIGTERM, timeout=20, kill_wait=10):
    """Signals a child started here, waits `timeout` s, then SIGKILLs it.

    Returns True when it exited in time (or had already exited)."""
    if proc is None or proc.poll() is not None:
        return True
    try:
        proc.send_signal(sig)
        proc.wait(timeout)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(kill_wait)
        return False
    except ProcessLookupError:
        return True
