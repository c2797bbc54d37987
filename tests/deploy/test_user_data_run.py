#!/usr/bin/python3
"""The AWS launch template's user data, executed (issue 13).

The rendered script (deploylib.user_data, as tests/deploy/render-user-data
prints it) runs with bash as root inside `unshare --mount --net --fork`: a
private mount namespace where /etc is a throw-away copy on tmpfs and /opt,
/mnt, /usr/local/bin are empty tmpfs, and a network namespace with no interface up, so it
can change nothing on this machine and reach nothing. Recording stand-ins
for aws, docker, mount, systemctl, curl, cfn-signal, sleep, cloud-init and
the package managers come first on PATH; each appends one line to a log,
and can be told to fail its first N calls.

Checked: the order of the steps, the install of what a stock Ubuntu AMI
lacks (apt-get, snap, the cfn-signal venv; none from the Packer image), the
EFS fstab entry and mount, the .env
(every key, the secrets only there, mode 0600 when compose starts), the
Docker log configuration and the systemd unit, the retries with backoff
when a stand-in fails twice, and that cfn-signal success is sent once and
only after the local /health answered 200 - failure when it never does, or
when EFS cannot be mounted.

Needs root (unshare), bash, jq (tests/deploy/install-tools)."""
import json
import os
import pathlib
import shutil
import subprocess
import tempfile
import unittest

import deploylib

DB_PASSWORD = "db-pw-4c9e1f0a77d2b5e8"
SECRET_KEY = "sk-8d2f6b1c0e9a4f7d3b5c6a1e2f0d9c8b"
INSTANCE_ID = "i-0123456789abcdef0"
PARAMS = deploylib.parameter_values(deploylib.load_template())
SAMPLE = deploylib.SAMPLE_VALUES
ENV_KEYS = {"BOOKSTORE_IMAGE", "NGINX_IMAGE", "BOOKSTORE_HTTP_PORT", "BOOKSTORE_UPLOADS", "BOOKSTORE_TRUSTED_LB",
            "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "SECRET_KEY", "LOG_LEVEL", "LOG_FORMAT",
            "METRICS_PUBLIC", "MAX_UPLOAD_MB", "SHUTDOWN_GRACE_SECONDS", "REPLICA_ID", "ORIGINAL_COMPATIBLE"}

# Stand-ins: NAME -> bash body run after the call is recorded. fail_first
# NAME makes the first N calls of a stand-in (or of a tagged case) fail.
STUB_HEAD = """#!/bin/bash
# recording stand-in of {name} for tests/deploy/test_user_data_run.py
STATE={state}
printf '%s\\t%s\\n' {name} "$*" >> "$STATE/calls"
fail_first() {{  # fail_first TAG: true while the TAG's failure budget lasts
  local f="$STATE/fail.$1" n
  [ -f "$f" ] || return 1
  n=$(cat "$f")
  [ "$n" -gt 0 ] || return 1
  echo $((n - 1)) > "$f"
  printf 'failed\\t%s\\n' "$1" >> "$STATE/calls"
}}
"""
STUBS = {
    "aws": """
case "$*" in
  *"secretsmanager get-secret-value"*)
    fail_first secretsmanager && exit 255
    case "$*" in
      *{db_arn}*) echo '{{"username": "admin", "password": "{db_password}"}}' ;;
      *{app_arn}*) echo '{{"secret_key": "{secret_key}"}}' ;;
      *) echo "unknown secret" >&2; exit 254 ;;
    esac ;;
  *"ecr get-login-password"*) echo ecr-token-not-a-secret ;;
  *) echo "unexpected aws call" >&2; exit 2 ;;
esac
""",
    "docker": """
case "$*" in
  "compose version") echo "Docker Compose version v2.27.0" ;;
  login*) [ "$(cat)" = ecr-token-not-a-secret ] || exit 1 ;;
  "compose up"*)
    printf 'env-at-up\\t%s\\n' "$(stat -c '%a %u' /opt/bookstore/.env 2>&1)" >> "$STATE/calls"
    [ -f /opt/bookstore/compose.yaml ] && [ -f /opt/bookstore/deploy/nginx/bookstore.conf.template ] || exit 3
    [ "$PWD" = /opt/bookstore ] || exit 4
    fail_first compose-up && exit 1 ;;
esac
exit 0
""",
    "mount": """
fail_first mount && exit 32
exit 0
""",
    "curl": """
codes="$STATE/health-codes"
code=$(head -n1 "$codes")
if [ "$(wc -l < "$codes")" -gt 1 ]; then sed -i 1d "$codes"; fi
printf 'health\\t%s\\n' "$code" >> "$STATE/calls"
printf '%s' "$code"
[ "$code" != 000 ] || exit 7
""",
    "cloud-init": "echo {instance_id}\n",
    "mount.nfs4": "exit 0\n",
    "systemctl": "exit 0\n",
    "cfn-signal": "exit 0\n",
    "sleep": "exit 0\n",
    # The package managers "install" a missing tool by copying its stand-in
    # from $STATE/../available onto PATH (the stock Ubuntu AMI's path).
    "apt-get": """
[ "$1" = install ] && fail_first apt-get-install && exit 100
avail="$STATE/../available" stubs="$STATE/../stubs"
if [ "$1" = install ]; then
  for pkg in "$@"; do
    case "$pkg" in
      docker.io) cp "$avail/docker" "$stubs/" ;;
      nfs-common) cp "$avail/mount.nfs4" "$stubs/" ;;
    esac
  done
fi
exit 0
""",
    "snap": """
[ "$*" = "install aws-cli --classic" ] && cp "$STATE/../available/aws" "$STATE/../stubs/"
exit 0
""",
    "python3": """
[ "$1 $2" = "-m venv" ] || exit 2
mkdir -p "$3/bin"
cp "$STATE/../available/pip" "$3/bin/pip"
""",
    "pip": """
case "$*" in
  "install -q https://"*) cp "$STATE/../available/cfn-signal" "$(dirname "$0")/cfn-signal" ;;
  *) exit 1 ;;
esac
""",
    "dnf": "exit 0\n",
    "yum": "exit 0\n",
}

