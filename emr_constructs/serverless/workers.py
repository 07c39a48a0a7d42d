"""EMR Serverless worker sizes, pre-initialized capacity and maximum capacity, validated against the service's
documented worker configurations (kept here as data).

See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html#worker-configs
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from aws_cdk import aws_emrserverless as emrs

from emr_constructs._internal.validation import check_range, fail, is_token
from emr_constructs.releases import SERVERLESS_SHUFFLE_OPTIMIZED_DISKS, ReleaseLabel


@dataclass(frozen=True)
class _MemoryRange:
    minimum_gb: int
    maximum_gb: int
    step_gb: int


WORKER_MEMORY_BY_VCPU: dict[int, _MemoryRange] = {
    1: _MemoryRange(2, 8, 1),
    2: _MemoryRange(4, 16, 1),
    4: _MemoryRange(8, 30, 1),
    8: _MemoryRange(16, 60, 4),
    16: _MemoryRange(32, 120, 8),
}
"""vCPU -> memory range and increment of one worker (EMR Serverless User Guide, supported worker configurations)."""

STANDARD_DISK_GB = (20, 200)
SHUFFLE_OPTIMIZED_DISK_GB = (20, 2000)
"""Shuffle-optimized disks (emr-7.1.0 and later) go beyond the 200 GB of standard disks, up to 2,000 GB."""
MAX_WORKERS_PER_TYPE = 1_000_000


class Architecture(Enum):
    """CPU architecture of the workers. Default here: ARM64 (Graviton, cheaper); the service default is X86_64."""

    ARM64 = "ARM64"
    X86_64 = "X86_64"


class ApplicationType(Enum):
    SPARK = "SPARK"
    HIVE = "HIVE"


class DiskType(Enum):
    STANDARD = "STANDARD"
    SHUFFLE_OPTIMIZED = "SHUFFLE_OPTIMIZED"


class WorkerType(Enum):
    """Worker types per application type: Spark has Driver/Executor, Hive has HiveDriver/TezTask."""

    SPARK_DRIVER = "Driver"
    SPARK_EXECUTOR = "Executor"
    HIVE_DRIVER = "HiveDriver"
    TEZ_TASK = "TezTask"

    @property
    def application_type(self) -> ApplicationType:
        spark = (WorkerType.SPARK_DRIVER, WorkerType.SPARK_EXECUTOR)
        return ApplicationType.SPARK if self in spark else ApplicationType.HIVE


_SIZE = re.compile(r"\s*(?P<number>\d+)\s*(?P<unit>[A-Za-z]*)\s*")


def _parse(prop: str, value: str | int, units: tuple[str, ...], unit_required: bool) -> int | None:
    """``"16 GB"`` / ``"16GB"`` / ``"16"`` / ``16`` -> 16; ``None`` for tokens."""
    if is_token(value):
        return None
    if isinstance(value, int):
        if unit_required:
            raise fail(prop, value, f"must be a string with a unit, e.g. '{value} {units[0]}'")
        return value
    match = _SIZE.fullmatch(str(value))
    if match is None or (match["unit"] and match["unit"].upper() not in units):
        raise fail(prop, value, f"must be a number with unit {' or '.join(units)}, e.g. '16 {units[0]}'")
    if unit_required and not match["unit"]:
        raise fail(prop, value, f"needs a unit: write '{match['number']} {units[0]}'")
    return int(match["number"])


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
        vcpu = _parse(f"{prop}.cpu", self.cpu, ("VCPU",), unit_required=False)
        memory = _parse(f"{prop}.memory", self.memory, ("GB",), unit_required=False)
        if vcpu is not None and vcpu not in WORKER_MEMORY_BY_VCPU:
            raise fail(f"{prop}.cpu", self.cpu, "workers have 1, 2, 4, 8 or 16 vCPU")
        if vcpu is not None and memory is not None:
            r = WORKER_MEMORY_BY_VCPU[vcpu]
            if not (r.minimum_gb <= memory <= r.maximum_gb) or (memory - r.minimum_gb) % r.step_gb:
                raise fail(
                    f"{prop}.memory",
                    self.memory,
                    f"a {vcpu} vCPU worker takes {r.minimum_gb}-{r.maximum_gb} GB in {r.step_gb} GB steps",
                )
        if self.disk_type is DiskType.SHUFFLE_OPTIMIZED:
            release.require(SERVERLESS_SHUFFLE_OPTIMIZED_DISKS, f"{prop}.disk_type", self.disk_type.value)
        if self.disk is not None:
            disk = _parse(f"{prop}.disk", self.disk, ("GB",), unit_required=True)
            low, high = SHUFFLE_OPTIMIZED_DISK_GB if self.disk_type is DiskType.SHUFFLE_OPTIMIZED else STANDARD_DISK_GB
            check_range(f"{prop}.disk (GB, {self.disk_type.value})", disk, low, high)

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
        vcpu = _parse("cpu", c.cpu, ("VCPU",), unit_required=False)
        memory = _parse("memory", c.memory, ("GB",), unit_required=False)
        disk = 20 if c.disk is None else _parse("disk", c.disk, ("GB",), unit_required=True)
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
        check_range("maximum_capacity.cpu_vcpu", self.cpu_vcpu, 1, 1_000_000)
        check_range("maximum_capacity.memory_gb", self.memory_gb, 1, 10_000_000)
        check_range("maximum_capacity.disk_gb", self.disk_gb, 1, 100_000_000)

    def _render(self) -> emrs.CfnApplication.MaximumAllowedResourcesProperty:
        return emrs.CfnApplication.MaximumAllowedResourcesProperty(
            cpu=f"{self.cpu_vcpu} vCPU", memory=f"{self.memory_gb} GB", disk=f"{self.disk_gb} GB"
        )
