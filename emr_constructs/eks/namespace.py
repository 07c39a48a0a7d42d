"""The Kubernetes namespace of a virtual cluster, with an optional ResourceQuota and LimitRange.

Admission rules these follow (https://kubernetes.io/docs/concepts/policy/resource-quotas/,
https://kubernetes.io/docs/concepts/policy/limit-range/): a quota on ``requests.cpu``/``requests.memory`` rejects
every container that requests none, a quota on ``limits.cpu``/``limits.memory`` every container without that limit;
a LimitRange fills in defaults first. Spark sets no CPU limit unless ``spark.kubernetes.{driver,executor}.limit.cores``
is set, so a quota caps requests by default and a quota on limits needs a LimitRange default for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from emr_constructs._internal.types import check_int
from emr_constructs._internal.validation import fail, is_token

DEFAULT_CONTAINER_REQUEST_CPU = "100m"
DEFAULT_CONTAINER_REQUEST_MEMORY = "256Mi"
"""Requests given to a container that declares none, in a namespace whose quota caps requests."""

_QUANTITY = re.compile(r"(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")
"""A Kubernetes resource quantity such as ``500m``, ``4``, ``16Gi``, ``1.5G``."""


def check_quantity(prop: str, value: str | None) -> None:
    """Raise ``ValueError`` naming ``prop`` unless ``value`` is a Kubernetes quantity, ``None`` or a token."""
    if value is None or is_token(value):
        return
    if not isinstance(value, str) or not value.isascii() or not _QUANTITY.fullmatch(value):
        raise fail(prop, value, "must be a Kubernetes quantity such as '500m', '4', '16Gi' or '1.5G'")


@dataclass(frozen=True, kw_only=True)
class ResourceQuota:
    """Caps on everything the namespace's pods may request (a Kubernetes ResourceQuota).

    :param requests_cpu: e.g. ``"64"``. :param requests_memory: e.g. ``"256Gi"``.
    :param limits_cpu: Default: no cap on limits. A cap needs ``LimitRange(default_cpu=...)``: Spark sets no CPU
        limit by default, and the quota rejects containers without one.
    :param limits_memory: Default: no cap on limits. A cap needs ``LimitRange(default_memory=...)``.
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
        if self.pods is not None and not is_token(self.pods):
            check_int("resource_quota.pods", self.pods)
            if self.pods < 1:
                raise fail("resource_quota.pods", self.pods, "must be at least 1")

    def manifest(self, namespace: str) -> dict[str, Any]:
        hard = {
            "requests.cpu": self.requests_cpu,
            "requests.memory": self.requests_memory,
            "limits.cpu": self.limits_cpu,
            "limits.memory": self.limits_memory,
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

    @classmethod
    def for_quota(cls, quota: ResourceQuota) -> LimitRange:
        """Default requests for the resources whose requests ``quota`` caps, so that a container that declares
        none (a sidecar, an init container) is not rejected: 100m CPU, 256Mi memory."""
        return cls(
            default_request_cpu=DEFAULT_CONTAINER_REQUEST_CPU if quota.requests_cpu else None,
            default_request_memory=DEFAULT_CONTAINER_REQUEST_MEMORY if quota.requests_memory else None,
        )

    def is_empty(self) -> bool:
        return not any((self.default_cpu, self.default_memory, self.default_request_cpu, self.default_request_memory))

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


def check_quota_admits_spark(quota: ResourceQuota, limit_range: LimitRange | None) -> None:
    """A quota on limits rejects every container without that limit; Spark sets no CPU limit by default, and
    other containers of a job may set no memory limit: require the LimitRange default that fills them in."""
    for prop, default_prop in (("limits_cpu", "default_cpu"), ("limits_memory", "default_memory")):
        value = getattr(quota, prop)
        if value is not None and (limit_range is None or getattr(limit_range, default_prop) is None):
            raise fail(
                f"resource_quota.{prop}",
                value,
                f"a quota on limits rejects every container without that limit, and Spark sets no CPU limit unless "
                f"spark.kubernetes.{{driver,executor}}.limit.cores is set: give limit_range=LimitRange("
                f"{default_prop}=...) (at least the largest request of a container), or cap requests only",
            )


def namespace_manifest(namespace: str) -> dict[str, Any]:
    """The Kubernetes manifest of the namespace that holds the virtual cluster's jobs."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": namespace, "labels": {"app.kubernetes.io/managed-by": "emr-constructs"}},
    }
