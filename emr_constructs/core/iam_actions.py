"""Every IAM action (and service condition key) the library grants, each written once.

One class per service prefix, one constant per action, so a grant reads ``Emr.ADD_JOB_FLOW_STEPS`` and a search for
an action finds one definition. The lists below are the sets several grants share; their order is the order in the
synthesized policies. Global condition keys (``aws:SourceArn``, ``aws:SourceAccount``, ...) are not listed: they
belong to no service.

See: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations


class Emr:
    """Amazon EMR on EC2 (service prefix ``elasticmapreduce``)."""

    CREATE_SECURITY_CONFIGURATION = "elasticmapreduce:CreateSecurityConfiguration"
    DELETE_SECURITY_CONFIGURATION = "elasticmapreduce:DeleteSecurityConfiguration"
    DESCRIBE_SECURITY_CONFIGURATION = "elasticmapreduce:DescribeSecurityConfiguration"
    REMOVE_TAGS = "elasticmapreduce:RemoveTags"
    SET_TERMINATION_PROTECTION = "elasticmapreduce:SetTerminationProtection"
    PUT_MANAGED_SCALING_POLICY = "elasticmapreduce:PutManagedScalingPolicy"
    GET_MANAGED_SCALING_POLICY = "elasticmapreduce:GetManagedScalingPolicy"
    REMOVE_MANAGED_SCALING_POLICY = "elasticmapreduce:RemoveManagedScalingPolicy"
    PUT_AUTO_TERMINATION_POLICY = "elasticmapreduce:PutAutoTerminationPolicy"
    GET_AUTO_TERMINATION_POLICY = "elasticmapreduce:GetAutoTerminationPolicy"
    REMOVE_AUTO_TERMINATION_POLICY = "elasticmapreduce:RemoveAutoTerminationPolicy"
    MODIFY_CLUSTER = "elasticmapreduce:ModifyCluster"
    LIST_INSTANCE_FLEETS = "elasticmapreduce:ListInstanceFleets"
    MODIFY_INSTANCE_FLEET = "elasticmapreduce:ModifyInstanceFleet"

    ADD_JOB_FLOW_STEPS = "elasticmapreduce:AddJobFlowSteps"
    ADD_TAGS = "elasticmapreduce:AddTags"
    CANCEL_STEPS = "elasticmapreduce:CancelSteps"
    DESCRIBE_CLUSTER = "elasticmapreduce:DescribeCluster"
    DESCRIBE_STEP = "elasticmapreduce:DescribeStep"
    LIST_INSTANCES = "elasticmapreduce:ListInstances"
    LIST_STEPS = "elasticmapreduce:ListSteps"
    RUN_JOB_FLOW = "elasticmapreduce:RunJobFlow"
    TERMINATE_JOB_FLOWS = "elasticmapreduce:TerminateJobFlows"
    # EMR Studio Workspaces (the API calls them editors).
    ATTACH_EDITOR = "elasticmapreduce:AttachEditor"
    CREATE_EDITOR = "elasticmapreduce:CreateEditor"
    CREATE_STUDIO_PRESIGNED_URL = "elasticmapreduce:CreateStudioPresignedUrl"
    DELETE_EDITOR = "elasticmapreduce:DeleteEditor"
    DESCRIBE_EDITOR = "elasticmapreduce:DescribeEditor"
    DETACH_EDITOR = "elasticmapreduce:DetachEditor"
    LIST_BOOTSTRAP_ACTIONS = "elasticmapreduce:ListBootstrapActions"
    LIST_CLUSTERS = "elasticmapreduce:ListClusters"
    LIST_EDITORS = "elasticmapreduce:ListEditors"
    LIST_INSTANCE_GROUPS = "elasticmapreduce:ListInstanceGroups"
    OPEN_EDITOR_IN_CONSOLE = "elasticmapreduce:OpenEditorInConsole"
    START_EDITOR = "elasticmapreduce:StartEditor"
    STOP_EDITOR = "elasticmapreduce:StopEditor"


class EmrServerless:
    """Amazon EMR Serverless (``emr-serverless``)."""

    CREATE_APPLICATION = "emr-serverless:CreateApplication"
    UPDATE_APPLICATION = "emr-serverless:UpdateApplication"
    DELETE_APPLICATION = "emr-serverless:DeleteApplication"
    TAG_RESOURCE = "emr-serverless:TagResource"
    UNTAG_RESOURCE = "emr-serverless:UntagResource"
    LIST_TAGS_FOR_RESOURCE = "emr-serverless:ListTagsForResource"

    ACCESS_INTERACTIVE_ENDPOINTS = "emr-serverless:AccessInteractiveEndpoints"
    CANCEL_JOB_RUN = "emr-serverless:CancelJobRun"
    GET_APPLICATION = "emr-serverless:GetApplication"
    GET_DASHBOARD_FOR_JOB_RUN = "emr-serverless:GetDashboardForJobRun"
    GET_JOB_RUN = "emr-serverless:GetJobRun"
    LIST_APPLICATIONS = "emr-serverless:ListApplications"
    LIST_JOB_RUNS = "emr-serverless:ListJobRuns"
    START_JOB_RUN = "emr-serverless:StartJobRun"
    STOP_APPLICATION = "emr-serverless:StopApplication"


class EmrContainers:
    """Amazon EMR on EKS (``emr-containers``)."""

    CANCEL_JOB_RUN = "emr-containers:CancelJobRun"
    DESCRIBE_JOB_RUN = "emr-containers:DescribeJobRun"
    DESCRIBE_VIRTUAL_CLUSTER = "emr-containers:DescribeVirtualCluster"
    LIST_JOB_RUNS = "emr-containers:ListJobRuns"
    START_JOB_RUN = "emr-containers:StartJobRun"
    EXECUTION_ROLE_ARN = "emr-containers:ExecutionRoleArn"
    """Condition key: the execution role a StartJobRun request names."""


class Glue:
    """AWS Glue Data Catalog (``glue``)."""

    BATCH_CREATE_PARTITION = "glue:BatchCreatePartition"
    BATCH_DELETE_PARTITION = "glue:BatchDeletePartition"
    BATCH_GET_PARTITION = "glue:BatchGetPartition"
    CREATE_DATABASE = "glue:CreateDatabase"
    CREATE_PARTITION = "glue:CreatePartition"
    CREATE_TABLE = "glue:CreateTable"
    DELETE_PARTITION = "glue:DeletePartition"
    DELETE_TABLE = "glue:DeleteTable"
    GET_DATABASE = "glue:GetDatabase"
    GET_DATABASES = "glue:GetDatabases"
    GET_PARTITION = "glue:GetPartition"
    GET_PARTITIONS = "glue:GetPartitions"
    GET_TABLE = "glue:GetTable"
    GET_TABLES = "glue:GetTables"
    GET_USER_DEFINED_FUNCTIONS = "glue:GetUserDefinedFunctions"
    UPDATE_PARTITION = "glue:UpdatePartition"
    UPDATE_TABLE = "glue:UpdateTable"


class S3:
    """Amazon S3 (``s3``)."""

    CREATE_BUCKET = "s3:CreateBucket"
    DELETE_BUCKET = "s3:DeleteBucket"
    PUT_BUCKET_POLICY = "s3:PutBucketPolicy"
    DELETE_BUCKET_POLICY = "s3:DeleteBucketPolicy"
    GET_BUCKET_POLICY = "s3:GetBucketPolicy"
    PUT_ENCRYPTION_CONFIGURATION = "s3:PutEncryptionConfiguration"
    PUT_BUCKET_VERSIONING = "s3:PutBucketVersioning"
    PUT_BUCKET_PUBLIC_ACCESS_BLOCK = "s3:PutBucketPublicAccessBlock"
    PUT_BUCKET_OWNERSHIP_CONTROLS = "s3:PutBucketOwnershipControls"
    PUT_LIFECYCLE_CONFIGURATION = "s3:PutLifecycleConfiguration"
    PUT_BUCKET_LOGGING = "s3:PutBucketLogging"
    PUT_BUCKET_TAGGING = "s3:PutBucketTagging"

    ABORT_MULTIPART_UPLOAD = "s3:AbortMultipartUpload"
    DELETE_OBJECT = "s3:DeleteObject"
    GET_OBJECT = "s3:GetObject"
    GET_OBJECT_VERSION = "s3:GetObjectVersion"
    GET_ENCRYPTION_CONFIGURATION = "s3:GetEncryptionConfiguration"
    LIST_BUCKET = "s3:ListBucket"
    PUT_OBJECT = "s3:PutObject"
    PREFIX = "s3:prefix"
    """Condition key: the key prefix of a ListBucket request."""


class Kms:
    """AWS KMS (``kms``). The ``*_ANY`` wildcards are for key policies, where the key is the resource."""

    CREATE_KEY = "kms:CreateKey"
    ENABLE_KEY_ROTATION = "kms:EnableKeyRotation"
    PUT_KEY_POLICY = "kms:PutKeyPolicy"
    GET_KEY_POLICY = "kms:GetKeyPolicy"
    GET_KEY_ROTATION_STATUS = "kms:GetKeyRotationStatus"
    LIST_RESOURCE_TAGS = "kms:ListResourceTags"
    TAG_RESOURCE = "kms:TagResource"
    UNTAG_RESOURCE = "kms:UntagResource"
    SCHEDULE_KEY_DELETION = "kms:ScheduleKeyDeletion"

    CREATE_GRANT = "kms:CreateGrant"
    DECRYPT = "kms:Decrypt"
    DESCRIBE_KEY = "kms:DescribeKey"
    ENCRYPT = "kms:Encrypt"
    GENERATE_DATA_KEY = "kms:GenerateDataKey"
    LIST_GRANTS = "kms:ListGrants"
    RE_ENCRYPT_FROM = "kms:ReEncryptFrom"
    RE_ENCRYPT_TO = "kms:ReEncryptTo"
    REVOKE_GRANT = "kms:RevokeGrant"
    DECRYPT_ANY = "kms:Decrypt*"
    DESCRIBE_ANY = "kms:Describe*"
    ENCRYPT_ANY = "kms:Encrypt*"
    GENERATE_DATA_KEY_ANY = "kms:GenerateDataKey*"
    RE_ENCRYPT_ANY = "kms:ReEncrypt*"
    GRANT_IS_FOR_AWS_RESOURCE = "kms:GrantIsForAWSResource"
    """Condition key: the grant is created by an AWS service integrated with KMS."""
    VIA_SERVICE = "kms:ViaService"
    """Condition key: the request comes through the named AWS service."""


class Logs:
    """Amazon CloudWatch Logs (``logs``)."""

    CREATE_LOG_GROUP = "logs:CreateLogGroup"
    DELETE_LOG_GROUP = "logs:DeleteLogGroup"
    PUT_RETENTION_POLICY = "logs:PutRetentionPolicy"
    DELETE_RETENTION_POLICY = "logs:DeleteRetentionPolicy"
    ASSOCIATE_KMS_KEY = "logs:AssociateKmsKey"
    DISASSOCIATE_KMS_KEY = "logs:DisassociateKmsKey"
    TAG_RESOURCE = "logs:TagResource"
    UNTAG_RESOURCE = "logs:UntagResource"
    LIST_TAGS_FOR_RESOURCE = "logs:ListTagsForResource"

    CREATE_LOG_DELIVERY = "logs:CreateLogDelivery"
    CREATE_LOG_STREAM = "logs:CreateLogStream"
    DELETE_LOG_DELIVERY = "logs:DeleteLogDelivery"
    DESCRIBE_LOG_GROUPS = "logs:DescribeLogGroups"
    DESCRIBE_LOG_STREAMS = "logs:DescribeLogStreams"
    DESCRIBE_RESOURCE_POLICIES = "logs:DescribeResourcePolicies"
    GET_LOG_DELIVERY = "logs:GetLogDelivery"
    LIST_LOG_DELIVERIES = "logs:ListLogDeliveries"
    PUT_LOG_EVENTS = "logs:PutLogEvents"
    PUT_RESOURCE_POLICY = "logs:PutResourcePolicy"
    UPDATE_LOG_DELIVERY = "logs:UpdateLogDelivery"


class Iam:
    """AWS IAM (``iam``)."""

    CREATE_ROLE = "iam:CreateRole"
    DELETE_ROLE = "iam:DeleteRole"
    GET_ROLE = "iam:GetRole"
    TAG_ROLE = "iam:TagRole"
    UNTAG_ROLE = "iam:UntagRole"
    UPDATE_ASSUME_ROLE_POLICY = "iam:UpdateAssumeRolePolicy"
    ATTACH_ROLE_POLICY = "iam:AttachRolePolicy"
    DETACH_ROLE_POLICY = "iam:DetachRolePolicy"
    PUT_ROLE_POLICY = "iam:PutRolePolicy"
    DELETE_ROLE_POLICY = "iam:DeleteRolePolicy"
    GET_ROLE_POLICY = "iam:GetRolePolicy"
    CREATE_POLICY = "iam:CreatePolicy"
    DELETE_POLICY = "iam:DeletePolicy"
    GET_POLICY = "iam:GetPolicy"
    CREATE_POLICY_VERSION = "iam:CreatePolicyVersion"
    DELETE_POLICY_VERSION = "iam:DeletePolicyVersion"
    LIST_POLICY_VERSIONS = "iam:ListPolicyVersions"

    ADD_ROLE_TO_INSTANCE_PROFILE = "iam:AddRoleToInstanceProfile"
    CREATE_INSTANCE_PROFILE = "iam:CreateInstanceProfile"
    CREATE_SERVICE_LINKED_ROLE = "iam:CreateServiceLinkedRole"
    DELETE_INSTANCE_PROFILE = "iam:DeleteInstanceProfile"
    GET_INSTANCE_PROFILE = "iam:GetInstanceProfile"
    PASS_ROLE = "iam:PassRole"
    REMOVE_ROLE_FROM_INSTANCE_PROFILE = "iam:RemoveRoleFromInstanceProfile"
    TAG_INSTANCE_PROFILE = "iam:TagInstanceProfile"
    PASSED_TO_SERVICE = "iam:PassedToService"
    """Condition key: the service principal a role is passed to."""
    AWS_SERVICE_NAME = "iam:AWSServiceName"
    """Condition key: the service whose service-linked role a CreateServiceLinkedRole request creates."""


class LakeFormation:
    """AWS Lake Formation (``lakeformation``)."""

    GET_DATA_ACCESS = "lakeformation:GetDataAccess"
    """Temporary credentials for a registered location; no resource type, so only grantable on ``*``.
    See: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslakeformation.html"""


class Sts:
    """AWS STS (``sts``)."""

    ASSUME_ROLE = "sts:AssumeRole"
    ASSUME_ROLE_WITH_WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"
    SET_SOURCE_IDENTITY = "sts:SetSourceIdentity"
    TAG_SESSION = "sts:TagSession"


class CloudFormation:
    """AWS CloudFormation (``cloudformation``)."""

    CREATE_STACK = "cloudformation:CreateStack"
    UPDATE_STACK = "cloudformation:UpdateStack"
    DELETE_STACK = "cloudformation:DeleteStack"
    DESCRIBE_STACK_EVENTS = "cloudformation:DescribeStackEvents"
    GET_TEMPLATE_SUMMARY = "cloudformation:GetTemplateSummary"
    VALIDATE_TEMPLATE = "cloudformation:ValidateTemplate"
    SET_STACK_POLICY = "cloudformation:SetStackPolicy"

    DESCRIBE_STACKS = "cloudformation:DescribeStacks"


class Ec2:
    """Amazon EC2 (``ec2``)."""

    DELETE_SECURITY_GROUP = "ec2:DeleteSecurityGroup"
    DELETE_TAGS = "ec2:DeleteTags"

    AUTHORIZE_SECURITY_GROUP_EGRESS = "ec2:AuthorizeSecurityGroupEgress"
    AUTHORIZE_SECURITY_GROUP_INGRESS = "ec2:AuthorizeSecurityGroupIngress"
    CREATE_FLEET = "ec2:CreateFleet"
    CREATE_LAUNCH_TEMPLATE = "ec2:CreateLaunchTemplate"
    CREATE_NETWORK_INTERFACE = "ec2:CreateNetworkInterface"
    CREATE_NETWORK_INTERFACE_PERMISSION = "ec2:CreateNetworkInterfacePermission"
    CREATE_SECURITY_GROUP = "ec2:CreateSecurityGroup"
    CREATE_TAGS = "ec2:CreateTags"
    DELETE_LAUNCH_TEMPLATE = "ec2:DeleteLaunchTemplate"
    DELETE_NETWORK_INTERFACE = "ec2:DeleteNetworkInterface"
    DELETE_NETWORK_INTERFACE_PERMISSION = "ec2:DeleteNetworkInterfacePermission"
    DESCRIBE_NETWORK_INTERFACES = "ec2:DescribeNetworkInterfaces"
    DESCRIBE_TAGS = "ec2:DescribeTags"
    DESCRIBE_VPCS = "ec2:DescribeVpcs"
    MODIFY_NETWORK_INTERFACE_ATTRIBUTE = "ec2:ModifyNetworkInterfaceAttribute"
    REVOKE_SECURITY_GROUP_EGRESS = "ec2:RevokeSecurityGroupEgress"
    REVOKE_SECURITY_GROUP_INGRESS = "ec2:RevokeSecurityGroupIngress"
    DESCRIBE_CAPACITY_RESERVATIONS = "ec2:DescribeCapacityReservations"
    DESCRIBE_IMAGES = "ec2:DescribeImages"
    DESCRIBE_INSTANCE_TYPE_OFFERINGS = "ec2:DescribeInstanceTypeOfferings"
    DESCRIBE_INSTANCE_TYPES = "ec2:DescribeInstanceTypes"
    DESCRIBE_INSTANCES = "ec2:DescribeInstances"
    DESCRIBE_LAUNCH_TEMPLATES = "ec2:DescribeLaunchTemplates"
    DESCRIBE_SECURITY_GROUPS = "ec2:DescribeSecurityGroups"
    DESCRIBE_SPOT_PRICE_HISTORY = "ec2:DescribeSpotPriceHistory"
    DESCRIBE_SUBNETS = "ec2:DescribeSubnets"
    RUN_INSTANCES = "ec2:RunInstances"
    TERMINATE_INSTANCES = "ec2:TerminateInstances"
    CREATE_ACTION = "ec2:CreateAction"
    """Condition key: the API action that creates the resource being tagged."""


class Eks:
    """Amazon EKS (``eks``)."""

    DESCRIBE_CLUSTER = "eks:DescribeCluster"


class Sqs:
    """Amazon SQS (``sqs``)."""

    DELETE_MESSAGE = "sqs:DeleteMessage"
    GET_QUEUE_URL = "sqs:GetQueueUrl"
    RECEIVE_MESSAGE = "sqs:ReceiveMessage"
    SEND_MESSAGE = "sqs:SendMessage"


class Kinesis:
    """Amazon Kinesis Data Streams (``kinesis``): the stream-level actions of a polling (GetRecords) consumer.
    See: https://docs.aws.amazon.com/streams/latest/dev/tutorial-stock-data-kplkcl2-iam.html"""

    DESCRIBE_STREAM = "kinesis:DescribeStream"
    DESCRIBE_STREAM_SUMMARY = "kinesis:DescribeStreamSummary"
    GET_RECORDS = "kinesis:GetRecords"
    GET_SHARD_ITERATOR = "kinesis:GetShardIterator"
    LIST_SHARDS = "kinesis:ListShards"


