"""Driver and executor pod templates, uploaded to an artifacts bucket and referenced by job submission.

Drivers stay On-Demand (``eks.amazonaws.com/capacityType: ON_DEMAND``, the label EKS puts on managed nodes) and
executors go to Spot nodes, tolerating the taint ``EmrEksCluster`` puts on them.
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from emr_constructs._internal.validation import fail
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.eks.cluster import SPOT_TAINT
from emr_constructs.storage.secure import SecureLogGroup

ARCH_LABEL = "kubernetes.io/arch"
CAPACITY_LABEL = "eks.amazonaws.com/capacityType"


def driver_template(architecture: str = "arm64") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "spec": {"nodeSelector": {CAPACITY_LABEL: "ON_DEMAND", ARCH_LABEL: architecture}}}  # fmt: skip


def executor_template(architecture: str = "arm64") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "spec": {
            "nodeSelector": {CAPACITY_LABEL: "SPOT", ARCH_LABEL: architecture},
            "tolerations": [
                {"key": SPOT_TAINT.key, "operator": "Equal", "value": SPOT_TAINT.value, "effect": "NoSchedule"}
            ],
        },
    }


class PodTemplates(Construct):
    """Uploads ``driver.yaml`` and ``executor.yaml`` under ``prefix`` of ``bucket``.

    ``driver_template_uri`` / ``executor_template_uri`` go to ``spark.kubernetes.driver.podTemplateFile`` /
    ``spark.kubernetes.executor.podTemplateFile``; grant the execution role read access to ``prefix``.
    :param architecture: node architecture the pods select. Default: arm64 (Graviton).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        bucket: s3.IBucket,
        prefix: str = "pod-templates/",
        architecture: str = "arm64",
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        if architecture not in ("arm64", "amd64"):
            raise fail("architecture", architecture, "allowed values: arm64, amd64")
        if not prefix.endswith("/"):
            raise fail("prefix", prefix, "must end with '/'")
        self.bucket = bucket
        self.prefix = prefix
        # JSON is valid YAML; no YAML library needed.
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Upload",
            destination_bucket=bucket,
            destination_key_prefix=prefix,
            sources=[
                s3deploy.Source.data("driver.yaml", json.dumps(driver_template(architecture), indent=2)),
                s3deploy.Source.data("executor.yaml", json.dumps(executor_template(architecture), indent=2)),
            ],
            prune=False,
            retain_on_delete=removal_policy is RemovalPolicy.RETAIN,
            log_group=SecureLogGroup(self, "UploadLogs", removal_policy=removal_policy).log_group,
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
