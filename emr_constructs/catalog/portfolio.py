"""``EmrServiceCatalog``: approved EMR platforms as AWS Service Catalog products, so teams self-serve within guardrails.

A portfolio with two products, each a ``ProductStack`` built from this library's constructs with their secure
defaults: an EMR on EC2 cluster (in the platform team's VPC) and an EMR Serverless application. End users choose only
CloudFormation parameters: a release label from an allowed list and a size preset. Both products launch with a
launch role (``LaunchRole``), so end users need no permissions on EMR, IAM or S3.

Product stacks hold their Lambda code (the Serverless lifecycle guards) as assets; Service Catalog launches products
from their templates only, so aws-cdk-lib copies the assets into an asset bucket the portfolio owns: here a
``SecureBucket`` (KMS, versioned, access-logged, RETAIN) with the fixed name ``ProductStack`` requires.
See: https://docs.aws.amazon.com/servicecatalog/latest/adminguide/introduction.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from aws_cdk import CfnMapping, CfnParameter, RemovalPolicy, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_emr as emr
from aws_cdk import aws_emrserverless as emrs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_servicecatalog as servicecatalog
from constructs import Construct

from emr_constructs._internal.validation import fail
from emr_constructs.catalog.launch_role import LaunchRole
from emr_constructs.cluster.capacity import ClusterCapacity
from emr_constructs.cluster.cluster import DEFAULT_APPLICATIONS, EmrCluster
from emr_constructs.cluster.rules import validate_applications
from emr_constructs.cluster.scaling import ManagedScaling
from emr_constructs.cluster.security_configuration import (
    AtRestEncryption,
    EmrSecurityConfiguration,
    RuntimeRoleAuthorization,
)
from emr_constructs.cluster.tls import EmrTlsCertificate
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.releases import (
    DEFAULT_EC2_RELEASE_LABEL,
    DEFAULT_SERVERLESS_RELEASE_LABEL,
    MANAGED_SCALING,
    SERVERLESS,
    SERVERLESS_ARM64,
    ReleaseLabel,
)
from emr_constructs.serverless.application import EmrServerlessApplication
from emr_constructs.serverless.workers import MaximumCapacity
from emr_constructs.storage.secure import SecureBucket

DEFAULT_CLUSTER_SIZES: Mapping[str, ManagedScaling] = {
    "small": ManagedScaling(minimum_units=2, maximum_units=10, maximum_on_demand_units=2, maximum_core_units=2),
    "medium": ManagedScaling(minimum_units=2, maximum_units=40, maximum_on_demand_units=2, maximum_core_units=2),
    "large": ManagedScaling(minimum_units=2, maximum_units=100, maximum_on_demand_units=4, maximum_core_units=2),
}
"""Managed-scaling ceilings over the cluster's default capacity (two On-Demand core units stay fixed; growth is
Spot task capacity)."""
DEFAULT_SERVERLESS_SIZES: Mapping[str, MaximumCapacity] = {
    "small": MaximumCapacity(cpu_vcpu=32, memory_gb=128, disk_gb=1000),
    "medium": MaximumCapacity(cpu_vcpu=128, memory_gb=512, disk_gb=4000),
    "large": MaximumCapacity(cpu_vcpu=400, memory_gb=1600, disk_gb=10000),
}
"""The application's maximum capacity: the most all its jobs together may use."""
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
"""See: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html"""
SIZE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
RELEASE_PARAMETER = "ReleaseLabel"
SIZE_PARAMETER = "Size"


