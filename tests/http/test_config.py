"""Configuration: defaults, .env loading, and bad settings stopping the start."""
import os
import socket

import pytest
import requests

from bookstore_tools.testing import Bookstore, free_port, run_cli


def base_env(workdir, **extra):
    env = {"HOST": "127.0.0.1", "PORT": str(free_port()),
           "UPLOAD_DIR": os.path.join(workdir, "uploads")}
    env.update(extra)
    return env


@pytest.mark.parametrize("key,value,needle", [
    ("PORT", "70000", "PORT"),
    ("PORT", "abc", "PORT"),
    ("DATABASE_URL", "postgres://x@h/db", "DATABASE_URL"),
    ("DATABASE_URL", "mysql://user:pw@/db", "DATABASE_URL"),
    ("DATABASE_URL", "mysql://user:pw@127.0.0.1:3306/", "DATABASE_URL"),
    ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
    ("THREADS", "0", "THREADS"),
    ("MAX_UPLOAD_MB", "-1", "MAX_UPLOAD_MB"),
    ("SHUTDOWN_GRACE_SECONDS", "soon", "SHUTDOWN_GRACE_SECONDS"),
    ("CATALOG_CACHE_MB", "0", "CATALOG_CACHE_MB"),
    ("CATALOG_CACHE_MB", "lots", "CATALOG_CACHE_MB"),
    ("TRUSTED_PROXIES", "10.0.0.0/99", "TRUSTED_PROXIES"),
    ("TRUSTED_PROXIES", "not-an-ip", "TRUSTED_PROXIES"),
])
def test_bad_setting_stops_before_listening(workdir, key, value, needle):
    probe_port = free_port()
    env = base_env(workdir, PORT=str(probe_port))
    env[key] = value
    result = run_cli(["serve"], workdir, env, timeout=20)
    assert result.returncode != 0
    lines = [l for l in result.stderr.strip().splitlines() if l]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0]
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", probe_port), timeout=0.5)


def test_mysql_without_secret_key_is_refused(workdir):
    env = base_env(workdir, DATABASE_URL="mysql://u:p@127.0.0.1:1/db")
    result = run_cli(["serve"], workdir, env, timeout=20)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_original_db_settings_need_a_name(workdir):
    env = base_env(workdir, DB_HOST="127.0.0.1", DB_USER="admin", SECRET_KEY="x" * 32)
    result = run_cli(["serve"], workdir, env, timeout=20)
    assert result.returncode != 0
    assert "DB_NAME" in result.stderr


def test_dotenv_is_read_and_environment_wins(workdir):
    port_from_env = free_port()
    with open(os.path.join(workdir, ".env"), "w") as f:
        f.write("# comment\nexport REPLICA_ID=from-dotenv\nPORT=1\n"
                f"UPLOAD_DIR=\"{workdir}/dotenv-uploads\"\n")
    server = Bookstore(workdir, env={"PORT": str(port_from_env)})
    del server.env["UPLOAD_DIR"]
    del server.env["REPLICA_ID"]
    server.start()
    try:
        body = requests.get(server.url + "/health", timeout=5).json()
        assert body["replica"] == "from-dotenv"          # from .env
        assert server.port == port_from_env              # PORT=1 in .env lost to the environment
        assert os.path.isdir(os.path.join(workdir, "dotenv-uploads", "covers"))
    finally:
        assert server.stop() == 0


def test_defaults_sqlite_and_instance_folder(workdir):
    server = Bookstore(workdir)
    del server.env["DATABASE_URL"]
    del server.env["UPLOAD_DIR"]
    server.start()
    try:
        assert requests.get(server.url + "/health", timeout=5).status_code == 200
        assert os.path.isfile(os.path.join(workdir, "instance", "bookstore.db"))
        assert os.path.isdir(os.path.join(workdir, "instance", "uploads", "covers"))
        # Covers are served from the relative default folder too.
        from api_client import new_book, new_user
        from images import png
        api, _, _, _ = new_user(server.url)
        book = new_book(api)
        r = api.put(f"/api/v1/books/{book['id']}/cover", data=png(), headers={"Content-Type": "image/png"})
        assert r.status_code == 200, r.text
        got = requests.get(server.url + r.json()["cover_url"], timeout=5)
        assert got.status_code == 200 and got.content == png()
    finally:
        server.stop()


def test_malformed_dotenv_is_a_clear_error(workdir):
    with open(os.path.join(workdir, ".env"), "w") as f:
        f.write("GOOD=1\nthis line is wrong\n")
    result = run_cli(["serve"], workdir, base_env(workdir), timeout=20)
    assert result.returncode != 0
    assert ".env line 2" in result.stderr


def test_help_lists_exactly_the_commands(workdir):
    result = run_cli(["--help"], workdir, {})
    assert result.returncode == 0
    listed = [l.split()[1] for l in result.stdout.splitlines() if l.startswith("  bookstore ")]
    for command in listed:
        sub = run_cli([command, "--help"], workdir, {})
        assert sub.returncode == 0, command
    assert {"serve", "migrate", "check", "version"} <= set(listed)
    unknown = run_cli(["frobnicate"], workdir, {})
    assert unknown.returncode != 0 and "unknown command" in unknown.stderr


def test_version_and_check(workdir):
    version = run_cli(["version"], workdir, {})
    assert version.returncode == 0 and version.stdout.startswith("bookstore ")
    env = base_env(workdir, DATABASE_URL="sqlite:///" + os.path.join(workdir, "c.db"))
    check = run_cli(["check"], workdir, env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "reachable" in check.stdout and "writable" in check.stdout
    bad = run_cli(["check"], workdir, base_env(
        workdir, DATABASE_URL="mysql://u:p@127.0.0.1:%d/db" % free_port(), SECRET_KEY="k" * 32),
        timeout=30)
    assert bad.returncode == 1
    assert "NOT reachable" in bad.stdout
    assert ":p@" not in bad.stdout + bad.stderr  # no password in output
