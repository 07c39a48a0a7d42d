"""Knowledge written once: the default release label, every IAM action and service condition key, and the
cost-allocation tag keys are defined in ``emr_constructs.core`` and referred to everywhere else.

The scan reads the source of the library, the reference stacks and ``app.py`` (string literals, not docstrings), so
a literal added anywhere later fails here and names its file and line.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Callable

from emr_constructs.core import iam_actions, tags
from emr_constructs.core.releases import (
    DEFAULT_EC2_RELEASE_LABEL,
    DEFAULT_EKS_RELEASE_LABEL,
    DEFAULT_SERVERLESS_RELEASE_LABEL,
    ReleaseLabel,
)
from tests.unit.core._source import CORE, SCANNED, StringConstant, parse, python_files, string_constants

STRINGS = list(string_constants(*SCANNED))
IAM_NAME = re.compile(r"^[a-z0-9-]+:[A-Za-z*]+$")
"""``service:Action`` or ``service:ConditionKey``."""
GLOBAL_CONDITION_KEY_PREFIX = "aws:"
"""Allowed anywhere: global condition keys (``aws:SourceArn``, ``aws:SourceAccount``, ``aws:RequestedRegion``,
``aws:TagKeys``) belong to no service and are part of each statement's wording; ``aws:kms`` (in the same shape) is
an S3 server-side-encryption value, not an action."""


def _outside_core(predicate: Callable[[StringConstant], object]) -> list[str]:
    return [str(s) for s in STRINGS if not s.in_core and predicate(s)]


# ---- the default release label ---------------------------------------------------------------------------------


def test_the_default_release_is_one_release_for_every_runtime() -> None:
    assert DEFAULT_EC2_RELEASE_LABEL == DEFAULT_SERVERLESS_RELEASE_LABEL
    assert DEFAULT_EKS_RELEASE_LABEL.version == DEFAULT_EC2_RELEASE_LABEL.version
    assert DEFAULT_EKS_RELEASE_LABEL.suffix == "latest"


def test_the_default_release_label_literal_appears_once_in_core() -> None:
    # Given every string literal, When matching the default labels exactly, Then only one is found, in core.
    defaults = {
        DEFAULT_EC2_RELEASE_LABEL.label,
        DEFAULT_SERVERLESS_RELEASE_LABEL.label,
        DEFAULT_EKS_RELEASE_LABEL.label,
    }
    exact = [s for s in STRINGS if s.value in defaults]
    assert len(exact) == 1, [str(s) for s in exact]
    assert exact[0].in_core


def test_no_default_release_label_outside_core() -> None:
    # Not even inside a longer string (a message, an f-string part, a "-latest" label).
    base = DEFAULT_EC2_RELEASE_LABEL.label
    assert _outside_core(lambda s: base in s.value) == []


def test_the_default_release_constant_is_named_only_in_core() -> None:
    # ``ReleaseLabel.EMR_7_10_0`` outside core would be the default picked by hand a second time.
    assert DEFAULT_EC2_RELEASE_LABEL.version is not None
    constant = "EMR_" + "_".join(map(str, DEFAULT_EC2_RELEASE_LABEL.version))
    assert getattr(ReleaseLabel, constant) == DEFAULT_EC2_RELEASE_LABEL
    offenders = [
        f"{path}:{node.lineno}"
        for path in python_files(*SCANNED)
        if CORE not in path.parents
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Attribute) and node.attr == constant
    ]
    assert offenders == []


# ---- IAM actions and condition keys ----------------------------------------------------------------------------


def test_iam_names_appear_only_in_core() -> None:
    # Given every ``service:Name`` literal outside core, Then none is left but the global condition keys.
    found = _outside_core(lambda s: IAM_NAME.match(s.value) and not s.value.startswith(GLOBAL_CONDITION_KEY_PREFIX))
    assert found == []


def test_each_iam_name_is_defined_once_in_core() -> None:
    counts = Counter(s.value for s in STRINGS if s.in_core and IAM_NAME.match(s.value))
    assert len(counts) > 50  # the scan sees the actions
    assert [name for name, count in counts.items() if count > 1] == []


def _service_classes() -> dict[str, dict[str, str]]:
    return {
        cls.__name__: {k: v for k, v in vars(cls).items() if k.isupper()}
        for cls in vars(iam_actions).values()
        if isinstance(cls, type) and cls.__module__ == iam_actions.__name__
    }


def test_each_service_class_holds_only_its_own_prefix() -> None:
    for name, members in _service_classes().items():
        prefixes = {value.split(":", 1)[0] for value in members.values()}
        assert len(prefixes) == 1, (name, prefixes)


def test_every_iam_constant_is_used() -> None:
    # A constant nobody grants is dead knowledge: each ``Service.NAME`` is referenced somewhere in the shipped code.
    used = {
        (node.value.id, node.attr)
        for path in python_files(*SCANNED)
        for node in ast.walk(parse(path))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    unused = [
        f"{cls}.{attr}" for cls, members in _service_classes().items() for attr in members if (cls, attr) not in used
    ]
    assert unused == []


# ---- cost-allocation tags --------------------------------------------------------------------------------------


def test_cost_allocation_tag_keys_appear_only_in_core() -> None:
    # A response key (``get_application(...)["application"]``) or a prop name (``check_type("application", ...)``)
    # is another word spelled like the tag key: only a literal used as a value counts.
    keys = {tags.APPLICATION_TAG, tags.COST_CENTER_TAG, tags.PIPELINE_TAG_KEY}
    assert _outside_core(lambda s: s.value in keys and s.use == "literal") == []


def test_the_scan_tells_keys_and_prop_names_from_values() -> None:
    uses = {s.use for s in STRINGS if s.value == tags.APPLICATION_TAG and not s.in_core}
    assert {"key", "prop"} <= uses


def test_the_scan_sees_literals_outside_core() -> None:
    # The scan is not vacuous: it reads the library and the stacks.
    assert any(not s.in_core and s.value == "Resource" for s in STRINGS)
    assert any("stacks" in s.path.parts for s in STRINGS)
    assert isinstance(STRINGS[0], StringConstant)
