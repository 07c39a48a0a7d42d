"""Driver and executor pod templates, uploaded to an artifacts bucket and referenced by job submission.

Drivers stay On-Demand and executors go to Spot nodes, tolerating the taint ``EmrEksCluster`` puts on them. The
On-Demand/Spot label depends on the capacity provider: ``eks.amazonaws.com/capacityType`` on managed node group nodes,
``karpenter.sh/capacity-type`` on Karpenter nodes (see ``scheduling.CapacityProvider``).
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from emr_constructs._internal.types import check_s3_prefix, check_type
from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.eks.scheduling import CapacityProvider, spot_toleration
from emr_constructs.storage.secure import SecureLogGroup

DEFAULT_CAPACITY_PROVIDER = CapacityProvider.MANAGED_NODE_GROUPS


def driver_template(
    architecture: str = "arm64", capacity_provider: CapacityProvider = DEFAULT_CAPACITY_PROVIDER
) -> dict[str, Any]:
    """A driver pod on an On-Demand node of ``architecture``."""
    selector = capacity_provider.node_selector(spot=False, architecture=architecture)
    return {"apiVersion": "v1", "kind": "Pod", "spec": {"nodeSelector": selector}}


def executor_template(
    architecture: str = "arm64", capacity_provider: CapacityProvider = DEFAULT_CAPACITY_PROVIDER
) -> dict[str, Any]:
    """An executor pod on a Spot node of ``architecture``, tolerating the Spot taint."""
    selector = capacity_provider.node_selector(spot=True, architecture=architecture)
    return {"apiVersion": "v1", "kind": "Pod", "spec": {"nodeSelector": selector, "tolerations": [spot_toleration()]}}


class PodTemplates(Construct):
    """Uploads ``driver.yaml`` and ``executor.yaml`` under ``prefix`` of ``bucket``.

    ``driver_template_uri`` / ``executor_template_uri`` go to ``spark.kubernetes.driver.podTemplateFile`` /
    ``spark.kubernetes.executor.podTemplateFile``; grant the execution role read access to ``prefix``.
    :param architecture: node architecture the pods select. Default: arm64 (Graviton).
    :param capacity_provider: what starts the cluster's nodes, which decides the On-Demand/Spot label the pods select.
        Default: ``CapacityProvider.MANAGED_NODE_GROUPS``; pass ``EmrEksCluster.capacity_provider`` for a created
        cluster (``CapacityProvider.KARPENTER`` when it runs Karpenter).
    :param log_encryption_key: the KMS key of the upload function's log group. Default: a new key for it. Pass the
        stack's key to share one (it gets the CloudWatch Logs statement once, see ``allow_cloudwatch_logs``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        prefix: str = "pod-templates/",
        architecture: str = "arm64",
        capacity_provider: CapacityProvider = DEFAULT_CAPACITY_PROVIDER,
        log_encryption_key: kms.IKey | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        check_s3_prefix("prefix", prefix)
        check_type("architecture", architecture, str)
        check_type("capacity_provider", capacity_provider, CapacityProvider)
        check_type("log_encryption_key", log_encryption_key, kms.IKey, optional=True)
        check_type("removal_policy", removal_policy, RemovalPolicy)
        if architecture not in ("arm64", "amd64"):
            raise fail("architecture", architecture, "allowed values: arm64, amd64")
        if not prefix.endswith("/"):
            raise fail("prefix", prefix, "must end with '/'")
        self.bucket = bucket
        self.prefix = prefix
        self.driver_template = driver_template(architecture, capacity_provider)
        self.executor_template = executor_template(architecture, capacity_provider)
        # JSON is valid YAML; no YAML library needed.
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Upload",
            destination_bucket=bucket,
            destination_key_prefix=prefix,
            sources=[
                s3deploy.Source.data("driver.yaml", json.dumps(self.driver_template, indent=2)),
                s3deploy.Source.data("executor.yaml", json.dumps(self.executor_template, indent=2)),
            ],
            prune=False,
            retain_on_delete=removal_policy is RemovalPolicy.RETAIN,
            log_group=SecureLogGroup(
                self, "UploadLogs", encryption_key=log_encryption_key, removal_policy=removal_policy
            ).log_group,
        )
        stack = Stack.of(self)
        for child in stack.node.children:  # the stack-wide singleton function of BucketDeployment
            if child.node.id.startswith("Custom::CDKBucketDeployment"):
                acknowledge(child, Reason.CDK_CUSTOM_RESOURCE_PROVIDER)

    @property
    def driver_template_uri(self) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.prefix}driver.yaml"

    @property
    def executor_template_uri(self) -> str:
        return f"s3://{self.bucket.bucket_name}/{self.prefix}executor.yaml"