class EmrServiceCatalog(Construct):
    """A Service Catalog portfolio with an approved EMR on EC2 cluster and an EMR Serverless application.

    :param vpc: the network of the cluster product (its private subnets). Its ids must be known at synthesis
        (``ec2.Vpc.from_vpc_attributes`` or ``from_lookup``), since the product template is deployed on its own.
    :param display_name: the portfolio's name. Default: ``EMR``.
    :param provider_name: the portfolio's and the products' owner. Default: ``Data platform``.
    :param release_labels: the EMR on EC2 releases teams may choose (the first is the default). Default: the
        library's default release.
    :param serverless_release_labels: the same for EMR Serverless. Default: the library's default release.
    :param cluster_sizes: size name -> managed scaling of the cluster. Default: ``DEFAULT_CLUSTER_SIZES``
        (small, medium, large; the first is the default).
    :param serverless_sizes: size name -> maximum capacity of the application. Default: ``DEFAULT_SERVERLESS_SIZES``.
    :param principals: IAM roles allowed to launch the products (principal associations). Default: none.
    :param groups: IAM groups allowed to launch the products. Default: none.
    :param asset_bucket_name: the physical name of the asset bucket (``ProductStack`` needs one to publish assets).
        Default: ``emr-catalog-assets-<account>-<region>``, which needs a stack with an explicit account and region.
    :param removal_policy: of the asset bucket and its key. Default: RETAIN.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        display_name: str = "EMR",
        provider_name: str = "Data platform",
        release_labels: Sequence[ReleaseLabel] = (DEFAULT_EC2_RELEASE_LABEL,),
        serverless_release_labels: Sequence[ReleaseLabel] = (DEFAULT_SERVERLESS_RELEASE_LABEL,),
        cluster_sizes: Mapping[str, ManagedScaling] = DEFAULT_CLUSTER_SIZES,
        serverless_sizes: Mapping[str, MaximumCapacity] = DEFAULT_SERVERLESS_SIZES,
        principals: Sequence[iam.IRole] = (),
        groups: Sequence[iam.IGroup] = (),
        asset_bucket_name: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        subnets = _check_vpc(vpc)
        _check_cluster_choices(release_labels, cluster_sizes)
        _check_serverless_choices(serverless_release_labels, serverless_sizes)
        bucket_name = asset_bucket_name or _default_bucket_name(stack)
        if not BUCKET_NAME.match(bucket_name) or ".." in bucket_name:
            raise fail("asset_bucket_name", bucket_name, "must be a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')")

        # Assets of the product stacks (Lambda code), copied here by aws-cdk-lib; ProductStack needs a literal name.
        self.asset_bucket = SecureBucket(self, "AssetBucket", removal_policy=removal_policy)
        cfn_bucket = self.asset_bucket.bucket.node.default_child
        assert isinstance(cfn_bucket, s3.CfnBucket)
        cfn_bucket.bucket_name = bucket_name

        self.cluster_product_stack = self._product_stack("ClusterProduct", "Approved EMR on EC2 cluster")
        self.cluster = _cluster_product(
            self.cluster_product_stack, vpc, subnets, release_labels, cluster_sizes, removal_policy
        )
        self.serverless_product_stack = self._product_stack("ServerlessProduct", "Approved EMR Serverless application")
        self.serverless_application = _serverless_product(
            self.serverless_product_stack, serverless_release_labels, serverless_sizes
        )

        self.portfolio = servicecatalog.Portfolio(
            self,
            "Portfolio",
            display_name=display_name,
            provider_name=provider_name,
            description="Approved EMR platforms with the data platform's guardrails",
        )
        self.launch_role = LaunchRole(
            self, "LaunchRole", asset_bucket=self.asset_bucket.bucket, asset_key=self.asset_bucket.encryption_key
        )
        acknowledge(self.launch_role, Reason.SERVICE_CATALOG_LAUNCH_ROLE)
        self.cluster_product = self._product(
            "ClusterProductVersion", "EMR on EC2 cluster", self.cluster_product_stack, provider_name
        )
        self.serverless_product = self._product(
            "ServerlessProductVersion", "EMR Serverless application", self.serverless_product_stack, provider_name
        )
        for role in principals:
            self.portfolio.give_access_to_role(role)
        for group in groups:
            self.portfolio.give_access_to_group(group)
        for child in stack.node.children:  # the stack-wide singleton function that copies the product assets
            if child.node.id.startswith("Custom::CDKBucketDeployment"):
                acknowledge(child, Reason.SERVICE_CATALOG_PRODUCT_ASSETS)

    def _product_stack(self, construct_id: str, description: str) -> servicecatalog.ProductStack:
        """A product stack whose assets are copied into the asset bucket, encrypted under its key."""
        return servicecatalog.ProductStack(
            self,
            construct_id,
            description=description,
            asset_bucket=self.asset_bucket.bucket,
            server_side_encryption=s3deploy.ServerSideEncryption.AWS_KMS,
            server_side_encryption_aws_kms_key_id=self.asset_bucket.encryption_key.key_id,
        )

    def _product(
        self, construct_id: str, name: str, product_stack: servicecatalog.ProductStack, owner: str
    ) -> servicecatalog.CloudFormationProduct:
        product = servicecatalog.CloudFormationProduct(
            self,
            construct_id,
            product_name=name,
            owner=owner,
            product_versions=[
                servicecatalog.CloudFormationProductVersion(
                    cloud_formation_template=servicecatalog.CloudFormationTemplate.from_product_stack(product_stack),
                    product_version_name="v1",
                )
            ],
        )
        self.portfolio.add_product(product)
        self.portfolio.set_launch_role(product, self.launch_role.role)
        return product


def _check_vpc(vpc: ec2.IVpc) -> list[str]:
    if Token.is_unresolved(vpc.vpc_id):
        raise fail("vpc", vpc.vpc_id, "needs literal ids: import it with ec2.Vpc.from_vpc_attributes or from_lookup")
    subnets = [s.subnet_id for s in vpc.private_subnets]
    if not subnets or any(Token.is_unresolved(s) for s in subnets):
        raise fail("vpc", vpc.vpc_id, "needs private subnets with literal ids")
    return subnets


def _check_sizes(prop: str, sizes: Mapping[str, object]) -> None:
    if not sizes:
        raise fail(prop, dict(sizes), "must name at least one size")
    for name in sizes:
        if not SIZE_NAME.match(name):
            raise fail(f"{prop} key", name, "must be 1-32 of a-z, 0-9 and '-', starting with a letter")


def _check_labels(prop: str, labels: Sequence[ReleaseLabel]) -> None:
    if not labels:
        raise fail(prop, list(labels), "must allow at least one release label")
    if len({label.label for label in labels}) != len(labels):
        raise fail(prop, [label.label for label in labels], "must not repeat a release label")


def _check_cluster_choices(labels: Sequence[ReleaseLabel], sizes: Mapping[str, ManagedScaling]) -> None:
    """Every allowed release and size passes the cluster's own checks (the parameters replace them at launch)."""
    _check_labels("release_labels", labels)
    _check_sizes("cluster_sizes", sizes)
    capacity = ClusterCapacity.instance_fleets()
    for i, label in enumerate(labels):
        prop = f"release_labels[{i}]"
        label.require_ec2(prop)
        capacity.validate(label)
        validate_applications(label, DEFAULT_APPLICATIONS)
        label.require(MANAGED_SCALING, prop, label.label)
    for scaling in sizes.values():
        scaling.validate_against(capacity.kind, capacity.core_units)


