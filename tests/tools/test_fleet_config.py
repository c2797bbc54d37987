"""The local fleet's pure parts (tools/bookstore_tools/fleet.py, haproxy.py,
fleet_driver.py): the HAProxy configuration rendered from a fleet's state,
`show stat` and `show info` answers, slot names, settings. No process starts."""
import json
import os

import pytest

from bookstore_tools import fleet, haproxy
from bookstore_tools.fleet_driver import FleetDriver, database_settings

SHOW_STAT = """# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,check_status,lbtot
store,FRONTEND,,,3,10,4096,100,OPEN,,
replicas,r1,0,0,2,5,,50,UP,L7OK,50
replicas,r2,0,0,0,5,,49,DRAIN,L7OK,49
replicas,r3,,,0,0,,0,MAINT,,0
replicas,BACKEND,0,0,2,10,410,99,UP,,99
stats,FRONTEND,,,0,1,4096,1,OPEN,,

"""


def test_render_config_declares_every_slot():
    text = haproxy.render_config(8080, 8404, "/run/hap.sock", [("r1", 4001), ("r2", None), ("r3", 4003)])
    lines = text.splitlines()
    assert "    server r1 127.0.0.1:4001 check" in lines
    assert "    server r2 127.0.0.1:1 check disabled" in lines
    assert "    server r3 127.0.0.1:4003 check" in lines
    assert "    bind 127.0.0.1:8080" in lines and "    bind 127.0.0.1:8404" in lines
    assert "    stats socket /run/hap.sock mode 600 level admin expose-fd listeners" in lines
    assert "server slots r1..r3" in text
    assert "    http-check send meth GET uri /health ver HTTP/1.1 hdr Host fleet-health-check" in lines
    # X-Forwarded-For is the connecting address, set once in the frontend:
    # never appended to a client's own (`option forwardfor`), so a forged one
    # cannot reach the replicas, which trust this balancer. The plain-HTTP
    # balancer also drops a client's X-Forwarded-Proto/-Host.
    assert not [ln for ln in lines if "forwardfor" in ln and not ln.strip().startswith("#")]
    frontend = text.split("frontend store\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert "    http-request set-header X-Forwarded-For %[src]" in frontend
    assert "    http-request del-header X-Forwarded-Proto" in frontend
    assert "    http-request del-header X-Forwarded-Host" in frontend
    assert [ln for ln in lines if "X-Forwarded-For" in ln and not ln.strip().startswith("#")] == [
        "    http-request set-header X-Forwarded-For %[src]"]
    # Everything listens on loopback only.
    binds = [ln.split()[1] for ln in lines if ln.strip().startswith("bind ")]
    assert binds and all(b.startswith("127.0.0.1:") for b in binds)
    # Sections in order: global, defaults, the frontend, its backend, stats.
    heads = [ln for ln in lines if ln and not ln[0].isspace() and not ln.startswith("#")]
    assert heads == ["global", "defaults", "frontend store", "backend replicas", "listen stats"]


def test_parse_show_stat():
    rows = haproxy.parse_show_stat(SHOW_STAT)
    assert sorted(rows) == ["BACKEND", "r1", "r2", "r3"]
    assert rows["r1"]["status"] == "UP" and rows["r1"]["scur"] == "2"
    assert rows["r2"]["status"] == "DRAIN"
    assert sorted(haproxy.parse_show_stat(SHOW_STAT, backend="store")) == ["FRONTEND"]
    with pytest.raises(ValueError):
        haproxy.parse_show_stat("Unknown command\n")
    with pytest.raises(ValueError):
        haproxy.parse_show_stat("")


def test_worker_pid():
    assert haproxy.worker_pid("Name: HAProxy\nVersion: 2.6\nPid: 4242\nUptime: 1s\n") == "4242"
    assert haproxy.worker_pid("Name: HAProxy\n") == ""


def test_free_slots_fill_the_gaps_first():
    assert fleet.free_slots(set(), 2) == ["r1", "r2"]
    assert fleet.free_slots({"r1", "r3"}, 3) == ["r2", "r4", "r5"]
    assert fleet.free_slots({"r1"}, 0) == []


@pytest.fixture
def state(tmp_path):
    """A fleet state folder as `fleet up` leaves it (nothing running)."""
    f = fleet.Fleet(str(tmp_path / "state"))
    f.load()
    f.settings.update(port=18080, stats_port=18404, slots=4)
    f.st["replicas"] = {"r1": {"pid": None, "port": 31001}, "r3": {"pid": None, "port": 31003}}
    f.st["mariadb"] = {"port": 33306}
    f.secret = {"secret_key": "k" * 64, "db_password": "pw"}
    return f


def test_fleet_haproxy_config_from_its_state(state):
    text = state.haproxy_config()
    servers = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("server ")]
    assert servers == ["server r1 127.0.0.1:31001 check", "server r2 127.0.0.1:1 check disabled",
                       "server r3 127.0.0.1:31003 check", "server r4 127.0.0.1:1 check disabled"]
    assert f"stats socket {state.haproxy_sock} " in text
    assert "bind 127.0.0.1:18080" in text and "bind 127.0.0.1:18404" in text


def test_fleet_state_round_trip_and_settings(state, monkeypatch):
    state.st["replicas"]["r1"]["_popen"] = object()  # never saved
    state.save()
    saved = json.loads(open(state.file).read())
    assert "_popen" not in saved["replicas"]["r1"]
    again = fleet.Fleet(state.dir).load()
    assert again.st["replicas"]["r3"]["port"] == 31003
    assert again.active() == ["r1", "r3"] and again.free_slots(2) == ["r2", "r4"]
    assert state.database_url() == "mysql://bookstore:pw@127.0.0.1:33306/bookstore"
    monkeypatch.setenv("ASAN_OPTIONS", "detect_leaks=0")
    monkeypatch.setenv("SOMETHING_ELSE", "x")
    env = state.app_env({"PORT": "1"})
    assert env["DATABASE_URL"] == state.database_url() and env["SECRET_KEY"] == "k" * 64
    assert env["TRUSTED_PROXIES"] == "127.0.0.1" and env["PORT"] == "1"
    assert env["ASAN_OPTIONS"] == "detect_leaks=0" and "SOMETHING_ELSE" not in env


def test_fleet_sockets_move_to_a_short_folder_when_the_state_path_is_long(tmp_path):
    short = fleet.Fleet(str(tmp_path / "s"))
    assert short.sock_dir == os.path.join(short.dir, "run")
    long_dir = tmp_path / ("x" * 120)
    deep = fleet.Fleet(str(long_dir))
    assert not deep.sock_dir.startswith(str(long_dir))
    assert len(deep.haproxy_sock) < 100
    assert deep.sock_dir == fleet.Fleet(str(long_dir)).sock_dir  # stable for the same folder


def test_driver_command_line_and_database_settings():
    d = FleetDriver("/tmp/st", binary="/opt/bookstore")
    argv = d.argv("up", "--replicas", "2")
    assert argv[1].endswith(os.path.join("deploy", "local", "fleet"))
    assert argv[2:] == ["--state-dir", "/tmp/st", "--bin", "/opt/bookstore", "up", "--replicas", "2"]
    assert "--bin" not in FleetDriver("/tmp/st").argv("status")
    assert database_settings("mysql://u%40x:p%27%5C@127.0.0.1:3307/shop") == {
        "host": "127.0.0.1", "port": 3307, "user": "u@x", "password": "p'\\", "name": "shop"}
