"""The typed, validated configuration of the reference app, loaded from ``cdk.json`` context.

``cdk.json`` holds ``context.environments.<name>``; ``cdk synth -c env=<name>`` picks one (default ``default``).
Unknown keys and bad values fail with one error per problem, each naming its key path, e.g.
``environments.prod.ec2.idle_timeout_minutes: Input should be greater than or equal to 1``.

Values are parsed once into the library's types (``ReleaseLabel``, ``ClusterCapacity``, ``Architecture``,
``CapacityProvider``, ``RetentionDays``), so the stacks pass them on without converting or checking them again; the
keys and values written in ``cdk.json`` stay plain JSON (``"release_label": "emr-7.10.0"``, ``"capacity": "fleets"``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Generic, Literal, TypeVar

from aws_cdk import aws_logs as logs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from emr_constructs._internal.validation import check_s3_uri, fail
from emr_constructs.cluster.applications import KNOWN_APPLICATIONS
from emr_constructs.cluster.capacity import ClusterCapacity
from emr_constructs.cluster.scaling import MAX_CAPACITY_UNITS
from emr_constructs.eks.namespace import check_quantity
from emr_constructs.eks.scheduling import CapacityProvider
from emr_constructs.iam.runtime_role import validate_namespace
from emr_constructs.releases import (
    DEFAULT_EC2_RELEASE_LABEL,
    DEFAULT_EKS_RELEASE_LABEL,
    DEFAULT_SERVERLESS_RELEASE_LABEL,
    EKS,
    ReleaseLabel,
)
from emr_constructs.serverless import Architecture, RunningJobsOnChange
from emr_constructs.storage.secure import RETENTION_BY_DAYS

DEFAULT_ENVIRONMENT = "default"
DEFAULT_INTERFACE_ENDPOINTS = ("elasticmapreduce", "sts", "kms", "logs", "monitoring", "glue")
EC2_JOB_DATA_PREFIXES = ("raw/", "curated/", "artifacts/")
"""The data bucket prefixes that the EMR on EC2 stack's job runtime role reads."""
PRIVATE_EKS_CLUSTER_ENDPOINTS = ("ec2", "ecr.api", "ecr.dkr", "logs", "sts", "eks", "lambda")
"""Interface endpoints a created EKS cluster needs in isolated subnets (``nat_gateways: 0``): EC2 (node names, VPC
CNI), ECR api + dkr (images; layers come through the S3 gateway endpoint), CloudWatch Logs, STS (IRSA), EKS (the
kubectl provider's DescribeCluster), and Lambda (CDK's custom-resource framework in the VPC invokes the kubectl
handler). See: https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html"""
POD_IDENTITY_ENDPOINTS = ("eks-auth",)
"""EKS Pod Identity gets credentials from the EKS Auth API."""


T = TypeVar("T")


def _prop(info: ValidationInfo) -> str:
    return info.field_name or "value"


class _Choice(Generic[T]):
    """A value written in ``cdk.json`` as one of a few names and parsed into the library object that it names; an
    instance of the library type passes as it is (a config built in code)."""

    def __init__(
        self, kind: type[T], choices: Mapping[str, Callable[[], T]], name_of: Callable[[T], str] | None = None
    ) -> None:
        self.kind = kind
        self.choices = choices
        self.name_of = name_of

    def parse(self, value: object, info: ValidationInfo) -> T:
        if isinstance(value, self.kind):
            return value
        if isinstance(value, str) and value in self.choices:
            return self.choices[value]()
        raise fail(_prop(info), value, "must be " + " or ".join(repr(name) for name in self.choices))

    def name(self, value: T) -> str:
        """The ``cdk.json`` name of ``value`` (for ``model_dump``)."""
        if self.name_of is not None:
            return self.name_of(value)
        return next(name for name, make in self.choices.items() if make() == value)

    @property
    def validator(self) -> PlainValidator:
        return PlainValidator(self.parse, json_schema_input_type=str)

    @property
    def serializer(self) -> PlainSerializer:
        return PlainSerializer(self.name, return_type=str)


