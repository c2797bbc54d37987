#!/usr/bin/python3
"""The CloudFormation template reproduces the source document's AWS
deployment (names, sizes, ports, paths) and fixes its weak points (secrets in
plain text, hard-coded file system, no HTTPS redirect); with the cut-over
parameters it runs the new fleet beside an existing one on that fleet's load
balancer listener, with weighted forwarding, on the same database (issue 15).

T/R is the template as written; D is the stack of the deploy command (every
parameter at its default), CUT a cut-over at weight 0 (deploylib.configure
evaluates the conditions and Fn::If the way CloudFormation does)."""
import ipaddress
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

import deploylib
from deploylib import ROOT, SAMPLE_CUT_OVER, TEMPLATE

T = deploylib.load_template()
R = T["Resources"]
TEXT = TEMPLATE.read_text()
D = deploylib.configure(T)
CUT = deploylib.configure(T, SAMPLE_CUT_OVER)


def of_type(kind, resources=R):
    return {name: res for name, res in resources.items() if res["Type"] == kind}


def one(kind, resources=R):
    found = of_type(kind, resources)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.items()))


def ref(x):
    """The name a Ref (or a Sub of one name, "${Name}") points at."""
    if isinstance(x, dict) and isinstance(x.get("Fn::Sub"), str):
        m = re.fullmatch(r"\$\{([^}!]+)\}", x["Fn::Sub"])
        return m.group(1) if m else None
    return x.get("Ref") if isinstance(x, dict) else None


def secret_statements(resources):
    """The instance role's statements that read secrets."""
    return [s for pol in resources["InstanceRole"]["Properties"]["Policies"]
            for s in pol["PolicyDocument"]["Statement"] if "secretsmanager" in str(s["Action"])]


def refs_in(value):
    """Every resource or parameter named by Ref/GetAtt/Sub anywhere in value."""
    names = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "Ref":
                names.add(v)
            elif k == "Fn::GetAtt":
                names.add(v[0] if isinstance(v, list) else v.split(".")[0])
            elif k == "Fn::Sub":
                s = v if isinstance(v, str) else v[0]
                local = set(v[1]) if isinstance(v, list) else set()
                names |= {n.split(".")[0] for n in re.findall(r"\$\{([^!}][^}]*)\}", s)} - local
                if isinstance(v, list):
                    names |= refs_in(v[1])
            else:
                names |= refs_in(v)
    elif isinstance(value, list):
        for v in value:
            names |= refs_in(v)
    return names


def if_branches(value):
    """The new-VPC and existing-VPC branches of an Fn::If on CreateVpc."""
    assert isinstance(value, dict) and "Fn::If" in value, value
    cond, new, existing = value["Fn::If"]
    assert cond == "CreateVpc", value
    return new, existing


def az_index(subnet_name):
    return R[subnet_name]["Properties"]["AvailabilityZone"]["Fn::Select"][0]


def user_data_env(given=None):
    """KEY=value lines the user data writes into /opt/bookstore/.env."""
    script = deploylib.user_data(given=given)
    m = re.search(r'cat > "\$APP_DIR/\.env" <<EOF\n(.*?)\nEOF\n', script, re.S)
    assert m, "user data does not write $APP_DIR/.env"
    return dict(line.split("=", 1) for line in m.group(1).splitlines() if line and not line.startswith("#"))


class Names(unittest.TestCase):
    def test_source_document_names(self):
        res = D["Resources"]
        self.assertEqual(one("AWS::ElasticLoadBalancingV2::TargetGroup", res)[1]["Properties"]["Name"],
                         "bookstore-tg")
        self.assertEqual(one("AWS::ElasticLoadBalancingV2::LoadBalancer", res)[1]["Properties"]["Name"],
                         "bookstore-lb")
        self.assertEqual(one("AWS::AutoScaling::AutoScalingGroup", res)[1]["Properties"]["AutoScalingGroupName"],
                         "bookstore-asg")

    def test_no_hard_coded_ids_or_source_leftovers(self):
        self.assertIsNone(re.search(r"\bfs-[0-9a-f]{8,}", TEXT), "hard-coded EFS file system id")
        self.assertNotIn("sdproject.store", TEXT.replace("autoscale.sdproject.store); the ACM", ""))
        self.assertIsNone(re.search(r"\b(ami|subnet|vpc|sg)-[0-9a-f]{8,}", TEXT), "hard-coded AWS ids")


