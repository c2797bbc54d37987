"""Runs a copy of the real original application (BOOKSTORE_ORIGINAL_DIR).

Usage: run_copy.py DIRECTORY DATABASE_URI PORT

The original (BookStore-monolith) is a Flask application using Flask-SQLAlchemy
(`from extensions import db`, then `db.create_all()`); it reads its database
from its own configuration (the DB_HOST/DB_USER/... settings, or a SQLite
file). Whatever it reads, its engine is made by Flask-SQLAlchemy's
`init_app`, so this points that at DATABASE_URI, imports the application
module (`app`, or BOOKSTORE_ORIGINAL_MODULE), takes its `app` (or calls
`create_app()`), creates its tables as it does, and serves it on 127.0.0.1.
It needs only what the original needs from Debian (python3-flask,
-flask-sqlalchemy, -flask-login, -pymysql); nothing is installed from PyPI.
"""
import importlib
import os
import sys

import flask_sqlalchemy


def point_at(uri):
    init_app = flask_sqlalchemy.SQLAlchemy.init_app

    def pointed(self, app, *args, **kwargs):
        app.config["SQLALCHEMY_DATABASE_URI"] = uri
        app.config.pop("SQLALCHEMY_BINDS", None)
        return init_app(self, app, *args, **kwargs)

    flask_sqlalchemy.SQLAlchemy.init_app = pointed


def main():
    directory, uri, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    directory = os.path.abspath(directory)
    os.chdir(directory)
    sys.path.insert(0, directory)
    os.environ.setdefault("SECRET_KEY", "original-secret")
    point_at(uri)
    module = importlib.import_module(os.environ.get("BOOKSTORE_ORIGINAL_MODULE", "app"))
    app = getattr(module, "app", None)
    if app is None:
        app = module.create_app()
    with app.app_context():
        extension = app.extensions["sqlalchemy"]
        if not isinstance(extension, flask_sqlalchemy.SQLAlchemy):
            extension = extension.db  # Flask-SQLAlchemy 2 registered a state holding it
        extension.create_all()
    app.run(host="127.0.0.1", port=port, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
