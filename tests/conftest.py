"""Shared fixtures. Synthesis is slow (jsii), so each App is built once per module or session."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

ROOT = Path(__file__).resolve().parent.parent


def cdk_context(**extra: Any) -> dict[str, Any]:
    """The context of cdk.json (feature flags and environments): tests pass it explicitly, as cdk.json is not read."""
    context = dict(json.loads((ROOT / "cdk.json").read_text())["context"])
    context.update(extra)
    return context


def new_app(tmp_path: Path | None = None, **context: Any) -> cdk.App:
    return cdk.App(context=cdk_context(**context), outdir=str(tmp_path) if tmp_path else None)


def new_stack(app: cdk.App | None = None, stack_id: str = "Test") -> tuple[cdk.Stack, ec2.Vpc]:
    """A stack with a two-AZ VPC (public + private-with-egress subnets) for constructs under test."""
    stack = cdk.Stack(app or new_app(), stack_id)
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    return stack, vpc


@pytest.fixture(scope="session")
def make_stack() -> Callable[..., tuple[cdk.Stack, ec2.Vpc]]:
    return new_stack


def template_of(stack: cdk.Stack) -> Template:
    return Template.from_stack(stack)


def resources_of(template: Template, resource_type: str) -> dict[str, Any]:
    return dict(template.find_resources(resource_type))


def only_resource(template: Template, resource_type: str) -> dict[str, Any]:
    found = resources_of(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {len(found)}"
    return next(iter(found.values()))
