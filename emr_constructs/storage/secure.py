"""Secure-by-default storage: customer-managed KMS keys, buckets and log groups.

Every stateful resource here is RETAINed unless the caller opts in to deletion through ``removal_policy``.
"""

from __future__ import annotations

from aws_cdk import ArnFormat, Aws, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from emr_constructs._internal.types import check_enum, check_text, check_type
from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.iam_actions import KMS_KEY_POLICY_SERVICE_ACTIONS, S3

DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR
"""Log groups keep a year of logs unless told otherwise."""

DEFAULT_NONCURRENT_VERSION_EXPIRATION = Duration.days(90)

RETENTION_BY_DAYS: dict[int, logs.RetentionDays] = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}
"""The retention periods CloudWatch Logs allows, by number of days."""


def retention_days(days: int, prop: str = "retention_days") -> logs.RetentionDays:
    """``365`` -> ``RetentionDays.ONE_YEAR``; raise ``ValueError`` for a period CloudWatch Logs does not allow."""
    if days not in RETENTION_BY_DAYS:
        raise ValueError(f"{prop}: got {days!r}; CloudWatch Logs allows {', '.join(map(str, RETENTION_BY_DAYS))}")
    return RETENTION_BY_DAYS[days]


class EncryptionKey(Construct):
    """A customer-managed KMS key with yearly rotation, RETAINed by default.

    :param description: what the key protects (shown in the KMS console).
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        description: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_text("description", description, optional=False)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        self.key = kms.Key(
            self,
            "Key",
            description=description,
            enable_key_rotation=True,
            removal_policy=removal_policy,
            pending_window=Duration.days(30),
        )

    @property
    def key_arn(self) -> str:
        return self.key.key_arn


class SecureBucket(Construct):
    """An S3 bucket that is KMS-encrypted, versioned, SSL-only, blocks public access and logs server access.

    The server access logs go to a companion bucket (S3 only delivers access logs to SSE-S3 buckets, so that one
    uses S3-managed keys). Both buckets are RETAINed unless ``removal_policy`` says otherwise.

    :param encryption_key: Default: a new customer-managed key with rotation.
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    :param access_logs_bucket: Default: a new SSE-S3 bucket for server access logs.
    :param auto_delete_objects: empty the buckets created here (every object version) before CloudFormation deletes
        them, so that deleting the stack succeeds. Default: on with ``RemovalPolicy.DESTROY``, off otherwise.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        access_logs_bucket: s3.IBucket | None = None,
        auto_delete_objects: bool | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        check_type("auto_delete_objects", auto_delete_objects, bool, optional=True)
        # CloudFormation cannot delete a bucket that still holds objects or object versions; aws-cdk-lib's handler
        # deletes every version. See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html
        empty_on_delete = (
            removal_policy == RemovalPolicy.DESTROY if auto_delete_objects is None else auto_delete_objects
        )
        if empty_on_delete and removal_policy != RemovalPolicy.DESTROY:
            raise fail(
                "auto_delete_objects",
                auto_delete_objects,
                f"only applies with removal_policy=RemovalPolicy.DESTROY (got {removal_policy}); a RETAINed bucket "
                "keeps its objects",
            )
        self.encryption_key: kms.IKey = (
            encryption_key
            or EncryptionKey(self, "Key", description=f"Encrypts {self.node.path}", removal_policy=removal_policy).key
        )
        if access_logs_bucket is None:
            access_logs = s3.Bucket(
                self,
                "AccessLogs",
                encryption=s3.BucketEncryption.S3_MANAGED,
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                versioned=True,
                object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
                removal_policy=removal_policy,
                auto_delete_objects=empty_on_delete,
                lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=DEFAULT_NONCURRENT_VERSION_EXPIRATION)],
            )
            acknowledge(access_logs, Reason.ACCESS_LOG_BUCKET)
            access_logs_bucket = access_logs
        self.access_logs_bucket = access_logs_bucket
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.encryption_key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=removal_policy,
            auto_delete_objects=empty_on_delete,
            lifecycle_rules=[s3.LifecycleRule(noncurrent_version_expiration=DEFAULT_NONCURRENT_VERSION_EXPIRATION)],
        )
        self._log_server_access(access_logs_bucket, f"{construct_id}/")
        for bucket in (self.bucket, access_logs_bucket):
            if isinstance(bucket, s3.Bucket) and bucket.node.scope is self:
                acknowledge(bucket, Reason.BUCKET_REPLICATION)

    def _log_server_access(self, destination: s3.IBucket, prefix: str) -> None:
        """Server access logging through a bucket policy for the S3 logging service (no ACLs), whatever the app's
        feature flags; an imported destination needs an equivalent policy of its own."""
        cfn = self.bucket.node.default_child
        assert isinstance(cfn, s3.CfnBucket)
        cfn.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
            destination_bucket_name=destination.bucket_name, log_file_prefix=prefix
        )
        destination.add_to_resource_policy(
            iam.PolicyStatement(
                sid=f"S3ServerAccessLogs{self.node.addr[:8]}",
                principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
                actions=[S3.PUT_OBJECT],
                resources=[destination.arn_for_objects(f"{prefix}*")],
                conditions={
                    "ArnLike": {"aws:SourceArn": self.bucket.bucket_arn},
                    "StringEquals": {"aws:SourceAccount": Stack.of(self).account},
                },
            )
        )

    @property
    def bucket_name(self) -> str:
        return self.bucket.bucket_name

    @property
    def bucket_arn(self) -> str:
        return self.bucket.bucket_arn


