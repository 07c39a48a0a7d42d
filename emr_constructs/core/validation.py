"""Pure validators: one message shape for every error, ``<prop>: got <value>; <what is allowed>``.

These know nothing about CDK tokens. Construct code calls them through ``emr_constructs._internal.validation``,
which lets unresolved tokens pass; the CLI and the job spec call them directly on plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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
