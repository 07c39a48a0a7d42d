"""Naming helpers: deterministic physical names (needs the construct tree); base36 lives in ``emr_constructs.core``."""

from __future__ import annotations

from aws_cdk import Names
from constructs import IConstruct

from emr_constructs.core.naming import base36

__all__ = ["base36", "physical_name"]


def physical_name(construct: IConstruct, prefix: str, max_length: int = 64) -> str:
    """A literal, deterministic name (known at synth time) unique to ``construct``'s path in the app."""
    unique = Names.unique_id(construct)
    return (prefix + unique[-(max_length - len(prefix)) :])[:max_length]