def _check_serverless_choices(labels: Sequence[ReleaseLabel], sizes: Mapping[str, MaximumCapacity]) -> None:
    _check_labels("serverless_release_labels", labels)
    _check_sizes("serverless_sizes", sizes)
    for i, label in enumerate(labels):
        prop = f"serverless_release_labels[{i}]"
        label.require(SERVERLESS, prop, label.label)
        label.require(SERVERLESS_ARM64, prop, label.label)
        if label.suffix is not None:
            raise fail(prop, label.label, "EMR Serverless takes 'emr-X.Y.Z' or 'emr-spark-X.Y.Z'")
    for capacity in sizes.values():
        capacity.validate()


def _default_bucket_name(stack: Stack) -> str:
    if Token.is_unresolved(stack.account) or Token.is_unresolved(stack.region):
        raise fail(
            "asset_bucket_name",
            None,
            "ProductStack publishes assets to a bucket with a literal name: pass asset_bucket_name, or give the stack "
            "an explicit account and region",
        )
    return f"emr-catalog-assets-{stack.account}-{stack.region}"


def _parameters(
    scope: Construct, labels: Sequence[ReleaseLabel], sizes: Sequence[str], what: str
) -> tuple[CfnParameter, CfnParameter]:
    release = CfnParameter(
        scope,
        RELEASE_PARAMETER,
        type="String",
        allowed_values=[label.label for label in labels],
        default=labels[0].label,
        description=f"The EMR release of the {what}",
    )
    size = CfnParameter(
        scope,
        SIZE_PARAMETER,
        type="String",
        allowed_values=list(sizes),
        default=next(iter(sizes)),
        description=f"The size of the {what}",
    )
    return release, size


