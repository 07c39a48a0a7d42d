"""Recognising unresolved AWS CDK tokens without importing aws_cdk.

A token is a placeholder for a value known only at deploy time. aws-cdk encodes it in a plain value, so pure code can
recognise it by shape, exactly as ``Token.is_unresolved`` does (aws-cdk ``core/lib/private/encoding.ts``):

- a string containing ``${Token[<key>]}`` (or, next to such a marker, a stringified number token);
- a list of one string ``#{Token[<key>]}`` (a stringified list);
- a number whose IEEE-754 bits carry the marker ``0xFBFF`` in their top 16 bits;
- any object with a ``resolve`` method (an ``IResolvable``).
"""

from __future__ import annotations

import re
import struct
from typing import Any

_KEY = r"[a-zA-Z0-9:._-]+"
_STRING_TOKEN = re.compile(r"\$\{Token\[" + _KEY + r"\]\}|-1\.\d{10,16}e\+289")
_LIST_TOKEN = re.compile(r"#\{Token\[" + _KEY + r"\]\}")
_DOUBLE_MARKER = 0xFBFF


def is_unresolved(value: Any) -> bool:
    """True when ``value`` is an unresolved CDK token (the same answer as ``aws_cdk.Token.is_unresolved``)."""
    if isinstance(value, str):
        return "Token[" in value and _STRING_TOKEN.search(value) is not None
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        bits: int = struct.unpack("<Q", struct.pack("<d", value))[0]
        return bits >> 48 == _DOUBLE_MARKER
    if isinstance(value, int):
        return False
    if isinstance(value, (list, tuple)):
        return len(value) == 1 and isinstance(value[0], str) and _LIST_TOKEN.search(value[0]) is not None
    return callable(getattr(value, "resolve", None))


def contains_unresolved(value: Any) -> bool:
    """True when ``value`` is a token or a list/tuple with a token among its items (``None`` is not)."""
    if value is None:
        return False
    if isinstance(value, (list, tuple)):
        return any(contains_unresolved(v) for v in value)
    return is_unresolved(value)