class Network(unittest.TestCase):
    def test_three_zones_public_and_private(self):
        subnets = of_type("AWS::EC2::Subnet")
        public = sorted(n for n in subnets if n.startswith("PublicSubnet"))
        private = sorted(n for n in subnets if n.startswith("PrivateSubnet"))
        self.assertEqual(len(public), 3)
        self.assertEqual(len(private), 3)
        self.assertEqual(sorted(az_index(n) for n in public), [0, 1, 2])
        self.assertEqual(sorted(az_index(n) for n in private), [0, 1, 2])
        for n in public + private:
            az = R[n]["Properties"]["AvailabilityZone"]["Fn::Select"][1]
            self.assertEqual(az, {"Fn::GetAZs": ""})
        for n in private:
            self.assertFalse(R[n]["Properties"].get("MapPublicIpOnLaunch", False))

    def test_subnet_cidrs_are_distinct_and_inside_the_vpc(self):
        vpc = ipaddress.ip_network(T["Parameters"]["VpcCidr"]["Default"])
        count, bits = None, None
        indexes = []
        for n in of_type("AWS::EC2::Subnet"):
            index, cidr = R[n]["Properties"]["CidrBlock"]["Fn::Select"]
            base, count, bits = cidr["Fn::Cidr"]
            self.assertEqual(base, {"Ref": "VpcCidr"})
            indexes.append(index)
        self.assertEqual(sorted(indexes), list(range(6)))
        self.assertGreaterEqual(2 ** (32 - vpc.prefixlen - 0) // 2 ** bits, count)

    def test_existing_vpc_parameters(self):
        p = T["Parameters"]
        for name in ("VpcId", "PublicSubnetIds", "PrivateSubnetIds"):
            self.assertIn(name, p)
        self.assertEqual(T["Conditions"]["CreateVpc"], {"Fn::Equals": [{"Ref": "VpcId"}, ""]})
        for name, res in R.items():
            if name.startswith(("Public", "Private", "Nat", "InternetGateway", "Vpc")) and \
                    res["Type"].startswith("AWS::EC2::") and res["Type"] != "AWS::EC2::SecurityGroup":
                self.assertIn(res.get("Condition"), ("CreateVpc", "ThreeNatGateways"), name)

    def test_private_subnets_reach_out_through_nat(self):
        for letter in "ABC":
            route = R[f"PrivateDefaultRoute{letter}"]["Properties"]
            self.assertEqual(route["DestinationCidrBlock"], "0.0.0.0/0")
            self.assertIn("NatGatewayId", route)
            assoc = R[f"PrivateSubnet{letter}RouteTable"]["Properties"]
            self.assertEqual(ref(assoc["SubnetId"]), f"PrivateSubnet{letter}")
            self.assertEqual(ref(assoc["RouteTableId"]), f"PrivateRouteTable{letter}")


class SecurityGroups(unittest.TestCase):
    """The stand-alone stack's groups (see CutOver for the other case)."""

    def ingress(self, sg_name, resources=D["Resources"]):
        """Every ingress rule of a group: inline and separate resources."""
        rules = list(resources[sg_name]["Properties"].get("SecurityGroupIngress", []))
        for res in of_type("AWS::EC2::SecurityGroupIngress", resources).values():
            if ref(res["Properties"]["GroupId"]) == sg_name:
                rules.append(res["Properties"])
        return rules

    def test_load_balancer_open_on_80_and_443_only(self):
        rules = self.ingress("LoadBalancerSecurityGroup")
        self.assertEqual(sorted((r["FromPort"], r["ToPort"]) for r in rules), [(80, 80), (443, 443)])
        for r in rules:
            self.assertEqual(r["IpProtocol"], "tcp")
            self.assertEqual(r["CidrIp"], "0.0.0.0/0")

    def only_from(self, sg_name, port, source):
        rules = self.ingress(sg_name)
        self.assertTrue(rules, f"{sg_name} has no ingress")
        for r in rules:
            self.assertEqual((r["IpProtocol"], r["FromPort"], r["ToPort"]), ("tcp", port, port), sg_name)
            self.assertEqual(ref(r.get("SourceSecurityGroupId")), source, sg_name)
            self.assertNotIn("CidrIp", r, sg_name)

    def test_instances_only_from_the_load_balancer(self):
        self.only_from("InstanceSecurityGroup", 80, "LoadBalancerSecurityGroup")

    def test_aurora_only_from_the_instances(self):
        self.only_from("DatabaseSecurityGroup", 3306, "InstanceSecurityGroup")

    def test_efs_only_from_the_instances(self):
        self.only_from("FileSystemSecurityGroup", 2049, "InstanceSecurityGroup")

    def test_groups_are_used_where_they_belong(self):
        self.assertEqual([ref(x) for x in R["LoadBalancer"]["Properties"]["SecurityGroups"]],
                         ["LoadBalancerSecurityGroup"])
        lt = R["LaunchTemplate"]["Properties"]["LaunchTemplateData"]
        self.assertEqual([ref(x) for x in lt["SecurityGroupIds"]], ["InstanceSecurityGroup"])
        self.assertEqual([ref(x) for x in R["DatabaseCluster"]["Properties"]["VpcSecurityGroupIds"]],
                         ["DatabaseSecurityGroup"])
        for mt in of_type("AWS::EFS::MountTarget").values():
            self.assertEqual([ref(x) for x in mt["Properties"]["SecurityGroups"]], ["FileSystemSecurityGroup"])


class Database(unittest.TestCase):
    def test_aurora_mysql_with_database_bookstore(self):
        name, cluster = one("AWS::RDS::DBCluster")
        p = cluster["Properties"]
        self.assertEqual(p["Engine"], "aurora-mysql")
        self.assertEqual(p["DatabaseName"], "bookstore")
        self.assertEqual(p.get("Port", 3306), 3306)
        self.assertTrue(p["StorageEncrypted"])
        self.assertEqual(cluster.get("DeletionPolicy"), "Snapshot")
        writers = [r for r in of_type("AWS::RDS::DBInstance").values()
                   if ref(r["Properties"]["DBClusterIdentifier"]) == name]
        self.assertGreaterEqual(len(writers), 1)
        for w in writers:
            self.assertEqual(w["Properties"]["Engine"], "aurora-mysql")
            self.assertFalse(w["Properties"]["PubliclyAccessible"])

    def test_full_text_search_indexes_every_word(self):
        # Migration 0008's FULLTEXT index: words of one letter and stopwords
        # too, as on the tests' MariaDB (tools/bookstore_tools/mariadb.py).
        name, group = one("AWS::RDS::DBParameterGroup")
        self.assertEqual(group["Properties"]["Family"], "aurora-mysql8.0")
        self.assertEqual(group["Properties"]["Parameters"],
                         {"innodb_ft_min_token_size": "1", "innodb_ft_enable_stopword": "0"})
        instances = of_type("AWS::RDS::DBInstance")
        self.assertGreaterEqual(len(instances), 1)
        for instance in instances.values():
            self.assertEqual(ref(instance["Properties"]["DBParameterGroupName"]), name)

    def test_credentials_in_secrets_manager_never_plain_text(self):
        p = R["DatabaseCluster"]["Properties"]
        for key in ("MasterUsername", "MasterUserPassword"):
            value = p[key]["Fn::Sub"]
            self.assertRegex(value, r"^\{\{resolve:secretsmanager:\$\{DatabaseSecret\}:SecretString:\w+\}\}$")
        secret = R["DatabaseSecret"]["Properties"]
        self.assertIn("GenerateSecretString", secret)
        self.assertNotIn("SecretString", secret)
        self.assertEqual(secret["GenerateSecretString"]["GenerateStringKey"], "password")
        self.assertGreaterEqual(secret["GenerateSecretString"]["PasswordLength"], 20)
        for name, param in T["Parameters"].items():
            self.assertNotRegex(name.lower(), "password|secret", f"parameter {name} would carry a secret")
        self.assertNotRegex(TEXT, r"(?i)(password|secret_key)\s*[:=]\s*['\"]?[A-Za-z0-9]{6,}")

    def test_instances_may_read_only_their_secrets(self):
        statements = secret_statements(D["Resources"])
        self.assertEqual(len(statements), 1)
        self.assertEqual(statements[0]["Action"], "secretsmanager:GetSecretValue")
        self.assertEqual(sorted(ref(x) for x in statements[0]["Resource"]), ["AppSecret", "DatabaseSecret"])

    def test_database_in_the_private_subnets(self):
        new, existing = if_branches(R["DatabaseSubnetGroup"]["Properties"]["SubnetIds"])
        self.assertEqual(sorted(ref(x) for x in new), ["PrivateSubnetA", "PrivateSubnetB", "PrivateSubnetC"])
        self.assertEqual(existing, {"Ref": "PrivateSubnetIds"})


class FileSystem(unittest.TestCase):
    def test_efs_with_a_mount_target_in_each_zone(self):
        fs_name, fs = one("AWS::EFS::FileSystem")
        self.assertTrue(fs["Properties"]["Encrypted"])
        targets = of_type("AWS::EFS::MountTarget")
        self.assertEqual(len(targets), 3)
        subnets = set()
        for t in targets.values():
            self.assertEqual(ref(t["Properties"]["FileSystemId"]), fs_name)
            new, existing = if_branches(t["Properties"]["SubnetId"])
            subnets.add(ref(new))
            # the list of PrivateSubnetIds (through Join/Split: see the template)
            self.assertEqual(existing["Fn::Select"][1],
                             {"Fn::Split": [",", {"Fn::Join": [",", {"Ref": "PrivateSubnetIds"}]}]})
            ids = SAMPLE_CUT_OVER["PrivateSubnetIds"]
            self.assertEqual(deploylib.evaluate(existing, {"PrivateSubnetIds": ids.split(",")}),
                             ids.split(",")[existing["Fn::Select"][0]])
        self.assertEqual(subnets, {"PrivateSubnetA", "PrivateSubnetB", "PrivateSubnetC"})

    def test_user_data_mounts_efs_at_mnt_efs_with_fstab_and_retries(self):
        script = deploylib.user_data()
        self.assertIn("FILE_SYSTEM_ID='fs-0123456789abcdef0'", script)  # from !Ref FileSystem
        self.assertIn("${FileSystem}", R["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]
                      ["Fn::Base64"]["Fn::Join"][1][0]["Fn::Sub"][0])
        self.assertIn("EFS_MOUNT=/mnt/efs\n", script)
        self.assertIn('UPLOADS="$EFS_MOUNT/uploads"', script)
        self.assertRegex(script, r'echo "\$FILE_SYSTEM_ID\.efs\.\$REGION\.amazonaws\.com:/ \$EFS_MOUNT nfs4 '
                                 r'nfsvers=4\.1,[^"]*_netdev[^"]*" >> /etc/fstab')
        self.assertRegex(script, r"retry \d+ \d+ mount_efs")
        self.assertIn('mkdir -p "$UPLOADS/covers"', script)
        self.assertIn('chown "$APP_UID:$APP_UID" "$UPLOADS"', script)
        for pkg in ("docker.io", "docker-compose-v2", "nfs-common"):
            self.assertIn(pkg, script)


class Instances(unittest.TestCase):
    def test_user_data_writes_env_from_stack_and_secrets(self):
        env = user_data_env()
        self.assertEqual(env["DB_HOST"], "$DB_HOST")
        self.assertEqual(env["DB_NAME"], "$DB_NAME")
        self.assertEqual(env["DB_PASSWORD"], "$DB_PASSWORD")
        self.assertEqual(env["SECRET_KEY"], "$SECRET_KEY")
        self.assertEqual(env["BOOKSTORE_UPLOADS"], "$UPLOADS")
        self.assertEqual(env["BOOKSTORE_HTTP_PORT"], "80")
        self.assertEqual(env["BOOKSTORE_IMAGE"], "$BOOKSTORE_IMAGE")
        script = deploylib.user_data()
        self.assertIn("DB_NAME='bookstore'", script)
        self.assertIn("BOOKSTORE_IMAGE='123456789012.dkr.ecr.us-east-1.amazonaws.com/bookstore:1.0.0'", script)
        self.assertRegex(script, r'DB_PASSWORD=\$\(jq -r \.password <<<"\$db_secret"\)')
        self.assertRegex(script, r'SECRET_KEY=\$\(jq -r \.secret_key <<<"\$app_secret"\)')
        self.assertIn("umask 077", script)

    def test_user_data_starts_nginx_and_the_app_with_compose(self):
        script = deploylib.user_data()
        # retried with backoff until the local /health answers 200 (tests/deploy/test_user_data_run.py runs it)
        self.assertIn("\nstart() { docker compose up -d --remove-orphans && retry ", script)
        self.assertRegex(script, r"\nretry \d+ \d+ start\n")
        self.assertIn('cat > "$APP_DIR/compose.yaml"', script)
        self.assertIn('cat > "$APP_DIR/deploy/nginx/bookstore.conf.template"', script)

    def test_embedded_files_are_the_repositorys(self):
        result = subprocess.run([sys.executable, str(ROOT / "deploy" / "aws" / "embed-files"), "--check"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        script = deploylib.user_data()
        for path in ("compose.yaml", "deploy/nginx/bookstore.conf.template"):
            body = "".join(line + "\n" for line in (ROOT / path).read_text().splitlines()
                           if line.strip() and not line.lstrip().startswith("#"))
            self.assertIn("<<'BOOKSTORE_EOF'\n" + body + "BOOKSTORE_EOF\n", script, path)

    def test_user_data_fits_and_passes_shellcheck(self):
        shellcheck = shutil.which("shellcheck")
        self.assertIsNotNone(shellcheck, "shellcheck is not installed (tests/deploy/install-tools)")
        for given in (None, SAMPLE_CUT_OVER):
            script = deploylib.user_data(given=given)
            self.assertTrue(script.startswith("#!/bin/bash\n"))
            self.assertLess(len(script.encode()), 16384, "user data over the 16 KB limit")
            with tempfile.NamedTemporaryFile("w", suffix=".sh") as f:
                f.write(script)
                f.flush()
                for cmd in (["bash", "-n", f.name], [shellcheck, "--shell=bash", f.name]):
                    result = subprocess.run(cmd, capture_output=True, text=True)
                    self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_launch_template(self):
        lt = R["LaunchTemplate"]["Properties"]["LaunchTemplateData"]
        self.assertEqual(ref(lt["ImageId"]), "ImageId")
        self.assertEqual(T["Parameters"]["ImageId"]["Type"], "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>")
        self.assertEqual(lt["MetadataOptions"]["HttpTokens"], "required")
        # containers, one hop further than the host, cannot reach IMDS (issue 13)
        self.assertEqual(lt["MetadataOptions"]["HttpPutResponseHopLimit"], 1)
        self.assertIn("ImageUri", refs_in(lt["UserData"]))
        self.assertNotIn("Default", T["Parameters"]["ImageUri"])


class LoadBalancing(unittest.TestCase):
    def test_target_group(self):
        p = R["TargetGroup"]["Properties"]
        self.assertEqual((p["Protocol"], p["Port"], p["TargetType"]), ("HTTP", 80, "instance"))
        self.assertEqual(p["HealthCheckPath"], "/health")
        self.assertEqual(p["Matcher"]["HttpCode"], "200")
        for key in ("HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
                    "UnhealthyThresholdCount"):
            self.assertIn(key, p)
        self.assertLess(p["HealthCheckTimeoutSeconds"], p["HealthCheckIntervalSeconds"])
        new, existing = if_branches(p["VpcId"])
        self.assertEqual((ref(new), ref(existing)), ("Vpc", "VpcId"))

    def test_drain_is_consistent_with_the_app(self):
        p = R["TargetGroup"]["Properties"]
        attrs = {a["Key"]: a["Value"] for a in p["TargetGroupAttributes"]}
        delay = int(attrs["deregistration_delay.timeout_seconds"])
        grace = int(re.search(r"^SHUTDOWN_GRACE_SECONDS=(\d+)$", deploylib.user_data(), re.M).group(1))
        # the target group sees /health fail before the app stops taking requests
        noticed = p["UnhealthyThresholdCount"] * p["HealthCheckIntervalSeconds"] + p["HealthCheckTimeoutSeconds"]
        self.assertGreaterEqual(grace, noticed)
        # in-flight requests of a deregistered target get as long as the app's drain
        self.assertGreaterEqual(delay, grace)
        self.assertLessEqual(delay, 120, "a long delay only slows scale-in and deployments")
        compose = (ROOT / "compose.yaml").read_text()
        stop = int(re.search(r"stop_grace_period: (\d+)s", compose).group(1))
        self.assertGreater(stop, grace, "docker would kill the app before its drain ends")
        self.assertEqual(attrs.get("stickiness.enabled"), "false")

    def test_load_balancer_over_three_public_subnets(self):
        p = R["LoadBalancer"]["Properties"]
        self.assertEqual((p["Type"], p["Scheme"]), ("application", "internet-facing"))
        new, existing = if_branches(p["Subnets"])
        self.assertEqual(sorted(ref(x) for x in new), ["PublicSubnetA", "PublicSubnetB", "PublicSubnetC"])
        self.assertEqual(existing, {"Ref": "PublicSubnetIds"})
        attrs = {a["Key"]: a["Value"] for a in p["LoadBalancerAttributes"]}
        self.assertEqual(attrs["idle_timeout.timeout_seconds"], "60")
        keepalive = int(re.search(r"keepalive_timeout (\d+)s;\n", deploylib.NGINX_SITE.read_text().split("server {")[1])
                        .group(1))
        self.assertGreater(keepalive, 60, "NGINX must keep idle connections longer than the ALB")

    def test_http_redirects_to_https(self):
        listeners = {r["Properties"]["Port"]: r["Properties"] for r in of_type(
            "AWS::ElasticLoadBalancingV2::Listener").values()}
        self.assertEqual(sorted(listeners), [80, 443])
        http = listeners[80]
        self.assertEqual(http["Protocol"], "HTTP")
        self.assertEqual(ref(http["LoadBalancerArn"]), "LoadBalancer")
        (action,) = http["DefaultActions"]
        self.assertEqual(action["Type"], "redirect")
        self.assertEqual(action["RedirectConfig"]["Protocol"], "HTTPS")
        self.assertEqual(action["RedirectConfig"]["Port"], "443")
        self.assertEqual(action["RedirectConfig"]["StatusCode"], "HTTP_301")

    def test_https_listener_with_the_acm_certificate(self):
        https = next(r["Properties"] for r in of_type("AWS::ElasticLoadBalancingV2::Listener").values()
                     if r["Properties"]["Port"] == 443)
        self.assertEqual(https["Protocol"], "HTTPS")
        self.assertRegex(https["SslPolicy"], r"^ELBSecurityPolicy-TLS13-")
        (cert,) = https["Certificates"]
        cond, created, given = cert["CertificateArn"]["Fn::If"]
        self.assertEqual((cond, ref(created), ref(given)), ("CreateCertificate", "Certificate", "CertificateArn"))
        (action,) = https["DefaultActions"]
        self.assertEqual((action["Type"], ref(action["TargetGroupArn"])), ("forward", "TargetGroup"))
        c = R["Certificate"]["Properties"]
        self.assertEqual(ref(c["DomainName"]), "DomainName")
        self.assertEqual(c["ValidationMethod"], "DNS")
        self.assertNotIn("Default", T["Parameters"]["DomainName"])


class AutoScaling(unittest.TestCase):
    def test_group(self):
        p = R["AutoScalingGroup"]["Properties"]
        self.assertEqual((int(p["MinSize"]), int(p["DesiredCapacity"]), int(p["MaxSize"])), (2, 2, 3))
        self.assertEqual(p["HealthCheckType"], "ELB")
        self.assertGreater(p["HealthCheckGracePeriod"], 0)
        self.assertGreater(p["DefaultInstanceWarmup"], 0)
        self.assertEqual([ref(x) for x in p["TargetGroupARNs"]], ["TargetGroup"])
        self.assertEqual(ref(p["LaunchTemplate"]["LaunchTemplateId"]), "LaunchTemplate")
        new, existing = if_branches(p["VPCZoneIdentifier"])
        self.assertEqual(sorted(ref(x) for x in new), ["PrivateSubnetA", "PrivateSubnetB", "PrivateSubnetC"])
        self.assertEqual(sorted(az_index(ref(x)) for x in new), [0, 1, 2])
        self.assertEqual(existing, {"Ref": "PrivateSubnetIds"})
        depends = R["AutoScalingGroup"]["DependsOn"]
        for mt in of_type("AWS::EFS::MountTarget"):
            self.assertIn(mt, depends, "instances must not boot before EFS can be mounted")

    def test_target_tracking_on_cpu_at_70(self):
        (policy,) = of_type("AWS::AutoScaling::ScalingPolicy").values()
        p = policy["Properties"]
        self.assertEqual(ref(p["AutoScalingGroupName"]), "AutoScalingGroup")
        self.assertEqual(p["PolicyType"], "TargetTrackingScaling")
        cfg = p["TargetTrackingConfiguration"]
        self.assertEqual(cfg["PredefinedMetricSpecification"]["PredefinedMetricType"], "ASGAverageCPUUtilization")
        self.assertEqual(cfg["TargetValue"], 70)


class Outputs(unittest.TestCase):
    def test_dns_outputs(self):
        o = T["Outputs"]
        self.assertEqual(o["LoadBalancerDNSName"]["Value"], {"Fn::GetAtt": ["LoadBalancer", "DNSName"]})
        self.assertIn("CNAME", o["DnsRecord"]["Value"]["Fn::Sub"])
        self.assertIn("${LoadBalancer.DNSName}", o["DnsRecord"]["Value"]["Fn::Sub"])
        self.assertIn("CertificateValidationRecord", o)

    def test_every_reference_exists(self):
        known = set(R) | set(T["Parameters"]) | {"AWS::Region", "AWS::StackName", "AWS::Partition",
                                                 "AWS::NoValue", "AWS::AccountId"}
        missing = refs_in({"r": R, "o": T["Outputs"]}) - known
        self.assertFalse(missing, f"references to nothing: {missing}")


class DeployCommand(unittest.TestCase):
    def test_readme_documents_one_deploy_command(self):
        readme = (ROOT / "deploy" / "README.md").read_text()
        m = re.search(r"aws cloudformation deploy \\\n(.*?)\n```", readme, re.S)
        self.assertTrue(m, "deploy/README.md has no `aws cloudformation deploy` command")
        cmd = m.group(1)
        self.assertIn("--template-file deploy/aws/bookstore.yaml", cmd)
        self.assertIn("--capabilities CAPABILITY_IAM", cmd)
        given = set(re.findall(r"\b([A-Za-z]+)=", cmd.split("--parameter-overrides", 1)[1]))
        required = {n for n, p in T["Parameters"].items() if "Default" not in p}
        self.assertLessEqual(required, given, "the command leaves required parameters out")
        self.assertLessEqual(given, set(T["Parameters"]), "the command names unknown parameters")


# ---- cut-over beside an existing fleet (issue 15) ---------------------------
CUT_OVER_PARAMETERS = ("ExistingListenerArn", "ExistingTargetGroupArn", "ExistingLoadBalancerSecurityGroupId",
                       "NewFleetWeight", "OriginalCompatible", "ExistingDatabaseEndpoint",
                       "ExistingDatabaseCredentialsArn", "ExistingDatabaseSecurityGroupId")
WEIGHTS = (0, 10, 50, 100)
# The stand-alone stack's alarms and log group (issue 13).
STAND_ALONE_ALARMS = {"TargetErrorsAlarm", "UnhealthyHostsAlarm", "ResponseTimeAlarm", "DatabaseCpuAlarm",
                      "DatabaseConnectionsAlarm"}
# The stack of the deploy command before issue 15, resource by resource
# (plus issue 13's log group and alarms).
STAND_ALONE_RESOURCES = STAND_ALONE_ALARMS | {"LogGroup"} | {
    "AppSecret", "AutoScalingGroup", "Certificate", "CpuTargetTracking", "DatabaseCluster", "DatabaseParameters", "DatabaseSecret",
    "DatabaseSecretAttachment", "DatabaseSecurityGroup", "DatabaseSubnetGroup", "DatabaseWriter", "FileSystem",
    "FileSystemSecurityGroup", "HttpListener", "HttpsListener", "InstanceIngressFromLoadBalancer",
    "InstanceProfile", "InstanceRole", "InstanceSecurityGroup", "InternetGateway", "InternetGatewayAttachment",
    "LaunchTemplate", "LoadBalancer", "LoadBalancerSecurityGroup", "MountTargetA", "MountTargetB", "MountTargetC",
    "NatAddressA", "NatGatewayA", "PrivateDefaultRouteA", "PrivateDefaultRouteB", "PrivateDefaultRouteC",
    "PrivateRouteTableA", "PrivateRouteTableB", "PrivateRouteTableC", "PrivateRoutesReady", "PrivateSubnetA",
    "PrivateSubnetARouteTable", "PrivateSubnetB", "PrivateSubnetBRouteTable", "PrivateSubnetC",
    "PrivateSubnetCRouteTable", "PublicDefaultRoute", "PublicDefaultRouteReady", "PublicRouteTable",
    "PublicSubnetA", "PublicSubnetARouteTable", "PublicSubnetB", "PublicSubnetBRouteTable", "PublicSubnetC",
    "PublicSubnetCRouteTable", "TargetGroup", "Vpc"}
PSEUDO = {"AWS::Region", "AWS::StackName", "AWS::Partition", "AWS::NoValue", "AWS::AccountId"}


def cut_over(**changes):
    """The sample cut-over with some parameters changed."""
    return {**SAMPLE_CUT_OVER, **{k: str(v) for k, v in changes.items()}}


def configurations():
    """(label, parameters) of every configuration the tests deploy."""
    yield "stand-alone", None
    yield "stand-alone, reader, 3 NAT", {"DbReaderInstance": "true", "NatGateways": "3"}
    yield "existing database only", {"ExistingDatabaseEndpoint": "db.cluster-x.us-east-1.rds.amazonaws.com",
                                     "ExistingDatabaseCredentialsArn": SAMPLE_CUT_OVER["ExistingDatabaseCredentialsArn"]}
    for w in WEIGHTS:
        yield f"cut-over at {w}", cut_over(NewFleetWeight=w)
    yield "cut-over, old fleet retired", cut_over(NewFleetWeight=100, ExistingTargetGroupArn="",
                                                 OriginalCompatible="false")
    yield "cut-over, database open already", cut_over(ExistingDatabaseSecurityGroupId="")


def rule_of(configured, name="CutOverRule"):
    return configured["Resources"][name]["Properties"]


class CutOver(unittest.TestCase):
    def test_parameters(self):
        p = T["Parameters"]
        w = p["NewFleetWeight"]
        self.assertEqual((w["Type"], w["AllowedValues"], w["Default"]), ("Number", list(WEIGHTS), 0))
        self.assertEqual((p["OriginalCompatible"]["AllowedValues"], p["OriginalCompatible"]["Default"]),
                         (["true", "false"], "false"))
        for name in CUT_OVER_PARAMETERS:
            if name not in ("NewFleetWeight", "OriginalCompatible"):
                self.assertEqual(p[name]["Default"], "", f"{name}: empty keeps the stand-alone stack")
                self.assertTrue(re.fullmatch(p[name]["AllowedPattern"], ""), name)
                self.assertTrue(re.fullmatch(p[name]["AllowedPattern"], SAMPLE_CUT_OVER[name]), name)
        self.assertEqual(T["Conditions"]["CutOver"], {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExistingListenerArn"}, ""]}]})

    def test_default_stack_is_unchanged(self):
        self.assertEqual(set(D["Resources"]), STAND_ALONE_RESOURCES)
        self.assertFalse(of_type("AWS::ElasticLoadBalancingV2::ListenerRule", D["Resources"]))
        self.assertEqual(set(of_type("AWS::CloudWatch::Alarm", D["Resources"])), STAND_ALONE_ALARMS)
        # of the new parameters, only OriginalCompatible (false) reaches the stand-alone stack
        used = refs_in({"r": D["Resources"], "o": D["Outputs"]})
        self.assertEqual(used & set(CUT_OVER_PARAMETERS), {"OriginalCompatible"})
        self.assertEqual(user_data_env()["ORIGINAL_COMPATIBLE"], "$ORIGINAL_COMPATIBLE")
        self.assertIn("\nORIGINAL_COMPATIBLE='false'\n", deploylib.user_data())
        https = D["Resources"]["HttpsListener"]["Properties"]
        self.assertEqual(https["DefaultActions"], [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}])
        self.assertEqual(D["Resources"]["AutoScalingGroup"]["Metadata"], {"DatabaseWriter": {"Ref": "DatabaseWriter"}})
        self.assertEqual(set(T["Outputs"]) - set(D["Outputs"]), {"TrafficSplit", "PreviewCommand"})
        self.assertEqual(deploylib.broken_rules(T), [])

    def test_weighted_rule_for_each_weight(self):
        mapping = T["Mappings"]["CutOverWeights"]
        self.assertEqual(sorted(mapping, key=int), [str(w) for w in WEIGHTS])
        for w in WEIGHTS:
            with self.subTest(weight=w):
                self.assertEqual(mapping[str(w)], {"Existing": 100 - w, "New": w})
                c = deploylib.configure(T, cut_over(NewFleetWeight=w))
                self.assertEqual(deploylib.broken_rules(T, cut_over(NewFleetWeight=w)), [])
                rule = rule_of(c)
                self.assertEqual(ref(rule["ListenerArn"]), "ExistingListenerArn")
                self.assertEqual(rule["Conditions"], [{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/*"]}}])
                (action,) = rule["Actions"]
                self.assertEqual(action["Type"], "forward")
                self.assertNotIn("TargetGroupArn", action)
                fwd = action["ForwardConfig"]
                groups = {ref(g["TargetGroupArn"]): g["Weight"] for g in fwd["TargetGroups"]}
                self.assertEqual(groups, {"ExistingTargetGroupArn": 100 - w, "TargetGroup": w})
                self.assertEqual(sum(groups.values()), 100)
                sticky = fwd["TargetGroupStickinessConfig"]
                # on while both fleets get requests; off at 0, so a rollback is immediate
                self.assertEqual(sticky["Enabled"], w != 0)
                if sticky["Enabled"]:
                    self.assertTrue(60 <= sticky["DurationSeconds"] <= 604800)
                split = deploylib.evaluate(c["Outputs"]["TrafficSplit"]["Value"], deploylib.sample_values(c))
                self.assertTrue(split.startswith(f"old fleet {100 - w} % / new fleet {w} %"), split)

    def test_rules_of_the_listener(self):
        preview = rule_of(CUT, "CutOverPreviewRule")
        self.assertEqual(ref(preview["ListenerArn"]), "ExistingListenerArn")
        self.assertEqual(preview["Actions"], [{"Type": "forward", "TargetGroupArn": {"Ref": "TargetGroup"}}])
        (cond,) = preview["Conditions"]
        self.assertEqual(cond["Field"], "http-header")
        self.assertEqual(cond["HttpHeaderConfig"], {"HttpHeaderName": "Cookie", "Values": ["*bookstore_fleet=new*"]})
        self.assertIn("bookstore_fleet=new", CUT["Outputs"]["PreviewCommand"]["Value"]["Fn::Sub"])
        # the preview is looked at before the catch-all split
        self.assertLess(preview["Priority"], rule_of(CUT)["Priority"])
        for name in ("CutOverRule", "CutOverPreviewRule"):
            self.assertEqual(R[name]["Condition"], "CutOver", "a rule exists only with ExistingListenerArn")

    def test_old_fleet_retired(self):
        given = cut_over(NewFleetWeight=100, ExistingTargetGroupArn="", OriginalCompatible="false")
        self.assertEqual(deploylib.broken_rules(T, given), [])
        c = deploylib.configure(T, given)
        (action,) = rule_of(c)["Actions"]
        self.assertEqual([(ref(g["TargetGroupArn"]), g["Weight"]) for g in action["ForwardConfig"]["TargetGroups"]],
                         [("TargetGroup", 100)])
        self.assertNotIn("ExistingFleetErrorRateAlarm", c["Resources"])
        self.assertIn("NewFleetErrorRateAlarm", c["Resources"])
        self.assertEqual(c["Outputs"]["TrafficSplit"]["Value"], "new fleet 100 % (old fleet retired)")

    def test_parameter_rules_refuse_inconsistent_stacks(self):
        def broken(**changes):
            return deploylib.broken_rules(T, cut_over(**changes))
        self.assertEqual(broken(), [])
        for missing in ("VpcId", "ExistingLoadBalancerSecurityGroupId", "ExistingDatabaseEndpoint"):
            self.assertIn("CutOverNeedsTheOldFleetsNetworkAndDatabase", broken(**{missing: ""}), missing)
        # the one-way door: the mode stays on while the old fleet gets requests
        for w in WEIGHTS:
            self.assertIn("OldTargetGroupOnlyInACutOver", broken(NewFleetWeight=w, OriginalCompatible="false"))
        for w in (0, 10, 50):
            self.assertIn("OldFleetRetiredMeansAllTraffic", broken(NewFleetWeight=w, ExistingTargetGroupArn=""))
        self.assertIn("ExistingDatabaseNeedsItsCredentials", broken(ExistingDatabaseCredentialsArn=""))
        self.assertIn("OldTargetGroupOnlyInACutOver", deploylib.broken_rules(
            T, {"ExistingTargetGroupArn": SAMPLE_CUT_OVER["ExistingTargetGroupArn"], "OriginalCompatible": "true"}))

    def test_conditions_are_consistent(self):
        for label, given in configurations():
            with self.subTest(label):
                c = deploylib.configure(T, given)
                res = c["Resources"]
                known = set(res) | set(T["Parameters"]) | PSEUDO
                missing = refs_in({"r": res, "o": c["Outputs"]}) - known
                self.assertFalse(missing, f"references to resources not created: {missing}")
                for name, body in res.items():
                    depends = body.get("DependsOn", [])
                    for d in [depends] if isinstance(depends, str) else depends:
                        self.assertIn(d, res, f"{name} depends on {d}, which is not created")
                self.assertNotIn("Fn::If", json.dumps(c["Resources"]))
                cut = bool(given and given.get("ExistingListenerArn"))
                rules = of_type("AWS::ElasticLoadBalancingV2::ListenerRule", res)
                self.assertEqual(bool(rules), cut, "listener rules exactly with ExistingListenerArn")
                self.assertEqual("LoadBalancer" in res, not cut, "own load balancer exactly without it")
                self.assertEqual(len(of_type("AWS::ElasticLoadBalancingV2::Listener", res)), 0 if cut else 2)
                self.assertEqual(len(of_type("AWS::ElasticLoadBalancingV2::TargetGroup", res)), 1)
                shared_db = bool(given and given.get("ExistingDatabaseEndpoint"))
                self.assertEqual(bool(of_type("AWS::RDS::DBCluster", res)), not shared_db)
                self.assertEqual(bool(of_type("AWS::RDS::DBInstance", res)), not shared_db)
                self.assertEqual("DatabaseSecret" in res, not shared_db)
                asg = res["AutoScalingGroup"]["Properties"]
                self.assertEqual([ref(x) for x in asg["TargetGroupARNs"]], ["TargetGroup"])

    def test_names_do_not_clash_with_the_old_fleet(self):
        res = CUT["Resources"]
        self.assertEqual(res["TargetGroup"]["Properties"]["Name"], "bookstore-new-tg")
        self.assertEqual(res["AutoScalingGroup"]["Properties"]["AutoScalingGroupName"], "bookstore-new-asg")
        old_name = SAMPLE_CUT_OVER["ExistingTargetGroupArn"].split(":")[5].split("/")[1]
        self.assertNotEqual(res["TargetGroup"]["Properties"]["Name"], old_name)
        for kind in ("AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::Listener",
                     "AWS::CertificateManager::Certificate", "AWS::Route53::RecordSet"):
            self.assertFalse(of_type(kind, res), f"a cut-over creates no {kind}")
        for name in ("LoadBalancerDNSName", "DnsRecord", "CertificateValidationRecord"):
            self.assertNotIn(name, CUT["Outputs"])

    def test_instances_accept_the_existing_load_balancer(self):
        res = CUT["Resources"]
        self.assertNotIn("LoadBalancerSecurityGroup", res)
        rules = SecurityGroups().ingress("InstanceSecurityGroup", res)
        self.assertEqual([(r["IpProtocol"], r["FromPort"], r["ToPort"], ref(r["SourceSecurityGroupId"]))
                          for r in rules], [("tcp", 80, 80, "ExistingLoadBalancerSecurityGroupId")])
        (egress,) = of_type("AWS::EC2::SecurityGroupEgress", res).values()
        e = egress["Properties"]
        self.assertEqual((ref(e["GroupId"]), e["FromPort"], e["ToPort"], ref(e["DestinationSecurityGroupId"])),
                         ("ExistingLoadBalancerSecurityGroupId", 80, 80, "InstanceSecurityGroup"))

    def test_both_fleets_share_the_existing_database(self):
        res = CUT["Resources"]
        env = user_data_env(SAMPLE_CUT_OVER)
        self.assertEqual((env["DB_HOST"], env["DB_PORT"], env["DB_NAME"]), ("$DB_HOST", "$DB_PORT", "$DB_NAME"))
        script = deploylib.user_data(given=SAMPLE_CUT_OVER)
        self.assertIn(f"\nDB_HOST='{SAMPLE_CUT_OVER['ExistingDatabaseEndpoint']}'\n", script)
        self.assertIn("\nDB_PORT='3306'\n", script)
        self.assertIn("\nDB_NAME='bookstore'\n", script)
        self.assertIn(f"\nDB_SECRET_ARN='{SAMPLE_CUT_OVER['ExistingDatabaseCredentialsArn']}'\n", script)
        statements = secret_statements(res)
        self.assertEqual(sorted(ref(x) for x in statements[0]["Resource"]),
                         ["AppSecret", "ExistingDatabaseCredentialsArn"])
        ingress = res["ExistingDatabaseIngressFromInstances"]["Properties"]
        self.assertEqual((ref(ingress["GroupId"]), ingress["FromPort"], ingress["ToPort"],
                          ref(ingress["SourceSecurityGroupId"])),
                         ("ExistingDatabaseSecurityGroupId", 3306, 3306, "InstanceSecurityGroup"))
        self.assertNotIn("ExistingDatabaseIngressFromInstances",
                         deploylib.configure(T, cut_over(ExistingDatabaseSecurityGroupId=""))["Resources"])
        self.assertEqual(res["AutoScalingGroup"]["Metadata"], {"DatabaseWriter": ""})
        values = deploylib.sample_values(CUT)
        self.assertEqual(deploylib.evaluate(CUT["Outputs"]["DatabaseEndpoint"]["Value"], values),
                         SAMPLE_CUT_OVER["ExistingDatabaseEndpoint"])

    def test_original_compatible_reaches_the_app(self):
        for value in ("true", "false"):
            given = cut_over(OriginalCompatible=value, **({} if value == "true" else
                                                          {"ExistingTargetGroupArn": "", "NewFleetWeight": 100}))
            self.assertEqual(deploylib.broken_rules(T, given), [])
            script = deploylib.user_data(given=given)
            self.assertIn(f"\nORIGINAL_COMPATIBLE='{value}'\n", script)
            self.assertEqual(user_data_env(given)["ORIGINAL_COMPATIBLE"], "$ORIGINAL_COMPATIBLE")
        # .env is the app container's env_file (compose.yaml, embedded in the user data)
        compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
        self.assertIn({"path": ".env", "required": False}, compose["services"]["bookstore"]["env_file"])
        self.assertIn('cat > "$APP_DIR/.env" <<EOF', deploylib.user_data())

    def test_alarms_watch_both_fleets(self):
        res = CUT["Resources"]
        alarms = of_type("AWS::CloudWatch::Alarm", res)
        self.assertEqual(set(alarms), {"NewFleetErrorRateAlarm", "ExistingFleetErrorRateAlarm",
                                       "NewFleetResponseTimeAlarm", "NewFleetUnhealthyHostsAlarm"})
        values = deploylib.sample_values(CUT)
        lb = "app/bookstore-lb/50dc6c495c0c9188"
        expected_tg = {"NewFleet": values["TargetGroup.TargetGroupFullName"],
                       "ExistingFleet": "targetgroup/bookstore-tg/73e2d6bc24d8a067"}
        metrics_seen = set()
        for name, alarm in alarms.items():
            p = alarm["Properties"]
            self.assertTrue(deploylib.evaluate(p["AlarmName"], values).startswith("bookstore-"), name)
            self.assertNotIn("AlarmActions", p)
            stats = [m["MetricStat"]["Metric"] for m in p.get("Metrics", []) if "MetricStat" in m] or [p]
            for metric in stats:
                self.assertEqual(metric["Namespace"], "AWS/ApplicationELB")
                metrics_seen.add(metric["MetricName"])
                dims = {d["Name"]: deploylib.evaluate(d["Value"], values) for d in metric["Dimensions"]}
                fleet = "NewFleet" if name.startswith("NewFleet") else "ExistingFleet"
                self.assertEqual(dims, {"LoadBalancer": lb, "TargetGroup": expected_tg[fleet]}, name)
            if "Metrics" in p:
                (expr,) = [m for m in p["Metrics"] if m.get("ReturnData")]
                ids = set(re.findall(r"[a-z]\w*", expr["Expression"])) - {"FILL"}
                self.assertLessEqual(ids, {m["Id"] for m in p["Metrics"]})
        self.assertEqual(metrics_seen, {"HTTPCode_Target_5XX_Count", "RequestCount", "TargetResponseTime",
                                        "UnHealthyHostCount"})


class Runbook(unittest.TestCase):
    """deploy/README.md's cut-over runbook runs against this template."""

    @classmethod
    def setUpClass(cls):
        readme = (ROOT / "deploy" / "README.md").read_text()
        m = re.search(r"^### Cut-over from the Flask fleet\n(.*?)(?=^##? |\Z)", readme, re.S | re.M)
        assert m, "deploy/README.md has no '### Cut-over from the Flask fleet' section"
        cls.text = m.group(1)
        # (heading of the #### section, command) in the order of the runbook
        cls.commands = []
        for section in re.split(r"^#### ", cls.text, flags=re.M)[1:]:
            heading = section.split("\n", 1)[0]
            cls.commands += [(heading, re.sub(r"\\\n\s*", " ", c)) for c in re.findall(
                r"^[ ]*(aws cloudformation (?:deploy|update-stack) (?:.*\\\n)*.*)$", section, re.M)]

    def overrides(self, command):
        """Key=Value pairs of a deploy command; shell variables become the sample values."""
        pairs = dict(re.findall(r"\b([A-Za-z]+)=(\S*)", command.split("--parameter-overrides", 1)[1]))
        return {k: (SAMPLE_CUT_OVER.get(k, deploylib.SAMPLE_PARAMETERS.get(k, v)) if "$" in v or "…" in v else v)
                for k, v in pairs.items()}

    def test_parameter_list_names_every_parameter(self):
        m = re.search(r'^PARAMS="([^"]*)"', self.text, re.M)
        self.assertTrue(m, "the runbook defines PARAMS")
        self.assertEqual(sorted(m.group(1).split()), sorted(T["Parameters"]))

    def test_steps_follow_the_rules_of_the_template(self):
        deploys = [c for _, c in self.commands if c.startswith("aws cloudformation deploy")]
        self.assertEqual(len(deploys), 1)
        given = self.overrides(deploys[0])
        self.assertEqual((given["NewFleetWeight"], given["OriginalCompatible"]), ("0", "true"))
        for name in CUT_OVER_PARAMETERS:
            self.assertIn(name, given)
        self.assertEqual(deploylib.broken_rules(T, given), [])
        weights = [given["NewFleetWeight"]]
        rollbacks = []
        for heading, command in self.commands:
            if not command.startswith("aws cloudformation update-stack"):
                continue
            with self.subTest(command):
                self.assertIn("--use-previous-template", command)
                self.assertIn("--capabilities CAPABILITY_IAM", command)
                changed = dict(re.findall(r"ParameterKey=(\w+),ParameterValue=(\S*)", command))
                kept = re.search(r"\$\(keep ([\w ]+)\)", command)
                self.assertTrue(kept, "the other parameters keep their values")
                self.assertEqual(sorted(kept.group(1).split()), sorted(changed))
                after = {**given, **changed}
                self.assertEqual(deploylib.broken_rules(T, after), [], "CloudFormation would refuse this step")
                deploylib.configure(T, after)
                if heading.startswith("Rollback"):
                    # a branch: from wherever the shift is, back to the old fleet
                    rollbacks.append(after)
                    continue
                given = after
                weights.append(given["NewFleetWeight"])
        # 0 → 10 → 50 → 100, then the end of the window at 100 without the old fleet
        self.assertEqual(weights, ["0", "10", "50", "100", "100"])
        self.assertTrue(rollbacks)
        for after in rollbacks:
            self.assertEqual((after["NewFleetWeight"], after["OriginalCompatible"]), ("0", "true"))
            self.assertEqual(after["ExistingTargetGroupArn"], SAMPLE_CUT_OVER["ExistingTargetGroupArn"])
        self.assertEqual((given["NewFleetWeight"], given["ExistingTargetGroupArn"], given["OriginalCompatible"]),
                         ("100", "", "false"))

    def test_runbook_names_the_alarms_and_metrics(self):
        for alarm in of_type("AWS::CloudWatch::Alarm", CUT["Resources"]).values():
            suffix = alarm["Properties"]["AlarmName"]["Fn::Sub"].replace("${AWS::StackName}", "")
            self.assertIn(suffix, self.text)
        for metric in ("HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount", "RequestCount"):
            self.assertIn(metric, self.text)
        self.assertIn("describe-alarms", self.text)
        self.assertIn("delete-target-group", self.text)
        self.assertIn("modify-listener", self.text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
