"""Where a ``SparkPipeline`` runs its jobs, and local job files packaged as CDK assets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from emr_constructs.cluster.base import ClusterBase
from emr_constructs.core.releases import DEFAULT_EC2_RELEASE_LABEL
from emr_constructs.eks.virtual_cluster import VirtualClusterBase
from emr_constructs.iam.runtime_role import JobRuntimeRole
from emr_constructs.serverless.application import ApplicationBase


@dataclass(frozen=True, kw_only=True)
class TransientCluster:
    """A cluster the pipeline creates before its steps and terminates after them (also when a step fails).

    :param subnet_id: a private subnet. :param release_label: Default: emr-7.10.0.
    :param instance_type: Default: Graviton m7g.xlarge. :param core_count: Default: 2.
    :param log_uri: Default: no log upload.
    """

    subnet_id: str
    release_label: str = DEFAULT_EC2_RELEASE_LABEL.label
    instance_type: str = "m7g.xlarge"
    core_count: int = 2
    log_uri: str | None = None
    security_configuration: str | None = None


@dataclass(frozen=True)
class PipelineTarget:
    """Where the pipeline's jobs run. Build it with ``serverless``, ``ec2_cluster``, ``transient_ec2`` or ``eks``."""

    kind: str
    target: Any
    role: iam.IRole | None
    release_label: str | None = None

    @classmethod
    def serverless(cls, application: ApplicationBase, runtime_role: iam.IRole) -> PipelineTarget:
        return cls("serverless", application, runtime_role)

    @classmethod
    def ec2_cluster(cls, cluster: ClusterBase, runtime_role: iam.IRole | None = None) -> PipelineTarget:
        return cls("ec2", cluster, runtime_role)

    @classmethod
    def transient_ec2(cls, cluster: TransientCluster, runtime_role: iam.IRole | None = None) -> PipelineTarget:
        """Create a cluster, run the steps on it, terminate it."""
        return cls("transient", cluster, runtime_role)

    @classmethod
    def eks(cls, virtual_cluster: VirtualClusterBase, execution_role: iam.IRole, release_label: str) -> PipelineTarget:
        return cls("eks", virtual_cluster, execution_role, release_label)


def local_entry_point(scope: Construct, construct_id: str, path: str, *, readers: Sequence[JobRuntimeRole] = ()) -> str:
    """Package a local script or JAR as a CDK asset and return its ``s3://`` URI for ``SparkJob.entry_point``;
    ``readers`` (the job's runtime roles) may read exactly that object."""
    asset = s3_assets.Asset(scope, construct_id, path=path)
    for reader in readers:
        reader.policy.allow_s3(asset.bucket, asset.s3_object_key, read=True)
    return asset.s3_object_url
