"""The Python and wheel platforms of each runtime and release (emr_constructs.core.python_runtimes).

Facts from AWS, not from the code:
- EMR 6.x ships Python 2.7 and 3.7: https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-6140-release.html
- EMR 7.x ships Python 3.9 (and 3.11 from 7.1.0):
  https://docs.aws.amazon.com/emr/latest/ReleaseGuide/emr-release-app-versions-7.x.html
- AL2 (EMR 6.x) has glibc 2.26, AL2023 (EMR 7.x) glibc 2.34:
  https://docs.aws.amazon.com/linux/al2023/ug/glibc-gcc-and-binutils.html
"""

from __future__ import annotations

import pytest

from emr_constructs.core.python_runtimes import (
    DEFAULT_ARCHITECTURE,
    RUNTIMES,
    CpuArchitecture,
    python_runtime,
)
from emr_constructs.core.releases import DEFAULT_EKS_RELEASE_LABEL, DEFAULT_SERVERLESS_RELEASE_LABEL, ReleaseLabel

EMR_6 = ReleaseLabel.of("emr-6.15.0")
EMR_7 = ReleaseLabel.of("emr-7.5.0")


@pytest.mark.parametrize("runtime", RUNTIMES)
def test_emr_6_runs_python_3_7_and_emr_7_python_3_9(runtime: str) -> None:
    assert python_runtime(runtime, EMR_6).python_version == "3.7"
    assert python_runtime(runtime, EMR_7).python_version == "3.9"
    assert python_runtime(runtime, EMR_7).abi == "cp39"


def test_serverless_and_eks_7x_python_3_9_is_an_assumption_pinned_here() -> None:
    # AWS documents the Python of EMR on EC2 releases only; the Serverless and EKS images are assumed to match.
    # If AWS documents otherwise, this test is the one place to change along with the table.
    for runtime in ("serverless", "eks"):
        for release in (DEFAULT_SERVERLESS_RELEASE_LABEL, DEFAULT_EKS_RELEASE_LABEL, EMR_7):
            found = python_runtime(runtime, release)
            assert (found.python_version, found.assumed) == ("3.9", True)
    assert python_runtime("ec2", EMR_7).assumed is False


def test_eks_labels_with_a_suffix_are_read_by_their_release() -> None:
    assert python_runtime("eks", ReleaseLabel.of("emr-6.15.0-20240105")).python_version == "3.7"


def test_al2023_loads_both_manylinux_families_and_al2_only_manylinux2014() -> None:
    # manylinux_2_28 needs glibc 2.28 (PEP 600): AL2023 (2.34) has it, AL2 (2.26) does not.
    assert python_runtime("serverless", EMR_7).platforms(CpuArchitecture.AARCH64) == (
        "manylinux_2_28_aarch64",
        "manylinux2014_aarch64",
    )
    assert python_runtime("ec2", EMR_7).platforms(CpuArchitecture.X86_64) == (
        "manylinux_2_28_x86_64",
        "manylinux2014_x86_64",
    )
    assert python_runtime("ec2", EMR_6).platforms(CpuArchitecture.AARCH64) == ("manylinux2014_aarch64",)


@pytest.mark.parametrize(
    ("label", "message"),
    [("emr-5.36.2", "no known Python for 'emr-5.36.2'"), ("emr-spark-8.0.0", "--python-version")],
)
def test_a_release_without_a_known_python_asks_for_the_version(label: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        python_runtime("serverless", ReleaseLabel.of(label))


def test_an_unknown_runtime_is_refused() -> None:
    with pytest.raises(ValueError, match="runtime: got 'glue'"):
        python_runtime("glue", EMR_7)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ARM64", CpuArchitecture.AARCH64),  # EMR Serverless GetApplication architecture
        ("X86_64", CpuArchitecture.X86_64),
        ("aarch64", CpuArchitecture.AARCH64),
        ("graviton", CpuArchitecture.AARCH64),
        ("amd64", CpuArchitecture.X86_64),
    ],
)
def test_architecture_names(value: str, expected: CpuArchitecture) -> None:
    assert CpuArchitecture.of(value) is expected


def test_a_wrong_architecture_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="allowed: aarch64"):
        CpuArchitecture.of("sparc")


def test_the_default_architecture_is_graviton() -> None:
    assert DEFAULT_ARCHITECTURE is CpuArchitecture.AARCH64
