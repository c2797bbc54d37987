#!/usr/bin/python3
"""The Kubernetes variant (deploy/k8s/, built with `kubectl kustomize`) keeps
the source architecture's numbers and the app's drain contract."""
import re
import shutil
import subprocess
import unittest

import yaml

from deploylib import ROOT


def build():
    kubectl = shutil.which("kubectl")
    if not kubectl:
        raise SystemExit("FAIL: kubectl is not installed (tests/deploy/install-tools)")
    out = subprocess.run([kubectl, "kustomize", str(ROOT / "deploy" / "k8s")], check=True,
                         capture_output=True, text=True).stdout
    return {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(out) if d}


OBJ = build()


def get(kind):
    found = [v for (k, _), v in OBJ.items() if k == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


DEPLOY = get("Deployment")
POD = DEPLOY["spec"]["template"]["spec"]
(APP,) = POD["containers"]
CONFIG = get("ConfigMap")["data"]


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
        self.assertLessEqual({"DB_PASSWORD", "SECRET_KEY"}, set(secret.get("stringData", {})))
        for key in ("DB_PASSWORD", "SECRET_KEY"):
            self.assertNotIn(key, CONFIG, "secrets belong in the Secret")
        self.assertEqual(CONFIG["DB_NAME"], "bookstore")


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
