"""The one file of justified IAM audit exceptions, read by tests/compliance/test_iam_audit.py.

``FINDINGS``: parliament findings of severity MEDIUM+ accepted, each matched by issue, policy (fnmatch over
"variant/stack/policy logical id") and a substring of the finding's detail. ``RESOURCE_STAR``: the actions allowed on
``Resource: "*"``; each must be an action AWS documents without resource-level permissions (the test checks this
against parliament's copy of the Service Authorization Reference).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FindingException:
    issue: str  # parliament issue, e.g. RESOURCE_MISMATCH
    where: str  # fnmatch pattern over "variant/stack/policy logical id"
    detail: str  # substring of the finding's JSON detail
    reason: str


FINDINGS: list[FindingException] = [
    FindingException(
        issue="RESOURCE_MISMATCH",
        where="*/CustomCDKBucketDeployment*ServiceRoleDefaultPolicy*",
        detail='"action": "s3:ListAllMyBuckets"',
        reason=(
            "aws-cdk-lib's BucketDeployment handler role (pod template upload) is granted s3:GetObject*/s3:List* on "
            "the asset and data bucket ARNs by Bucket.grantRead/grantReadWrite; parliament expands the wildcards and "
            "reports the expanded actions whose resource type is not a bucket or object (access grants, access points, "
            "ListAllMyBuckets...). Those match no ARN in the statement, so they grant nothing: not an over-grant."
        ),
    ),
    FindingException(
        issue="RESOURCE_MISMATCH",
        where="eks-karpenter/*/EksKarpenterControllerPolicy*",
        detail='"action": "ec2:RunInstances"',
        reason=(
            "Karpenter's reference controller policy (chart 1.6.3) splits ec2:RunInstances/ec2:CreateFleet into one "
            "statement per group of resource types (subnets/security groups/images; launch templates tagged for this "
            "cluster; instances/volumes/interfaces created with this cluster's tags). parliament judges each statement "
            "alone and wants every resource type in it; the union of the statements covers them, each narrower."
        ),
    ),
    FindingException(
        issue="RESOURCE_MISMATCH",
        where="eks-karpenter/*/EksKarpenterControllerPolicy*",
        detail='"action": "ssm:GetParameter"',
        reason=(
            "Karpenter reads the EKS-optimized AMI ids from AWS public parameters, whose ARN has no account "
            "(arn:aws:ssm:<region>::parameter/aws/service/*); parliament's ARN pattern wants a non-empty account."
        ),
    ),
]

RESOURCE_STAR: dict[str, str] = {
    "logs:DescribeLogGroups": (
        "Spark drivers (EMR on EKS, EMR Serverless) and the Step Functions log delivery list log groups; no "
        "resource-level permissions."
    ),
    "logs:CreateLogDelivery": "Step Functions logging to CloudWatch Logs (vended logs): no resource-level permissions.",
    "logs:DeleteLogDelivery": "Step Functions logging to CloudWatch Logs (vended logs): no resource-level permissions.",
    "logs:GetLogDelivery": "Step Functions logging to CloudWatch Logs (vended logs): no resource-level permissions.",
    "logs:ListLogDeliveries": "Step Functions logging to CloudWatch Logs (vended logs): no resource-level permissions.",
    "logs:UpdateLogDelivery": "Step Functions logging to CloudWatch Logs (vended logs): no resource-level permissions.",
    "logs:PutResourcePolicy": (
        "Step Functions vended log delivery writes the log group resource policy: no resource-level permissions."
    ),
    "logs:DescribeResourcePolicies": (
        "Step Functions vended log delivery reads the log group resource policies: no resource-level permissions."
    ),
    "xray:PutTraceSegments": "Step Functions X-Ray tracing of the pipeline: X-Ray has no resource-level ARNs.",
    "xray:PutTelemetryRecords": "Step Functions X-Ray tracing of the pipeline: X-Ray has no resource-level ARNs.",
    "xray:GetSamplingRules": "Step Functions X-Ray tracing of the pipeline: X-Ray has no resource-level ARNs.",
    "xray:GetSamplingTargets": "Step Functions X-Ray tracing of the pipeline: X-Ray has no resource-level ARNs.",
    **{
        f"ec2:{action}": "Karpenter discovers instance types, offerings, prices, images, subnets, security groups, "
        "launch templates, capacity reservations and its instances: EC2 Describe* APIs have no resource-level "
        "permissions."
        for action in (
            "DescribeCapacityReservations",
            "DescribeImages",
            "DescribeInstanceTypeOfferings",
            "DescribeInstanceTypes",
            "DescribeInstances",
            "DescribeLaunchTemplates",
            "DescribeSecurityGroups",
            "DescribeSpotPriceHistory",
            "DescribeSubnets",
        )
    },
    "pricing:GetProducts": "Karpenter reads On-Demand prices; the Price List API has no resource-level permissions.",
    "emr-serverless:ListApplications": (
        "The Serverless lifecycle guards find the application by name before CloudFormation updates it (its id is "
        "unknown to them); ListApplications has no resource-level permissions."
    ),
}
