"""Loopback ports: is one free, an ephemeral one, a preferred-or-new picker,
and ports reserved across parallel test processes."""
import fcntl
import os
import random
import socket
import tempfile
import threading

HOST = "127.0.0.1"


def port_free(port, reuse_addr=False):
    """True when `port` can be bound on 127.0.0.1 now. With `reuse_addr`, a
    port whose last connections wait in TIME_WAIT counts as free (the fleet
    starts its parts again on their old ports)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        if reuse_addr:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def port_open(port, timeout=0.5):
    """True when something accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def ephemeral_port():
    """A port the kernel calls free now (from its ephemeral range)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def choose_port(preferred, taken, is_free, fresh, attempts=50):
    """`preferred` when it is set, not in `taken` and free; else the first port
    from `fresh()` not in `taken`. None when `attempts` draws found none."""
    if preferred and preferred not in taken and is_free(preferred):
        return preferred
    for _ in range(attempts):
        port = fresh()
        if port not in taken:
            return port
    return None


class PortPicker:
    """Hands out loopback ports, never the same one twice (thread-safe)."""

    def __init__(self, is_free=None, fresh=ephemeral_port):
        self._is_free = is_free or (lambda p: port_free(p, reuse_addr=True))
        self._fresh = fresh
        self._lock = threading.Lock()
        self.taken = set()

    def pick(self, preferred=None):
        """`preferred` when it is free, else a free ephemeral port; None when none was found."""
        with self._lock:
            port = choose_port(preferred, self.taken, self._is_free, self._fresh)
            if port is not None:
                self.taken.add(port)
            return port


# Test servers are stopped and restarted on the same port, so a port must stay
# theirs while they are down. Ports are therefore taken below the kernel's
# ephemeral range (which outgoing connections and bind(0) draw from) and
# reserved with a lock file held for the life of the process, so that parallel
# test processes never hand out the same port.
RESERVED_RANGE = (20000, 32000)
RESERVATION_DIR = os.path.join(tempfile.gettempdir(), "bookstore-test-ports")
_reserved = {}  # port -> the open lock file that holds it


def reserve_port(port_range=RESERVED_RANGE, lock_dir=RESERVATION_DIR, is_free=port_free,
                 rng=None, attempts=500, reserved=None):
    """A loopback port from `port_range`, reserved for this process until it exits."""
    reserved = _reserved if reserved is None else reserved
    os.makedirs(lock_dir, exist_ok=True)
    rng = rng or random.SystemRandom()
    for _ in range(attempts):
        port = rng.randrange(*port_range)
        if port in reserved:
            continue
        lock = open(os.path.join(lock_dir, str(port)), "a")  # noqa: SIM115 - kept open
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        if not is_free(port):
            lock.close()
            continue
        reserved[port] = lock  # the open file keeps the reservation
        return port
    raise RuntimeError("no free loopback port found in %d-%d" % tuple(port_range))
