"""The EMR on EC2 reference stack deploys on a clean account: its in-transit TLS certificate exists before the cluster.

AWS rules encoded here:
- A security configuration with in-transit encryption and the PEM provider names a zip in S3 that EMR downloads to
  every node when the cluster launches, so the object must exist before ``AWS::EMR::Cluster`` is created, and the
  nodes (instance profile) must be able to read it.
  See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
- CloudFormation creates a resource only after every resource named in its ``DependsOn``.
  See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
- The certificate zip holds the cluster's TLS private key: job runtime roles must not be able to read it.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest

from tests.reference_app import synth_reference_app

EC2_ONLY = {"serverless": {"enabled": False}, "eks": {"enabled": False}}


@pytest.fixture(scope="module")
def ec2(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = synth_reference_app(tmp_path_factory.mktemp("tls"), env="tls", environments={"tls": EC2_ONLY})
    return result.templates()["Emr-tls-Ec2"]


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env = {**EC2_ONLY, "ec2": {"tls_certificate_s3_uri": "s3://corp-pki/emr/certs.zip"}}
    result = synth_reference_app(tmp_path_factory.mktemp("own"), env="own", environments={"own": env})
    return result.templates()["Emr-own-Ec2"]


def _ids(template: dict[str, Any], resource_type: str) -> list[str]:
    return [k for k, v in template["Resources"].items() if v["Type"] == resource_type]


def _text(value: Any) -> str:
    """A CloudFormation string value as text: ``Ref``/``Fn::GetAtt`` become ``<Id>``/``<Id.Attr>``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return f"<{arg}>"
        if fn == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if fn == "Fn::Join":
            return str(arg[0]).join(_text(part) for part in arg[1])
    raise AssertionError(f"unexpected intrinsic {value!r}")


def _certificate(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (cert_id,) = _ids(template, "Custom::EmrTlsCertificate")
    return cert_id, template["Resources"][cert_id]


def _certificate_object_arn(template: dict[str, Any]) -> str:
    _, cert = _certificate(template)
    bucket = cert["Properties"]["BucketName"]
    return f"<{bucket['Ref']}.Arn>/{cert['Properties']['ObjectKey']}"


def _statements_of(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    statements = []
    for resource in template["Resources"].values():
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            if {"Ref": role_id} in resource["Properties"].get("Roles", []):
                statements += resource["Properties"]["PolicyDocument"]["Statement"]
    role = template["Resources"][role_id]["Properties"]
    for inline in role.get("Policies", []):
        statements += inline["PolicyDocument"]["Statement"]
    return statements


def _can_read(statements: list[dict[str, Any]], object_arn: str) -> bool:
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if statement["Effect"] != "Allow" or not any(fnmatch.fnmatchcase("s3:GetObject", a) for a in actions):
            continue
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        if any(fnmatch.fnmatchcase(object_arn, _text(r)) for r in resources):
            return True
    return False


def test_the_stack_generates_its_certificate_zip_in_a_dedicated_prefix_of_the_data_bucket(ec2: dict) -> None:
    _, cert = _certificate(ec2)
    props = cert["Properties"]
    assert props["ObjectKey"] == "tls/emr-certificates.zip"
    assert props["BucketName"]["Ref"].startswith("DataBucket")
    (security_id,) = _ids(ec2, "AWS::EMR::SecurityConfiguration")
    document = ec2["Resources"][security_id]["Properties"]["SecurityConfiguration"]
    pem = document["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"]
    assert pem["CertificateProviderType"] == "PEM"
    assert "CertificateS3Uri" in str(pem["S3Object"])  # read from the custom resource: an implicit dependency too


def test_the_cluster_is_created_after_the_certificate_object_exists(ec2: dict) -> None:
    cert_id, _ = _certificate(ec2)
    (cluster_id,) = _ids(ec2, "AWS::EMR::Cluster")
    assert cert_id in ec2["Resources"][cluster_id].get("DependsOn", [])


def test_the_nodes_can_read_the_certificate_object(ec2: dict) -> None:
    (cluster_id,) = _ids(ec2, "AWS::EMR::Cluster")
    profile_name = ec2["Resources"][cluster_id]["Properties"]["JobFlowRole"]["Ref"]
    (role,) = ec2["Resources"][profile_name]["Properties"]["Roles"]
    assert _can_read(_statements_of(ec2, role["Ref"]), _certificate_object_arn(ec2))


def test_the_ec2_runtime_role_cannot_read_the_tls_certificate_prefix(ec2: dict) -> None:
    """Issue 8: the job runtime role reads job data (``artifacts/``, ``raw/``), never the TLS private key."""
    roles = [k for k in _ids(ec2, "AWS::IAM::Role") if k.startswith("ClusterSparkJobRole")]
    assert len(roles) == 1
    statements = _statements_of(ec2, roles[0])
    assert _can_read(statements, _certificate_object_arn(ec2).replace("tls/emr-certificates.zip", "raw/x.csv"))
    assert not _can_read(statements, _certificate_object_arn(ec2))


def test_no_output_or_property_carries_private_key_material(ec2: dict) -> None:
    text = str(ec2)
    assert "PRIVATE KEY" not in text and "privateKey" not in text


def test_a_certificate_of_your_own_is_used_as_is_and_nothing_is_generated(own: dict) -> None:
    assert _ids(own, "Custom::EmrTlsCertificate") == []
    assert [k for k, v in own["Resources"].items() if v["Type"] == "AWS::Lambda::Function"] == []
    (security_id,) = _ids(own, "AWS::EMR::SecurityConfiguration")
    document = own["Resources"][security_id]["Properties"]["SecurityConfiguration"]
    pem = document["EncryptionConfiguration"]["InTransitEncryptionConfiguration"]["TLSCertificateConfiguration"]
    assert pem["S3Object"] == "s3://corp-pki/emr/certs.zip"
