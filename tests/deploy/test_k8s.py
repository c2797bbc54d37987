#!/usr/bin/python3
"""The Kubernetes variant (deploy/k8s/, built with `kubectl kustomize`) keeps
the source architecture's numbers and the app's drain contract."""
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

import yaml

from deploylib import ROOT


K8S = ROOT / "deploy" / "k8s"


def kustomize(with_secret_env=True):
    """`kubectl kustomize` of a copy of deploy/k8s, with secret.env made from
    secret.env.example (as an operator would) or without it."""
    kubectl = shutil.which("kubectl")
    if not kubectl:
        raise SystemExit("FAIL: kubectl is not installed (tests/deploy/install-tools)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = pathlib.Path(tmp) / "k8s"
        shutil.copytree(K8S, copy, ignore=shutil.ignore_patterns("secret.env"))
        if with_secret_env:
            shutil.copy(copy / "secret.env.example", copy / "secret.env")
        return subprocess.run([kubectl, "kustomize", str(copy)], capture_output=True, text=True)


def build():
    result = kustomize()
    assert result.returncode == 0, result.stderr
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(result.stdout) if d}


OBJ = build()


def get(kind):
    found = [v for (k, _), v in OBJ.items() if k == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


DEPLOY = get("Deployment")
POD = DEPLOY["spec"]["template"]["spec"]
(APP,) = POD["containers"]
CONFIG = OBJ[("ConfigMap", "bookstore-config")]["data"]


class Kinds(unittest.TestCase):
    def test_objects(self):
        kinds = {k for k, _ in OBJ}
        for kind in ("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PersistentVolumeClaim",
                     "ConfigMap", "Secret"):
            self.assertIn(kind, kinds)
        for obj in OBJ.values():
            if obj["kind"] != "Namespace":
                self.assertEqual(obj["metadata"].get("namespace"), "bookstore", obj["kind"])


class Deployment(unittest.TestCase):
    def test_replicas_and_probes(self):
        self.assertEqual(DEPLOY["spec"]["replicas"], 2)
        self.assertEqual(APP["readinessProbe"]["httpGet"]["path"], "/health")
        self.assertEqual(APP["livenessProbe"]["httpGet"]["path"], "/health/live")
        ports = {p["name"]: p["containerPort"] for p in APP["ports"]}
        self.assertEqual(ports["http"], int(CONFIG["PORT"]))
        for probe in ("readinessProbe", "livenessProbe"):
            self.assertIn(APP[probe]["httpGet"]["port"], ("http", int(CONFIG["PORT"])))
        self.assertEqual(DEPLOY["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], 0)

    def test_drain_fits_in_the_grace_period(self):
        pre = APP["lifecycle"]["preStop"]
        if "exec" in pre:
            (seconds,) = [int(a) for a in pre["exec"]["command"] if a.isdigit()]
            self.assertEqual(pre["exec"]["command"][0], "sleep")
        else:
            seconds = pre["sleep"]["seconds"]
        self.assertGreater(seconds, 0)
        grace = int(CONFIG["SHUTDOWN_GRACE_SECONDS"])
        ready = APP["readinessProbe"]
        self.assertGreaterEqual(grace, ready["periodSeconds"] * ready["failureThreshold"],
                                "the pod must leave the endpoints while it still serves")
        total = POD["terminationGracePeriodSeconds"]
        self.assertGreaterEqual(total, seconds + grace + 10, "room for in-flight requests after the drain")

    def test_resources_for_the_autoscaler(self):
        self.assertIn("cpu", APP["resources"]["requests"])
        self.assertIn("memory", APP["resources"]["limits"])

    def test_non_root_and_read_only(self):
        self.assertTrue(POD["securityContext"]["runAsNonRoot"])
        self.assertNotEqual(POD["securityContext"].get("runAsUser"), 0)
        sc = APP["securityContext"]
        self.assertTrue(sc["readOnlyRootFilesystem"])
        self.assertFalse(sc["allowPrivilegeEscalation"])
        self.assertEqual(sc["capabilities"]["drop"], ["ALL"])

    def test_uploads_on_the_shared_claim(self):
        mounts = {m["name"]: m["mountPath"] for m in APP["volumeMounts"]}
        volumes = {v["name"]: v for v in POD["volumes"]}
        self.assertEqual(mounts["uploads"], CONFIG["UPLOAD_DIR"])
        claim = volumes["uploads"]["persistentVolumeClaim"]["claimName"]
        pvc = OBJ[("PersistentVolumeClaim", claim)]
        self.assertEqual(pvc["spec"]["accessModes"], ["ReadWriteMany"])
        self.assertEqual(pvc["spec"]["storageClassName"], "efs-sc")
        sc = yaml.safe_load((ROOT / "deploy" / "k8s" / "efs-storageclass.yaml").read_text())
        self.assertEqual((sc["metadata"]["name"], sc["provisioner"]), ("efs-sc", "efs.csi.aws.com"))
        self.assertIsNone(re.search(r"fs-[0-9a-f]{8,}", str(sc)), "hard-coded file system id")
        self.assertIn("/tmp", mounts.values(), "a writable /tmp on the read-only root")

    def test_config_and_secret(self):
        env_from = {next(iter(e)): next(iter(e.values()))["name"] for e in APP["envFrom"]}
        self.assertIn(("ConfigMap", env_from["configMapRef"]), OBJ)
        secret = OBJ[("Secret", env_from["secretRef"])]
        self.assertTrue(secret["metadata"]["name"].startswith("bookstore-secrets-"), "generated, hashed name")
        self.assertLessEqual({"DB_USER", "DB_PASSWORD", "SECRET_KEY"}, set(secret.get("data", {})))
        for key in ("DB_PASSWORD", "SECRET_KEY"):
            self.assertNotIn(key, CONFIG, "secrets belong in the Secret")
        self.assertEqual(CONFIG["DB_NAME"], "bookstore")


class SecretOutOfGit(unittest.TestCase):
    """Issue 13: `kubectl apply -k` never overwrites a real Secret with
    placeholders: the Secret comes from the git-ignored secret.env."""

    def test_kustomization_generates_it_from_secret_env(self):
        k = yaml.safe_load((K8S / "kustomization.yaml").read_text())
        for res in k["resources"]:
            doc = yaml.safe_load((K8S / res).read_text())
            self.assertNotEqual(doc["kind"], "Secret", f"{res}: a committed Secret")
        (gen,) = k["secretGenerator"]
        self.assertEqual((gen["name"], gen["envs"]), ("bookstore-secrets", ["secret.env"]))
        self.assertFalse((K8S / "secret.env").exists() and self.tracked("deploy/k8s/secret.env"))

    def tracked(self, path):
        return subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", path],
                              capture_output=True).returncode == 0

    def test_secret_env_is_git_ignored_and_the_example_committed(self):
        if not (ROOT / ".git").exists():
            self.skipTest("not a git checkout")
        ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", "deploy/k8s/secret.env"])
        self.assertEqual(ignored.returncode, 0, "deploy/k8s/secret.env must be git-ignored")
        self.assertTrue(self.tracked("deploy/k8s/secret.env.example"))
        example = dict(line.split("=", 1) for line in (K8S / "secret.env.example").read_text().splitlines()
                       if line and not line.startswith("#"))
        self.assertEqual(set(example), {"DB_USER", "DB_PASSWORD", "SECRET_KEY"})
        self.assertIn("change-me", example["DB_PASSWORD"])

    def test_without_secret_env_nothing_is_built(self):
        result = kustomize(with_secret_env=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("secret.env", result.stderr)


class Observability(unittest.TestCase):
    def test_prometheus_scrapes_the_private_metrics_port(self):
        notes = DEPLOY["spec"]["template"]["metadata"]["annotations"]
        ports = {p["name"]: p["containerPort"] for p in APP["ports"]}
        self.assertEqual(notes["prometheus.io/scrape"], "true")
        self.assertEqual(notes["prometheus.io/path"], "/metrics")
        self.assertEqual(int(notes["prometheus.io/port"]), ports["metrics"])
        self.assertEqual(int(CONFIG["METRICS_PORT"]), ports["metrics"])
        self.assertEqual(CONFIG["METRICS_PUBLIC"], "false")
        svc = get("Service")
        self.assertNotIn(ports["metrics"], [p.get("port") for p in svc["spec"]["ports"]],
                         "the Service (and the Ingress behind it) does not expose the metrics port")
        self.assertNotIn("metrics", [p.get("targetPort") for p in svc["spec"]["ports"]])

    def test_json_logs(self):
        self.assertEqual(CONFIG["LOG_FORMAT"], "json")

    def test_health_probes_follow_the_design(self):
        # readiness: this replica (a database outage does not fail it); liveness: the process
        self.assertEqual(APP["readinessProbe"]["httpGet"]["path"], "/health")
        self.assertEqual(APP["livenessProbe"]["httpGet"]["path"], "/health/live")
        self.assertEqual(APP["startupProbe"]["httpGet"]["path"], "/health/live")

    def test_grafana_dashboard_config_map(self):
        cm = OBJ[("ConfigMap", "bookstore-grafana-dashboard")]
        self.assertEqual(cm["metadata"]["labels"]["grafana_dashboard"], "1")
        self.assertEqual(cm["data"]["grafana-dashboard.json"], (K8S / "grafana-dashboard.json").read_text())


class Network(unittest.TestCase):
    def test_service_and_ingress_with_tls(self):
        svc = get("Service")
        self.assertEqual(svc["spec"]["selector"], DEPLOY["spec"]["selector"]["matchLabels"])
        ing = get("Ingress")
        self.assertTrue(ing["spec"]["tls"])
        (rule,) = ing["spec"]["rules"]
        self.assertIn(rule["host"], ing["spec"]["tls"][0]["hosts"])
        backend = rule["http"]["paths"][0]["backend"]["service"]
        self.assertEqual(backend["name"], svc["metadata"]["name"])
        self.assertEqual(ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/ssl-redirect"], "true")


class Autoscaler(unittest.TestCase):
    def test_hpa_70_percent_cpu_2_to_3(self):
        hpa = get("HorizontalPodAutoscaler")
        self.assertEqual(hpa["apiVersion"], "autoscaling/v2")
        spec = hpa["spec"]
        self.assertEqual((spec["minReplicas"], spec["maxReplicas"]), (2, 3))
        self.assertEqual(spec["scaleTargetRef"]["kind"], "Deployment")
        self.assertEqual(spec["scaleTargetRef"]["name"], DEPLOY["metadata"]["name"])
        (metric,) = spec["metrics"]
        self.assertEqual(metric["resource"]["name"], "cpu")
        self.assertEqual(metric["resource"]["target"], {"type": "Utilization", "averageUtilization": 70})


if __name__ == "__main__":
    unittest.main(verbosity=2)