class KafkaCluster:
    """Apache Kafka APIs of Amazon MSK clusters with IAM access control (``kafka-cluster``).
    See: https://docs.aws.amazon.com/msk/latest/developerguide/kafka-actions.html"""

    CONNECT = "kafka-cluster:Connect"
    DESCRIBE_TOPIC = "kafka-cluster:DescribeTopic"
    READ_DATA = "kafka-cluster:ReadData"
    DESCRIBE_GROUP = "kafka-cluster:DescribeGroup"
    ALTER_GROUP = "kafka-cluster:AlterGroup"


class SecretsManager:
    """AWS Secrets Manager (``secretsmanager``)."""

    GET_SECRET_VALUE = "secretsmanager:GetSecretValue"


class Ssm:
    """AWS Systems Manager (``ssm``)."""

    GET_PARAMETER = "ssm:GetParameter"


class Pricing:
    """AWS Price List (``pricing``)."""

    GET_PRODUCTS = "pricing:GetProducts"


class Sns:
    """Amazon SNS (``sns``)."""

    PUBLISH = "sns:Publish"


class States:
    """AWS Step Functions (``states``)."""

    START_EXECUTION = "states:StartExecution"


class Events:
    """Amazon EventBridge (``events``)."""

    DESCRIBE_RULE = "events:DescribeRule"
    PUT_RULE = "events:PutRule"
    PUT_TARGETS = "events:PutTargets"


