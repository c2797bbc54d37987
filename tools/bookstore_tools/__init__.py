"""Python tooling shared by the benchmark (bench/run), the local fleet
(deploy/local/fleet) and the Python tests (tests/): processes, ports, HTTP,
MariaDB, HAProxy, and the server's own SQL statements. See tools/README.md.

Standard library only (the tests add Debian's python3-pytest, -requests and
-pymysql); everything it starts listens on 127.0.0.1.
"""
import pathlib

# tools/bookstore_tools/__init__.py -> the repository.
REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
