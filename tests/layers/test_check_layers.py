"""The layer check itself: it must flag every include against the order."""
import importlib.util
import pathlib
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("check_layers", HERE / "check_layers.py")
check_layers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_layers)


def tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


@pytest.mark.parametrize("name,include", [
    ("web/page.cc", "db/repositories/book_repository.h"),
    ("web/page.cc", "storage/cover_store.h"),
    ("web/page.cc", "app/application.h"),
    ("services/x.cc", "web/errors.h"),
    ("ops/lifecycle.cc", "web/request_info.h"),
    ("ops/health.h", "app/context.h"),
    ("db/repo.cc", "services/outcome.h"),
    ("domain/money.cc", "config/config.h"),
    ("config/config.cc", "domain/money.h"),
    ("storage/store.cc", "db/models.h"),
    ("main.cc", "web/routes.h"),
])
def test_flags_an_include_against_the_order(tmp_path, name, include):
    src = tree(tmp_path, {name: f'#include "{include}"\n'})
    found = check_layers.violations(src)
    assert [(str(rel), line, target) for rel, line, target in found] == [(name, 1, include)]


@pytest.mark.parametrize("name,include", [
    ("app/server.cc", "web/routes.h"),
    ("app/application.h", "db/repositories/book_repository.h"),
    ("web/page.cc", "services/book_service.h"),
    ("web/page.cc", "db/models.h"),
    ("web/page.cc", "ops/drain.h"),
    ("services/x.cc", "storage/cover_store.h"),
    ("services/x.cc", "ops/blocking.h"),
    ("db/repo.cc", "domain/money.h"),
    ("main.cc", "app/cli.h"),
    ("web/page.cc", "generated/thing.h"),
])
def test_allows_an_include_along_the_order(tmp_path, name, include):
    src = tree(tmp_path, {name: f'#include <vector>\n#include "{include}"\n'})
    assert check_layers.violations(src) == []


def test_a_new_top_level_folder_must_be_placed(tmp_path):
    src = tree(tmp_path, {"metrics/m.cc": "int x;\n"})
    assert [str(rel) for rel, _, _ in check_layers.violations(src)] == ["metrics/m.cc"]


def test_the_command_fails_on_a_violation_and_names_the_line(tmp_path):
    src = tree(tmp_path, {"ops/a.cc": '// x\n#include "web/b.h"\n', "web/b.h": ""})
    run = subprocess.run([sys.executable, str(HERE / "check_layers.py"), str(src)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert 'src/ops/a.cc:2: includes "web/b.h"' in run.stdout
