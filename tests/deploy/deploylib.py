"""Shared helpers of the deployment checks (Debian's /usr/bin/python3)."""
import os
import pathlib
import re
import shutil

import yaml

ROOT = pathlib.Path(os.environ.get("BOOKSTORE_SOURCE_DIR") or pathlib.Path(__file__).resolve().parents[2])
TEMPLATE = ROOT / "deploy" / "aws" / "bookstore.yaml"
NGINX_SITE = ROOT / "deploy" / "nginx" / "bookstore.conf.template"
NGINX_VARIABLES = ("BOOKSTORE_LISTEN", "BOOKSTORE_UPSTREAM", "BOOKSTORE_UPLOADS_DIR", "BOOKSTORE_TRUSTED_LB")


# ---- CloudFormation --------------------------------------------------------
class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags into their long form."""


def _cfn_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Fn::" + suffix: value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


def load_template(path=TEMPLATE):
    with open(path) as f:
        return yaml.load(f, Loader=CfnLoader)


SAMPLE_VALUES = {
    "AWS::Region": "us-east-1",
    "AWS::StackName": "bookstore",
    "AWS::Partition": "aws",
    "FileSystem": "fs-0123456789abcdef0",
    "DatabaseCluster.Endpoint.Address": "bookstore.cluster-abc.us-east-1.rds.amazonaws.com",
    "DatabaseCluster.Endpoint.Port": "3306",
    "DatabaseSecret": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
    "AppSecret": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf",
    "LogGroup": "/bookstore/bookstore",
    "LoadBalancer.LoadBalancerFullName": "app/bookstore-lb/50dc6c495c0c9188",
    "TargetGroup.TargetGroupFullName": "targetgroup/bookstore-new-tg/0123456789abcdef",
    "ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bookstore:1.0.0",
    "VpcCidr": "10.20.0.0/16",
}

# Values of the parameters without a default (the deploy command's).
SAMPLE_PARAMETERS = {
    "DomainName": "autoscale.example.org",
    "ImageUri": SAMPLE_VALUES["ImageUri"],
}

# A cut-over beside the source document's fleet (its load balancer's HTTPS
# listener, its target group bookstore-tg, its Aurora), at weight 0.
SAMPLE_CUT_OVER = {
    "VpcId": "vpc-0a1b2c3d4e5f60718",
    "VpcCidr": "172.31.0.0/16",
    "PrivateSubnetIds": "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2,subnet-0ccccccccccccccc3",
    "ExistingListenerArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                           "listener/app/bookstore-lb/50dc6c495c0c9188/f2f7dc8efc522ab2",
    "ExistingTargetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                              "targetgroup/bookstore-tg/73e2d6bc24d8a067",
    "ExistingLoadBalancerSecurityGroupId": "sg-0123456789abcdef0",
    "ExistingDatabaseEndpoint": "bookstore-flask.cluster-old.us-east-1.rds.amazonaws.com",
    "ExistingDatabaseCredentialsArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:flask-db-AbCdEf",
    "ExistingDatabaseSecurityGroupId": "sg-0fedcba9876543210",
    "NewFleetWeight": "0",
    "OriginalCompatible": "true",
}


def substitute(text, values=SAMPLE_VALUES):
    """Fn::Sub of a string with sample values; fails on unknown names."""
    def repl(m):
        name = m.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name not in values:
            raise KeyError(f"no sample value for ${{{name}}}")
        return values[name]
    return re.sub(r"\$\{([^}]+)\}", repl, text)


def parameter_values(template, given=None):
    """Every parameter's value as CloudFormation sees it (strings): the given
    ones, else the default, else SAMPLE_PARAMETERS. Fails on an unknown name,
    a value outside AllowedValues or AllowedPattern, or a missing value."""
    given = dict(given or {})
    declared = template["Parameters"]
    unknown = set(given) - set(declared)
    if unknown:
        raise KeyError(f"unknown parameters {sorted(unknown)}")
    values = {}
    for name, p in declared.items():
        if name in given:
            value = given[name]
        elif "Default" in p:
            value = p["Default"]
        elif name in SAMPLE_PARAMETERS:
            value = SAMPLE_PARAMETERS[name]
        else:
            raise KeyError(f"parameter {name} has no value")
        value = str(value)
        if "AllowedValues" in p and value not in [str(v) for v in p["AllowedValues"]]:
            raise ValueError(f"{name}={value!r} is not one of {p['AllowedValues']}")
        if "AllowedPattern" in p and name in given and not re.fullmatch(p["AllowedPattern"], value):
            raise ValueError(f"{name}={value!r} does not match {p['AllowedPattern']}")
        values[name] = value
    return values


def _condition_value(expr, params, conditions, memo):
    """Fn::Equals/Not/And/Or/Condition over parameter values (also used for Rules)."""
    if isinstance(expr, dict) and len(expr) == 1:
        (fn, arg), = expr.items()
        if fn == "Condition":
            if arg not in memo:
                memo[arg] = _condition_value(conditions[arg], params, conditions, memo)
            return memo[arg]
        if fn == "Fn::Equals":
            a, b = (_condition_value(x, params, conditions, memo) for x in arg)
            return str(a) == str(b)
        if fn == "Fn::Not":
            return not _condition_value(arg[0], params, conditions, memo)
        if fn == "Fn::And":
            return all(_condition_value(x, params, conditions, memo) for x in arg)
        if fn == "Fn::Or":
            return any(_condition_value(x, params, conditions, memo) for x in arg)
        if fn == "Ref":
            return params[arg]
        raise ValueError(f"unsupported in a condition: {fn}")
    if isinstance(expr, (str, int, float)):
        return expr
    raise ValueError(f"unsupported in a condition: {expr!r}")


def conditions(template, given=None):
    """The value of every condition of the template for the given parameters."""
    params = parameter_values(template, given)
    declared = template.get("Conditions", {})
    memo = {}
    return {name: _condition_value({"Condition": name}, params, declared, memo) for name in declared}


def broken_rules(template, given=None):
    """Names of the template's Rules whose assertions fail for the given
    parameters (CloudFormation refuses such a stack before creating anything)."""
    params = parameter_values(template, given)
    broken = []
    for name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not _condition_value(rule["RuleCondition"], params, {}, {}):
            continue
        if not all(_condition_value(a["Assert"], params, {}, {}) for a in rule["Assertions"]):
            broken.append(name)
    return broken


def configure(template=None, given=None):
    """The template as CloudFormation would deploy it with the given
    parameters: resources and outputs whose condition is false left out,
    Fn::If replaced by its branch, AWS::NoValue dropped, Fn::FindInMap looked
    up. Ref, GetAtt, Sub and the other functions stay as written."""
    template = template or load_template()
    params = parameter_values(template, given)
    cond = conditions(template, given)
    mappings = template.get("Mappings", {})
    no_value = {"Ref": "AWS::NoValue"}

    def resolve(value):
        if isinstance(value, dict):
            if set(value) == {"Fn::If"}:
                name, yes, no = value["Fn::If"]
                return resolve(yes if cond[name] else no)
            if set(value) == {"Fn::FindInMap"}:
                keys = [resolve(k) for k in value["Fn::FindInMap"]]
                keys = [params[k["Ref"]] if isinstance(k, dict) and set(k) == {"Ref"} and k["Ref"] in params
                        else k for k in keys]
                if all(isinstance(k, str) for k in keys):
                    return resolve(mappings[keys[0]][keys[1]][keys[2]])
                return {"Fn::FindInMap": keys}
            out = {}
            for k, v in value.items():
                v = resolve(v)
                if v != no_value:
                    out[k] = v
            return out
        if isinstance(value, list):
            return [x for x in (resolve(v) for v in value) if x != no_value]
        return value

    def present(section):
        return {name: resolve(body) for name, body in template.get(section, {}).items()
                if "Condition" not in body or cond[body["Condition"]]}

    configured = dict(template)
    configured["Resources"] = present("Resources")
    configured["Outputs"] = present("Outputs")
    configured["ParameterValues"] = params
    return configured


def evaluate(value, values):
    """A value of a configured template with Ref/GetAtt taken from values:
    Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split."""
    if isinstance(value, (str, int, float)):
        return value
    if isinstance(value, list):
        return [evaluate(v, values) for v in value]
    (fn, arg), = value.items()
    if fn == "Ref":
        return values[arg]
    if fn == "Fn::GetAtt":
        return values[".".join(arg)]
    if fn == "Fn::Sub":
        if isinstance(arg, str):
            return substitute(arg, values)
        text, local = arg
        return substitute(text, {**values, **{k: str(evaluate(v, values)) for k, v in local.items()}})
    if fn == "Fn::Join":
        delimiter, parts = arg
        return delimiter.join(str(p) for p in evaluate(parts, values))
    if fn == "Fn::Select":
        index, items = arg
        return evaluate(items, values)[int(evaluate(index, values))]
    if fn == "Fn::Split":
        delimiter, text = arg
        return evaluate(text, values).split(delimiter)
    raise ValueError(f"cannot evaluate {fn}")


def sample_values(configured):
    """Values for evaluate(): sample stack values and the configured template's parameters."""
    return {**SAMPLE_VALUES, **configured["ParameterValues"]}


