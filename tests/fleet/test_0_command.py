"""The `fleet` command itself: up, status, down (data kept), up again, repair,
scaling past the declared HAProxy slots (hitless reload), cli, down --wipe."""
import os
import signal
import socket

from fleetlib import (Client, Load, PASSWORD, get_plan, process_gone, register, say, session,
                      wait_until)


def port_closed(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_fleet_up_status_down_up_scale_and_wipe(reaper):
    from fleetlib import Fleet
    fleet = Fleet(reaper, grace=2)
    try:
        # up: two replicas behind HAProxy, only two HAProxy server slots declared.
        fleet.up(2)
        fleet.run("up", "--replicas", "2", "--slots", "2")  # nothing to change
        info = fleet.info
        reps = {r["name"]: r for r in info["replicas"]}
        assert sorted(reps) == ["r1", "r2"]
        assert all(r["running"] and r["lb_status"] == "UP" for r in reps.values())
        code, out, _ = fleet.run("status")
        assert code == 0 and info["url"] in out and "r1" in out and "UP" in out
        http = session()
        served = {http.get(fleet.url + "/api/v1/books", timeout=10).headers["X-Served-By"] for _ in range(4)}
        assert served == {"r1", "r2"}
        for name, rep in reps.items():
            assert http.get(rep["url"] + "/health", timeout=5).json()["replica"] == name
        stats = http.get(info["stats_url"], timeout=10)
        assert stats.status_code == 200 and "replicas" in stats.text
        assert info["settings"]["slots"] == 2

        client, user, email = register(fleet.url, "Persistente")
        pids = {"haproxy": info["haproxy"]["pid"], "mariadb": info["mariadb"]["pid"],
                **{n: r["pid"] for n, r in reps.items()}}

        # up again while running changes nothing.
        fleet.run("up")
        assert {n: r["pid"] for n, r in fleet.replicas().items()} == {n: pids[n] for n in reps}

        # A dead replica is replaced by `up` in its slot.
        os.kill(pids["r1"], signal.SIGKILL)
        wait_until(lambda: process_gone(pids["r1"]), 5, what="r1 gone")
        assert not fleet.replicas()["r1"]["running"]
        fleet.run("up")
        r1 = fleet.replicas()["r1"]
        assert r1["running"] and r1["pid"] != pids["r1"] and r1["lb_status"] == "UP"

        # Scaling past the declared slots reloads HAProxy without losing a request.
        load = Load(fleet.url, get_plan(), workers=3, max_seconds=30, name="GET").start()
        load.sleep(1)
        fleet.run("scale", "3")
        load.sleep(1)
        load.stop()
        numbers = load.summary("fleet scale 2 -> 3 past the declared slots (HAProxy reload)")
        assert numbers["failed"] == 0
        assert fleet.info["haproxy"]["pid"] == pids["haproxy"]  # same master, new worker
        assert fleet.info["settings"]["slots"] >= 3
        assert all(r["lb_status"] == "UP" for r in fleet.replicas().values())

        # cli: the bookstore command line with the fleet's settings.
        fleet.run("cli", "--", "admin", "grant", email)
        assert Client(fleet.url, client.token).get("/api/v1/me").json()["is_admin"] is True

        # down: everything stops, by pid; the data stays.
        all_pids = [fleet.info["haproxy"]["pid"], fleet.info["mariadb"]["pid"]] + \
            [r["pid"] for r in fleet.info["replicas"]]
        front = fleet.info["settings"]["port"]
        fleet.run("down")
        for pid in all_pids:
            assert process_gone(pid), pid
        assert port_closed(front)
        code, _, _ = fleet.run("status", check=False)
        assert code == 3
        assert os.path.isdir(os.path.join(fleet.state_dir, "mariadb", "data", "bookstore"))

        # up again: the same number of replicas, the same data, the same store URL.
        fleet.run("up")
        reps = fleet.replicas()
        assert len(reps) == 3 and all(r["lb_status"] == "UP" for r in reps.values())
        assert fleet.info["settings"]["port"] == front
        r = session().post(fleet.url + "/api/v1/tokens", json={"email": email, "password": PASSWORD}, timeout=10)
        assert r.status_code == 201 and r.json()["user"]["id"] == user["id"]
        # down --wipe: everything stops and the state folder is gone.
        fleet.run("down", "--wipe")
        assert not os.path.exists(fleet.state_dir)
        say("fleet command: up, status, repair, scale past the slots, cli, down, up with the data kept, wipe")
    finally:
        fleet.down()  # `fleet down --wipe` if anything is left, then the folder
