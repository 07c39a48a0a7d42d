"""Amazon EMR release labels, shared by every runtime and the CLI, the capability floors that depend on them, and
the default release of each runtime.

``ReleaseLabel`` is enum-like: use a constant (``ReleaseLabel.EMR_7_10_0``) or any label with
``ReleaseLabel.of("emr-6.15.0")``, so a new EMR release needs no new library version.

Capability floors are data, not code: each is the first release of every major line that supports a feature, taken
from the EMR Management Guide and the ``ListSupportedInstanceTypes`` data:

- Graviton2 families (m6g, c6g, r6g, ...): emr-5.30.0 and emr-6.1.0.
  See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-supported-instance-types.html
- Graviton3 families (m7g, c7g, r7g): emr-5.36.1 and emr-6.10.0.
- Multiple primary nodes: instance groups from emr-5.23.0; instance fleets from 5.36.1, 6.8.1, 6.9.1, 6.10.1,
  6.11.1 and 6.12.0. See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-plan-ha.html
- Runtime roles for steps: emr-6.7.0. See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-steps-runtime-roles.html
- Idle auto-termination: emr-5.30.0 and emr-6.1.0.
  See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-auto-termination-policy.html
- Managed scaling: emr-5.30.0 and emr-6.1.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar

from emr_constructs.core.tokens import contains_unresolved
from emr_constructs.core.validation import fail

Version = tuple[int, int, int]

_LABEL = re.compile(
    r"(?P<line>emr|emr-spark)-(?P<major>[0-9]+)\.(?P<minor>[0-9]+)\.(?P<patch>[0-9]+)(?:-(?P<suffix>latest|[0-9]{8}))?"
)


def _parse_version(text: str) -> Version:
    major, minor, patch = (int(p) for p in text.split("."))
    return (major, minor, patch)


@dataclass(frozen=True)
class ReleaseFloor:
    """The first release of each major line that supports a capability.

    ``per_major`` maps a major version to its first supporting release; major lines newer than every listed one are
    supported, older or skipped ones are not. ``backports`` lists patch releases of otherwise unsupported minor lines
    that gained the capability (e.g. multi-primary instance fleets in 6.8.1 but not 6.9.0).
    """

    capability: str
    per_major: dict[int, str]
    backports: tuple[str, ...] = ()

    def supports(self, version: Version) -> bool:
        for backport in self.backports:
            b = _parse_version(backport)
            if version[:2] == b[:2] and version >= b:
                return True
        floor = self.per_major.get(version[0])
        if floor is not None:
            return version >= _parse_version(floor)
        return version[0] > max(self.per_major)

    def describe(self) -> str:
        firsts = [f"emr-{v}" for _, v in sorted(self.per_major.items())]
        firsts += [f"emr-{b}" for b in self.backports]
        return f"{self.capability} needs " + " / ".join(firsts) + " or later in the same major line"


GRAVITON2 = ReleaseFloor("Graviton2 instance types", {5: "5.30.0", 6: "6.1.0"})
GRAVITON3 = ReleaseFloor("Graviton3 instance types", {5: "5.36.1", 6: "6.10.0"})

GRAVITON_FAMILY_FLOORS: dict[str, ReleaseFloor] = {
    **{fam: GRAVITON2 for fam in ("m6g", "m6gd", "c6g", "c6gd", "c6gn", "r6g", "r6gd")},
    **{fam: GRAVITON3 for fam in ("m7g", "m7gd", "c7g", "c7gd", "c7gn", "r7g", "r7gd")},
}
"""Graviton instance families with their release floor. Families not listed (x86, newer Graviton) are not checked."""

MULTI_PRIMARY_INSTANCE_GROUPS = ReleaseFloor("Three primary nodes on instance groups", {5: "5.23.0"})
MULTI_PRIMARY_INSTANCE_FLEETS = ReleaseFloor(
    "Three primary nodes on instance fleets",
    {5: "5.36.1", 6: "6.12.0"},
    backports=("6.8.1", "6.9.1", "6.10.1", "6.11.1"),
)
RUNTIME_ROLES = ReleaseFloor("Runtime roles for steps", {6: "6.7.0"})
AUTO_TERMINATION = ReleaseFloor("Idle auto-termination", {5: "5.30.0", 6: "6.1.0"})
MANAGED_SCALING = ReleaseFloor("Managed scaling", {5: "5.30.0", 6: "6.1.0"})

SERVERLESS = ReleaseFloor("EMR Serverless", {6: "6.6.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/release-versions.html"""
SERVERLESS_ARM64 = ReleaseFloor("EMR Serverless on ARM64 (Graviton)", {6: "6.8.0"})
"""The architecture guide launches ARM64 applications from emr-6.8.0 (Graviton support, re:Invent 2022).
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/architecture.html"""
SERVERLESS_CUSTOM_IMAGES = ReleaseFloor("EMR Serverless custom images", {6: "6.9.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/application-custom-image.html"""
SERVERLESS_SHUFFLE_OPTIMIZED_DISKS = ReleaseFloor("EMR Serverless shuffle-optimized disks", {7: "7.1.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/jobs-shuffle-optimized-disks.html"""
SERVERLESS_APPLICATION_NAME_METRICS = ReleaseFloor(
    "EMR Serverless metrics with an ApplicationName dimension", {7: "7.10.0"}
)
"""From 7.10 the metrics carry ApplicationName too and the ApplicationId-only series stop updating."""
SERVERLESS_INTERACTIVE = ReleaseFloor("EMR Serverless interactive applications (EMR Studio)", {6: "6.14.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/interactive-workloads.html"""
SERVERLESS_SCHEDULER = ReleaseFloor("EMR Serverless job concurrency and queuing", {7: "7.0.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications-concurrency-queuing.html"""

EKS = ReleaseFloor("EMR on EKS", {5: "5.32.0", 6: "6.2.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-releases.html"""
EKS_POD_IDENTITY = ReleaseFloor("EMR on EKS with EKS Pod Identity", {7: "7.3.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html"""
EKS_INTERACTIVE_ENDPOINTS = ReleaseFloor("EMR on EKS interactive (managed) endpoints", {6: "6.7.0"})
"""See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/create-managed-endpoint.html"""

SPARK_ONLY_LINE_APPLICATIONS = frozenset(
    {"Spark", "Livy", "JupyterEnterpriseGateway", "Delta", "Hudi", "Iceberg", "AmazonCloudWatchAgent"}
)
"""Applications that the Spark-only ``emr-spark-8.x`` line ships."""


@dataclass(frozen=True)
class ReleaseLabel:
    """An Amazon EMR release label such as ``emr-7.10.0``.

    Accepted forms: ``emr-X.Y.Z``; ``emr-spark-X.Y.Z`` (the Spark-only 8.x line); and, for EMR on EKS only,
    ``emr-X.Y.Z-latest`` or ``emr-X.Y.Z-YYYYMMDD``. An unresolved token is accepted and skips every release check.
    """

    label: str
    line: str = field(default="emr", compare=False)
    version: Version | None = field(default=None, compare=False)
    suffix: str | None = field(default=None, compare=False)

    EMR_5_36_2: ClassVar[ReleaseLabel]
    EMR_6_15_0: ClassVar[ReleaseLabel]
    EMR_7_0_0: ClassVar[ReleaseLabel]
    EMR_7_5_0: ClassVar[ReleaseLabel]
    EMR_7_9_0: ClassVar[ReleaseLabel]
    EMR_7_10_0: ClassVar[ReleaseLabel]

    @classmethod
    def of(cls, label: str, prop: str = "release_label") -> ReleaseLabel:
        """Parse ``label``; raise ``ValueError`` naming ``prop`` when it is not a release label."""
        if contains_unresolved(label):
            return cls(label=label)
        if not isinstance(label, str):
            raise fail(prop, label, "must be a string such as 'emr-7.10.0'")
        match = _LABEL.fullmatch(label)
        if match is None:
            raise fail(
                prop,
                label,
                "must look like 'emr-X.Y.Z', 'emr-spark-X.Y.Z', or for EMR on EKS 'emr-X.Y.Z-latest' / "
                "'emr-X.Y.Z-YYYYMMDD'",
            )
        version = (int(match["major"]), int(match["minor"]), int(match["patch"]))
        if match["line"] == "emr-spark" and (match["suffix"] or version[0] < 8):
            raise fail(prop, label, "the Spark-only line is 'emr-spark-X.Y.Z' with X >= 8 and no suffix")
        return cls(label=label, line=match["line"], version=version, suffix=match["suffix"])

    @property
    def is_unresolved(self) -> bool:
        """True when the label is a token, so no release check can run at synth time."""
        return self.version is None

    @property
    def is_spark_only(self) -> bool:
        """True for the ``emr-spark-X.Y.Z`` line, which ships only Spark and a few companions."""
        return self.line == "emr-spark"

    @property
    def major(self) -> int | None:
        return None if self.version is None else self.version[0]

    def supports(self, floor: ReleaseFloor) -> bool:
        """True when this release has the capability; unresolved labels are assumed to."""
        return self.version is None or floor.supports(self.version)

    def require(self, floor: ReleaseFloor, prop: str, value: object) -> None:
        """Raise a ``ValueError`` naming ``prop`` when this release lacks the capability."""
        if not self.supports(floor):
            raise fail(prop, value, f"{floor.describe()}; release_label is {self.label!r}")

    def require_ec2(self, prop: str = "release_label") -> None:
        """EMR on EC2 takes no ``-latest`` / ``-YYYYMMDD`` suffix (those are EMR on EKS labels)."""
        if self.suffix is not None:
            raise fail(prop, self.label, "EMR on EC2 takes 'emr-X.Y.Z' or 'emr-spark-X.Y.Z' without a suffix")

    def __str__(self) -> str:
        return self.label


ReleaseLabel.EMR_5_36_2 = ReleaseLabel.of("emr-5.36.2")
ReleaseLabel.EMR_6_15_0 = ReleaseLabel.of("emr-6.15.0")
ReleaseLabel.EMR_7_0_0 = ReleaseLabel.of("emr-7.0.0")
ReleaseLabel.EMR_7_5_0 = ReleaseLabel.of("emr-7.5.0")
ReleaseLabel.EMR_7_9_0 = ReleaseLabel.of("emr-7.9.0")
ReleaseLabel.EMR_7_10_0 = ReleaseLabel.of("emr-7.10.0")

DEFAULT_EC2_RELEASE_LABEL = ReleaseLabel.EMR_7_10_0
"""The release of an EMR on EC2 cluster when none is given (``EmrCluster``, transient pipeline clusters, the
reference EC2 stack)."""
DEFAULT_SERVERLESS_RELEASE_LABEL = ReleaseLabel.EMR_7_10_0
"""The release of an EMR Serverless application when none is given."""
DEFAULT_EKS_RELEASE_LABEL = ReleaseLabel.of(f"{DEFAULT_EC2_RELEASE_LABEL.label}-latest")
"""The release of an EMR on EKS job run when none is given: the latest image of the same release as the other
runtimes (``emrctl eks submit``, the reference EKS stack)."""


def instance_family(instance_type: str) -> str:
    """``"m7g.xlarge"`` -> ``"m7g"``."""
    return instance_type.split(".", 1)[0]


def check_instance_types_for_release(release: ReleaseLabel, prop: str, instance_types: list[str]) -> None:
    """Raise when a Graviton instance type is older than its family's release floor."""
    for instance_type in instance_types:
        if contains_unresolved(instance_type):
            continue
        floor = GRAVITON_FAMILY_FLOORS.get(instance_family(instance_type))
        if floor is not None:
            release.require(floor, prop, instance_type)


def check_eks_release_label(prop: str, label: object) -> ReleaseLabel:
    """Parse an EMR on EKS release label and enforce the EMR on EKS release floor; tokens pass.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/emr-eks-releases.html
    """
    if isinstance(label, ReleaseLabel):
        release = label
    else:
        if not isinstance(label, str):
            raise fail(prop, label, "must be a string such as 'emr-7.10.0-latest'")
        release = ReleaseLabel.of(label, prop)
    if release.is_spark_only:
        raise fail(prop, release.label, "EMR on EKS takes 'emr-X.Y.Z[-latest|-YYYYMMDD]', not the emr-spark line")
    release.require(EKS, prop, release.label)
    return release