class Lambda:
    """AWS Lambda (``lambda``)."""

    CREATE_FUNCTION = "lambda:CreateFunction"
    DELETE_FUNCTION = "lambda:DeleteFunction"
    GET_FUNCTION = "lambda:GetFunction"
    UPDATE_FUNCTION_CODE = "lambda:UpdateFunctionCode"
    UPDATE_FUNCTION_CONFIGURATION = "lambda:UpdateFunctionConfiguration"
    INVOKE_FUNCTION = "lambda:InvokeFunction"
    TAG_RESOURCE = "lambda:TagResource"
    UNTAG_RESOURCE = "lambda:UntagResource"


class XRay:
    """AWS X-Ray (``xray``)."""

    GET_SAMPLING_RULES = "xray:GetSamplingRules"
    GET_SAMPLING_TARGETS = "xray:GetSamplingTargets"
    PUT_TELEMETRY_RECORDS = "xray:PutTelemetryRecords"
    PUT_TRACE_SEGMENTS = "xray:PutTraceSegments"


# ---- shared sets ---------------------------------------------------------------------------------------------------

S3_READ_ACTIONS = [S3.GET_OBJECT, S3.GET_OBJECT_VERSION]
S3_WRITE_ACTIONS = [S3.PUT_OBJECT, S3.DELETE_OBJECT, S3.ABORT_MULTIPART_UPLOAD]
KMS_DECRYPT_ACTIONS = [Kms.DECRYPT, Kms.DESCRIBE_KEY]
KMS_ENCRYPT_ACTIONS = [Kms.ENCRYPT, Kms.GENERATE_DATA_KEY, *KMS_DECRYPT_ACTIONS]
KMS_KEY_POLICY_SERVICE_ACTIONS = [
    Kms.ENCRYPT_ANY,
    Kms.DECRYPT_ANY,
    Kms.RE_ENCRYPT_ANY,
    Kms.GENERATE_DATA_KEY_ANY,
    Kms.DESCRIBE_ANY,
]
"""A key policy's grant to a service that encrypts with the key (e.g. CloudWatch Logs for a log group)."""
KMS_ENCRYPTED_TOPIC_PUBLISH_ACTIONS = [Kms.DECRYPT, Kms.GENERATE_DATA_KEY_ANY]
"""What a publishing service needs on the key of an encrypted SNS topic."""
KINESIS_READ_ACTIONS = [
    Kinesis.DESCRIBE_STREAM,
    Kinesis.DESCRIBE_STREAM_SUMMARY,
    Kinesis.GET_RECORDS,
    Kinesis.GET_SHARD_ITERATOR,
    Kinesis.LIST_SHARDS,
]
"""A consumer reading a Kinesis data stream by polling its shards."""

