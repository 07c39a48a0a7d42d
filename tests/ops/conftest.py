"""A moto server on 127.0.0.1 (a real HTTP endpoint) and an ``emrctl`` runner that calls it as a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.conftest import ROOT

REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def aws_env(moto_endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": REGION,
            "EMRCTL_ENDPOINT_URL": moto_endpoint,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


@pytest.fixture(scope="session")
def client(moto_endpoint: str) -> Callable[[str], Any]:
    def make(service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=moto_endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    return make


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def emrctl(aws_env: dict[str, str]) -> Callable[..., Result]:
    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "emr_constructs.ops", *args],
            env=env or aws_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture(scope="session")
def world(client: Callable[[str], Any]) -> dict[str, str]:
    iam = client("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Service": "emr-serverless.amazonaws.com"},
                }
            ],
        }
    )
    role_arn = iam.create_role(RoleName="EMRServerlessS3RuntimeRole", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    app_id = client("emr-serverless").create_application(
        name="My_First_Application", releaseLabel="emr-7.10.0", type="SPARK"
    )["applicationId"]
    cluster_id = client("emr").run_job_flow(
        Name="restaurants",
        ReleaseLabel="emr-7.10.0",
        JobFlowRole="EMR_EC2_DefaultRole",
        ServiceRole="EMR_DefaultRole",
        Instances={
            "MasterInstanceType": "m7g.xlarge",
            "SlaveInstanceType": "m7g.xlarge",
            "InstanceCount": 3,
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        LogUri="s3://my-logs/emr/",
    )["JobFlowId"]
    vc_id = client("emr-containers").create_virtual_cluster(
        name="analytics",
        containerProvider={"id": "emr-platform", "type": "EKS", "info": {"eksInfo": {"namespace": "emr-jobs"}}},
    )["id"]
    template = {
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {
            "ApplicationId": {"Value": app_id},
            "RuntimeRoleArn": {"Value": role_arn},
            "LogUri": {"Value": "s3://my-logs/emr-serverless-logs/"},
        },
    }
    client("cloudformation").create_stack(StackName="Emr-default-Serverless", TemplateBody=json.dumps(template))
    return {"role_arn": role_arn, "app_id": app_id, "cluster_id": cluster_id, "vc_id": vc_id}
