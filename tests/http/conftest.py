import os
import shutil
import tempfile

import pytest

from bookstore_tools.testing import Bookstore, MariaDB, SECRET


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="bookstore-test-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def mariadb():
    server = MariaDB()
    server.install()
    server.start()
    server.bootstrap_root()
    yield server
    server.destroy()


@pytest.fixture
def sqlite_server(workdir):
    server = Bookstore(workdir).start()
    yield server
    server.stop()


@pytest.fixture
def mysql_server(workdir, mariadb):
    db = mariadb.create_database()
    server = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET}).start()
    server.database = db
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "mariadb"])
def server(request, workdir):
    """The same test on SQLite and on MariaDB."""
    if request.param == "sqlite":
        s = Bookstore(workdir).start()
        s.dialect = "sqlite"
    else:
        maria = request.getfixturevalue("mariadb")
        db = maria.create_database()
        s = Bookstore(workdir, env={"DATABASE_URL": db["url"], "SECRET_KEY": SECRET}).start()
        s.database = db
        s.dialect = "mariadb"
    yield s
    s.stop()
