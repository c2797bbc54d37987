#!/usr/bin/python3
"""Issue 13 in the CloudFormation template: checked rollouts (creation and
update wait for cfn-signal), IMDSv2 with one hop, container logs in a log
group with a retention, alarms that notify an optional SNS topic, the
health design (target group on /health, ELB health on the group), pinned
images, the VpcCidr constraint and cfn-lint exceptions scoped to resources.
The user data itself is executed by test_user_data_run.py."""
import ipaddress
import os
import re
import unittest

import deploylib
from deploylib import ROOT, SAMPLE_CUT_OVER, TEMPLATE

T = deploylib.load_template()
R = T["Resources"]
D = deploylib.configure(T)
CUT = deploylib.configure(T, SAMPLE_CUT_OVER)
SCRIPT = deploylib.user_data()


def iso_seconds(duration):
    m = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", duration)
    assert m, duration
    h, mi, s = (int(x or 0) for x in m.groups())
    return h * 3600 + mi * 60 + s


class Rollouts(unittest.TestCase):
    ASG = R["AutoScalingGroup"]

    def test_creation_waits_for_every_instance(self):
        policy = self.ASG["CreationPolicy"]
        props = self.ASG["Properties"]
        self.assertEqual(int(policy["ResourceSignal"]["Count"]), int(props["DesiredCapacity"]))
        self.assertLessEqual(iso_seconds(policy["ResourceSignal"]["Timeout"]), 3600)
        self.assertGreaterEqual(iso_seconds(policy["ResourceSignal"]["Timeout"]), 600)
        self.assertEqual(policy["AutoScalingCreationPolicy"]["MinSuccessfulInstancesPercent"], 100)

    def test_rolling_update_waits_for_signals_and_keeps_capacity(self):
        update = self.ASG["UpdatePolicy"]["AutoScalingRollingUpdate"]
        props = self.ASG["Properties"]
        self.assertIs(update["WaitOnResourceSignals"], True)
        self.assertEqual(update["MinInstancesInService"], int(props["MinSize"]))
        self.assertEqual(update["MaxBatchSize"], 1)
        self.assertLess(update["MinInstancesInService"] + update["MaxBatchSize"], int(props["MaxSize"]) + 1)
        self.assertEqual(update.get("MinSuccessfulInstancesPercent", 100), 100)
        # PauseTime is the wait for each new instance's signal (at most 1 h)
        pause = iso_seconds(update["PauseTime"])
        self.assertTrue(600 <= pause <= 3600, pause)
        self.assertEqual(sorted(update["SuspendProcesses"]),
                         sorted(["HealthCheck", "ReplaceUnhealthy", "AZRebalance", "AlarmNotification",
                                 "ScheduledActions"]))

    def test_the_boot_fits_in_the_signal_timeout(self):
        """The user data's bounded retries end (with a failure signal) before
        CloudFormation's own timeout: compose attempts x health polls."""
        outer = re.search(r"\nretry (\d+) (\d+) start\n", SCRIPT)
        inner = re.search(r"start\(\) \{ docker compose up -d --remove-orphans && retry (\d+) (\d+) healthy; \}",
                          SCRIPT)
        self.assertTrue(outer and inner)

        def waits(attempts, delay):
            total = 0
            for _ in range(attempts - 1):
                total += delay
                delay = min(delay * 2, 60)
            return total
        health = int(inner.group(1)) * 5 + waits(int(inner.group(1)), int(inner.group(2)))  # curl --max-time 5
        compose = int(outer.group(1)) * (health + 120) + waits(int(outer.group(1)), int(outer.group(2)))
        timeout = iso_seconds(self.ASG["CreationPolicy"]["ResourceSignal"]["Timeout"])
        self.assertLess(compose, timeout - 180, "leave a few minutes for the install, EFS and image pulls")

    def test_signal_names_this_group_and_needs_no_permission(self):
        self.assertIn('cfn-signal -e "$1" --stack "$STACK_NAME" --resource AutoScalingGroup --region "$REGION"',
                      SCRIPT)
        self.assertIn("STACK_NAME='bookstore'", SCRIPT)
        actions = [a for pol in R["InstanceRole"]["Properties"]["Policies"]
                   for st in pol["PolicyDocument"]["Statement"]
                   for a in ([st["Action"]] if isinstance(st["Action"], str) else st["Action"])]
        self.assertFalse([a for a in actions if a.startswith("cloudformation:")],
                         "cfn-signal without credentials needs no IAM permission")
        self.assertNotIn("*", str([st["Resource"] for pol in R["InstanceRole"]["Properties"]["Policies"]
                                   for st in pol["PolicyDocument"]["Statement"]]))