def _release_label(value: object, info: ValidationInfo) -> ReleaseLabel:
    if isinstance(value, ReleaseLabel):
        return value
    return ReleaseLabel.of(value, _prop(info))  # type: ignore[arg-type]  # of() names a non-string value in its error


def _ec2_release_label(release: ReleaseLabel, info: ValidationInfo) -> ReleaseLabel:
    release.require_ec2(_prop(info))
    return release


def _eks_release_label(release: ReleaseLabel, info: ValidationInfo) -> ReleaseLabel:
    release.require(EKS, _prop(info), release.label)
    return release


ReleaseLabelField = Annotated[
    ReleaseLabel,
    PlainValidator(_release_label, json_schema_input_type=str),
    PlainSerializer(str, return_type=str),
]
"""A release label, written as text (``"emr-7.10.0"``) and parsed with ``ReleaseLabel.of``; an error names the key."""
Ec2ReleaseLabelField = Annotated[ReleaseLabelField, AfterValidator(_ec2_release_label)]
"""A release label that EMR on EC2 takes (no ``-latest`` / ``-YYYYMMDD`` suffix)."""
EksReleaseLabelField = Annotated[ReleaseLabelField, AfterValidator(_eks_release_label)]
"""A release label that EMR on EKS supports."""

_CAPACITY = _Choice(
    ClusterCapacity,
    {"fleets": ClusterCapacity.instance_fleets, "groups": ClusterCapacity.instance_groups},
    name_of=lambda capacity: capacity.kind,
)
ClusterCapacityField = Annotated[ClusterCapacity, _CAPACITY.validator, _CAPACITY.serializer]
"""``"fleets"`` or ``"groups"``: the library's default instance fleets or instance groups."""
_CAPACITY_PROVIDER = _Choice(
    CapacityProvider,
    {"node_groups": lambda: CapacityProvider.MANAGED_NODE_GROUPS, "karpenter": lambda: CapacityProvider.KARPENTER},
)
CapacityProviderField = Annotated[CapacityProvider, _CAPACITY_PROVIDER.validator, _CAPACITY_PROVIDER.serializer]
"""``"node_groups"`` (EKS managed node groups) or ``"karpenter"``: what starts the EKS nodes."""
_RETENTION_DAYS = TypeAdapter(Annotated[int, Strict()])


def _retention(value: object) -> logs.RetentionDays:
    if isinstance(value, logs.RetentionDays):
        return value
    days = _RETENTION_DAYS.validate_python(value)
    if days not in RETENTION_BY_DAYS:
        raise ValueError(f"CloudWatch Logs allows {', '.join(map(str, RETENTION_BY_DAYS))}")
    return RETENTION_BY_DAYS[days]


def _retention_days(retention: logs.RetentionDays) -> int:
    return next(days for days, value in RETENTION_BY_DAYS.items() if value == retention)


RetentionDaysField = Annotated[
    logs.RetentionDays,
    PlainValidator(_retention, json_schema_input_type=int),
    PlainSerializer(_retention_days, return_type=int),
]
"""A number of days that CloudWatch Logs accepts as a retention period, parsed into ``logs.RetentionDays``."""


