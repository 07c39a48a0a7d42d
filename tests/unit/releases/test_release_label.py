"""ReleaseLabel parsing and capability floors (pure Python: no synthesis)."""

from __future__ import annotations

import pytest
from aws_cdk import Token
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs.releases import (
    AUTO_TERMINATION,
    GRAVITON2,
    GRAVITON3,
    MULTI_PRIMARY_INSTANCE_FLEETS,
    MULTI_PRIMARY_INSTANCE_GROUPS,
    RUNTIME_ROLES,
    ReleaseLabel,
    check_instance_types_for_release,
)


@pytest.mark.parametrize(
    ("label", "line", "version", "suffix"),
    [
        ("emr-6.15.0", "emr", (6, 15, 0), None),
        ("emr-7.10.0", "emr", (7, 10, 0), None),
        ("emr-spark-8.0.0", "emr-spark", (8, 0, 0), None),
        ("emr-6.15.0-latest", "emr", (6, 15, 0), "latest"),
        ("emr-7.1.0-20240321", "emr", (7, 1, 0), "20240321"),
    ],
)
def test_valid_forms_parse(label: str, line: str, version: tuple[int, int, int], suffix: str | None) -> None:
    release = ReleaseLabel.of(label)
    assert (release.label, release.line, release.version, release.suffix) == (label, line, version, suffix)


@pytest.mark.parametrize(
    "label", ["emr7", "emr-7.1", "EMR-7.1.0", "emr-7.1.0-beta", "emr-spark-7.1.0", "emr-spark-8.0.0-latest", ""]
)
def test_malformed_labels_raise_naming_the_prop(label: str) -> None:
    with pytest.raises(ValueError, match=r"^release_label: got"):
        ReleaseLabel.of(label)


def test_constants_equal_parsed_labels() -> None:
    assert ReleaseLabel.EMR_7_10_0 == ReleaseLabel.of("emr-7.10.0")
    assert ReleaseLabel.EMR_5_36_2.version == (5, 36, 2)


def test_token_passes_every_check() -> None:
    release = ReleaseLabel.of(Token.as_string({"Ref": "Release"}))
    assert release.is_unresolved
    assert release.supports(RUNTIME_ROLES)
    release.require_ec2()


def test_eks_suffix_is_rejected_for_ec2() -> None:
    with pytest.raises(ValueError, match="EMR on EC2 takes"):
        ReleaseLabel.of("emr-7.1.0-latest").require_ec2()


@pytest.mark.parametrize(
    ("floor", "label", "supported"),
    [
        (GRAVITON2, "emr-5.29.0", False),
        (GRAVITON2, "emr-5.30.0", True),
        (GRAVITON2, "emr-6.0.0", False),
        (GRAVITON2, "emr-6.1.0", True),
        (GRAVITON2, "emr-7.0.0", True),
        (GRAVITON3, "emr-5.36.0", False),
        (GRAVITON3, "emr-5.36.1", True),
        (GRAVITON3, "emr-6.9.0", False),
        (GRAVITON3, "emr-6.10.0", True),
        (MULTI_PRIMARY_INSTANCE_GROUPS, "emr-5.22.0", False),
        (MULTI_PRIMARY_INSTANCE_GROUPS, "emr-5.23.0", True),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.8.0", False),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.8.1", True),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.9.0", False),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.9.1", True),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.11.0", False),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-6.12.0", True),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-5.36.2", True),
        (MULTI_PRIMARY_INSTANCE_FLEETS, "emr-7.0.0", True),
        (RUNTIME_ROLES, "emr-5.36.2", False),
        (RUNTIME_ROLES, "emr-6.6.0", False),
        (RUNTIME_ROLES, "emr-6.7.0", True),
        (AUTO_TERMINATION, "emr-6.0.0", False),
        (AUTO_TERMINATION, "emr-spark-8.0.0", True),
    ],
)
def test_capability_floors(floor: object, label: str, supported: bool) -> None:
    assert ReleaseLabel.of(label).supports(floor) is supported  # type: ignore[arg-type]


def test_graviton_type_below_floor_is_rejected_with_the_type_named() -> None:
    with pytest.raises(ValueError, match=r"instance_type: got 'm7g.xlarge'; Graviton3 .* 'emr-6.9.0'"):
        check_instance_types_for_release(ReleaseLabel.of("emr-6.9.0"), "instance_type", ["m7g.xlarge"])
    check_instance_types_for_release(ReleaseLabel.of("emr-6.9.0"), "instance_type", ["m6g.xlarge", "m5.xlarge"])


@given(st.integers(0, 20), st.integers(0, 40), st.integers(0, 9))
def test_any_well_formed_label_round_trips(major: int, minor: int, patch: int) -> None:
    label = f"emr-{major}.{minor}.{patch}"
    assert ReleaseLabel.of(label).version == (major, minor, patch)
    assert str(ReleaseLabel.of(label)) == label
