"""``EmrTlsCertificate``: the deploy-time certificate zip, its function's least privilege and its removal policy.

AWS rules encoded here:
- The zip for in-transit encryption must be in S3 before a cluster that uses the security configuration launches;
  the certificate is a wildcard of the instances' domain: ``*.ec2.internal`` in us-east-1,
  ``*.<region>.compute.internal`` elsewhere.
  See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
  and https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html
- An SSE-KMS upload needs ``kms:GenerateDataKey`` on the key; the ``s3:x-amz-server-side-encryption*`` condition keys
  pin the encryption of the PutObject request.
  See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
- CloudFormation never sends Delete for a resource whose DeletionPolicy is Retain.
  See: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from emr_constructs import EmrSecurityConfiguration, EmrTlsCertificate, InTransitEncryption, SecureBucket
from emr_constructs.compliance import apply_compliance_checks
from tests.conftest import new_app


def _stack(region: str | None = None, *, removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN) -> Template:
    env = cdk.Environment(account="111111111111", region=region) if region else None
    stack = cdk.Stack(new_app(), "Test", env=env)
    data = SecureBucket(stack, "Data")
    certificate = EmrTlsCertificate(stack, "Certificate", bucket=data.bucket, removal_policy=removal_policy)
    EmrSecurityConfiguration(stack, "Security", in_transit=certificate.in_transit_encryption())
    return Template.from_stack(stack)


@pytest.fixture(scope="module")
def agnostic() -> Template:
    return _stack()


@pytest.fixture(scope="module")
def destroy() -> Template:
    return _stack(removal_policy=cdk.RemovalPolicy.DESTROY)


def _one(template: Template, resource_type: str) -> tuple[str, dict[str, Any]]:
    ((logical_id, resource),) = template.find_resources(resource_type).items()
    return logical_id, resource


def _policy_statements(template: Template) -> list[dict[str, Any]]:
    role_id, _ = _one(template, "AWS::IAM::Role")
    return [
        statement
        for policy in template.find_resources("AWS::IAM::ManagedPolicy").values()
        if policy["Properties"]["Roles"] == [{"Ref": role_id}]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_the_certificate_names_the_region_internal_wildcard_resolved_at_deploy_time(agnostic: Template) -> None:
    _, cert = _one(agnostic, "Custom::EmrTlsCertificate")
    ((condition_id, condition),) = agnostic.find_conditions("*").items()
    assert condition == {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}
    assert cert["Properties"]["DnsNames"] == [
        {"Fn::If": [condition_id, "*.ec2.internal", {"Fn::Sub": "*.${AWS::Region}.compute.internal"}]}
    ]


@pytest.mark.parametrize(
    ("region", "name"), [("us-east-1", "*.ec2.internal"), ("eu-west-1", "*.eu-west-1.compute.internal")]
)
def test_a_stack_with_a_region_names_its_domain_literally(region: str, name: str) -> None:
    template = _stack(region)
    template.has_resource_properties("Custom::EmrTlsCertificate", {"DnsNames": [name]})
    assert template.find_conditions("*") == {}


def test_the_zip_goes_to_a_dedicated_prefix_encrypted_with_the_bucket_key(agnostic: Template) -> None:
    _, cert = _one(agnostic, "Custom::EmrTlsCertificate")
    props = cert["Properties"]
    assert props["ObjectKey"] == "tls/emr-certificates.zip"
    assert props["BucketName"]["Ref"].startswith("DataBucket")
    bucket = agnostic.find_resources("AWS::S3::Bucket")[props["BucketName"]["Ref"]]
    sse = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ]
    assert props["KmsKeyArn"] == sse["KMSMasterKeyID"]  # the bucket's own key
    assert (props["ValidityDays"], props["RsaKeySize"], props["DeleteOnRemoval"]) == (730, 2048, "false")


def test_the_security_configuration_reads_the_uri_from_the_custom_resource(agnostic: Template) -> None:
    cert_id, _ = _one(agnostic, "Custom::EmrTlsCertificate")
    _, security = _one(agnostic, "AWS::EMR::SecurityConfiguration")
    document = json.dumps(security["Properties"]["SecurityConfiguration"])
    assert json.dumps({"Fn::GetAtt": [cert_id, "CertificateS3Uri"]}) in document


def test_the_function_runs_the_latest_node_runtime_and_logs_to_an_encrypted_group(agnostic: Template) -> None:
    latest = sorted(
        {r.name for r in lambda_.Runtime.ALL if r.name.startswith("nodejs") and r.name[6:7].isdigit()},
        key=lambda n: int(n[6:].split(".")[0]),
    )[-1]
    _, function = _one(agnostic, "AWS::Lambda::Function")
    assert function["Properties"]["Runtime"] == latest
    assert function["Properties"]["Handler"] == "index.handler"
    ((_, log_group),) = agnostic.find_resources("AWS::Logs::LogGroup").items()
    assert log_group["Properties"]["RetentionInDays"] == 365 and "KmsKeyId" in log_group["Properties"]
    assert function["Properties"]["LoggingConfig"]["LogGroup"] == {
        "Ref": next(iter(agnostic.find_resources("AWS::Logs::LogGroup")))
    }


def test_the_function_may_write_only_that_object_with_sse_kms(agnostic: Template) -> None:
    statements = _policy_statements(agnostic)
    by_action = {json.dumps(s["Action"]): s for s in statements}
    assert set(by_action) == {
        json.dumps(["logs:CreateLogStream", "logs:PutLogEvents"]),
        json.dumps("s3:PutObject"),
        json.dumps("kms:GenerateDataKey"),
    }
    put = by_action['"s3:PutObject"']
    assert put["Resource"]["Fn::Join"][1][-1] == "/tls/emr-certificates.zip"
    assert put["Condition"]["StringEquals"]["s3:x-amz-server-side-encryption"] == "aws:kms"
    assert "s3:x-amz-server-side-encryption-aws-kms-key-id" in put["Condition"]["StringEquals"]
    kms = by_action['"kms:GenerateDataKey"']
    assert kms["Resource"]["Fn::GetAtt"][0].startswith("DataKey")
    assert "kms:ViaService" in kms["Condition"]["StringEquals"]
    assert "*" not in json.dumps([s["Action"] for s in statements])
    _, role = _one(agnostic, "AWS::IAM::Role")
    assert "ManagedPolicyArns" not in role["Properties"] and "Policies" not in role["Properties"]


def test_the_custom_resource_waits_for_the_function_permissions_and_times_out_early(agnostic: Template) -> None:
    _, cert = _one(agnostic, "Custom::EmrTlsCertificate")
    policy_ids = list(agnostic.find_resources("AWS::IAM::ManagedPolicy"))
    assert set(policy_ids) <= set(cert["DependsOn"])
    assert int(cert["Properties"]["ServiceTimeout"]) == 300  # seconds


def test_by_default_the_object_is_retained_and_never_deleted(agnostic: Template) -> None:
    _, cert = _one(agnostic, "Custom::EmrTlsCertificate")
    assert (cert["DeletionPolicy"], cert["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert "s3:DeleteObject" not in json.dumps(_policy_statements(agnostic))


def test_with_destroy_the_function_deletes_only_that_object(destroy: Template) -> None:
    _, cert = _one(destroy, "Custom::EmrTlsCertificate")
    assert cert["DeletionPolicy"] == "Delete" and cert["Properties"]["DeleteOnRemoval"] == "true"
    (delete,) = [s for s in _policy_statements(destroy) if s["Action"] == "s3:DeleteObject"]
    assert delete["Resource"]["Fn::Join"][1][-1] == "/tls/emr-certificates.zip"


def test_no_private_key_material_in_the_template(agnostic: Template) -> None:
    assert "PRIVATE KEY" not in json.dumps(agnostic.to_json())


def test_four_nag_packs_pass_on_a_stack_with_only_the_certificate(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    apply_compliance_checks(app)
    stack = cdk.Stack(app, "Certificate")
    data = SecureBucket(stack, "Data")
    EmrTlsCertificate(stack, "Certificate", bucket=data.bucket)
    app.synth()  # raises RuntimeError("ValidationFailed ...") on any unacknowledged finding
    report = json.loads((tmp_path / "validation-report.json").read_text())
    assert [v for p in report["pluginReports"] for v in p["violations"]] == []


# ---- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "match"),
    [
        (
            {"object_key": "/tls/certs.zip"},
            r"object_key: got '/tls/certs.zip'; must be an S3 object key ending in .zip",
        ),
        ({"object_key": "tls/certs"}, r"object_key: got 'tls/certs'"),
        ({"object_key": "tls/*.zip"}, r"object_key: got 'tls/\*.zip'"),
        ({"dns_names": []}, r"dns_names: got \[\]; give at least one DNS name"),
        ({"dns_names": ["*.EC2.internal"]}, r"dns_names: got '\*.EC2.internal'; each must be a lower-case DNS name"),
        ({"dns_names": ["*." + "a" * 60 + ".internal"]}, r"the first name is the certificate's CN, at most 64"),
        ({"validity": cdk.Duration.hours(36)}, r"validity: got '1 day 12 hours'; must be a whole number of days"),
        ({"validity": cdk.Duration.days(0)}, r"validity \(days\): got 0; must be between 1 and 3650"),
        ({"validity": cdk.Duration.days(3651)}, r"validity \(days\): got 3651"),
        ({"rsa_key_size": 1024}, r"rsa_key_size: got 1024; allowed values: 2048, 3072, 4096"),
    ],
)
def test_bad_input_names_the_prop(props: dict[str, Any], match: str) -> None:
    stack = cdk.Stack(new_app(), "Bad")
    data = SecureBucket(stack, "Data")
    with pytest.raises(ValueError, match=match):
        EmrTlsCertificate(stack, "Certificate", bucket=data.bucket, **props)


def test_a_bucket_without_a_kms_key_needs_encryption_key() -> None:
    stack = cdk.Stack(new_app(), "Bad")
    bucket = s3.Bucket(stack, "Plain", encryption=s3.BucketEncryption.S3_MANAGED)
    with pytest.raises(ValueError, match=r"encryption_key: got None; bucket Bad/Plain has no KMS key"):
        EmrTlsCertificate(stack, "Certificate", bucket=bucket)


def test_tokens_pass_validation() -> None:
    stack = cdk.Stack(new_app(), "Tokens")
    data = SecureBucket(stack, "Data")
    key = cdk.CfnParameter(stack, "Key").value_as_string
    domain = cdk.CfnParameter(stack, "Domain").value_as_string
    EmrTlsCertificate(stack, "Certificate", bucket=data.bucket, object_key=key, dns_names=[domain])
    Template.from_stack(stack).has_resource_properties(
        "Custom::EmrTlsCertificate", {"ObjectKey": {"Ref": "Key"}, "DnsNames": [{"Ref": "Domain"}]}
    )


@pytest.mark.parametrize("uri", ["s3://my-bucket", "s3://my-bucket/"])
def test_a_certificate_uri_must_name_an_object_not_a_bucket(uri: str) -> None:
    stack = cdk.Stack(new_app(), "Bad")
    with pytest.raises(ValueError, match=r"in_transit.certificate_s3_uri: got .*; must name the zip object"):
        EmrSecurityConfiguration(stack, "Security", in_transit=InTransitEncryption(certificate_s3_uri=uri))
