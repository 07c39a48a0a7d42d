"""EmrEksManagedEndpoint: an EMR on EKS interactive endpoint (AWS::EMRContainers::Endpoint) for EMR Studio.

AWS facts encoded here:
- type JUPYTER_ENTERPRISE_GATEWAY and "Amazon EMR on EKS supports creating interactive endpoints with Amazon EMR
  releases 6.7.0 and higher": https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/create-managed-endpoint.html
- CreateManagedEndpoint's certificateArn is optional and deprecated (botocore's emr-containers model), so the
  construct asks for none.
- SessionIdleTimeoutInMinutes 1..1440 and the name pattern: cfn-lint's AWS::EMRContainers::Endpoint schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import botocore.session
import pytest
import yaml
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template
from cfnlint.api import ManualArgs, lint_file

from emr_constructs import (
    Configuration,
    EmrEksManagedEndpoint,
    EmrEksVirtualCluster,
    ReleaseLabel,
    apply_compliance_checks,
)
from tests.conftest import ROOT, new_app

ROLE_ARN = "arn:aws:iam::123456789012:role/notebook-execution"


def _parts(stack: cdk.Stack, n: int) -> dict[str, Any]:
    return {
        "virtual_cluster": EmrEksVirtualCluster.from_virtual_cluster_id(stack, f"Vc{n}", "abcdefghijklmnop0123456789"),
        "execution_role": iam.Role.from_role_arn(stack, f"Role{n}", ROLE_ARN),
    }


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    outdir = tmp_path_factory.mktemp("endpoint")
    app = new_app(outdir)
    apply_compliance_checks(app)
    stack = cdk.Stack(app, "EndpointTest")
    EmrEksManagedEndpoint(stack, "Default", **_parts(stack, 0))
    EmrEksManagedEndpoint(
        stack,
        "Tuned",
        **_parts(stack, 1),
        release_label=ReleaseLabel.of("emr-6.15.0-latest"),
        name="analysts",
        configurations=[Configuration("spark-defaults", {"spark.driver.memory": "2G"})],
        log_group=logs.LogGroup.from_log_group_name(stack, "Logs", "/emr-on-eks/notebooks"),
        log_uri="s3://my-logs/notebooks/",
        session_idle_timeout=cdk.Duration.hours(2),
    )
    assembly = app.synth()  # raises on any unacknowledged nag finding
    return outdir, assembly.get_stack_by_name("EndpointTest").template


@pytest.fixture(scope="module")
def template(synthesized: tuple[Path, dict[str, Any]]) -> Template:
    return Template.from_json(synthesized[1])


def test_the_default_endpoint_is_a_jupyter_enterprise_gateway_on_the_default_eks_release(template: Template) -> None:
    template.has_resource_properties(
        "AWS::EMRContainers::Endpoint",
        {
            "Name": "EndpointTest-Default",
            "Type": "JUPYTER_ENTERPRISE_GATEWAY",
            "VirtualClusterId": "abcdefghijklmnop0123456789",
            "ReleaseLabel": "emr-7.10.0-latest",
            "ExecutionRoleArn": ROLE_ARN,
            "ConfigurationOverrides": Match.absent(),
            "SessionIdleTimeoutInMinutes": Match.absent(),
        },
    )


def test_overrides_logs_and_idle_timeout_are_rendered(template: Template) -> None:
    template.has_resource_properties(
        "AWS::EMRContainers::Endpoint",
        {
            "Name": "analysts",
            "ReleaseLabel": "emr-6.15.0-latest",
            "SessionIdleTimeoutInMinutes": 120,
            "ConfigurationOverrides": {
                "ApplicationConfiguration": [
                    {"Classification": "spark-defaults", "Properties": {"spark.driver.memory": "2G"}}
                ],
                "MonitoringConfiguration": {
                    "CloudWatchMonitoringConfiguration": {"LogGroupName": "/emr-on-eks/notebooks"},
                    "S3MonitoringConfiguration": {"LogUri": "s3://my-logs/notebooks/"},
                },
            },
        },
    )


def test_no_certificate_is_needed() -> None:
    """CreateManagedEndpoint does not require certificateArn (deprecated), so the construct has no such prop."""
    model = botocore.session.get_session().get_service_model("emr-containers")
    assert "certificateArn" not in model.operation_model("CreateManagedEndpoint").input_shape.required_members


def test_four_nag_packs_report_nothing(synthesized: tuple[Path, dict[str, Any]]) -> None:
    report = json.loads((synthesized[0] / "validation-report.json").read_text())
    assert [v for p in report["pluginReports"] for v in p["violations"]] == []


def test_cfn_lint_is_clean(synthesized: tuple[Path, dict[str, Any]]) -> None:
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    template = synthesized[0] / "EndpointTest.template.json"
    matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
    assert [str(m) for m in matches] == []


# ---- bad input -----------------------------------------------------------------------------------------------------

_n = iter(range(1, 10_000))


@pytest.fixture(scope="module")
def stack() -> cdk.Stack:
    return cdk.Stack(new_app(), "Bad")


def _build(stack: cdk.Stack, **props: Any) -> EmrEksManagedEndpoint:
    n = next(_n)
    return EmrEksManagedEndpoint(stack, f"E{n}", **{**_parts(stack, n), **props})


@pytest.mark.parametrize(
    ("props", "match"),
    [
        (
            {"release_label": "emr-6.6.0-latest"},
            r"release_label: got 'emr-6.6.0-latest'; EMR on EKS interactive .*emr-6.7.0",
        ),
        ({"release_label": "emr-5.36.0"}, r"release_label: got 'emr-5.36.0'"),
        ({"release_label": "emr-spark-8.0.0"}, r"release_label: got 'emr-spark-8.0.0'; EMR on EKS takes"),
        ({"release_label": "7.10.0"}, r"release_label: got '7.10.0'"),
        ({"name": "-leading-dash"}, r"name: got '-leading-dash'"),
        ({"name": "n" * 65}, r"name: got 'n{65}'"),
        ({"session_idle_timeout": cdk.Duration.minutes(1441)}, r"session_idle_timeout \(minutes\): got 1441"),
        ({"session_idle_timeout": cdk.Duration.seconds(90)}, r"session_idle_timeout: got 1.5; must be a whole number"),
        ({"log_uri": "my-logs/notebooks"}, r"log_uri: got 'my-logs/notebooks'"),
        ({"execution_role": ROLE_ARN}, r"execution_role"),
        ({"virtual_cluster": "abcdef"}, r"virtual_cluster"),
        ({"configurations": [{"classification": "spark-defaults"}]}, r"configurations\[0\]"),
    ],
)
def test_bad_props_name_the_prop(stack: cdk.Stack, props: dict[str, Any], match: str) -> None:
    with pytest.raises((ValueError, TypeError), match=match):
        _build(stack, **props)


def test_tokens_pass_validation(stack: cdk.Stack) -> None:
    token = cdk.Token.as_string({"Ref": "Value"})
    _build(
        stack,
        virtual_cluster=EmrEksVirtualCluster.from_virtual_cluster_id(stack, "TokenVc", token),
        release_label=ReleaseLabel.of(token),
        name=token,
        log_uri=f"s3://{token}/logs/",
        session_idle_timeout=cdk.Duration.minutes(cdk.Token.as_number({"Ref": "Minutes"})),
    )