GLUE_READ_ACTIONS = [
    Glue.GET_DATABASE,
    Glue.GET_DATABASES,
    Glue.GET_TABLE,
    Glue.GET_TABLES,
    Glue.GET_PARTITION,
    Glue.GET_PARTITIONS,
    Glue.BATCH_GET_PARTITION,
]
GLUE_WRITE_ACTIONS = [
    Glue.CREATE_TABLE,
    Glue.UPDATE_TABLE,
    Glue.DELETE_TABLE,
    Glue.CREATE_PARTITION,
    Glue.BATCH_CREATE_PARTITION,
    Glue.UPDATE_PARTITION,
    Glue.DELETE_PARTITION,
    Glue.BATCH_DELETE_PARTITION,
]
GLUE_RUNTIME_ROLE_ACTIONS = [
    Glue.GET_DATABASE,
    Glue.CREATE_DATABASE,
    Glue.GET_DATABASES,
    Glue.CREATE_TABLE,
    Glue.GET_TABLE,
    Glue.UPDATE_TABLE,
    Glue.DELETE_TABLE,
    Glue.GET_TABLES,
    Glue.GET_PARTITION,
    Glue.GET_PARTITIONS,
    Glue.BATCH_GET_PARTITION,
    Glue.CREATE_PARTITION,
    Glue.BATCH_CREATE_PARTITION,
    Glue.UPDATE_PARTITION,
    Glue.DELETE_PARTITION,
    Glue.BATCH_DELETE_PARTITION,
    Glue.GET_USER_DEFINED_FUNCTIONS,
]
"""What a job needs to create and read tables in the catalog (the runtime-role list AWS documents), in that list's
order. See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/security-iam-runtime-role.html"""

