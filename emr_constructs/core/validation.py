"""Pure validators: one message shape for every error, ``<prop>: got <value>; <what is allowed>``.

These know nothing about CDK tokens. Construct code calls them through ``emr_constructs._internal.validation``,
which lets unresolved tokens pass; the CLI and the job spec call them directly on plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

S3_URI = re.compile(r"s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?")
"""An ``s3://bucket[/key]`` URI with a valid bucket name."""


def fail(prop: str, value: Any, allowed: str) -> ValueError:
    """Build the library's standard error: ``<prop>: got <value>; <allowed>``."""
    return ValueError(f"{prop}: got {value!r}; {allowed}")


def check_range(prop: str, value: float | None, low: float | None = None, high: float | None = None) -> None:
    """Raise unless ``low <= value <= high``; ``None`` passes."""
    if value is None:
        return
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"between {low} and {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        raise fail(prop, value, f"must be {bounds}")


def check_one_of(prop: str, value: Any, allowed: Iterable[Any]) -> None:
    """Raise unless ``value`` is one of ``allowed``; ``None`` passes."""
    if value is None:
        return
    allowed_list = list(allowed)
    if value not in allowed_list:
        raise fail(prop, value, f"allowed values: {', '.join(map(str, allowed_list))}")


def check_pattern(prop: str, value: str | None, pattern: str, description: str) -> None:
    """Raise unless ``value`` fully matches ``pattern``; ``None`` passes."""
    if value is None:
        return
    if not re.fullmatch(pattern, value):
        raise fail(prop, value, f"must be {description}")


def is_s3_uri(value: str) -> bool:
    """True for an ``s3://bucket[/key]`` URI."""
    return S3_URI.fullmatch(value) is not None


def check_s3_uri(prop: str, value: str | None) -> None:
    """Raise unless ``value`` is an ``s3://bucket/key`` URI; ``None`` passes."""
    if value is None:
        return
    if not is_s3_uri(value):
        raise fail(prop, value, "must be an s3:// URI such as 's3://my-bucket/path/script.sh'")


# ---- types at the boundary -----------------------------------------------------------------------------------------


class PropTypeError(TypeError):
    """A prop of the wrong type: ``<prop>: got <value> (<type>); <what is allowed>``."""


def type_error(prop: str, value: Any, allowed: str) -> PropTypeError:
    """Build the library's standard type error: ``<prop>: got <value> (<type>); <allowed>``."""
    return PropTypeError(f"{prop}: got {value!r} ({type(value).__name__}); {allowed}")


