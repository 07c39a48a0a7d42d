"""The Kubernetes namespace of a virtual cluster, with an optional ResourceQuota and LimitRange."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emr_constructs._internal.validation import fail, is_token

_QUANTITY = re.compile(r"(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")
"""A Kubernetes resource quantity such as ``500m``, ``4``, ``16Gi``, ``1.5G``."""


def check_quantity(prop: str, value: str | None) -> None:
    if value is None or is_token(value):
        return
    if not isinstance(value, str) or not _QUANTITY.fullmatch(value):
        raise fail(prop, value, "must be a Kubernetes quantity such as '500m', '4', '16Gi' or '1.5G'")


@dataclass(frozen=True, kw_only=True)
class ResourceQuota:
    """Caps on everything the namespace's pods may request (a Kubernetes ResourceQuota).

    :param requests_cpu: e.g. ``"64"``. :param requests_memory: e.g. ``"256Gi"``.
    :param limits_cpu: Default: same as ``requests_cpu``. :param limits_memory: Default: same as ``requests_memory``.
    :param pods: Default: no cap on the number of pods.
    """

    requests_cpu: str | None = None
    requests_memory: str | None = None
    limits_cpu: str | None = None
    limits_memory: str | None = None
    pods: int | None = None

    def validate(self) -> None:
        for prop in ("requests_cpu", "requests_memory", "limits_cpu", "limits_memory"):
            check_quantity(f"resource_quota.{prop}", getattr(self, prop))
        if self.pods is not None and not is_token(self.pods) and self.pods < 1:
            raise fail("resource_quota.pods", self.pods, "must be at least 1")

    def manifest(self, namespace: str) -> dict[str, Any]:
        hard = {
            "requests.cpu": self.requests_cpu,
            "requests.memory": self.requests_memory,
            "limits.cpu": self.limits_cpu or self.requests_cpu,
            "limits.memory": self.limits_memory or self.requests_memory,
            "pods": None if self.pods is None else str(self.pods),
        }
        return {
            "apiVersion": "v1",
            "kind": "ResourceQuota",
            "metadata": {"name": "emr-quota", "namespace": namespace},
            "spec": {"hard": {k: v for k, v in hard.items() if v is not None}},
        }


@dataclass(frozen=True, kw_only=True)
class LimitRange:
    """Default requests/limits for containers that set none (a Kubernetes LimitRange)."""

    default_cpu: str | None = None
    default_memory: str | None = None
    default_request_cpu: str | None = None
    default_request_memory: str | None = None

    def validate(self) -> None:
        for prop in ("default_cpu", "default_memory", "default_request_cpu", "default_request_memory"):
            check_quantity(f"limit_range.{prop}", getattr(self, prop))

    def manifest(self, namespace: str) -> dict[str, Any]:
        limit: dict[str, Any] = {"type": "Container"}
        default = {k: v for k, v in (("cpu", self.default_cpu), ("memory", self.default_memory)) if v}
        request = {k: v for k, v in (("cpu", self.default_request_cpu), ("memory", self.default_request_memory)) if v}
        if default:
            limit["default"] = default
        if request:
            limit["defaultRequest"] = request
        return {
            "apiVersion": "v1",
            "kind": "LimitRange",
            "metadata": {"name": "emr-limits", "namespace": namespace},
            "spec": {"limits": [limit]},
        }


def namespace_manifest(namespace: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {"app.kubernetes.io/managed-by": "emr-constructs"}},
    }
