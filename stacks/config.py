"""The typed, validated configuration of the reference app, loaded from ``cdk.json`` context.

``cdk.json`` holds ``context.environments.<name>``; ``cdk synth -c env=<name>`` picks one (default ``default``).
Unknown keys and bad values fail with one error per problem, each naming its key path, e.g.
``environments.prod.ec2.idle_timeout_minutes: Input should be greater than or equal to 1``.

Values are parsed once into the library's types (``ReleaseLabel``, ``ClusterCapacity``, ``Architecture``,
``CapacityProvider``, ``RetentionDays``), so the stacks pass them on without converting or checking them again; the
keys and values written in ``cdk.json`` stay plain JSON (``"release_label": "emr-7.10.0"``, ``"capacity": "fleets"``).
"""

from __future__ import annotations

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
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from emr_constructs._internal.validation import check_s3_uri, fail
from emr_constructs.cluster.applications import KNOWN_APPLICATIONS
from emr_constructs.cluster.capacity import ClusterCapacity
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
from emr_constructs.serverless import Architecture
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
_RETENTION_DAYS = TypeAdapter(int)


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


class ConfigError(ValueError):
    """The configuration in ``cdk.json`` context is wrong; the message names every bad key path."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NetworkConfig(_Model):
    """VPC of the platform. ``nat_gateways: 0`` makes the private subnets isolated (VPC endpoints only)."""

    cidr: str = "10.0.0.0/16"
    max_azs: int = Field(default=2, ge=1, le=6)
    availability_zones: tuple[str, ...] | None = None
    """Required with an explicit account/region: listing them avoids an AZ context lookup at synth time."""
    nat_gateways: int = Field(default=1, ge=0, le=1)
    interface_endpoints: tuple[str, ...] = DEFAULT_INTERFACE_ENDPOINTS
    flow_log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR


class ManagedScalingConfig(_Model):
    minimum_units: int = Field(default=2, ge=1)
    maximum_units: int = Field(default=10, ge=1)
    maximum_on_demand_units: int | None = Field(default=2, ge=1)
    maximum_core_units: int | None = Field(default=2, ge=1)


class Ec2Config(_Model):
    """The EMR on EC2 reference cluster."""

    enabled: bool = True
    release_label: Ec2ReleaseLabelField = DEFAULT_EC2_RELEASE_LABEL
    capacity: ClusterCapacityField = ClusterCapacity.instance_fleets()
    applications: tuple[str, ...] = ("Spark", "Hadoop", "Livy")
    idle_timeout_minutes: int = Field(default=60, ge=1, le=10080)
    cluster_generation: int = Field(default=0, ge=0)
    """Increase to replace the cluster on the next ``cdk deploy`` (e.g. after EMR terminated it for being idle):
    a generation above 0 is appended to the cluster name, which CloudFormation can only change by replacement."""
    managed_scaling: ManagedScalingConfig = ManagedScalingConfig()
    glue_data_catalog: bool = True
    iceberg: bool = True
    tls_certificate_key: str = "tls/emr-certificates.zip"
    """Where the stack writes a self-signed certificate zip in the data bucket, outside the job data prefixes."""
    tls_certificate_validity_days: int = Field(default=730, ge=1, le=3650)
    """Validity of the generated self-signed certificate."""
    tls_certificate_s3_uri: str | None = None
    """An existing ``s3://bucket/key.zip`` of PEM certificates (e.g. issued by your CA); nothing is generated then."""
    alarm_email: str | None = None

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
        return value