LOG_STREAM_WRITE_ACTIONS = [Logs.CREATE_LOG_STREAM, Logs.PUT_LOG_EVENTS]
"""Write events to a log group (create its streams, put events)."""
SFN_LOG_DELIVERY_ACTIONS = [
    Logs.CREATE_LOG_DELIVERY,
    Logs.GET_LOG_DELIVERY,
    Logs.UPDATE_LOG_DELIVERY,
    Logs.DELETE_LOG_DELIVERY,
    Logs.LIST_LOG_DELIVERIES,
    Logs.PUT_RESOURCE_POLICY,
    Logs.DESCRIBE_RESOURCE_POLICIES,
    Logs.DESCRIBE_LOG_GROUPS,
]
"""What a state machine's role needs to deliver its execution logs to CloudWatch Logs (no resource-level scoping).
See: https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html"""
XRAY_ACTIONS = [
    XRay.PUT_TRACE_SEGMENTS,
    XRay.PUT_TELEMETRY_RECORDS,
    XRay.GET_SAMPLING_RULES,
    XRay.GET_SAMPLING_TARGETS,
]

EMR_STEP_ACTIONS = [
    Emr.ADD_JOB_FLOW_STEPS,
    Emr.DESCRIBE_STEP,
    Emr.LIST_STEPS,
    Emr.CANCEL_STEPS,
    Emr.DESCRIBE_CLUSTER,
]
"""Submit, follow and cancel steps on a cluster."""
EMR_SERVERLESS_JOB_RUN_ACTIONS = [
    EmrServerless.START_JOB_RUN,
    EmrServerless.GET_JOB_RUN,
    EmrServerless.CANCEL_JOB_RUN,
    EmrServerless.LIST_JOB_RUNS,
    EmrServerless.GET_DASHBOARD_FOR_JOB_RUN,
]
"""Start, follow and cancel job runs of an application."""
EMR_CONTAINERS_JOB_RUN_ACTIONS = [
    EmrContainers.DESCRIBE_JOB_RUN,
    EmrContainers.LIST_JOB_RUNS,
    EmrContainers.CANCEL_JOB_RUN,
]
"""Follow and cancel job runs of a virtual cluster (StartJobRun is granted per execution role)."""
EVENTS_MANAGED_RULE_ACTIONS = [Events.PUT_TARGETS, Events.PUT_RULE, Events.DESCRIBE_RULE]
"""What Step Functions needs on the EventBridge rules it manages for a ``.sync`` integration."""