# Runs inside the namespaces: private copies of what the script writes, the
# script, then what the test reads afterwards (the tmpfs go with the namespace).
RUNNER = """
set -u
mount --make-rprivate /
mount -t tmpfs tmpfs "$T/etc"
cp -a /etc/. "$T/etc/"
mount --bind "$T/etc" /etc
mount -t tmpfs tmpfs /opt
mount -t tmpfs tmpfs /mnt
mount -t tmpfs tmpfs /usr/local/bin
cd /
env -i PATH="$T/stubs:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME=/root \\
  bash "$T/user-data.sh" > "$T/out/stdout" 2> "$T/out/stderr"
echo $? > "$T/out/rc"
mkdir -p "$T/out/files"
for f in /etc/fstab /etc/docker/daemon.json /etc/systemd/system/bookstore.service \\
         /etc/systemd/system/docker.service.d/bookstore-efs.conf /etc/systemd/journald.conf.d/bookstore.conf; do
  [ -f "$f" ] && cp "$f" "$T/out/files/$(basename "$f")"
done
[ -d /opt/bookstore ] && cp -a /opt/bookstore "$T/out/files/bookstore"
stat -c '%a %u' /opt/bookstore/.env > "$T/out/env-mode" 2>/dev/null
stat -c '%u %a' /mnt/efs/uploads /mnt/efs/uploads/covers > "$T/out/uploads-owner" 2>/dev/null
grep -rlF -e "$DB_PASSWORD" -e "$SECRET_KEY" /etc /opt /mnt > "$T/out/secret-files" 2>/dev/null
exit 0
"""


