"""Port picking and bounded waits (tools/bookstore_tools/ports.py,
processes.py), with made-up port states: no process, no server."""
import itertools
import random

import pytest

from bookstore_tools import ports, processes


def test_choose_port_prefers_the_given_port_when_free_and_not_taken():
    fresh = iter([5001, 5002]).__next__
    assert ports.choose_port(4000, set(), lambda p: True, fresh) == 4000
    assert ports.choose_port(4000, {4000}, lambda p: True, fresh) == 5001
    assert ports.choose_port(4000, set(), lambda p: False, fresh) == 5002
    assert ports.choose_port(None, set(), lambda p: True, iter([5003]).__next__) == 5003


def test_choose_port_gives_up_after_its_attempts():
    assert ports.choose_port(None, {7}, lambda p: True, lambda: 7, attempts=5) is None


def test_port_picker_never_hands_out_a_port_twice():
    fresh = itertools.cycle([6001, 6002, 6001, 6003]).__next__
    picker = ports.PortPicker(is_free=lambda p: True, fresh=fresh)
    assert picker.pick(6002) == 6002          # preferred and free
    assert picker.pick() == 6001
    assert picker.pick(6001) == 6003          # 6001 handed out already; 6002 too
    assert picker.taken == {6001, 6002, 6003}
    assert ports.PortPicker(is_free=lambda p: True, fresh=lambda: 1).pick() == 1


def test_reserve_port_holds_a_lock_file_per_port(tmp_path):
    reserved = {}
    rng = random.Random(1)
    a = ports.reserve_port((40000, 40003), str(tmp_path), is_free=lambda p: True, rng=rng, reserved=reserved)
    b = ports.reserve_port((40000, 40003), str(tmp_path), is_free=lambda p: True, rng=rng, reserved=reserved)
    assert a != b and {a, b} <= {40000, 40001, 40002}
    assert sorted(int(p.name) for p in tmp_path.iterdir()) == sorted([a, b])
    # Another holder (another test process) of the last port's lock: no port left.
    others = {}
    last = ({40000, 40001, 40002} - {a, b}).pop()
    assert ports.reserve_port((last, last + 1), str(tmp_path), is_free=lambda p: True,
                              reserved=others) == last
    with pytest.raises(RuntimeError, match="no free loopback port found in 40000-40003"):
        ports.reserve_port((40000, 40003), str(tmp_path), is_free=lambda p: True, rng=rng,
                           attempts=30, reserved={})
    for lock in list(reserved.values()) + list(others.values()):
        lock.close()


def test_reserve_port_skips_ports_in_use(tmp_path):
    got = ports.reserve_port((41000, 41010), str(tmp_path), is_free=lambda p: p == 41007,
                             rng=random.Random(3), reserved={})
    assert got == 41007


def test_wait_for_returns_when_true_and_retries_the_given_errors():
    answers = iter([ConnectionRefusedError("not yet"), False, True])

    def predicate():
        a = next(answers)
        if isinstance(a, Exception):
            raise a
        return a
    t = processes.wait_for(predicate, 5, "ready", interval=0.001, retry_on=OSError)
    assert isinstance(t, float)


def test_wait_for_raises_its_error_with_the_last_one():
    def refused():
        raise ConnectionRefusedError("refused")
    with pytest.raises(AssertionError, match=r"ready not reached within 0.05s \(last error: refused\)"):
        processes.wait_for(refused, 0.05, "ready", interval=0.01, retry_on=OSError, error=AssertionError)
    with pytest.raises(TimeoutError, match="^ready not reached within 0.05s$"):
        processes.wait_for(lambda: False, 0.05, "ready", interval=0.01)
    with pytest.raises(KeyError):  # not in retry_on: at once
        processes.wait_for(lambda: {}["x"], 5, "ready", retry_on=OSError)


def test_inherited_env_keeps_only_path_and_the_given_keys(monkeypatch):
    monkeypatch.setenv("PATH", "/x/bin")
    monkeypatch.setenv("UBSAN_OPTIONS", "halt_on_error=1")
    monkeypatch.setenv("HOME", "/root")
    monkeypatch.delenv("ASAN_OPTIONS", raising=False)
    env = processes.inherited_env({"PORT": "1"})
    assert env == {"PATH": "/x/bin", "UBSAN_OPTIONS": "halt_on_error=1", "PORT": "1"}


def test_parse_stat_survives_odd_command_names():
    line = "4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 123456 0 0"
    fields = processes.parse_stat(line)
    assert fields[0] == "S" and fields[1] == "1"
    assert int(fields[11]) + int(fields[12]) == 10 and fields[19] == "123456"
