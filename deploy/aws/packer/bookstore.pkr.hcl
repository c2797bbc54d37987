# The BookStore instance image (AMI): Ubuntu 24.04 with everything the launch
# template's user data needs already installed - Docker, compose, the NFS
# client, jq, the AWS CLI v2, cfn-signal - and the NGINX image (and, if
# given, the app image) already pulled. Instances started from it install
# nothing and pull nothing at boot, so scale-out does not depend on package
# mirrors or public registries (the source document's own AMI step, as code).
#
#   packer init deploy/aws/packer
#   packer validate deploy/aws/packer
#   packer build -var region=us-east-1 deploy/aws/packer
#
# The build stores the new AMI's id in the SSM parameter `ssm_parameter`
# (/bookstore/ami-id); deploy the stack with ImageId=/bookstore/ami-id and
# the same NginxImage (deploy/README.md, "Instance image").

packer {
  required_plugins {
    amazon = {
      version = ">= 1.3.0"
      source  = "github.com/hashicorp/amazon"
    }
  }
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

# Must be the stack's NginxImage (pinned by version or digest; best your own
# ECR copy).
variable "nginx_image" {
  type    = string
  default = "public.ecr.aws/docker/library/nginx:1.28.0"
}

# Optional: the app image to bake in too (an AMI per release); the build
# instance then needs `iam_instance_profile` with ECR read access.
variable "app_image" {
  type    = string
  default = ""
}

variable "iam_instance_profile" {
  type    = string
  default = ""
}

variable "ssm_parameter" {
  type    = string
  default = "/bookstore/ami-id"
}

source "amazon-ebs" "bookstore" {
  region               = var.region
  instance_type        = var.instance_type
  iam_instance_profile = var.iam_instance_profile
  ami_name             = "bookstore-${formatdate("YYYYMMDD-hhmmss", timestamp())}"
  ami_description      = "BookStore instance: Ubuntu 24.04, Docker, compose, AWS CLI, cfn-signal, ${var.nginx_image}"
  ssh_username         = "ubuntu"
  imds_support         = "v2.0"

  source_ami_filter {
    filters = {
      name                = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["099720109477"]
    most_recent = true
  }

  # As the launch template: IMDSv2 only, one hop.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = 20
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }

  tags = {
    Name        = "bookstore"
    NginxImage  = var.nginx_image
    AppImage    = var.app_image
    SourceImage = "{{ .SourceAMIName }}"
  }
}

build {
  sources = ["source.amazon-ebs.bookstore"]

  provisioner "shell" {
    script          = "${path.root}/install-runtime"
    execute_command = "sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "NGINX_IMAGE=${var.nginx_image}",
      "APP_IMAGE=${var.app_image}",
      "AWS_REGION=${var.region}",
    ]
  }

  post-processors {
    post-processor "manifest" {
      output     = "${path.root}/packer-manifest.json"
      strip_path = true
    }
    # The stack's ImageId parameter reads the AMI id from here.
    post-processor "shell-local" {
      inline = [
        "ami=$(jq -r '.builds[-1].artifact_id' ${path.root}/packer-manifest.json | cut -d: -f2)",
        "aws ssm put-parameter --region ${var.region} --name ${var.ssm_parameter} --type String --data-type aws:ec2:image --value \"$ami\" --overwrite",
        "echo \"ImageId=${var.ssm_parameter} -> $ami\"",
      ]
    }
  }
}
