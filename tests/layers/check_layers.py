#!/usr/bin/env python3
"""Fails when a file under src/ includes a layer it must not depend on.

The layers and the order they depend on each other (ARCHITECTURE.md):

    app  ->  web  ->  services  ->  db, storage  ->  domain, config
                 \\-> ops (narrow inputs; used by web and services)

A layer may include itself and the layers it may depend on, listed in
ALLOWED. Quoted includes only (`#include "layer/..."`); system and
third-party headers are not checked. Run: check_layers.py [SRC_DIR]
"""
import pathlib
import re
import sys

# layer -> layers it may include (besides itself). "db/models.h" names one
# header: the HTTP layer shows rows, but reaches the database only through
# services.
ALLOWED = {
    "app": {"web", "services", "db", "storage", "ops", "domain", "config"},
    "web": {"services", "db/models.h", "ops", "domain", "config"},
    "services": {"db", "storage", "ops", "domain", "config"},
    "db": {"domain", "config"},
    "storage": {"domain", "config"},
    "ops": {"domain", "config"},
    "domain": set(),
    "config": set(),
}
# Files directly in src/ (main.cc) may include the composition root only.
ROOT_ALLOWED = {"app"}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.MULTILINE)


def allowed(layer, target):
    """True when a file of `layer` may include the project header `target`."""
    target_layer = target.split("/", 1)[0]
    if target_layer == layer:
        return True
    rules = ROOT_ALLOWED if layer is None else ALLOWED.get(layer, set())
    return target_layer in rules or target in rules


def violations(src):
    """(file, line number, included header) for every include against the order."""
    found = []
    layers = set(ALLOWED)
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cc") or not path.is_file():
            continue
        rel = path.relative_to(src)
        layer = rel.parts[0] if len(rel.parts) > 1 else None
        if layer is not None and layer not in layers:
            found.append((rel, 0, f"unknown layer folder '{layer}' (add it to ALLOWED)"))
            continue
        text = path.read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            target = match.group(1)
            if target.split("/", 1)[0] not in layers:
                continue  # generated or local headers
            if not allowed(layer, target):
                line = text.count("\n", 0, match.start()) + 1
                found.append((rel, line, target))
    return found


def main():
    src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src").resolve()
    if not src.is_dir():
        print(f"check_layers: no such folder {src}", file=sys.stderr)
        return 2
    found = violations(src)
    for rel, line, target in found:
        print(f"src/{rel}:{line}: includes \"{target}\" against the layer order")
    checked = sum(1 for p in src.rglob("*") if p.suffix in (".h", ".cc"))
    print(f"check_layers: {checked} files, {len(found)} includes against the layer order")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