class ServerlessConfig(_Model):
    """The EMR Serverless reference application."""

    enabled: bool = True
    release_label: ReleaseLabelField = DEFAULT_SERVERLESS_RELEASE_LABEL
    architecture: Architecture = Architecture.ARM64
    max_vcpu: int = Field(default=32, ge=1)
    max_memory_gb: int = Field(default=128, ge=1)
    max_disk_gb: int = Field(default=1000, ge=20)
    idle_timeout_minutes: int = Field(default=15, ge=1, le=10080)
    glue_database: str = Field(default="emr_platform", pattern=r"^[a-z0-9_]{1,255}$")
    iceberg: bool = True
    log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR
    capacity_alarm_percent: int = Field(default=80, ge=1, le=100)
    alarm_email: str | None = None
    pipeline_schedule: str = Field(default="cron(0 3 * * ? *)", pattern=r"^(cron|rate|at)\(.+\)$")
    pipeline_schedule_enabled: bool = False
    """Off by default: the pipeline runs scripts/wordcount.py, which the data bucket lacks until you upload it."""


class EksConfig(_Model):
    """The EMR on EKS reference virtual cluster. By default it imports an existing EKS cluster: the placeholder
    attributes synthesize offline; set the real ones before deploying, or ``create_cluster: true``."""

    enabled: bool = True
    create_cluster: bool = False
    capacity_provider: CapacityProviderField = CapacityProvider.MANAGED_NODE_GROUPS
    cluster_name: str = Field(default="emr-platform", pattern=r"^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$")
    # Placeholders of an existing cluster's attributes (literal data, not ARNs this code builds): they let the
    # default environment synthesize offline; a real environment sets its own values in cdk.json.
    oidc_provider_arn: str = Field(
        default="arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E",
        pattern=r"^arn:aws[a-z-]*:iam::\d{12}:oidc-provider/.+$",
    )
    kubectl_role_arn: str = Field(
        default="arn:aws:iam::111111111111:role/emr-platform-kubectl", pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$"
    )
    cluster_security_group_id: str = Field(default="sg-0123456789abcdef0", pattern=r"^sg-[0-9a-f]{8,17}$")
    namespace: str = "emr-jobs"
    release_label: EksReleaseLabelField = DEFAULT_EKS_RELEASE_LABEL
    execution_role_trust: Literal["irsa", "pod_identity"] = "irsa"
    quota_cpu: str = "64"
    quota_memory: str = "256Gi"
    quota_pods: int = Field(default=200, ge=1)
    log_retention_days: RetentionDaysField = logs.RetentionDays.ONE_YEAR
    alarm_email: str | None = None

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

    account: str | None = Field(default=None, pattern=r"^\d{12}$")
    region: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[a-z]+)+-\d$")
    application_tag: str = "emr-platform"
    cost_center: str = "data-platform"
    removal_policy: Literal["retain", "destroy"] = "retain"
    network: NetworkConfig = NetworkConfig()
    ec2: Ec2Config = Ec2Config()
    serverless: ServerlessConfig = ServerlessConfig()
    eks: EksConfig = EksConfig()

    def network_interface_endpoints(self) -> tuple[str, ...]:
        """``network.interface_endpoints``, plus those a created EKS cluster needs when the private subnets are
        isolated (``network.nat_gateways: 0``); nothing is added otherwise."""
        endpoints = list(self.network.interface_endpoints)
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
        return self


def load_config(context: Mapping[str, Any]) -> tuple[str, EnvironmentConfig]:
    """Pick ``context["env"]`` (default ``default``) from ``context["environments"]`` and validate it."""
    environments = context.get("environments") or {}
    if not isinstance(environments, Mapping):
        raise ConfigError(f"environments: got {type(environments).__name__}; must be an object of environments")
    name = context.get("env") or DEFAULT_ENVIRONMENT
    if name not in environments:
        raise ConfigError(f"env: got {name!r}; defined environments: {', '.join(sorted(environments)) or 'none'}")
    raw = environments[name]
    try:
        return name, EnvironmentConfig.model_validate(raw or {})
    except ValidationError as err:
        lines = []
        for e in err.errors():
            path = ".".join(str(p) for p in ("environments", name, *e["loc"]))
            lines.append(f"{path}: {e['msg']} (got {e.get('input')!r})")
        raise ConfigError("invalid configuration in cdk.json context:\n  " + "\n  ".join(lines)) from None