LOGS_KEY_POLICY_SID = "AllowCloudWatchLogsOfThisStack"
_LOGS_STATEMENT_MARKER = "CloudWatchLogsKeyPolicy"


def allow_cloudwatch_logs(key: kms.IKey) -> None:
    """Let CloudWatch Logs use ``key`` for the log groups of the key's stack: one key-policy statement per key,
    however many log groups share it (a second statement with the same Sid would fail at deploy).

    The statement is scoped by the encryption context CloudWatch Logs sends, the log group's ARN, to the names
    CloudFormation generates in the key's stack (``<stack name>-<logical id>-<suffix>``). A key this app does not own
    (imported) is left as it is: its policy is not part of the template.
    See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    """
    check_type("key", key, kms.IKey)
    if not isinstance(key, kms.Key) or key.node.try_find_child(_LOGS_STATEMENT_MARKER) is not None:
        return
    Construct(key, _LOGS_STATEMENT_MARKER)
    stack = Stack.of(key)
    key.add_to_resource_policy(
        iam.PolicyStatement(
            sid=LOGS_KEY_POLICY_SID,
            principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
            actions=KMS_KEY_POLICY_SERVICE_ACTIONS,
            resources=["*"],
            conditions={
                "ArnLike": {
                    "kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                        service="logs",
                        resource="log-group",
                        resource_name=f"{stack.stack_name}-*",
                        arn_format=ArnFormat.COLON_RESOURCE_NAME,
                    )
                }
            },
        )
    )


class SecureLogGroup(Construct):
    """A CloudWatch log group encrypted with a KMS key, with retention, RETAINed by default.

    :param encryption_key: Default: a new customer-managed key. A key of this stack (new or passed in) gets the
        CloudWatch Logs statement of ``allow_cloudwatch_logs`` once; a key of another stack or an imported key needs
        an equivalent statement of its own.
    :param retention: Default: one year.
    :param removal_policy: Default: ``RemovalPolicy.RETAIN``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey | None = None,
        retention: logs.RetentionDays = DEFAULT_LOG_RETENTION,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("encryption_key", encryption_key, kms.IKey, optional=True)
        check_enum("retention", retention, logs.RetentionDays, optional=False)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        if encryption_key is None:
            encryption_key = EncryptionKey(
                self, "Key", description=f"Encrypts log group {self.node.path}", removal_policy=removal_policy
            ).key
        if Stack.of(encryption_key) is Stack.of(self):
            allow_cloudwatch_logs(encryption_key)
        self.encryption_key = encryption_key
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            encryption_key=encryption_key,
            retention=retention,
            removal_policy=removal_policy,
        )

    @property
    def log_group_name(self) -> str:
        return self.log_group.log_group_name

    @property
    def log_group_arn(self) -> str:
        return self.log_group.log_group_arn
