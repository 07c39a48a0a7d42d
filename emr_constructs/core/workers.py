"""EMR Serverless worker sizes as data, and the pure checks of a worker's size.

See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/app-behavior.html#worker-configs
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from emr_constructs.core.tokens import contains_unresolved
from emr_constructs.core.validation import check_range, fail


@dataclass(frozen=True)
class MemoryRange:
    """The memory one worker of a vCPU size may have: ``minimum_gb`` to ``maximum_gb`` in ``step_gb`` steps."""

    minimum_gb: int
    maximum_gb: int
    step_gb: int


WORKER_MEMORY_BY_VCPU: dict[int, MemoryRange] = {
    1: MemoryRange(2, 8, 1),
    2: MemoryRange(4, 16, 1),
    4: MemoryRange(8, 30, 1),
    8: MemoryRange(16, 60, 4),
    16: MemoryRange(32, 120, 8),
}
"""vCPU -> memory range and increment of one worker (EMR Serverless User Guide, supported worker configurations)."""

DEFAULT_DISK_GB = 20
"""The disk of a worker whose configuration names none."""
STANDARD_DISK_GB = (20, 200)
SHUFFLE_OPTIMIZED_DISK_GB = (20, 2000)
"""Shuffle-optimized disks (emr-7.1.0 and later) go beyond the 200 GB of standard disks, up to 2,000 GB."""
MAX_WORKERS_PER_TYPE = 1_000_000
VCPU_UNITS = ("VCPU",)
GB_UNITS = ("GB",)


class Architecture(Enum):
    """CPU architecture of the workers. Default here: ARM64 (Graviton, cheaper); the service default is X86_64."""

    ARM64 = "ARM64"
    X86_64 = "X86_64"


class ApplicationType(Enum):
    """The engine of an EMR Serverless application: Spark or Hive."""

    SPARK = "SPARK"
    HIVE = "HIVE"


class DiskType(Enum):
    """A worker's disk: standard (up to 200 GB), or shuffle-optimized (emr-7.1.0+, up to 2000 GB) for shuffle."""

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


_SIZE = re.compile(r"(?P<number>[0-9]+) ?(?P<unit>[A-Za-z]*)")


def parse_size(prop: str, value: str | int, units: tuple[str, ...], unit_required: bool) -> int | None:
    """``"16 GB"`` / ``"16GB"`` / ``"16"`` / ``16`` -> 16; ``None`` for unresolved CDK tokens."""
    if contains_unresolved(value):
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


def check_worker_size(prop: str, cpu: str | int, memory: str | int) -> None:
    """Raise unless ``cpu`` (``"4 vCPU"``) and ``memory`` (``"16 GB"``) make a supported worker; tokens pass."""
    vcpu = parse_size(f"{prop}.cpu", cpu, VCPU_UNITS, unit_required=False)
    memory_gb = parse_size(f"{prop}.memory", memory, GB_UNITS, unit_required=False)
    if vcpu is not None and vcpu not in WORKER_MEMORY_BY_VCPU:
        raise fail(f"{prop}.cpu", cpu, "workers have 1, 2, 4, 8 or 16 vCPU")
    if vcpu is not None and memory_gb is not None:
        r = WORKER_MEMORY_BY_VCPU[vcpu]
        if not (r.minimum_gb <= memory_gb <= r.maximum_gb) or (memory_gb - r.minimum_gb) % r.step_gb:
            raise fail(
                f"{prop}.memory",
                memory,
                f"a {vcpu} vCPU worker takes {r.minimum_gb}-{r.maximum_gb} GB in {r.step_gb} GB steps",
            )


def check_worker_disk(prop: str, disk: str, disk_type: DiskType) -> None:
    """Raise unless ``disk`` (``"20 GB"``, unit required) fits ``disk_type``; tokens pass."""
    disk_gb = parse_size(f"{prop}.disk", disk, GB_UNITS, unit_required=True)
    low, high = SHUFFLE_OPTIMIZED_DISK_GB if disk_type is DiskType.SHUFFLE_OPTIMIZED else STANDARD_DISK_GB
    check_range(f"{prop}.disk (GB, {disk_type.value})", disk_gb, low, high)
