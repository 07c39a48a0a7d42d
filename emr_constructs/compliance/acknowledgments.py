"""The registry of cdk-nag acknowledgments: every rule this library acknowledges, with the reason.

Acknowledge on the narrowest construct that has the finding, never on a stack or the app.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from aws_cdk import Acknowledgment, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import IConstruct


class Reason(Enum):
    """Why a finding is acknowledged, with the rules it covers."""

    ACCESS_LOG_BUCKET = (
        "This is the server access log destination: it cannot log to itself, and S3 only delivers access logs to "
        "buckets with SSE-S3, not SSE-KMS",
        (
            "AwsSolutions-S1",
            "HIPAA.Security-S3BucketLoggingEnabled",
            "NIST.800.53.R5-S3BucketLoggingEnabled",
            "PCI.DSS.321-S3BucketLoggingEnabled",
            "HIPAA.Security-S3DefaultEncryptionKMS",
            "NIST.800.53.R5-S3DefaultEncryptionKMS",
            "PCI.DSS.321-S3DefaultEncryptionKMS",
        ),
    )
    BUCKET_REPLICATION = (
        "Cross-Region replication is a disaster-recovery decision of the deploying account (destination Region and "
        "bucket); versioning is on so it can be enabled without data loss",
        (
            "HIPAA.Security-S3BucketReplicationEnabled",
            "NIST.800.53.R5-S3BucketReplicationEnabled",
            "PCI.DSS.321-S3BucketReplicationEnabled",
        ),
    )
    EMR_SERVICE_POLICY_V2 = (
        "AmazonEMRServicePolicy_v2 is the AWS-maintained EMR service policy; it scopes EC2 mutations to resources "
        "tagged for-use-with-amazon-emr-managed-policies=true, and its remaining wildcards are Describe/List calls "
        "EMR needs to provision clusters",
        ("AwsSolutions-IAM4",),
    )
    EMR_KERBEROS_OPTIONAL = (
        "Authentication to jobs is IAM-based: steps run under job-centric runtime roles "
        "(EnableApplicationScopedIAMRole) and the cluster has no SSH key or public endpoint; "
        "Kerberos is available through the KerberosConfiguration prop for workloads that need it",
        (
            "AwsSolutions-EMR5",
            "AwsSolutions-EMR6",
            "HIPAA.Security-EMRKerberosEnabled",
            "NIST.800.53.R5-EMRKerberosEnabled",
            "PCI.DSS.321-EMRKerberosEnabled",
        ),
    )
    PREFIX_SCOPED_OBJECTS = (
        "Object-level S3 permissions name one bucket and one key prefix; an ARN for the objects under a prefix must "
        "end in '*', and the actions are listed one by one",
        ("AwsSolutions-IAM5",),
    )
    CDK_CUSTOM_RESOURCE_PROVIDER = (
        "A Lambda function that aws-cdk-lib provisions for a custom resource; it runs only during deployment, its "
        "code and runtime are managed by aws-cdk-lib and it needs neither VPC access, a DLQ nor reserved concurrency",
        (
            "AwsSolutions-L1",
            "HIPAA.Security-LambdaConcurrency",
            "HIPAA.Security-LambdaDLQ",
            "HIPAA.Security-LambdaInsideVPC",
            "NIST.800.53.R5-LambdaConcurrency",
            "NIST.800.53.R5-LambdaDLQ",
            "NIST.800.53.R5-LambdaInsideVPC",
            "PCI.DSS.321-LambdaInsideVPC",
        ),
    )
    NAG_EMR4_NESTED_AT_REST = (
        "The security configuration enables local-disk encryption under EncryptionConfiguration, where EMR's schema "
        "puts it; cdk-nag 3.0.2's EMRLocalDiskEncryption reads EnableAtRestEncryption at the document root and "
        "misses it (the unit tests assert the nested settings)",
        ("AwsSolutions-EMR4",),
    )
    CDK_KUBECTL_PROVIDER = (
        "aws-cdk-lib's kubectl provider for aws_eks_v2: a Lambda function (with the kubectl layer) that applies "
        "Kubernetes manifests during deployment only; its runtime, managed policies and inline policies are set by "
        "aws-cdk-lib, it runs in the cluster's private subnets and needs no DLQ or reserved concurrency",
        (
            "AwsSolutions-IAM4",
            "AwsSolutions-IAM5",
            "AwsSolutions-L1",
            "HIPAA.Security-LambdaConcurrency",
            "HIPAA.Security-LambdaDLQ",
            "HIPAA.Security-LambdaInsideVPC",
            "HIPAA.Security-IAMNoInlinePolicy",
            "NIST.800.53.R5-LambdaConcurrency",
            "NIST.800.53.R5-LambdaDLQ",
            "NIST.800.53.R5-LambdaInsideVPC",
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "PCI.DSS.321-LambdaInsideVPC",
            "PCI.DSS.321-IAMNoInlinePolicy",
            "HIPAA.Security-CloudWatchLogGroupEncrypted",
            "NIST.800.53.R5-CloudWatchLogGroupEncrypted",
            "PCI.DSS.321-CloudWatchLogGroupEncrypted",
        ),
    )
    EKS_MANAGED_POLICIES = (
        "EKS requires these AWS-managed policies: AmazonEKSClusterPolicy on the cluster role, and "
        "AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy and AmazonEC2ContainerRegistryReadOnly on managed node "
        "group roles; EMR job permissions are on the job execution roles, not the nodes",
        ("AwsSolutions-IAM4",),
    )
    CDK_FLOW_LOG_ROLE_POLICY = (
        "aws-cdk-lib's FlowLog writes its grants (write to this one log group, pass this role) to the role's default "
        "policy; the role is only assumable by vpc-flow-logs.amazonaws.com",
        (
            "HIPAA.Security-IAMNoInlinePolicy",
            "NIST.800.53.R5-IAMNoInlinePolicy",
            "PCI.DSS.321-IAMNoInlinePolicy",
        ),
    )
    GLUE_TABLES_OF_DATABASE = (
        "Glue table ARNs are table/<database>/<table>; the metastore reads any table of the named databases, and the "
        "wildcard stays inside one database",
        ("AwsSolutions-IAM5",),
    )
    NAT_PUBLIC_SUBNET_ROUTE = (
        "The public subnet hosts only the NAT gateway; its default route to the internet gateway is what gives the "
        "private subnets egress",
        (
            "HIPAA.Security-VPCNoUnrestrictedRouteToIGW",
            "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW",
            "PCI.DSS.321-VPCNoUnrestrictedRouteToIGW",
        ),
    )

    def __init__(self, text: str, rules: tuple[str, ...]) -> None:
        self.text = text
        self.rules = rules


def acknowledge(construct: IConstruct, reason: Reason, *, only: tuple[str, ...] | None = None) -> None:
    """Acknowledge ``reason``'s rules (or the subset ``only``) on ``construct`` and its children."""
    rules = only if only is not None else reason.rules
    unknown = set(rules) - set(reason.rules)
    if unknown:
        raise ValueError(f"only: got {sorted(unknown)!r}; allowed rules for {reason.name}: {list(reason.rules)}")
    Validations.of(construct).acknowledge(*(Acknowledgment(id=rule, reason=reason.text) for rule in rules))