class KeyValueError(ValueError):
    """A bad value found by a check across keys; ``key`` is the key, below the model that raised it, whose value is
    wrong, so the error names the full key path (``environments.prod.ec2.managed_scaling.maximum_units``)."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        super().__init__(f"got {value!r}; {allowed}")
        self.key = key
        self.value = value


def _text(value: str) -> str:
    """Printable ASCII without leading or trailing whitespace: no look-alike Unicode digits, no stray spaces."""
    if not value.isascii() or not value.isprintable():
        raise ValueError("must be printable ASCII (no Unicode look-alikes such as non-ASCII digits, no control chars)")
    if value != value.strip():
        raise ValueError("must not start or end with whitespace")
    if not value:
        raise ValueError("must not be empty")
    return value


Int = Annotated[int, Strict()]
MonthlyBudget = Annotated[float, Strict(), Field(gt=0, le=1_000_000_000)]
"""A monthly AWS Budgets limit in USD of the stack's application (its ``application`` cost-allocation tag)."""
"""A JSON integer: ``true``, ``1.0`` and ``"5"`` are rejected (pydantic's lax mode would take them)."""
Bool = Annotated[bool, Strict()]
"""A JSON boolean: ``1``, ``"true"`` and ``"yes"`` are rejected."""
Text = Annotated[str, Strict(), AfterValidator(_text)]
"""A JSON string of printable ASCII, trimmed and not empty."""
EMAIL = r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
PRIVATE_RANGES = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
"""RFC 1918 ranges: the VPC CIDR must lie in one of them."""
VPC_PREFIX_RANGE = (16, 28)
"""The netmask lengths that Amazon VPC allows for an IPv4 CIDR block.
See: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"""
PRIVATE_SUBNET_MASK = 20
PUBLIC_SUBNET_MASK = 24
"""The subnet sizes of ``stacks/network_stack.py``: one /24 public subnet per AZ (with a NAT gateway), then one /20
private subnet per AZ."""