# The published policies of the Step Functions ``.sync`` integrations a SparkPipeline uses (the actions; the last one
# of each job list is what Step Functions calls to cancel the job when the execution stops).
SFN_EMR_SERVERLESS_START_JOB_RUN_SYNC_ACTIONS = [
    EmrServerless.START_JOB_RUN,
    EmrServerless.GET_JOB_RUN,
    EmrServerless.CANCEL_JOB_RUN,
]
"""``emr-serverless:startJobRun.sync`` (plus ``iam:PassRole`` of the job role to EMR Serverless).
See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-serverless-iam.html"""
SFN_EMR_CONTAINERS_START_JOB_RUN_SYNC_ACTIONS = [
    EmrContainers.START_JOB_RUN,
    EmrContainers.DESCRIBE_JOB_RUN,
    EmrContainers.CANCEL_JOB_RUN,
]
"""``emr-containers:startJobRun.sync``. See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-eks-iam.html"""
SFN_EMR_ADD_STEP_SYNC_ACTIONS = [Emr.ADD_JOB_FLOW_STEPS, Emr.DESCRIBE_STEP, Emr.CANCEL_STEPS]
"""``elasticmapreduce:addStep.sync``. See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html"""
SFN_EMR_CREATE_CLUSTER_SYNC_ACTIONS = [Emr.RUN_JOB_FLOW, Emr.DESCRIBE_CLUSTER, Emr.TERMINATE_JOB_FLOWS]
"""``elasticmapreduce:createCluster.sync`` (plus ``iam:PassRole`` of the cluster's roles).
See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html"""
SFN_EMR_TERMINATE_CLUSTER_SYNC_ACTIONS = [Emr.TERMINATE_JOB_FLOWS, Emr.DESCRIBE_CLUSTER]
"""``elasticmapreduce:terminateCluster.sync``. See: https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html"""

EMR_STUDIO_WORKSPACE_USER_ACTIONS = [
    Emr.CREATE_EDITOR,
    Emr.DESCRIBE_EDITOR,
    Emr.LIST_EDITORS,
    Emr.START_EDITOR,
    Emr.STOP_EDITOR,
    Emr.DELETE_EDITOR,
    Emr.OPEN_EDITOR_IN_CONSOLE,
    Emr.ATTACH_EDITOR,
    Emr.DETACH_EDITOR,
    Emr.DESCRIBE_CLUSTER,
    Emr.LIST_INSTANCE_GROUPS,
    Emr.LIST_BOOTSTRAP_ACTIONS,
    Emr.LIST_CLUSTERS,
    Emr.LIST_STEPS,
]
"""What an EMR Studio user needs to create, open and attach Workspaces to existing clusters (the Workspace part of
the "AllowEMRBasicActions" statement of AWS's basic user policy).
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-studio-user-permissions.html"""