def user_data(template=None, given=None):
    """The launch template's user data as the instance receives it, for the
    given parameters (defaults: the stand-alone stack of the deploy command)."""
    raw = template or load_template()
    configured = configure(raw, given)
    values = sample_values(configured)
    data = configured["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]
    joined = data["Fn::Base64"]["Fn::Join"]
    delimiter, parts = joined
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict) and set(part) == {"Fn::Sub"}:
            out.append(evaluate(part, values))
        else:
            raise ValueError(f"unexpected user-data part {part!r}")
    return delimiter.join(out)


# ---- NGINX -----------------------------------------------------------------
def render_nginx_site(listen, upstream, uploads_dir, trusted_lb, source=NGINX_SITE):
    """The site as the nginx image's envsubst renders it (only BOOKSTORE_*)."""
    values = dict(zip(NGINX_VARIABLES, (listen, upstream, uploads_dir, trusted_lb)))
    text = pathlib.Path(source).read_text()
    for name, value in values.items():
        text = text.replace("${" + name + "}", str(value))
    left = re.findall(r"\$\{[A-Za-z_]+\}", text)
    if left:
        raise ValueError(f"unrendered variables in the NGINX site: {left}")
    return text


def nginx_main_conf(prefix, site_path, user=None):
    """A main nginx.conf around the site, with every path inside prefix."""
    prefix = pathlib.Path(prefix)
    user_line = f"user {user};\n" if user else ""
    return f"""{user_line}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site_path};
}}
"""


def nginx_binary():
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


