"""Naming helpers: base36 as EMR on EKS uses it, and deterministic physical names."""

from __future__ import annotations

import string

from aws_cdk import Names
from constructs import IConstruct

_DIGITS = string.digits + string.ascii_lowercase


def base36(text: str) -> str:
    """Encode ``text`` the way EMR on EKS names its service accounts: the UTF-8 bytes read as one big-endian
    integer, written in base 36 with lowercase digits (the AWS CLI's ``update-role-trust-policy`` does the same)."""
    number = int.from_bytes(text.encode("utf-8"), "big")
    if number == 0:
        return "0"
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(_DIGITS[remainder])
    return "".join(reversed(digits))


def physical_name(construct: IConstruct, prefix: str, max_length: int = 64) -> str:
    """A literal, deterministic name (known at synth time) unique to ``construct``'s path in the app."""
    unique = Names.unique_id(construct)
    return (prefix + unique[-(max_length - len(prefix)) :])[:max_length]
