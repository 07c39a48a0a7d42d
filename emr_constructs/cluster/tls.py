"""``EmrTlsCertificate``: self-signed PEM certificates for EMR in-transit encryption, generated at deploy time.

A security configuration with in-transit encryption names a zip (``privateKey.pem``, ``certificateChain.pem``,
``trustedCertificates.pem``) in S3 that EMR copies to every node when a cluster launches, so the zip must exist before
the cluster is created. This construct writes it during the deployment, from a Lambda function in the stack: the key
pair is made by Node.js ``crypto`` (OpenSSL) in the function and goes only to the SSE-KMS encrypted object; it never
appears in the template, the cloud assembly or the stack's outputs.

A self-signed certificate lets a clean account deploy; for production bring a certificate issued by your CA.
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-encryption-enable.html#emr-encryption-certificates
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from aws_cdk import Aws, CfnCondition, CustomResource, Duration, Fn, RemovalPolicy, Stack, Token
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import check_enum, check_int, check_sequence_of, check_type
from emr_constructs._internal.validation import check_one_of, check_range, fail, is_token
from emr_constructs.cluster.security_configuration import InTransitEncryption
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import LOG_STREAM_WRITE_ACTIONS, S3, Kms
from emr_constructs.iam.policies import RolePolicy
from emr_constructs.storage.secure import DEFAULT_LOG_RETENTION, SecureLogGroup

DEFAULT_CERTIFICATE_KEY = "tls/emr-certificates.zip"
"""A prefix of its own: job runtime roles that read job data prefixes never read the private key."""
DEFAULT_VALIDITY = Duration.days(730)
DEFAULT_RSA_KEY_SIZE = 2048
RSA_KEY_SIZES = (2048, 3072, 4096)
MAX_VALIDITY_DAYS = 3650
HANDLER_DIR = Path(__file__).parent / "tls_handler"
RESOURCE_TYPE = "Custom::EmrTlsCertificate"
US_EAST_1_DOMAIN = "ec2.internal"
"""EC2 private DNS: ``ip-a-b-c-d.ec2.internal`` in us-east-1, ``ip-a-b-c-d.<region>.compute.internal`` elsewhere.

