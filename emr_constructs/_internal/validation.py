"""Token-aware validators.

Each helper raises ``ValueError`` with one message shape: the prop name, the bad value and what is allowed.
Unresolved CDK tokens always pass: their value is only known at deploy time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aws_cdk import Token


def is_token(value: Any) -> bool:
    """True when ``value`` is (or contains) an unresolved CDK token."""
    if value is None:
        return False
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    return bool(Token.is_unresolved(value))


def fail(prop: str, value: Any, allowed: str) -> ValueError:
    """Build the library's standard error: ``<prop>: got <value>; <allowed>``."""
    return ValueError(f"{prop}: got {value!r}; {allowed}")


def check_range(prop: str, value: float | None, low: float | None = None, high: float | None = None) -> None:
    """Raise unless ``low <= value <= high``; ``None`` and tokens pass."""
    if value is None or is_token(value):
        return
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"between {low} and {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        raise fail(prop, value, f"must be {bounds}")


def check_one_of(prop: str, value: Any, allowed: Iterable[Any]) -> None:
    """Raise unless ``value`` is one of ``allowed``; tokens pass."""
    if value is None or is_token(value):
        return
    allowed_list = list(allowed)
    if value not in allowed_list:
        raise fail(prop, value, f"allowed values: {', '.join(map(str, allowed_list))}")


def check_pattern(prop: str, value: str | None, pattern: str, description: str) -> None:
    """Raise unless ``value`` fully matches ``pattern``; tokens pass."""
    if value is None or is_token(value):
        return
    if not re.fullmatch(pattern, value):
        raise fail(prop, value, f"must be {description}")


def check_s3_uri(prop: str, value: str | None) -> None:
    """Raise unless ``value`` is an ``s3://bucket/key`` URI; tokens (and URIs built from tokens) pass."""
    if value is None or is_token(value):
        return
    if not re.fullmatch(r"s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?", value):
        raise fail(prop, value, "must be an s3:// URI such as 's3://my-bucket/path/script.sh'")
