import os

import pytest

from fleetlib import Fleet, Reaper, become_subreaper, say

become_subreaper()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture(scope="session")
def reaper():
    r = Reaper()
    yield r
    r.stop.set()
    r.reap()


@pytest.fixture
def make_fleet(request, reaper):
    """make_fleet(replicas, grace=3, env=None) -> a running fleet in a fresh state folder (`env`:
    extra replica settings); `fleet down --wipe` afterwards."""
    binary = os.environ.get("BOOKSTORE_BIN", "")
    if not binary or not os.path.exists(binary):
        pytest.fail(f"BOOKSTORE_BIN is not built: {binary!r}")
    fleets = []

    def make(replicas, grace=3, env=None):
        fleet = Fleet(reaper, grace=grace)
        fleets.append(fleet)
        fleet.up(replicas, env=env)
        say(f"fleet up with {replicas} replicas at {fleet.url} (stats {fleet.info['stats_url']})")
        return fleet

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for fleet in fleets:
        if failed:
            fleet.keep_logs(request.node.name)
        fleet.down()
    reaper.reap()
