"""Token-aware type and value checks at the library's public boundary.

Each check raises ``PropTypeError`` (a ``TypeError``) for a wrong type and ``ValueError`` for a bad value, naming the
prop path, showing the value and saying what is allowed. Unresolved CDK tokens always pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from functools import cache
from typing import Any

from emr_constructs._internal.validation import is_token
from emr_constructs.core import validation as core
from emr_constructs.core.validation import PropTypeError, fail

__all__ = [
    "PropTypeError",
    "check_ec2_instance_type",
    "check_enum",
    "check_glue_databases",
    "check_int",
    "check_required",
    "check_s3_prefix",
    "check_s3_prefixes",
    "check_sequence_of",
    "check_text",
    "check_type",
    "ec2_instance_types",
]


def _token(value: Any) -> bool:
    """``is_token`` for any value: objects that are not jsii values are never tokens."""
    try:
        return is_token(value)
    except Exception:
        return False


def check_required(prop: str, value: Any) -> None:
    """Raise ``ValueError`` when ``value`` is ``None``."""
    core.check_required(prop, value)


def check_type(prop: str, value: Any, expected: type | tuple[type, ...], *, optional: bool = False) -> None:
    """Raise ``PropTypeError`` unless ``value`` is an ``expected`` instance; tokens pass."""
    if not _token(value):
        core.check_type(prop, value, expected, optional=optional)


def check_int(prop: str, value: Any, *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is an ``int`` (not ``bool``, not ``"3"``); number tokens pass."""
    if not _token(value):
        core.check_int(prop, value, optional=optional)


def check_sequence_of(prop: str, value: Any, item_type: type | tuple[type, ...], *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is a list/tuple of ``item_type``; a ``str`` is never iterated.

    A list token (``Token.as_list``) passes, and so do token items.
    """
    if isinstance(value, (list, tuple)):
        if isinstance(value, list) and len(value) == 1 and _token(value[0]) and not isinstance(value[0], str):
            return
        for i, item in enumerate(value):
            if not _token(item):
                core.check_type(f"{prop}[{i}]", item, item_type)
        return
    core.check_sequence_of(prop, value, item_type, optional=optional)


def check_enum(prop: str, value: Any, enum_type: type[Enum], *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is a member of ``enum_type``; a raw string is rejected."""
    core.check_enum(prop, value, enum_type, optional=optional)


def check_text(prop: str, value: Any, *, optional: bool = True) -> None:
    """Raise unless ``value`` is printable ASCII without stray whitespace; tokens pass."""
    if not _token(value):
        core.check_text(prop, value, optional=optional)


@cache
def ec2_instance_types() -> frozenset[str]:
    """Every EC2 instance type name, from botocore's EC2 service model (``InstanceType`` enum)."""
    import botocore.session

    shape = botocore.session.get_session().get_service_model("ec2").shape_for("InstanceType")
    return frozenset(shape.enum)


def check_ec2_instance_type(prop: str, value: Any) -> None:
    """Raise unless ``value`` is an EC2 instance type known to botocore; tokens pass."""
    if _token(value):
        return
    core.check_type(prop, value, str)
    if value not in ec2_instance_types():
        raise fail(prop, value, "must be an EC2 instance type such as 'm7g.xlarge' (botocore's EC2 InstanceType)")


def check_s3_prefix(prop: str, value: Any) -> None:
    """Raise unless ``value`` is a key prefix inside a bucket (not ``''``, ``'*'`` or an ``s3://`` URI)."""
    if not _token(value):
        core.check_s3_key_prefix(prop, value)


def check_s3_prefixes(prop: str, value: Any) -> None:
    """Raise unless ``value`` is a non-empty list of key prefixes; a single ``str`` is rejected, never iterated."""
    check_sequence_of(prop, value, str, optional=False)
    if not value:
        raise fail(prop, list(value), "name at least one key prefix")
    for i, prefix in enumerate(value):
        check_s3_prefix(f"{prop}[{i}]", prefix)


def check_glue_databases(prop: str, value: Any) -> None:
    """Raise unless ``value`` is a non-empty list of non-empty Glue database names; a ``str`` is rejected."""
    check_sequence_of(prop, value, str, optional=False)
    databases: Sequence[Any] = value
    if not databases:
        raise fail(prop, list(databases), "name at least one Glue database")
    for i, db in enumerate(databases):
        check_text(f"{prop}[{i}]", db)