def run_user_data(fail=None, health_codes=("000", "503", "503", "200"), given=None,
                  missing=("apt-get", "snap", "python3")):
    """Runs the user data; returns (rc, calls [(name, args)], out dir).
    The stand-ins named in missing are not on PATH at first (the package
    managers' stand-ins can install them); by default the image's tools are
    all there and the package managers are not."""
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="bookstore-userdata-"))
    state, stubs, out = tmp / "state", tmp / "stubs", tmp / "out"
    for d in (state, stubs, out, tmp / "etc", tmp / "available"):
        d.mkdir()
    (state / "calls").write_text("")
    (state / "health-codes").write_text("\n".join(health_codes) + "\n")
    for tag, count in (fail or {}).items():
        (state / f"fail.{tag}").write_text(f"{count}\n")
    configured = deploylib.configure(given=given)
    values = deploylib.sample_values(configured)
    db_arn = deploylib.evaluate({"Fn::Sub": "${DatabaseSecret}"}, values) if "DatabaseSecret" in \
        configured["Resources"] else values["ExistingDatabaseCredentialsArn"]
    fill = {"state": str(state), "db_arn": db_arn, "app_arn": SAMPLE["AppSecret"], "db_password": DB_PASSWORD,
            "secret_key": SECRET_KEY, "instance_id": INSTANCE_ID}
    for name, body in STUBS.items():
        path = (tmp / "available" if name in missing else stubs) / name
        path.write_text(STUB_HEAD.format(name=name, state=state) + body.format(**fill))
        path.chmod(0o755)
    (tmp / "user-data.sh").write_text(deploylib.user_data(given=given))
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "T": str(tmp), "DB_PASSWORD": DB_PASSWORD,
           "SECRET_KEY": SECRET_KEY}
    result = subprocess.run(["unshare", "--mount", "--net", "--fork", "bash", "-c", RUNNER], env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or not (out / "rc").exists():
        shutil.rmtree(tmp, ignore_errors=True)
        raise AssertionError(f"the namespace did not run: {result.returncode} {result.stderr}")
    calls = [tuple(line.split("\t", 1)) for line in (state / "calls").read_text().splitlines()]
    return int((out / "rc").read_text()), calls, tmp


def first(calls, name, contains=""):
    for i, (n, args) in enumerate(calls):
        if n == name and contains in args:
            return i
    raise AssertionError(f"no call of {name} with {contains!r} in {calls}")


def all_of(calls, name, contains=""):
    return [args for n, args in calls if n == name and contains in args]


@unittest.skipUnless(shutil.which("unshare") and shutil.which("jq"), "needs unshare and jq")
class Boot(unittest.TestCase):
    """A boot where every flaky step fails twice, then works."""

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (unshare --mount)")
        cls.rc, cls.calls, cls.tmp = run_user_data(fail={"mount": 2, "secretsmanager": 2, "compose-up": 1})
        cls.out = cls.tmp / "out"
        cls.stderr = (cls.out / "stderr").read_text()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_succeeds(self):
        self.assertEqual(self.rc, 0, self.stderr[-3000:])

    def test_order_of_the_steps(self):
        c = self.calls
        steps = [first(c, "mount", "/mnt/efs"), first(c, "systemctl", "restart docker"),
                 first(c, "aws", "secretsmanager"), first(c, "docker", "login"),
                 first(c, "systemctl", "enable bookstore.service"), first(c, "docker", "compose up -d"),
                 first(c, "health", "200"), first(c, "cfn-signal")]
        self.assertEqual(steps, sorted(steps), [c[i] for i in steps])
        # the runtime is in the image: nothing installed
        for tool in ("apt-get", "snap", "pip", "python3", "dnf", "yum"):
            self.assertEqual(all_of(c, tool), [], tool)

    def test_efs_mount(self):
        fstab = (self.out / "files" / "fstab").read_text().splitlines()
        (line,) = [x for x in fstab if " /mnt/efs " in x]
        source, target, fstype, options, dump, passno = line.split()
        self.assertEqual(source, f"{SAMPLE['FileSystem']}.efs.us-east-1.amazonaws.com:/")
        self.assertEqual((target, fstype, dump, passno), ("/mnt/efs", "nfs4", "0", "0"))
        opts = options.split(",")
        for opt in ("nfsvers=4.1", "hard", "noresvport", "_netdev", "nofail", "rsize=1048576", "wsize=1048576"):
            self.assertIn(opt, opts)
        self.assertEqual(all_of(self.calls, "mount"), ["/mnt/efs"] * 3, "mounted from fstab, retried twice")
        self.assertEqual((self.out / "uploads-owner").read_text().split("\n")[:2], ["10001 755", "10001 755"])
        dropin = (self.out / "files" / "bookstore-efs.conf").read_text()
        self.assertIn("RequiresMountsFor=/mnt/efs", dropin)

    def test_retries_back_off(self):
        c = self.calls
        self.assertEqual(len(all_of(c, "aws", DB_SECRET_ARG)), 3, "the database secret: 2 failures, then read")
        self.assertEqual(len(all_of(c, "aws", f"--secret-id {SAMPLE['AppSecret']}")), 1)
        self.assertEqual(len(all_of(c, "docker", "compose up -d")), 2, "compose up: one failure, then up")
        sleeps = [int(a) for a in all_of(c, "sleep")]
        mount_sleeps = sleeps[:2]
        self.assertEqual(mount_sleeps[1], 2 * mount_sleeps[0], f"the delay doubles: {sleeps}")
        self.assertTrue(all(s <= 60 for s in sleeps), sleeps)

    def test_env_file(self):
        text = (self.out / "files" / "bookstore" / ".env").read_text()
        env = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
        self.assertEqual(set(env), ENV_KEYS)
        expected = {
            "DB_HOST": SAMPLE["DatabaseCluster.Endpoint.Address"], "DB_PORT": "3306", "DB_NAME": "bookstore",
            "DB_USER": "admin", "DB_PASSWORD": DB_PASSWORD, "SECRET_KEY": SECRET_KEY,
            "BOOKSTORE_IMAGE": SAMPLE["ImageUri"], "NGINX_IMAGE": PARAMS["NginxImage"],
            "BOOKSTORE_HTTP_PORT": "80", "BOOKSTORE_UPLOADS": "/mnt/efs/uploads",
            "BOOKSTORE_TRUSTED_LB": PARAMS["VpcCidr"], "LOG_FORMAT": "json", "METRICS_PUBLIC": "false",
            "REPLICA_ID": INSTANCE_ID, "ORIGINAL_COMPATIBLE": "false", "SHUTDOWN_GRACE_SECONDS": "30"}
        for key, value in expected.items():
            self.assertEqual(env[key], value, key)
        self.assertEqual((self.out / "env-mode").read_text().split(), ["600", "0"])
        self.assertEqual(all_of(self.calls, "env-at-up"), ["600 0", "600 0"], ".env ready before compose starts")

    def test_secrets_only_in_the_env_file(self):
        self.assertEqual((self.out / "secret-files").read_text().split(), ["/opt/bookstore/.env"])
        for where in ("calls", ):
            text = (self.tmp / "state" / where).read_text()
            self.assertNotIn(DB_PASSWORD, text)
            self.assertNotIn(SECRET_KEY, text)
        for stream in ("stdout", "stderr"):
            text = (self.out / stream).read_text()
            self.assertNotIn(DB_PASSWORD, text, stream)
            self.assertNotIn(SECRET_KEY, text, stream)
        # the AWS CLI runs on the host, never in a container
        for args in all_of(self.calls, "docker"):
            self.assertNotIn("aws-cli", args)
            self.assertFalse(args.startswith("run"), args)

    def test_ecr_login_on_the_host(self):
        registry = SAMPLE["ImageUri"].split("/")[0]
        self.assertEqual(all_of(self.calls, "docker", "login"),
                         [f"login --username AWS --password-stdin {registry}"])
        self.assertEqual(all_of(self.calls, "aws", "ecr get-login-password"), ["ecr get-login-password --region us-east-1"])

    def test_container_logs_to_cloudwatch(self):
        daemon = json.loads((self.out / "files" / "daemon.json").read_text())
        self.assertEqual(daemon["log-driver"], "awslogs")
        opts = daemon["log-opts"]
        self.assertEqual(opts["awslogs-group"], SAMPLE["LogGroup"])
        self.assertEqual(opts["awslogs-region"], "us-east-1")
        self.assertEqual(opts["tag"], INSTANCE_ID + "/{{.Name}}")
        self.assertEqual(opts["mode"], "non-blocking")
        self.assertNotIn("awslogs-create-group", opts, "the stack creates the group (with its retention)")
        journal = (self.out / "files" / "bookstore.conf").read_text()
        self.assertIn("SystemMaxUse=", journal)
        restart = first(self.calls, "systemctl", "restart docker")
        self.assertLess(first(self.calls, "systemctl", "daemon-reload"), restart)

    def test_systemd_unit_brings_compose_back(self):
        unit = (self.out / "files" / "bookstore.service").read_text()
        for line in ("Requires=docker.service", "RequiresMountsFor=/mnt/efs", "WorkingDirectory=/opt/bookstore",
                     "ExecStart=/usr/bin/docker compose up -d", "Restart=on-failure", "WantedBy=multi-user.target"):
            self.assertIn(line, unit)
        self.assertIn("enable bookstore.service", all_of(self.calls, "systemctl"))
        compose = (self.out / "files" / "bookstore" / "compose.yaml").read_text()
        self.assertEqual(compose.count("restart: unless-stopped"), 3)

    def test_signal_once_after_health(self):
        signals = all_of(self.calls, "cfn-signal")
        self.assertEqual(signals, ["-e 0 --stack bookstore --resource AutoScalingGroup --region us-east-1"])
        codes = all_of(self.calls, "health")
        self.assertEqual(codes[-1], "200")
        self.assertIn("503", codes)
        self.assertGreater(first(self.calls, "cfn-signal"), first(self.calls, "health", "200"))
        self.assertEqual(all_of(self.calls, "curl")[0],
                         "-s -o /dev/null -w %{http_code} --max-time 5 http://127.0.0.1/health")


DB_SECRET_ARG = f"--secret-id {SAMPLE['DatabaseSecret']}"


@unittest.skipUnless(shutil.which("unshare") and shutil.which("jq"), "needs unshare and jq")
class Failures(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("needs root (unshare --mount)")

    def test_health_never_green_sends_failure(self):
        rc, calls, tmp = run_user_data(health_codes=("503",))
        try:
            self.assertNotEqual(rc, 0)
            self.assertEqual(all_of(calls, "cfn-signal"),
                             ["-e 1 --stack bookstore --resource AutoScalingGroup --region us-east-1"])
            ups = all_of(calls, "docker", "compose up -d")
            self.assertEqual(len(ups), 3, "compose up retried, bounded")
            self.assertEqual(len(all_of(calls, "health")), 3 * 6, "health polled, bounded")
            self.assertGreater(first(calls, "cfn-signal"), max(i for i, c in enumerate(calls) if c[0] == "health"))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_efs_never_mounts_sends_failure_and_starts_nothing(self):
        rc, calls, tmp = run_user_data(fail={"mount": 100})
        try:
            self.assertNotEqual(rc, 0)
            self.assertEqual(all_of(calls, "cfn-signal"),
                             ["-e 1 --stack bookstore --resource AutoScalingGroup --region us-east-1"])
            self.assertEqual(all_of(calls, "aws"), [], "no secret read")
            self.assertEqual(all_of(calls, "docker", "compose up"), [])
            self.assertFalse((tmp / "out" / "files" / "bookstore").exists(), "no .env written")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_stock_ubuntu_installs_what_is_missing_first(self):
        """The default ImageId (stock Ubuntu): Docker, compose, the NFS client,
        the AWS CLI and cfn-signal are installed (apt-get retried) before
        anything else, then the boot goes on as from the Packer image."""
        rc, calls, tmp = run_user_data(fail={"apt-get-install": 1},
                                       missing=("docker", "aws", "cfn-signal", "mount.nfs4", "pip"))
        try:
            self.assertEqual(rc, 0, (tmp / "out" / "stderr").read_text()[-3000:])
            installs = all_of(calls, "apt-get", "install")
            self.assertEqual(len(installs), 2, "failed once, retried")
            packages = installs[-1].split()
            self.assertEqual(packages[:4], ["install", "-y", "-q", "--no-install-recommends"])
            self.assertLessEqual({"docker.io", "docker-compose-v2", "nfs-common", "python3-venv"}, set(packages))
            self.assertEqual(all_of(calls, "snap"), ["install aws-cli --classic"])
            self.assertEqual(all_of(calls, "python3"), ["-m venv /opt/aws/cfn-bootstrap"])
            (pip,) = all_of(calls, "pip")
            self.assertRegex(pip, r"^install -q https://s3\.amazonaws\.com/cloudformation-examples/"
                                  r"aws-cfn-bootstrap-py3-latest\.tar\.gz$")
            self.assertLess(first(calls, "apt-get", "update"), first(calls, "apt-get", "install"))
            self.assertLess(first(calls, "pip"), first(calls, "mount", "/mnt/efs"))
            self.assertEqual(all_of(calls, "cfn-signal"),
                             ["-e 0 --stack bookstore --resource AutoScalingGroup --region us-east-1"])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_cut_over_reads_the_existing_database_secret(self):
        rc, calls, tmp = run_user_data(given=deploylib.SAMPLE_CUT_OVER)
        try:
            self.assertEqual(rc, 0, (tmp / "out" / "stderr").read_text()[-3000:])
            arn = deploylib.SAMPLE_CUT_OVER["ExistingDatabaseCredentialsArn"]
            self.assertEqual(len(all_of(calls, "aws", f"--secret-id {arn}")), 1)
            text = (tmp / "out" / "files" / "bookstore" / ".env").read_text()
            self.assertIn(f"\nDB_HOST={deploylib.SAMPLE_CUT_OVER['ExistingDatabaseEndpoint']}\n", text)
            self.assertIn("\nORIGINAL_COMPATIBLE=true\n", text)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