See: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html
"""

_DNS_NAME = r"(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+"
_OBJECT_KEY = r"[A-Za-z0-9!_.'()/-]+\.zip"


class EmrTlsCertificate(Construct):
    """A self-signed certificate zip for EMR in-transit encryption, written to S3 during the deployment.

    Use ``in_transit_encryption()`` in an ``EmrSecurityConfiguration``: the security configuration reads the object's
    URI from this custom resource, so CloudFormation creates it (and every cluster that uses it) afterwards. Give the
    cluster nodes read access with ``cluster.grant_data_read(certificate.bucket, [certificate.object_key])``.

    :param bucket: where the zip is written; it must be encrypted with a KMS key (or pass ``encryption_key``).
    :param object_key: Default: ``tls/emr-certificates.zip``. Keep it out of prefixes that job roles read.
    :param encryption_key: the KMS key of the object (SSE-KMS). Default: the bucket's key.
    :param dns_names: names the certificate is valid for; the first is the subject CN, all are subjectAltName DNS
        entries. Default: the wildcard of the cluster's Region-internal domain, ``*.ec2.internal`` in us-east-1 and
        ``*.<region>.compute.internal`` elsewhere (resolved at deploy time for a Region-agnostic stack). Add your
        VPC's DHCP option domain if it has a custom one.
    :param validity: Default: 730 days (1 to 3650). A change of ``validity``, ``dns_names``, ``rsa_key_size``, the
        bucket, key or object key writes a new certificate and key pair, which nodes that join a running cluster
        later may get while the older nodes trust only the previous one: replace the cluster after such a change (and
        before the certificate expires).
    :param rsa_key_size: 2048, 3072 or 4096. Default: 2048.
    :param log_retention: of the function's encrypted log group. Default: one year.
    :param log_encryption_key: the KMS key of that log group. Default: a new key for it. Pass the stack's key to
        share one (it gets the CloudWatch Logs statement once, see ``allow_cloudwatch_logs``).
    :param removal_policy: Default: RETAIN, the object stays when the stack or this construct is deleted. With
        DESTROY the function deletes the object.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        object_key: str = DEFAULT_CERTIFICATE_KEY,
        encryption_key: kms.IKey | None = None,
        dns_names: Sequence[str] | None = None,
        validity: Duration = DEFAULT_VALIDITY,
        rsa_key_size: int = DEFAULT_RSA_KEY_SIZE,
        log_retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        log_encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("object_key", object_key, str)
        check_sequence_of("dns_names", dns_names, str)
        check_type("validity", validity, Duration)
        check_int("rsa_key_size", rsa_key_size, optional=False)
        check_enum("log_retention", log_retention, logs.RetentionDays, optional=False)
        check_type("log_encryption_key", log_encryption_key, kms.IKey, optional=True)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        _check_object_key(object_key)
        key = encryption_key or bucket.encryption_key
        if key is None:
            raise fail(
                "encryption_key",
                None,
                f"bucket {bucket.node.path} has no KMS key: pass encryption_key, the key that encrypts the object "
                "(SSE-KMS); the zip holds a private key",
            )
        validity_days = _whole_days(validity)
        check_range("validity (days)", validity_days, 1, MAX_VALIDITY_DAYS)
        check_one_of("rsa_key_size", rsa_key_size, RSA_KEY_SIZES)
        names = list(dns_names) if dns_names is not None else [self._region_internal_wildcard()]
        _check_dns_names(names)
        self.bucket = bucket
        self.object_key = object_key
        self.encryption_key = key
        self.object_arn = bucket.arn_for_objects(object_key)

        self.log_group = SecureLogGroup(
            self, "Logs", encryption_key=log_encryption_key, retention=log_retention, removal_policy=removal_policy
        ).log_group
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Writes the self-signed EMR in-transit encryption certificate zip",
        )
        policy = RolePolicy(self, "Policy", role=role, description="Write one TLS certificate object (SSE-KMS)")
        policy.add_statements(
            iam.PolicyStatement(actions=LOG_STREAM_WRITE_ACTIONS, resources=[self.log_group.log_group_arn]),
            # Only this object, and only with SSE-KMS under this key.
            iam.PolicyStatement(
                actions=[S3.PUT_OBJECT],
                resources=[self.object_arn],
                conditions={
                    "StringEquals": {
                        "s3:x-amz-server-side-encryption": "aws:kms",
                        "s3:x-amz-server-side-encryption-aws-kms-key-id": key.key_arn,
                    }
                },
            ),
            # An SSE-KMS upload needs kms:GenerateDataKey on the key, and only through S3.
            # See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
            iam.PolicyStatement(
                actions=[Kms.GENERATE_DATA_KEY],
                resources=[key.key_arn],
                conditions={"StringEquals": {Kms.VIA_SERVICE: f"s3.{Aws.REGION}.{Aws.URL_SUFFIX}"}},
            ),
        )
        delete = removal_policy == RemovalPolicy.DESTROY
        if delete:
            policy.add_statements(iam.PolicyStatement(actions=[S3.DELETE_OBJECT], resources=[self.object_arn]))
        self.function = lambda_.Function(
            self,
            "Handler",
            description="Writes a self-signed EMR in-transit encryption certificate zip to S3",
            runtime=lambda_.Runtime.NODEJS_24_X,
            handler="index.handler",
            code=lambda_.Code.from_asset(str(HANDLER_DIR)),
            timeout=Duration.minutes(2),
            memory_size=512,  # RSA key generation is CPU-bound; CPU grows with memory
            role=role,
            log_group=self.log_group,
        )
        self._resource = CustomResource(
            self,
            "Resource",
            service_token=self.function.function_arn,
            resource_type=RESOURCE_TYPE,
            properties={
                "BucketName": bucket.bucket_name,
                "ObjectKey": object_key,
                "KmsKeyArn": key.key_arn,
                "DnsNames": names,
                "ValidityDays": validity_days,
                "RsaKeySize": rsa_key_size,
                "DeleteOnRemoval": "true" if delete else "false",
            },
            removal_policy=removal_policy,
            service_timeout=Duration.minutes(5),  # fail a stuck deployment in minutes, not CloudFormation's hour
        )
        # The function must hold its permissions (an attached managed policy) before CloudFormation invokes it.
        assert policy.policy is not None
        self._resource.node.add_dependency(policy.policy)
        acknowledge(self.function, Reason.TLS_CERTIFICATE_FUNCTION)
        self.dns_names = names

    @property
    def certificate_s3_uri(self) -> str:
        """``s3://bucket/key`` of the zip, read from the custom resource: whatever uses it is created after it."""
        return self._resource.get_att_string("CertificateS3Uri")

    @property
    def custom_resource(self) -> CustomResource:
        """The resource a cluster should depend on (``CfnCluster.add_dependency``)."""
        return self._resource

    def in_transit_encryption(self) -> InTransitEncryption:
        """TLS in transit with this certificate, for ``EmrSecurityConfiguration(in_transit=...)``."""
        return InTransitEncryption(certificate_s3_uri=self.certificate_s3_uri)

    def _region_internal_wildcard(self) -> str:
        region = Stack.of(self).region
        if not Token.is_unresolved(region):
            return f"*.{US_EAST_1_DOMAIN}" if region == "us-east-1" else f"*.{region}.compute.internal"
        us_east_1 = CfnCondition(self, "InUsEast1", expression=Fn.condition_equals(Aws.REGION, "us-east-1"))
        return Fn.condition_if(
            us_east_1.logical_id, f"*.{US_EAST_1_DOMAIN}", Fn.sub("*.${AWS::Region}.compute.internal")
        ).to_string()


def _whole_days(validity: Duration) -> int:
    try:
        return int(validity.to_days(integral=True))
    except Exception:  # jsii raises a plain RuntimeError for a fraction of a day
        raise fail("validity", validity.to_human_string(), "must be a whole number of days") from None


def _check_object_key(object_key: str) -> None:
    if is_token(object_key):
        return
    if not re.fullmatch(_OBJECT_KEY, object_key) or object_key.startswith("/") or "//" in object_key:
        raise fail(
            "object_key",
            object_key,
            "must be an S3 object key ending in .zip, without a leading '/' or wildcards, "
            "e.g. 'tls/emr-certificates.zip'",
        )


def _check_dns_names(names: Sequence[str]) -> None:
    if not names:
        raise fail("dns_names", list(names), "give at least one DNS name, e.g. ['*.ec2.internal']")
    for name in names:
        if is_token(name):
            continue
        if not re.fullmatch(_DNS_NAME, name) or len(name) > 253:
            raise fail("dns_names", name, "each must be a lower-case DNS name, optionally a '*.' wildcard")
    if not is_token(names[0]) and len(names[0]) > 64:
        raise fail("dns_names", names[0], "the first name is the certificate's CN, at most 64 characters")
