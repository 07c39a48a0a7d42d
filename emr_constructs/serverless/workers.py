"""EMR Serverless worker sizes, pre-initialized capacity and maximum capacity, validated against the service's
documented worker configurations (kept here as data).

See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html#worker-configs
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_emrserverless as emrs

from emr_constructs._internal.types import check_required
from emr_constructs._internal.validation import check_range, is_token
from emr_constructs.core.workers import (
    DEFAULT_DISK_GB,
    GB_UNITS,
    MAX_WORKERS_PER_TYPE,
    SHUFFLE_OPTIMIZED_DISK_GB,
    STANDARD_DISK_GB,
    VCPU_UNITS,
    WORKER_MEMORY_BY_VCPU,
    ApplicationType,
    Architecture,
    DiskType,
    MemoryRange,
    WorkerType,
    check_worker_disk,
    check_worker_size,
    parse_size,
)
from emr_constructs.releases import SERVERLESS_SHUFFLE_OPTIMIZED_DISKS, ReleaseLabel

__all__ = [
    "MAX_WORKERS_PER_TYPE",
    "SHUFFLE_OPTIMIZED_DISK_GB",
    "STANDARD_DISK_GB",
    "WORKER_MEMORY_BY_VCPU",
    "ApplicationType",
    "Architecture",
    "DiskType",
    "InitialCapacity",
    "MaximumCapacity",
    "MemoryRange",
    "WorkerConfiguration",
    "WorkerType",
]


@dataclass(frozen=True, kw_only=True)
class WorkerConfiguration:
    """The size of one worker.

    :param cpu: ``"4 vCPU"`` (or ``"4"``): 1, 2, 4, 8 or 16.
    :param memory: ``"16 GB"`` (or ``"16"``, GB implied), within the range of the vCPU size.
    :param disk: ``"20 GB"``; the unit is required. Default: the service's 20 GB.
    :param disk_type: Default: standard disks (20-200 GB). Shuffle-optimized disks need emr-7.1.0.
    """

    cpu: str | int
    memory: str | int
    disk: str | None = None
    disk_type: DiskType = DiskType.STANDARD

    def validate(self, prop: str, release: ReleaseLabel) -> None:
        check_worker_size(prop, self.cpu, self.memory)
        if self.disk_type is DiskType.SHUFFLE_OPTIMIZED:
            release.require(SERVERLESS_SHUFFLE_OPTIMIZED_DISKS, f"{prop}.disk_type", self.disk_type.value)
        if self.disk is not None:
            check_worker_disk(prop, self.disk, self.disk_type)

    @staticmethod
    def _text(value: str | int, unit: str) -> str:
        if is_token(value) or (isinstance(value, str) and not value.strip().isdigit()):
            return str(value)
        return f"{int(value)} {unit}"

    def _render(self) -> emrs.CfnApplication.WorkerConfigurationProperty:
        return emrs.CfnApplication.WorkerConfigurationProperty(
            cpu=self._text(self.cpu, "vCPU"),
            memory=self._text(self.memory, "GB"),
            disk=self.disk,
            disk_type=self.disk_type.value if self.disk_type is not DiskType.STANDARD else None,
        )


@dataclass(frozen=True, kw_only=True)
class InitialCapacity:
    """Pre-initialized workers of one type, kept warm while the application is started (they cost money while
    idle until auto-stop releases them).

    :param worker_type: e.g. ``WorkerType.SPARK_DRIVER``.
    :param worker_count: at least 1.
    """

    worker_type: WorkerType
    worker_count: int
    worker_configuration: WorkerConfiguration

    def validate(self, prop: str, release: ReleaseLabel) -> None:
        check_range(f"{prop}.worker_count", self.worker_count, 1, MAX_WORKERS_PER_TYPE)
        self.worker_configuration.validate(f"{prop}.worker_configuration", release)

    def totals(self) -> tuple[int, int, int] | None:
        """(vCPU, memory GB, disk GB) for all workers; ``None`` when a token hides a value."""
        c = self.worker_configuration
        vcpu = parse_size("cpu", c.cpu, VCPU_UNITS, unit_required=False)
        memory = parse_size("memory", c.memory, GB_UNITS, unit_required=False)
        disk = DEFAULT_DISK_GB if c.disk is None else parse_size("disk", c.disk, GB_UNITS, unit_required=True)
        if None in (vcpu, memory, disk) or is_token(self.worker_count):
            return None
        n = self.worker_count
        return (vcpu * n, memory * n, disk * n)  # type: ignore[operator]

    def _render(self) -> emrs.CfnApplication.InitialCapacityConfigKeyValuePairProperty:
        return emrs.CfnApplication.InitialCapacityConfigKeyValuePairProperty(
            key=self.worker_type.value,
            value=emrs.CfnApplication.InitialCapacityConfigProperty(
                worker_count=self.worker_count, worker_configuration=self.worker_configuration._render()
            ),
        )


@dataclass(frozen=True, kw_only=True)
class MaximumCapacity:
    """The most the application may scale to across all its jobs, so a runaway job cannot run up an unbounded bill.

    :param cpu_vcpu: Default: 32 vCPU.
    :param memory_gb: Default: 128 GB.
    :param disk_gb: Default: 1,000 GB.
    """

    cpu_vcpu: int = 32
    memory_gb: int = 128
    disk_gb: int = 1000

    def validate(self) -> None:
        for prop in ("cpu_vcpu", "memory_gb", "disk_gb"):
            check_required(f"maximum_capacity.{prop}", getattr(self, prop))
        check_range("maximum_capacity.cpu_vcpu", self.cpu_vcpu, 1, 1_000_000)
        check_range("maximum_capacity.memory_gb", self.memory_gb, 1, 10_000_000)
        check_range("maximum_capacity.disk_gb", self.disk_gb, 1, 100_000_000)

    def _render(self) -> emrs.CfnApplication.MaximumAllowedResourcesProperty:
        return emrs.CfnApplication.MaximumAllowedResourcesProperty(
            cpu=f"{self.cpu_vcpu} vCPU", memory=f"{self.memory_gb} GB", disk=f"{self.disk_gb} GB"
        )
