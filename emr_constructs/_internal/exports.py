"""Lazy re-exports (PEP 562) for ``emr_constructs`` and its subpackages, driven by one name -> module map.

The map lives in ``emr_constructs/__init__.py``; each subpackage re-exports the part of it that lives under the
subpackage. Names load on first access, so ``emr_constructs.ops`` and ``emr_constructs.jobs.spec`` import without
aws_cdk and jsii.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def exports_under(exports: Mapping[str, str], package: str) -> dict[str, str]:
    """The entries of ``exports`` whose module lives under ``package`` (a dotted package name)."""
    prefix = f"{package}."
    return {name: module for name, module in exports.items() if module.startswith(prefix)}


def lazy_attributes(package: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` that imports ``exports[name]`` on first access, and the matching ``__dir__``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
