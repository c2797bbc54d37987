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
    "ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/bookstore:1.0.0",
    "VpcCidr": "10.20.0.0/16",
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


def user_data(template=None):
    """The launch template's user data as the instance receives it."""
    template = template or load_template()
    data = template["Resources"]["LaunchTemplate"]["Properties"]["LaunchTemplateData"]["UserData"]
    joined = data["Fn::Base64"]["Fn::Join"]
    delimiter, parts = joined
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, dict) and set(part) == {"Fn::Sub"} and isinstance(part["Fn::Sub"], str):
            out.append(substitute(part["Fn::Sub"]))
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