def _cluster_product(
    scope: servicecatalog.ProductStack,
    vpc: ec2.IVpc,
    subnets: list[str],
    labels: Sequence[ReleaseLabel],
    sizes: Mapping[str, ManagedScaling],
    removal_policy: RemovalPolicy,
) -> EmrCluster:
    release, size = _parameters(scope, labels, list(sizes), "EMR cluster")
    network = ec2.Vpc.from_vpc_attributes(
        scope,
        "Vpc",
        vpc_id=vpc.vpc_id,
        availability_zones=[s.availability_zone for s in vpc.private_subnets],
        private_subnet_ids=subnets,
    )
    # The library's secure defaults, as the reference EC2 stack builds them: at-rest encryption under the product's
    # key, TLS in transit with a generated certificate, runtime-role authorization and IMDSv2.
    data = SecureBucket(scope, "Data", removal_policy=removal_policy)
    certificate = EmrTlsCertificate(
        scope,
        "TlsCertificate",
        bucket=data.bucket,
        log_encryption_key=data.encryption_key,
        removal_policy=removal_policy,
    )
    security = EmrSecurityConfiguration(
        scope,
        "SecurityConfiguration",
        at_rest=AtRestEncryption(key=data.encryption_key),
        in_transit=certificate.in_transit_encryption(),
        runtime_roles=RuntimeRoleAuthorization(propagate_source_identity=True),
        imdsv2=True,
    )
    cluster = EmrCluster(
        scope,
        "Cluster",
        vpc=network,
        release_label=labels[0],
        security_configuration=security,
        removal_policy=removal_policy,
    )
    acknowledge(cluster.node.default_child, Reason.EMR_KERBEROS_OPTIONAL)  # type: ignore[arg-type]
    mapping = CfnMapping(
        scope,
        "Sizes",
        mapping={
            name: {
                "MinimumCapacityUnits": s.minimum_units,
                "MaximumCapacityUnits": s.maximum_units,
                "MaximumOnDemandCapacityUnits": s.maximum_on_demand_units or s.maximum_units,
                "MaximumCoreCapacityUnits": s.maximum_core_units or s.maximum_units,
            }
            for name, s in sizes.items()
        },
    )
    cfn = cluster.node.default_child
    assert isinstance(cfn, emr.CfnCluster)
    cfn.add_property_override("ReleaseLabel", release.value_as_string)
    for key in (
        "MinimumCapacityUnits",
        "MaximumCapacityUnits",
        "MaximumOnDemandCapacityUnits",
        "MaximumCoreCapacityUnits",
    ):
        cfn.add_property_override(
            f"ManagedScalingPolicy.ComputeLimits.{key}", mapping.find_in_map(size.value_as_string, key)
        )
    return cluster


def _serverless_product(
    scope: servicecatalog.ProductStack, labels: Sequence[ReleaseLabel], sizes: Mapping[str, MaximumCapacity]
) -> EmrServerlessApplication:
    release, size = _parameters(scope, labels, list(sizes), "EMR Serverless application")
    application = EmrServerlessApplication(scope, "Application", release_label=labels[0])
    mapping = CfnMapping(
        scope,
        "Sizes",
        mapping={
            name: {"Cpu": f"{c.cpu_vcpu} vCPU", "Memory": f"{c.memory_gb} GB", "Disk": f"{c.disk_gb} GB"}
            for name, c in sizes.items()
        },
    )
    cfn = application.node.default_child
    assert isinstance(cfn, emrs.CfnApplication)
    cfn.add_property_override("ReleaseLabel", release.value_as_string)
    for key in ("Cpu", "Memory", "Disk"):
        cfn.add_property_override(f"MaximumCapacity.{key}", mapping.find_in_map(size.value_as_string, key))
    return application