def subnet_space_needed(azs: int, nat_gateways: int) -> int:
    """Addresses the network stack's subnets take, allocated in order and each aligned to its size (as CDK does)."""
    masks = ([PUBLIC_SUBNET_MASK] * azs if nat_gateways else []) + [PRIVATE_SUBNET_MASK] * azs
    end = 0
    for mask in masks:
        size = 2 ** (32 - mask)
        end = -(-end // size) * size + size
    return end


class ConfigError(ValueError):
    """The configuration in ``cdk.json`` context is wrong; the message names every bad key path."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NetworkConfig(_Model):
    """VPC of the platform. ``nat_gateways: 0`` makes the private subnets isolated (VPC endpoints only)."""

    cidr: Text = "10.0.0.0/16"
    """A private (RFC 1918) IPv4 network, /16 to /28, with room for the subnets (a /24 public subnet per AZ with a
    NAT gateway, a /20 private subnet per AZ)."""
    max_azs: Int = Field(default=2, ge=1, le=6)
    availability_zones: tuple[Annotated[Text, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$")], ...] | None = Field(
        default=None, min_length=1, max_length=6
    )
    """Required with an explicit account/region: listing them avoids an AZ context lookup at synth time."""
    nat_gateways: Int = Field(default=1, ge=0, le=1)
    interface_endpoints: tuple[Annotated[Text, Field(pattern=r"^[a-z0-9]+([.-][a-z0-9]+)*$")], ...] | None = None
    """Interface VPC endpoints (each costs per hour in every AZ: see README "What the platform costs"). Default: with
    ``nat_gateways: 0`` (isolated subnets, no other way to reach AWS) EMR, STS, KMS, CloudWatch Logs, CloudWatch and
    Glue; with a NAT gateway none (AWS APIs are reached through it). List names to add them either way; ``[]`` for
    none. The S3 gateway endpoint (no charge) is always there."""
    flow_log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR

    @field_validator("cidr")
    @classmethod
    def _cidr(cls, value: str) -> str:
        try:
            network = ipaddress.ip_network(value, strict=True)
        except ValueError as err:
            raise ValueError(f"got {value!r}; must be an IPv4 network such as 10.0.0.0/16 ({err})") from None
        if not isinstance(network, ipaddress.IPv4Network) or not any(network.subnet_of(r) for r in PRIVATE_RANGES):
            raise ValueError(f"got {value!r}; must lie in a private range: {', '.join(map(str, PRIVATE_RANGES))}")
        low, high = VPC_PREFIX_RANGE
        if not low <= network.prefixlen <= high:
            raise ValueError(f"got {value!r}; the prefix length must be /{low} to /{high} (Amazon VPC)")
        return value

    def resolved_interface_endpoints(self) -> tuple[str, ...]:
        """``interface_endpoints``, or its default: ``DEFAULT_INTERFACE_ENDPOINTS`` without a NAT gateway, else none."""
        if self.interface_endpoints is not None:
            return self.interface_endpoints
        return () if self.nat_gateways else DEFAULT_INTERFACE_ENDPOINTS

    @model_validator(mode="after")
    def _room_for_subnets(self) -> NetworkConfig:
        azs = len(self.availability_zones) if self.availability_zones else self.max_azs
        needed = subnet_space_needed(azs, self.nat_gateways)
        network = ipaddress.ip_network(self.cidr)
        if needed > network.num_addresses:
            raise KeyValueError(
                "cidr",
                self.cidr,
                f"{azs} AZs need {needed} addresses (a /{PRIVATE_SUBNET_MASK} private subnet per AZ"
                + (f", a /{PUBLIC_SUBNET_MASK} public one per AZ" if self.nat_gateways else "")
                + f"), the network has {network.num_addresses}; use a larger network such as a /16",
            )
        if self.availability_zones and len(set(self.availability_zones)) != len(self.availability_zones):
            raise KeyValueError("availability_zones", list(self.availability_zones), "must not repeat an AZ")
        return self


class ManagedScalingConfig(_Model):
    minimum_units: Int = Field(default=2, ge=1, le=MAX_CAPACITY_UNITS)
    maximum_units: Int = Field(default=10, ge=1, le=MAX_CAPACITY_UNITS)
    maximum_on_demand_units: Int | None = Field(default=2, ge=1, le=MAX_CAPACITY_UNITS)
    maximum_core_units: Int | None = Field(default=2, ge=1, le=MAX_CAPACITY_UNITS)

    @model_validator(mode="after")
    def _limits_within_maximum(self) -> ManagedScalingConfig:
        if self.maximum_units < self.minimum_units:
            raise KeyValueError(
                "maximum_units", self.maximum_units, f"must be at least minimum_units ({self.minimum_units})"
            )
        for key in ("maximum_on_demand_units", "maximum_core_units"):
            value = getattr(self, key)
            if value is not None and value > self.maximum_units:
                raise KeyValueError(key, value, f"must not exceed maximum_units ({self.maximum_units})")
        return self


class Ec2Config(_Model):
    """The EMR on EC2 reference cluster."""

    enabled: Bool = True
    release_label: Ec2ReleaseLabelField = DEFAULT_EC2_RELEASE_LABEL
    capacity: ClusterCapacityField = ClusterCapacity.instance_fleets()
    applications: tuple[Annotated[str, Strict()], ...] = ("Spark", "Hadoop", "Livy")
    idle_timeout_minutes: Int = Field(default=60, ge=1, le=10080)
    cluster_generation: Int = Field(default=0, ge=0, le=9999)
    """Increase to replace the cluster on the next ``cdk deploy`` (e.g. after EMR terminated it for being idle):
    a generation above 0 is appended to the cluster name, which CloudFormation can only change by replacement."""
    keep_replaced_cluster: Bool = False
    """When a change replaces the cluster (a new ``release_label`` or ``cluster_generation``: see README "Upgrading and
    changing a live environment"), leave the old cluster running beside the new one (CloudFormation
    ``UpdateReplacePolicy: Retain``) instead of terminating it: its running steps finish, and it terminates itself
    after ``idle_timeout_minutes`` idle. The stack's ``ClusterId`` output, and so ``emrctl --stack``, switch to the new
    cluster. Off: CloudFormation terminates the old cluster at the end of the deploy."""
    managed_scaling: ManagedScalingConfig = ManagedScalingConfig()
    glue_data_catalog: Bool = True
    iceberg: Bool = True
    tls_certificate_key: Annotated[str, Strict()] = "tls/emr-certificates.zip"
    """Where the stack writes a self-signed certificate zip in the data bucket, outside the job data prefixes."""
    tls_certificate_validity_days: Int = Field(default=730, ge=1, le=3650)
    """Validity of the generated self-signed certificate."""
    tls_certificate_s3_uri: Text | None = None
    """An existing ``s3://bucket/key.zip`` of PEM certificates (e.g. issued by your CA); nothing is generated then."""
    alarm_email: Annotated[Text, Field(pattern=EMAIL)] | None = None
    monthly_budget_usd: MonthlyBudget | None = None
    """An AWS Budgets cost budget of ``application_tag`` per month, alerting the alarm topic at 80 % and 100 % of
    actual and 100 % of forecasted spend. Default: none. The tag must be activated as a cost-allocation tag in the
    payer account first."""

    @field_validator("tls_certificate_key")
    @classmethod
    def _certificate_key(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*\.zip", value):
            raise ValueError(f"got {value!r}; must be an object key ending in .zip, e.g. tls/emr-certificates.zip")
        if value.startswith(EC2_JOB_DATA_PREFIXES):
            raise ValueError(
                f"got {value!r}; must not be under a job data prefix ({', '.join(EC2_JOB_DATA_PREFIXES)}) that the "
                "job runtime role reads: the zip holds the cluster's TLS private key"
            )
        return value

    @field_validator("tls_certificate_s3_uri")
    @classmethod
    def _certificate_uri(cls, value: str | None) -> str | None:
        check_s3_uri("tls_certificate_s3_uri", value)
        if value is not None and "/" not in value.removeprefix("s3://").rstrip("/"):
            raise ValueError(
                f"tls_certificate_s3_uri: got {value!r}; must name an object, e.g. s3://bucket/tls/certs.zip"
            )
        return value

    @field_validator("applications")
    @classmethod
    def _applications(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - KNOWN_APPLICATIONS)
        if unknown:
            raise ValueError(f"unknown {unknown}; allowed: {', '.join(sorted(KNOWN_APPLICATIONS))}")
        if len(set(value)) != len(value):
            raise ValueError(f"got {list(value)!r}; must not repeat an application")
        return value

    @model_validator(mode="after")
    def _core_units_within_scaling(self) -> Ec2Config:
        limit, core = self.managed_scaling.maximum_core_units, self.capacity.core_units
        if limit is not None and limit < core:
            raise KeyValueError(
                "managed_scaling.maximum_core_units",
                limit,
                f"must be at least the initial core capacity of capacity {self.capacity.kind!r} ({core})",
            )
        return self


class ServerlessConfig(_Model):
    """The EMR Serverless reference application."""

    enabled: Bool = True
    release_label: ReleaseLabelField = DEFAULT_SERVERLESS_RELEASE_LABEL
    architecture: Annotated[Architecture, Strict(False)] = Architecture.ARM64
    """Written as its value, ``"ARM64"`` or ``"X86_64"``."""
    max_vcpu: Int = Field(default=32, ge=1, le=1_000_000)
    max_memory_gb: Int = Field(default=128, ge=1, le=10_000_000)
    max_disk_gb: Int = Field(default=1000, ge=20, le=100_000_000)
    idle_timeout_minutes: Int = Field(default=15, ge=1, le=10080)
    glue_database: Annotated[str, Strict()] = Field(default="emr_platform", pattern=r"^[a-z0-9_]{1,255}$")
    iceberg: Bool = True
    log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR
    capacity_alarm_percent: Int = Field(default=80, ge=1, le=100)
    alarm_email: Annotated[Text, Field(pattern=EMAIL)] | None = None
    monthly_budget_usd: MonthlyBudget | None = None
    """An AWS Budgets cost budget of ``application_tag`` per month, alerting the alarm topic at 80 % and 100 % of
    actual and 100 % of forecasted spend. Default: none. The tag must be activated as a cost-allocation tag in the
    payer account first."""
    pipeline_schedule: Text = Field(default="cron(0 3 * * ? *)", pattern=r"^(cron|rate|at)\(.+\)$")
    pipeline_schedule_enabled: Bool = False
    """Off by default: the pipeline runs scripts/wordcount.py, which the data bucket lacks until you upload it."""
    lifecycle_guards: Bool = True
    """Stop the application before CloudFormation updates or deletes it (EMR Serverless changes and deletes only a
    CREATED or STOPPED application), so ``cdk deploy`` and ``cdk destroy`` succeed while it is STARTED."""
    running_jobs_on_change: Annotated[RunningJobsOnChange, Strict(False)] = RunningJobsOnChange.WAIT
    """What the guards do with unfinished job runs: ``"wait"`` (up to about 14 minutes, then fail the deploy naming
    them), ``"cancel"`` or ``"fail"``."""
    max_concurrent_runs: Int | None = Field(default=None, ge=1, le=1000)
    """Job concurrency and queuing (emr-7.0.0+): at most this many job runs at once, the others queue. Default: off
    (every job run starts at once within the maximum capacity); setting either key turns it on with the service's
    default (15 runs, 360 minutes) for the other."""
    queue_timeout_minutes: Int | None = Field(default=None, ge=15, le=720)
    """How long a job run may stay queued before it fails (15 to 720 minutes)."""


class EksConfig(_Model):
    """The EMR on EKS reference virtual cluster. By default it imports an existing EKS cluster: the placeholder
    attributes synthesize offline; set the real ones before deploying, or ``create_cluster: true``."""

    enabled: Bool = True
    create_cluster: Bool = False
    capacity_provider: CapacityProviderField = CapacityProvider.MANAGED_NODE_GROUPS
    cluster_name: Annotated[str, Strict()] = Field(default="emr-platform", pattern=r"^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$")
    # Placeholders of an existing cluster's attributes (literal data, not ARNs this code builds): they let the
    # default environment synthesize offline; a real environment sets its own values in cdk.json.
    oidc_provider_arn: Text = Field(
        default="arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E",
        pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$",
    )
    kubectl_role_arn: Text = Field(
        default="arn:aws:iam::111111111111:role/emr-platform-kubectl",
        pattern=r"^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$",
    )
    cluster_security_group_id: Annotated[str, Strict()] = Field(
        default="sg-0123456789abcdef0", pattern=r"^sg-[0-9a-f]{8,17}$"
    )
    namespace: Annotated[str, Strict()] = "emr-jobs"
    release_label: EksReleaseLabelField = DEFAULT_EKS_RELEASE_LABEL
    execution_role_trust: Literal["irsa", "pod_identity"] = "irsa"
    quota_cpu: Text = "64"
    quota_memory: Text = "256Gi"
    quota_pods: Int = Field(default=200, ge=1, le=1_000_000)
    log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR
    alarm_email: Annotated[Text, Field(pattern=EMAIL)] | None = None
    monthly_budget_usd: MonthlyBudget | None = None
    """An AWS Budgets cost budget of ``application_tag`` per month, alerting the alarm topic at 80 % and 100 % of
    actual and 100 % of forecasted spend. Default: none. The tag must be activated as a cost-allocation tag in the
    payer account first."""

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        validate_namespace("namespace", value)
        return value

    @field_validator("quota_cpu", "quota_memory")
    @classmethod
    def _quantity(cls, value: str) -> str:
        check_quantity("quota", value)
        return value


class EnvironmentConfig(_Model):
    """One deployment environment. Without ``account``/``region`` the stacks are environment-agnostic."""

    account: Annotated[str, Strict()] | None = Field(default=None, pattern=r"^[0-9]{12}$")
    region: Annotated[str, Strict()] | None = Field(default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
    application_tag: Annotated[Text, Field(max_length=256)] = "emr-platform"
    cost_center: Annotated[Text, Field(max_length=256)] = "data-platform"
    removal_policy: Literal["retain", "destroy"] = "retain"
    network: NetworkConfig = NetworkConfig()
    ec2: Ec2Config = Ec2Config()
    serverless: ServerlessConfig = ServerlessConfig()
    eks: EksConfig = EksConfig()

    def network_interface_endpoints(self) -> tuple[str, ...]:
        """``network.interface_endpoints`` (or their default), plus those a created EKS cluster needs when the private
        subnets are isolated (``network.nat_gateways: 0``); nothing is added otherwise."""
        endpoints = list(self.network.resolved_interface_endpoints())
        eks = self.eks
        if self.network.nat_gateways == 0 and eks.enabled and eks.create_cluster:
            extra: tuple[str, ...] = PRIVATE_EKS_CLUSTER_ENDPOINTS
            if eks.execution_role_trust == "pod_identity":
                extra += POD_IDENTITY_ENDPOINTS
            endpoints += [name for name in extra if name not in endpoints]
        return tuple(endpoints)

    @model_validator(mode="after")
    def _karpenter_needs_egress(self) -> EnvironmentConfig:
        eks = self.eks
        if (
            self.network.nat_gateways == 0
            and eks.enabled
            and eks.create_cluster
            and eks.capacity_provider == CapacityProvider.KARPENTER
        ):
            raise ValueError(
                "network.nat_gateways: 0 with eks.capacity_provider: karpenter: Karpenter's Helm chart and images come "
                "from public.ecr.aws, which no VPC endpoint serves; set network.nat_gateways: 1 or "
                "eks.capacity_provider: node_groups"
            )
        return self

    @model_validator(mode="after")
    def _account_and_region_together(self) -> EnvironmentConfig:
        if (self.account is None) != (self.region is None):
            raise ValueError("account and region must be set together (or both left out for an env-agnostic synth)")
        if self.account is not None and not self.network.availability_zones:
            raise ValueError(
                "network.availability_zones is required when account/region are set (no context lookup at synth)"
            )
        zones = self.network.availability_zones or ()
        if self.region is not None and any(zone[:-1] != self.region for zone in zones):
            raise KeyValueError(
                "network.availability_zones", list(zones), f"every AZ must be in region {self.region!r}"
            )
        return self


def load_config(context: Mapping[str, Any]) -> tuple[str, EnvironmentConfig]:
    """Pick ``context["env"]`` (default ``default``) from ``context["environments"]`` and validate it."""
    environments = context.get("environments") or {}
    if not isinstance(environments, Mapping):
        raise ConfigError(f"environments: got {type(environments).__name__}; must be an object of environments")
    name = context.get("env") or DEFAULT_ENVIRONMENT
    if not isinstance(name, str):
        raise ConfigError(f"env: got {name!r}; must be the name of an environment")
    if name not in environments:
        raise ConfigError(f"env: got {name!r}; defined environments: {', '.join(sorted(environments)) or 'none'}")
    raw = environments[name]
    if raw is not None and not isinstance(raw, Mapping):
        raise ConfigError(f"environments.{name}: got {type(raw).__name__}; must be an object")
    try:
        return name, EnvironmentConfig.model_validate(raw or {})
    except ValidationError as err:
        raise ConfigError(
            "invalid configuration in cdk.json context: " + "; ".join(_describe(name, e) for e in err.errors())
        ) from None


def _describe(name: str, error: Any) -> str:
    """``environments.<name>.<key path>: <what is wrong> (got <value>)`` for one pydantic error."""
    loc = ["environments", name, *map(str, error["loc"])]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, KeyValueError):
        return f"{'.'.join([*loc, cause.key])}: {cause}"
    return f"{'.'.join(loc)}: {error['msg']} (got {error.get('input')!r})"