def nag_resource_text(scope: IConstruct, value: Any) -> str:
    """Render ``value`` (a string that may hold tokens) the way cdk-nag prints it in a finding.

    ``Ref`` becomes ``<LogicalId>``, ``Fn::GetAtt`` becomes ``<LogicalId.Attr>`` and ``Fn::Join`` is concatenated,
    so a finding such as ``AwsSolutions-IAM5[Resource::<LogsBucket1234.Arn>/emr-logs/*]`` can be acknowledged
    exactly, not by rule.
    """
    return _flatten(Stack.of(scope).resolve(value))


def _flatten(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return f"<{arg}>"
        if fn == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if fn == "Fn::Join":
            return str(arg[0]).join(_flatten(part) for part in arg[1])
    raise ValueError(f"nag_resource_text: got {value!r}; only strings, Ref, Fn::GetAtt and Fn::Join are supported")


def acknowledge_finding(construct: IConstruct, reason: Reason, rule: str, finding: str) -> None:
    """Acknowledge one granular finding (``rule[finding]``) of ``reason`` on ``construct``."""
    if rule not in reason.rules:
        raise ValueError(f"rule: got {rule!r}; allowed rules for {reason.name}: {list(reason.rules)}")
    Validations.of(construct).acknowledge(Acknowledgment(id=f"{rule}[{finding}]", reason=reason.text))


def acknowledge_iam_findings(construct: IConstruct, reason: Reason) -> None:
    """Acknowledge, finding by finding, the AwsSolutions-IAM4 (managed policy) and IAM5 (wildcard) findings of the
    roles and policies under ``construct`` as they are now. Anything added later is still reported."""
    stack = Stack.of(construct)
    for node in construct.node.find_all():
        if isinstance(node, iam.CfnRole) and "AwsSolutions-IAM4" in reason.rules:
            for arn in stack.resolve(node.managed_policy_arns) or []:
                acknowledge_finding(node, reason, "AwsSolutions-IAM4", "Policy::" + _finding_text(arn))
        documents: list[Any] = []
        if isinstance(node, (iam.CfnPolicy, iam.CfnManagedPolicy)):
            documents.append(stack.resolve(node.policy_document))
        if isinstance(node, iam.CfnRole):
            documents += [stack.resolve(p)["PolicyDocument"] for p in stack.resolve(node.policies) or []]
        if "AwsSolutions-IAM5" not in reason.rules:
            continue
        for document in documents:
            for statement in document.get("Statement", []):
                for kind in ("Action", "Resource"):
                    values = statement.get(kind, [])
                    for value in values if isinstance(values, list) else [values]:
                        text = _finding_text(value)
                        if "*" in text:
                            acknowledge_finding(node, reason, "AwsSolutions-IAM5", f"{kind}::{text}")


def _finding_text(value: Any) -> str:
    try:
        return _flatten(value)
    except ValueError:  # cdk-nag prints other intrinsics (e.g. Fn::If) as compact JSON
        return json.dumps(value, separators=(",", ":"))