def _names(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(t.__name__ for t in types)


def check_required(prop: str, value: Any) -> None:
    """Raise ``ValueError`` when a required ``value`` is ``None``."""
    if value is None:
        raise fail(prop, value, "is required")


def check_type(prop: str, value: Any, expected: type | tuple[type, ...], *, optional: bool = False) -> None:
    """Raise ``PropTypeError`` unless ``value`` is an instance of ``expected`` (``None`` passes when ``optional``).

    ``bool`` is never accepted where ``int`` or ``float`` is expected.
    """
    if value is None and optional:
        return
    types = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in types:
        raise type_error(prop, value, f"must be {_names(expected)}")
    if not any(_is_instance(value, t) for t in types):
        raise type_error(prop, value, f"must be {_names(expected)}")


_PLAIN = (str, bytes, int, float, bool, list, tuple, dict, set, frozenset)


def _is_instance(value: Any, expected: type) -> bool:
    """``isinstance``, except for interfaces (jsii protocols such as ``s3.IBucket``) that cannot be checked at run
    time: there any object but a plain value (string, number, collection, ``None``) passes."""
    try:
        return isinstance(value, expected)
    except TypeError:
        return value is not None and not isinstance(value, _PLAIN)


def check_int(prop: str, value: Any, *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is an ``int`` (not a ``bool``, not a string of digits)."""
    check_type(prop, value, int, optional=optional)


def check_sequence_of(prop: str, value: Any, item_type: type | tuple[type, ...], *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is a list or tuple of ``item_type``.

    A ``str`` is rejected outright and never iterated: ``"abc"`` where ``["abc"]`` was meant would otherwise be read
    character by character.
    """
    if value is None and optional:
        return
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise type_error(prop, value, f"must be a list of {_names(item_type)}")
    for i, item in enumerate(value):
        check_type(f"{prop}[{i}]", item, item_type)


def check_mapping_of(prop: str, value: Any, key_type: type, value_type: type | tuple[type, ...]) -> None:
    """Raise ``PropTypeError`` unless ``value`` is a mapping of ``key_type`` to ``value_type``."""
    if not isinstance(value, Mapping):
        raise type_error(prop, value, f"must be a mapping of {key_type.__name__} to {_names(value_type)}")
    for key, item in value.items():
        check_type(f"{prop} key", key, key_type)
        check_type(f"{prop}[{key!r}]", item, value_type)


E = TypeVar("E", bound=Enum)


def check_enum(prop: str, value: Any, enum_type: type[E], *, optional: bool = True) -> None:
    """Raise ``PropTypeError`` unless ``value`` is a member of ``enum_type`` (a raw string is not accepted)."""
    if value is None and optional:
        return
    if not isinstance(value, enum_type):
        members = ", ".join(f"{enum_type.__name__}.{m.name}" for m in enum_type)
        raise type_error(prop, value, f"must be one of {members}")


_ASCII_TEXT = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?")


def check_text(prop: str, value: Any, *, optional: bool = True) -> None:
    """Raise unless ``value`` is a non-empty printable-ASCII string without leading/trailing whitespace.

    Rejects look-alike digits (``'٣'``) and stray whitespace (``' emr-7.5.0'``, ``'4g\\n'``).
    """
    if value is None and optional:
        return
    check_type(prop, value, str)
    if not _ASCII_TEXT.fullmatch(value):
        raise fail(prop, value, "must be non-empty printable ASCII without leading or trailing whitespace")


SPARK_MEMORY = re.compile(r"[0-9]+[kmgtKMGT]")
"""A Spark memory size with a unit: ``4g``, ``512m``."""


def check_spark_memory(prop: str, value: Any) -> None:
    """Raise unless ``value`` is a Spark memory size with a unit (``4g``, ``512m``); ``None`` passes."""
    if value is None:
        return
    check_type(prop, value, str)
    if not SPARK_MEMORY.fullmatch(value):
        raise fail(prop, value, "must be a Spark memory size with a unit such as '4g' or '512m'")


def check_spark_conf(prop: str, conf: Any) -> None:
    """Raise unless ``conf`` maps ``spark.*`` keys to strings (memory properties with a unit)."""
    check_mapping_of(prop, conf, str, str)
    for key, value in conf.items():
        check_text(f"{prop} key", key)
        if not key.startswith("spark."):
            raise fail(f"{prop}[{key!r}]", key, "Spark property keys start with 'spark.'")
        if key.endswith(".memory") or key.endswith(".memoryOverhead"):
            check_spark_memory(f"{prop}[{key!r}]", value)


ECR_IMAGE = re.compile(
    r"[0-9]{12}\.dkr\.ecr\.[a-z]{2}(?:-[a-z]+)+-[0-9]\.amazonaws\.com(?:\.cn)?/[a-z0-9][a-z0-9._/-]*(?::[\w.-]+|@sha256:[0-9a-f]{64})?"
)
"""An ECR image URI: ``<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]``."""


def check_ecr_image(prop: str, value: Any) -> None:
    """Raise unless ``value`` is an ECR image URI; ``None`` passes."""
    if value is None:
        return
    check_type(prop, value, str)
    if not ECR_IMAGE.fullmatch(value):
        raise fail(prop, value, "must be an ECR image URI '<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag]'")


def check_s3_key_prefix(prop: str, value: Any) -> None:
    """Raise unless ``value`` is a key prefix inside a bucket: not empty, not ``*``, not an ``s3://`` URI."""
    check_type(prop, value, str)
    if value in ("", "*", "/") or value.startswith(("s3://", "s3a://", "/")) or "*" in value:
        raise fail(
            prop, value, "must be a key prefix inside the bucket such as 'data/raw/' (not '', '*' or an s3:// URI)"
        )
    check_text(prop, value)
