#!/usr/bin/python3
"""Dockerfile, .dockerignore, compose.yaml and .env.example: the container
image and the compose stack that unifies NGINX and the app."""
import fnmatch
import os
import re
import shutil
import subprocess
import unittest

import yaml

from deploylib import NGINX_VARIABLES, ROOT

HERE = os.path.dirname(os.path.abspath(__file__))
APP_KEYS = ["DATABASE_URL", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "UPLOAD_DIR", "HOST",
            "PORT", "SECRET_KEY", "LOG_LEVEL", "THREADS", "DB_POOL_SIZE", "MAX_UPLOAD_MB",
            "SHUTDOWN_GRACE_SECONDS", "TRUSTED_PROXIES", "REPLICA_ID"]
RUNTIME_PACKAGES = ["libjsoncpp25", "libmariadb3", "libsqlite3-0", "libpq5", "libsodium23", "libbrotli1",
                    "libc-ares2", "libyaml-cpp0.7", "libuuid1", "zlib1g", "libssl3", "libjs-bootstrap5",
                    "libgd3", "fonts-dejavu-core"]


def dockerfile_stages():
    """[(from_line, [(INSTRUCTION, args), ...]), ...]"""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instr, _, args = line.partition(" ")
        instr = instr.upper()
        if instr == "FROM":
            stages.append((args.strip(), []))
        else:
            stages[-1][1].append((instr, " ".join(args.split())))
    return stages


