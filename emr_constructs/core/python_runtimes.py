"""The Python that PySpark jobs run with on each EMR runtime and release, and the CPU architectures, so that a
dependency archive (``emrctl package``) is built for the interpreter and the machine that will import it.

Pure Python (no aws_cdk): the CLI reads it.

What the table rests on (the EMR on EC2 release guides list the Python of each release; the operating system sets
the newest manylinux wheel the runtime can load, through its glibc):

- EMR 6.x: Python 3.7 (and 2.7), on Amazon Linux 2 (glibc 2.26).
  See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-6140-release.html (Python "2.7, 3.7") and
  https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-630-release.html
- EMR 7.x: Python 3.9 (7.1.0 and later also ship 3.11; ``python3`` stays 3.9), on Amazon Linux 2023 (glibc 2.34).
  See: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-app-versions-7.x.html (Python "3.9, 3.11")
- AL2 for EMR 5.x and 6.x, AL2023 for EMR 7.x:
  https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-default-ami.html
- glibc 2.26 (AL2) and 2.34 (AL2023): https://docs.aws.amazon.com/linux/al2023/ug/glibc-gcc-and-binutils.html

The release guides describe EMR on EC2 only. **For EMR Serverless and EMR on EKS the same values are an
assumption**: their release images are built from the same EMR release (the EKS and Serverless guides list Spark
versions, not Python), so 3.9 on AL2023 for 7.x and 3.7 on AL2 for 6.x; ``PythonRuntime.assumed`` says so and
tests/unit/core/test_python_runtimes.py pins it. A job that installs another Python (a custom image) packages with an
explicit ``python_version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from emr_constructs.core.releases import ReleaseLabel

RUNTIMES = ("serverless", "ec2", "eks")
"""The runtimes, named as the ``emrctl`` command groups."""


class CpuArchitecture(Enum):
    """The CPU a job's Python runs on, named as in wheel platform tags (``manylinux2014_aarch64``)."""

    AARCH64 = "aarch64"
    """Graviton (EMR Serverless ``ARM64``)."""
    X86_64 = "x86_64"
    """Intel and AMD (EMR Serverless ``X86_64``)."""

    @classmethod
    def of(cls, value: str) -> CpuArchitecture:
        """``aarch64``/``arm64``/``graviton`` or ``x86_64``/``amd64``, any case (EMR Serverless says ``ARM64`` and
        ``X86_64``); raise ``ValueError`` naming the allowed values otherwise."""
        normalized = str(value).strip().lower().replace("-", "_")
        aliases = {"aarch64": cls.AARCH64, "arm64": cls.AARCH64, "graviton": cls.AARCH64}
        aliases.update({"x86_64": cls.X86_64, "amd64": cls.X86_64, "x64": cls.X86_64})
        if normalized not in aliases:
            raise ValueError(f"architecture: got {value!r}; allowed: aarch64 (ARM64, Graviton) or x86_64")
        return aliases[normalized]


DEFAULT_ARCHITECTURE = CpuArchitecture.AARCH64
"""The library's defaults are Graviton (Serverless ``ARM64``, ``m7g`` instances), so archives default to aarch64."""


@dataclass(frozen=True)
class _Image:
    python_version: str
    operating_system: str
    glibc: tuple[int, int]


_BY_MAJOR: dict[int, _Image] = {
    6: _Image("3.7", "Amazon Linux 2", (2, 26)),
    7: _Image("3.9", "Amazon Linux 2023", (2, 34)),
}
"""Per EMR major release line: the default ``python3``, the operating system and its glibc (see above)."""

_MANYLINUX = (("manylinux_2_28", (2, 28)), ("manylinux2014", (2, 17)))
"""The wheel platform families ``emrctl package`` asks pip for, newest first, with the glibc each needs (PEP 600;
``manylinux2014`` is ``manylinux_2_17``). Both are passed when the runtime's glibc allows: with one of them only, pip
silently picks older versions of packages that publish only the other."""

DOCUMENTED_RUNTIMES = ("ec2",)
"""Runtimes whose Python the AWS release guides state; for the others the table is an assumption."""


@dataclass(frozen=True)
class PythonRuntime:
    """The Python a PySpark job runs with on one runtime and release, and the wheels it can load."""

    runtime: str
    release: ReleaseLabel
    python_version: str
    """``X.Y`` of the runtime's ``python3``."""
    operating_system: str
    glibc: tuple[int, int]
    assumed: bool
    """True when AWS does not document the Python of this runtime (EMR Serverless, EMR on EKS): see the module."""

    def platforms(self, architecture: CpuArchitecture) -> tuple[str, ...]:
        """The pip ``--platform`` tags for ``architecture``, newest first: every manylinux family this runtime's
        glibc can load (AL2023: ``manylinux_2_28`` and ``manylinux2014``; AL2, glibc 2.26: ``manylinux2014``)."""
        return tuple(f"{tag}_{architecture.value}" for tag, needs in _MANYLINUX if needs <= self.glibc)

    @property
    def abi(self) -> str:
        """The CPython tag of this Python, e.g. ``cp39``."""
        return "cp" + self.python_version.replace(".", "")


def python_runtime(runtime: str, release: ReleaseLabel) -> PythonRuntime:
    """The Python of ``runtime`` (``serverless``, ``ec2`` or ``eks``) at ``release``; ``ValueError`` when the table
    has no entry (a token, the ``emr-spark`` line, a major line other than 6 and 7)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime: got {runtime!r}; allowed: {', '.join(RUNTIMES)}")
    image = None if release.is_spark_only or release.major is None else _BY_MAJOR.get(release.major)
    if image is None:
        known = ", ".join(f"emr-{major}.x" for major in sorted(_BY_MAJOR))
        raise ValueError(
            f"release_label: no known Python for {release.label!r} (known: {known}); give the Python version "
            "explicitly (emrctl package --python-version X.Y)"
        )
    return PythonRuntime(
        runtime=runtime,
        release=release,
        python_version=image.python_version,
        operating_system=image.operating_system,
        glibc=image.glibc,
        assumed=runtime not in DOCUMENTED_RUNTIMES,
    )


__all__ = [
    "DEFAULT_ARCHITECTURE",
    "DOCUMENTED_RUNTIMES",
    "RUNTIMES",
    "CpuArchitecture",
    "PythonRuntime",
    "python_runtime",
]
