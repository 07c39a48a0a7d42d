"""Token-aware validators: the pure checks of ``emr_constructs.core.validation``, skipped for unresolved CDK tokens.

Each helper raises ``ValueError`` with one message shape: the prop name, the bad value and what is allowed.
Unresolved CDK tokens always pass: their value is only known at deploy time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aws_cdk import Token

from emr_constructs.core import validation as core
from emr_constructs.core.validation import fail

__all__ = ["check_one_of", "check_pattern", "check_range", "check_s3_uri", "fail", "is_token"]


def is_token(value: Any) -> bool:
    """True when ``value`` is (or contains) an unresolved CDK token."""
    if value is None:
        return False
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    return bool(Token.is_unresolved(value))


def check_range(prop: str, value: float | None, low: float | None = None, high: float | None = None) -> None:
    """Raise unless ``low <= value <= high``; ``None`` and tokens pass; a non-number (``"1"``, ``True``) raises
    ``PropTypeError`` naming ``prop`` instead of failing the comparison."""
    if not is_token(value):
        core.check_type(prop, value, (int, float), optional=True)
        core.check_range(prop, value, low, high)


def check_one_of(prop: str, value: Any, allowed: Iterable[Any]) -> None:
    """Raise unless ``value`` is one of ``allowed``; ``None`` and tokens pass."""
    if not is_token(value):
        core.check_one_of(prop, value, allowed)


def check_pattern(prop: str, value: str | None, pattern: str, description: str) -> None:
    """Raise unless ``value`` fully matches ``pattern``; ``None`` and tokens pass."""
    if not is_token(value):
        core.check_pattern(prop, value, pattern, description)


def check_s3_uri(prop: str, value: str | None) -> None:
    """Raise unless ``value`` is an ``s3://bucket/key`` URI; ``None``, tokens and URIs built from tokens pass."""
    if not is_token(value):
        core.check_s3_uri(prop, value)