STAGES = dockerfile_stages()
BUILD, RUNTIME = STAGES[0], STAGES[-1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def instrs(stage, name):
    return [args for i, args in stage[1] if i == name]


def env_of(stage):
    env = {}
    for args in instrs(stage, "ENV"):
        for k, v in re.findall(r"(\w+)=(\S+)", args):
            env[k] = v
    return env


def volume_map(service):
    """{container path: source} of a compose service's short-syntax volumes."""
    out = {}
    for v in service.get("volumes", []):
        m = re.match(r"^(\$\{[^}]*\}|[^:]+):([^:]+)(?::(ro|rw))?$", v)
        assert m, f"unexpected volume {v}"
        out[m.group(2)] = m.group(1)
    return out


class Dockerfile(unittest.TestCase):
    def test_multi_stage_build_with_the_project_script(self):
        self.assertGreaterEqual(len(STAGES), 2)
        self.assertRegex(BUILD[0], r"^debian:bookworm(@\S+)? AS build$")
        runs = instrs(BUILD, "RUN")
        self.assertEqual(runs[0], "scripts/install-deps", "the build stage installs with scripts/install-deps")
        self.assertIn("scripts/ scripts/", instrs(BUILD, "COPY")[0])
        self.assertTrue(any("cmake -S . -B build -DCMAKE_BUILD_TYPE=Release" in r for r in runs))
        self.assertTrue(any("--target bookstore" in r for r in runs))

    def test_runtime_stage_carries_only_what_runs(self):
        self.assertRegex(RUNTIME[0], r"^debian:bookworm-slim(@\S+)?( AS \w+)?$")
        install = " ".join(r for r in instrs(RUNTIME, "RUN") if "apt-get install" in r)
        for pkg in RUNTIME_PACKAGES:
            self.assertRegex(install, rf"(^|\s){re.escape(pkg)}(\s|$)", pkg)
        self.assertIn("--no-install-recommends", install)
        self.assertIn("rm -rf /var/lib/apt/lists/*", install)
        self.assertNotRegex(install, r"-dev\b|build-essential|cmake|\bgit\b")
        copies = instrs(RUNTIME, "COPY")
        for c in copies:
            if c.startswith("--from=build"):
                self.assertRegex(c, r"^--from=build (/out/lib/ /usr/local/lib/|/src/build/bookstore /usr/local/bin/"
                                    r"bookstore)$")
            else:
                src = c.split()[0]
                self.assertTrue((ROOT / src).is_file(), f"COPY source {src} missing")
        self.assertTrue(any("ldd /usr/local/bin/bookstore" in r and "not found" in r for r in instrs(RUNTIME, "RUN")))

    def test_non_root_healthcheck_stopsignal_port(self):
        (user,) = instrs(RUNTIME, "USER")
        uid = user.split(":")[0]
        self.assertNotIn(uid, ("0", "root"))
        self.assertEqual(uid, "10001")
        (stop,) = instrs(RUNTIME, "STOPSIGNAL")
        self.assertEqual(stop, "SIGTERM")
        self.assertIn("5000", instrs(RUNTIME, "EXPOSE")[0].split())
        (health,) = instrs(RUNTIME, "HEALTHCHECK")
        self.assertIn("/usr/local/bin/bookstore-healthcheck", health)
        self.assertIn("COPY deploy/docker/healthcheck /usr/local/bin/bookstore-healthcheck",
                      ["COPY " + c for c in instrs(RUNTIME, "COPY")])
        self.assertIn("GET /health HTTP", (ROOT / "deploy/docker/healthcheck").read_text())
        self.assertEqual(env_of(RUNTIME)["PORT"], "5000")
        self.assertIn('"serve"', instrs(RUNTIME, "CMD")[0])

    def test_same_uid_everywhere(self):
        """The image's user owns the EFS uploads folder on AWS and runs the pod."""
        script = (ROOT / "deploy/aws/bookstore.yaml").read_text()
        self.assertIn("APP_UID=10001", script)
        deployment = yaml.safe_load((ROOT / "deploy/k8s/deployment.yaml").read_text())
        self.assertEqual(deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"], 10001)
        self.assertIn("--uid 10001", " ".join(instrs(RUNTIME, "RUN")))

    def test_dockerignore_keeps_the_build_inputs(self):
        patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text().splitlines()
                    if p.strip() and not p.startswith("#")]

        def ignored(path):
            parts = path.split("/")
            prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
            return any(fnmatch.fnmatch(p, pat) for p in prefixes for pat in patterns if not pat.startswith("!"))
        for keep in ("CMakeLists.txt", "src/main.cc", "scripts/install-deps", "migrations/x/1.sql",
                     "cmake/EmbedMigrations.cmake", "deploy/docker/healthcheck"):
            self.assertFalse(ignored(keep), keep)
        for drop in (".git", "build/bookstore", ".env", "tests/deploy/node_modules", "instance/bookstore.db"):
            self.assertTrue(ignored(drop), drop)

    def test_debootstrap_check_reads_the_dockerfile(self):
        """deploy/docker/check-with-debootstrap (run on demand) understands every step."""
        result = subprocess.run(["/usr/bin/python3", str(ROOT / "deploy/docker/check-with-debootstrap"), "--dry-run"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("stage 1: FROM debian:bookworm-slim", result.stdout)
        context = re.search(r"top level: \[(.*)\]", result.stdout).group(1)
        for name in ("'src'", "'scripts'", "'CMakeLists.txt'", "'migrations'"):
            self.assertIn(name, context)
        for name in ("'tests'", "'.git'", "'build'"):
            self.assertNotIn(name, context)

    def test_dockerfile_lint(self):
        node = shutil.which("node")
        lint = os.path.join(HERE, "node_modules", "dockerfile-utils", "bin", "dockerfile-utils")
        self.assertTrue(node and os.path.exists(lint), "run tests/deploy/install-tools")
        result = subprocess.run([node, lint, "lint", str(ROOT / "Dockerfile")], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


class Compose(unittest.TestCase):
    def test_services_and_profiles(self):
        self.assertEqual(set(SERVICES), {"nginx", "bookstore", "mariadb"})
        self.assertNotIn("profiles", SERVICES["nginx"])
        self.assertNotIn("profiles", SERVICES["bookstore"])
        self.assertEqual(SERVICES["mariadb"]["profiles"], ["mariadb"])
        dep = SERVICES["bookstore"]["depends_on"]["mariadb"]
        self.assertEqual((dep["condition"], dep["required"]), ("service_healthy", False))
        self.assertEqual(SERVICES["nginx"]["depends_on"]["bookstore"]["condition"], "service_healthy")
        self.assertTrue(SERVICES["mariadb"]["healthcheck"]["test"])

    def test_app_service(self):
        app = SERVICES["bookstore"]
        env = app["environment"]
        image_env = env_of(RUNTIME)
        self.assertEqual(env["UPLOAD_DIR"], image_env["UPLOAD_DIR"])
        self.assertIn(env["UPLOAD_DIR"], volume_map(app), "UPLOAD_DIR must be on a volume")
        self.assertEqual(volume_map(app)[env["UPLOAD_DIR"]], "${BOOKSTORE_UPLOADS:-uploads}")
        self.assertEqual(env["PORT"], "5000")
        self.assertIn("TRUSTED_PROXIES", env)
        self.assertEqual(app["stop_signal"], "SIGTERM")
        self.assertTrue(app["read_only"])
        self.assertIn("healthcheck", app)
        self.assertNotIn("ports", app, "the app is reached through NGINX only")
        self.assertTrue(app["image"].startswith("${BOOKSTORE_IMAGE"))

    def test_nginx_service_uses_the_site_template(self):
        nginx = SERVICES["nginx"]
        vols = volume_map(nginx)
        (target,) = [t for t, s in vols.items() if s == "./deploy/nginx/bookstore.conf.template"]
        self.assertRegex(target, r"^/etc/nginx/templates/[\w.-]+\.conf\.template$")
        self.assertTrue((ROOT / "deploy/nginx/bookstore.conf.template").is_file())
        env = nginx["environment"]
        self.assertEqual(env["NGINX_ENVSUBST_FILTER"], "^BOOKSTORE_")
        for var in NGINX_VARIABLES:
            self.assertIn(var, env)
        app = SERVICES["bookstore"]
        self.assertEqual(env["BOOKSTORE_UPSTREAM"], f"bookstore:{app['environment']['PORT']}")
        # NGINX reads the same uploads the app writes, read-only
        uploads = [v for v in nginx["volumes"] if v.startswith("${BOOKSTORE_UPLOADS:-uploads}:")]
        self.assertEqual(uploads, [f"${{BOOKSTORE_UPLOADS:-uploads}}:{env['BOOKSTORE_UPLOADS_DIR']}:ro"])
        self.assertEqual(env["BOOKSTORE_LISTEN"], "80")
        self.assertEqual(nginx["ports"], ["${BOOKSTORE_HTTP_PORT:-8080}:80"])

    def test_drain_fits_in_stop_grace_period(self):
        stop = int(SERVICES["bookstore"]["stop_grace_period"].rstrip("s"))
        env_example = (ROOT / ".env.example").read_text()
        grace = int(re.search(r"^SHUTDOWN_GRACE_SECONDS=(\d+)$", env_example, re.M).group(1))
        self.assertGreater(stop, grace + 5)


class EnvExample(unittest.TestCase):
    def test_every_key_documented(self):
        text = (ROOT / ".env.example").read_text()
        documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, re.M))
        compose_text = "\n".join(line for line in (ROOT / "compose.yaml").read_text().splitlines()
                                 if not line.lstrip().startswith("#"))
        compose_vars = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", compose_text))
        missing = (set(APP_KEYS) | compose_vars) - documented
        self.assertFalse(missing, f".env.example does not document {sorted(missing)}")

    def test_no_real_secrets(self):
        text = (ROOT / ".env.example").read_text()
        for key in ("SECRET_KEY", "DB_PASSWORD"):
            value = re.search(rf"^{key}=(.*)$", text, re.M).group(1)
            self.assertIn("change-me", value)


if __name__ == "__main__":
    unittest.main(verbosity=2)
