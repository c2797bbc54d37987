"""i. Behind the fleet's HAProxy a client cannot choose its address: HAProxy
replaces any X-Forwarded-For with the connecting address (never appends to
it), so a forged `X-Forwarded-For: 6.6.6.6` changes neither the address the
replica logs nor the one the login throttle counts (issue 11, item 5)."""
import re
import secrets

from fleetlib import say, session, wait_until

FORGED = ["6.6.6.6", "6.6.6.6, 7.7.7.7", "6.6.6.6 method=GET path=/admin"]


def test_i_a_forged_forwarded_for_changes_nothing(make_fleet):
    fleet = make_fleet(1)
    rep = next(iter(fleet.replicas().values()))
    web = session()
    marker = f"/xff-check-{secrets.token_hex(6)}"

    for i, forged in enumerate(FORGED):
        r = web.get(f"{fleet.url}{marker}-{i}", headers={"X-Forwarded-For": forged,
                                                          "X-Forwarded-Proto": "https"}, timeout=15)
        assert r.status_code == 404, r.status_code
        # The plain-HTTP balancer drops a client's X-Forwarded-Proto too.
        assert "Strict-Transport-Security" not in r.headers
    # Wrong passwords from "different" forged addresses.
    for i in range(3):
        r = web.post(fleet.url + "/api/v1/tokens", json={
            "email": f"nobody-{i}@example.com", "password": "wrong password"},
            headers={"X-Forwarded-For": f"6.6.6.{i + 10}"}, timeout=15)
        assert r.status_code == 401, (r.status_code, r.text[:200])

    lines = []

    def logged():
        lines[:] = [ln for ln in fleet.replica_log(rep).splitlines()
                    if ln.startswith("request ") and (marker in ln or "path=/api/v1/tokens " in ln)]
        return len(lines) >= len(FORGED) + 3
    wait_until(logged, 10, what="the request lines")
    for line in lines:
        say(line)
        client = re.search(r" client=(\S+) ", line).group(1)
        assert client == "127.0.0.1", line
    assert not [ln for ln in fleet.replica_log(rep).splitlines() if "6.6.6." in ln or "7.7.7.7" in ln]

    # The throttle counted the three failures on the real address only.
    keys = [row[0] for row in fleet.query("SELECT throttle_key FROM login_throttle")]
    say(f"throttle keys: {keys}")
    assert not [k for k in keys if "6.6.6." in k], keys
    assert [k for k in keys if "127.0.0.1" in k], keys