class Health(unittest.TestCase):
    def test_target_group_checks_health_and_the_group_uses_it(self):
        tg = R["TargetGroup"]["Properties"]
        self.assertEqual(tg["HealthCheckPath"], "/health")
        self.assertEqual(R["AutoScalingGroup"]["Properties"]["HealthCheckType"], "ELB")

    def test_readme_documents_the_design(self):
        readme = (ROOT / "deploy" / "README.md").read_text()
        m = re.search(r"^### Health checks.*?(?=^## |^### )", readme, re.S | re.M)
        self.assertTrue(m, "deploy/README.md has no '### Health checks' section")
        text = m.group(0)
        for words in ("/health/live", "checks.database", "fail open", "HealthCheckType", "readinessProbe",
                      "livenessProbe"):
            self.assertIn(words, text)


class InstanceMetadata(unittest.TestCase):
    def test_imdsv2_one_hop(self):
        md = R["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["MetadataOptions"]
        self.assertEqual((md["HttpTokens"], md["HttpPutResponseHopLimit"]), ("required", 1))

    def test_credentials_used_on_the_host_only(self):
        self.assertNotIn("aws-cli/aws-cli", SCRIPT, "no AWS CLI container")
        self.assertNotIn("docker run", SCRIPT)
        self.assertIn("aws secretsmanager get-secret-value", SCRIPT)
        self.assertIn("aws ecr get-login-password", SCRIPT)


class Logs(unittest.TestCase):
    def test_log_group_with_retention(self):
        group = R["LogGroup"]
        self.assertEqual(group["Type"], "AWS::Logs::LogGroup")
        self.assertEqual(group["Properties"]["RetentionInDays"], {"Ref": "LogRetentionDays"})
        self.assertIn(T["Parameters"]["LogRetentionDays"]["Default"],
                      T["Parameters"]["LogRetentionDays"]["AllowedValues"])
        self.assertIn("LOG_GROUP='/bookstore/bookstore'", SCRIPT)
        self.assertIn('"log-driver": "awslogs"', SCRIPT)
        self.assertIn("SystemMaxUse=", SCRIPT)
        self.assertEqual(T["Outputs"]["LogGroupName"]["Value"], {"Ref": "LogGroup"})

    def test_role_writes_only_that_group(self):
        (st,) = [s for pol in R["InstanceRole"]["Properties"]["Policies"]
                 for s in pol["PolicyDocument"]["Statement"] if "logs" in str(s["Action"])]
        self.assertEqual(sorted(st["Action"]), ["logs:CreateLogStream", "logs:PutLogEvents"])
        self.assertEqual(st["Resource"], {"Fn::GetAtt": ["LogGroup", "Arn"]})

    def test_json_logs_and_private_metrics(self):
        env = re.search(r'cat > "\$APP_DIR/\.env" <<EOF\n(.*?)\nEOF\n', SCRIPT, re.S).group(1)
        self.assertIn("\nLOG_FORMAT=json\n", env)
        self.assertIn("\nMETRICS_PUBLIC=false\n", env)


ALARMS = {"TargetErrorsAlarm": ("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"),
          "UnhealthyHostsAlarm": ("AWS/ApplicationELB", "UnHealthyHostCount"),
          "ResponseTimeAlarm": ("AWS/ApplicationELB", "TargetResponseTime"),
          "DatabaseCpuAlarm": ("AWS/RDS", "CPUUtilization"),
          "DatabaseConnectionsAlarm": ("AWS/RDS", "DatabaseConnections")}
TOPIC = "arn:aws:sns:us-east-1:123456789012:bookstore-alarms"


class Alarms(unittest.TestCase):
    def test_alarms_and_their_metrics(self):
        values = deploylib.sample_values(D)
        values["DatabaseCluster"] = "bookstore-cluster"
        for name, (namespace, metric) in ALARMS.items():
            p = D["Resources"][name]["Properties"]
            self.assertEqual((p["Namespace"], p["MetricName"]), (namespace, metric), name)
            dims = {d["Name"]: deploylib.evaluate(d["Value"], values) for d in p["Dimensions"]}
            if namespace == "AWS/ApplicationELB":
                self.assertEqual(dims, {"LoadBalancer": values["LoadBalancer.LoadBalancerFullName"],
                                        "TargetGroup": values["TargetGroup.TargetGroupFullName"]}, name)
            else:
                self.assertEqual(dims, {"DBClusterIdentifier": "bookstore-cluster", "Role": "WRITER"}, name)
            self.assertTrue(deploylib.evaluate(p["AlarmName"], values).startswith("bookstore-"))
            self.assertNotIn("AlarmActions", p, "no topic: no actions")
            self.assertIn(p["TreatMissingData"], ("notBreaching", "missing"))

    def test_topic_parameter_adds_actions_everywhere(self):
        p = T["Parameters"]["AlarmTopicArn"]
        self.assertEqual(p["Default"], "")
        self.assertTrue(re.fullmatch(p["AllowedPattern"], TOPIC))
        for given in ({"AlarmTopicArn": TOPIC}, {**SAMPLE_CUT_OVER, "AlarmTopicArn": TOPIC}):
            c = deploylib.configure(T, given)
            alarms = {n: r for n, r in c["Resources"].items() if r["Type"] == "AWS::CloudWatch::Alarm"}
            self.assertGreaterEqual(len(alarms), 4)
            for name, alarm in alarms.items():
                self.assertEqual(alarm["Properties"]["AlarmActions"], [{"Ref": "AlarmTopicArn"}], name)
                self.assertEqual(alarm["Properties"]["OKActions"], [{"Ref": "AlarmTopicArn"}], name)

    def test_database_alarms_only_with_the_stacks_database(self):
        self.assertNotIn("DatabaseCpuAlarm", CUT["Resources"])
        self.assertNotIn("TargetErrorsAlarm", CUT["Resources"], "a cut-over has its new-fleet alarms")

    def test_readme_explains_each_alarm(self):
        readme = (ROOT / "deploy" / "README.md").read_text()
        for name in ALARMS:
            suffix = R[name]["Properties"]["AlarmName"]["Fn::Sub"].replace("${AWS::StackName}", "")
            self.assertTrue(f"`STACK{suffix}`" in readme, f"deploy/README.md does not explain STACK{suffix}")


class Images(unittest.TestCase):
    def test_nginx_pinned(self):
        p = T["Parameters"]["NginxImage"]
        pattern = p["AllowedPattern"]
        self.assertTrue(re.fullmatch(pattern, p["Default"]))
        for ok in ("nginx:1.28.0", "123456789012.dkr.ecr.us-east-1.amazonaws.com/nginx:1.28.0",
                   "public.ecr.aws/docker/library/nginx@sha256:" + "a" * 64):
            self.assertTrue(re.fullmatch(pattern, ok), ok)
        for bad in ("nginx:stable", "nginx:latest", "nginx", "public.ecr.aws/docker/library/nginx"):
            self.assertFalse(re.fullmatch(pattern, bad), bad)
        compose = (ROOT / "compose.yaml").read_text()
        self.assertRegex(compose, r"\$\{NGINX_IMAGE:-nginx:\d+\.\d+\.\d+\}")
        self.assertNotIn("aws-cli/aws-cli", TEMPLATE.read_text())


PACKER = ROOT / "deploy" / "aws" / "packer"


def hcl_structure(text):
    """Top-level shape of an HCL file without an HCL parser (Packer is not
    installable here): strings, heredocs and comments removed, brackets
    balanced, and each `attribute = value` on its own line. Returns the
    block headers with their nesting depth."""
    out, i, depth, stack, headers = [], 0, 0, [], []
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        code = re.sub(r"(#|//).*$", "", code).strip()
        if not code:
            continue
        m = re.match(r'^([A-Za-z_][\w-]*)((?:\s+"")*)\s*\{$', code)
        if m:
            quoted = re.findall(r'"(?:[^"\\]|\\.)*"', line)
            headers.append((len(stack), m.group(1), [q.strip('"') for q in quoted]))
        for ch in code:
            if ch in "{[(":
                stack.append((ch, n))
            elif ch in "}])":
                assert stack, f"line {n}: unbalanced {ch}"
                opening, _ = stack.pop()
                assert "{[(".index(opening) == "}])".index(ch), f"line {n}: {opening} closed by {ch}"
        assert code.count("=") <= 1 or "==" in code or "=>" in code, f"line {n}: two attributes on one line"
    assert not stack, f"unclosed {stack}"
    return headers


class PackerImage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = (PACKER / "bookstore.pkr.hcl").read_text()
        cls.headers = hcl_structure(cls.text)

    def test_hcl_is_well_formed(self):
        top = [(name, labels) for depth, name, labels in self.headers if depth == 0]
        self.assertIn(("packer", []), top)
        self.assertIn(("source", ["amazon-ebs", "bookstore"]), top)
        self.assertIn(("build", []), top)
        variables = {labels[0] for name, labels in top if name == "variable"}
        used = set(re.findall(r"\bvar\.(\w+)", self.text))
        self.assertEqual(used, variables, "every variable declared and used")
        self.assertIn('source  = "github.com/hashicorp/amazon"', self.text)
        self.assertIn('sources = ["source.amazon-ebs.bookstore"]', self.text)
        with self.assertRaises(AssertionError):
            hcl_structure('a {\n  b = "}"\n')

    def test_same_nginx_image_and_instance_settings_as_the_stack(self):
        default = re.search(r'variable "nginx_image" \{\s*type\s*= string\s*default = "([^"]+)"', self.text)
        self.assertEqual(default.group(1), T["Parameters"]["NginxImage"]["Default"])
        self.assertRegex(self.text, r'http_tokens\s+= "required"')
        self.assertRegex(self.text, r"http_put_response_hop_limit = 1")
        self.assertIn("ubuntu-noble-24.04-amd64-server-*", self.text)
        self.assertIn("--data-type aws:ec2:image", self.text)

    def test_provisioner_installs_what_the_user_data_would(self):
        script = (PACKER / "install-runtime").read_text()
        self.assertTrue(os.access(PACKER / "install-runtime", os.X_OK))
        self.assertIn('script          = "${path.root}/install-runtime"', self.text)
        fallback = set(re.findall(r"missing\+=\(([\w.-]+)\)", SCRIPT))
        self.assertEqual(fallback, {"docker.io", "docker-compose-v2", "nfs-common", "jq", "python3-venv"})
        installed = set(re.search(r"apt-get install -y -q --no-install-recommends \\\n\s*([^\n]*)", script)
                        .group(1).split())
        self.assertLessEqual(fallback, installed)
        for line in ("snap install aws-cli --classic", "/opt/aws/cfn-bootstrap/bin/pip install",
                     "ln -sf /opt/aws/cfn-bootstrap/bin/cfn-signal /usr/local/bin/cfn-signal",
                     'docker pull "$NGINX_IMAGE"'):
            self.assertIn(line, script)
            self.assertIn(line.replace('docker pull "$NGINX_IMAGE"', "docker compose up -d"), SCRIPT)
        cfn = re.search(r"^CFN_BOOTSTRAP=(\S+)$", script, re.M).group(1)
        self.assertIn(f"\nCFN_BOOTSTRAP={cfn}\n", SCRIPT)


class VpcCidr(unittest.TestCase):
    def test_prefixes_that_hold_six_24s(self):
        pattern = T["Parameters"]["VpcCidr"]["AllowedPattern"]
        for prefix in range(16, 22):
            cidr = f"10.20.0.0/{prefix}"
            self.assertTrue(re.fullmatch(pattern, cidr), cidr)
            self.assertGreaterEqual(len(list(ipaddress.ip_network(cidr).subnets(new_prefix=24))), 6)
            deploylib.parameter_values(T, {"VpcCidr": cidr})
        for prefix in (22, 23, 24, 8, 15):
            cidr = f"10.20.0.0/{prefix}"
            self.assertFalse(re.fullmatch(pattern, cidr), cidr)
        # a /22 holds only four /24s: CloudFormation refuses it before anything is created
        self.assertEqual(len(list(ipaddress.ip_network("10.20.0.0/22").subnets(new_prefix=24))), 4)
        with self.assertRaises(ValueError):
            deploylib.parameter_values(T, {"VpcCidr": "10.20.0.0/22"})
        deploylib.parameter_values(T, {"VpcCidr": "10.20.0.0/21"})


class LintExceptions(unittest.TestCase):
    def test_only_on_resources(self):
        self.assertNotIn("cfn-lint", T.get("Metadata", {}), "no template-wide exception")
        scoped = {name: r["Metadata"]["cfn-lint"]["config"]["ignore_checks"]
                  for name, r in R.items() if "cfn-lint" in r.get("Metadata", {})}
        self.assertTrue(scoped)
        for name, checks in scoped.items():
            self.assertTrue(set(checks) <= {"W1030", "W1031", "W1035"}, (name, checks))


if __name__ == "__main__":
    unittest.main(verbosity=2)
