"""Synthesizes the reference app (as app.py does) for snapshot, compliance and example tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import cx_api
from constructs import IConstruct

from stacks.app_builder import build_stacks
from stacks.config import load_config
from tests.conftest import cdk_context


def is_annotation_warning(plugin: dict[str, Any], violation: dict[str, Any]) -> bool:
    """A construct annotation of severity warning (e.g. the config fields that replace a resource): reported, never a
    failure (synthesis succeeds with it), so not a finding. Annotation errors and every nag finding still count."""
    return plugin["pluginName"] == "Construct Annotations" and violation.get("severity") == "warning"


@dataclass
class SynthResult:
    app: cdk.App
    assembly: cx_api.CloudAssembly | None
    outdir: Path
    error: str | None

    def templates(self) -> dict[str, dict[str, Any]]:
        assert self.assembly is not None, self.error
        return {s.stack_name: s.template for s in self.assembly.stacks}

    def acknowledgments(self) -> list[tuple[IConstruct, str, str]]:
        """Every (construct, rule, reason) acknowledged anywhere in the app."""
        found = []
        for construct in self.app.node.find_all():
            for entry in construct.node.metadata:
                if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY:
                    found += [(construct, rule, reason) for rule, reason in entry.data.items()]
        return found

    def violations(self) -> list[tuple[str, str]]:
        report = json.loads((self.outdir / "validation-report.json").read_text())
        return [
            (v["ruleName"], c["constructPath"])
            for plugin in report["pluginReports"]
            for v in plugin["violations"]
            if not is_annotation_warning(plugin, v)
            for c in v["violatingConstructs"]
        ]


def synth_reference_app(outdir: Path, **context: Any) -> SynthResult:
    """Build the stacks of ``context['env']`` (default: ``default``) with the nag packs, and synthesize."""
    ctx = cdk_context(**context)
    app = cdk.App(context=ctx, outdir=str(outdir))
    name, config = load_config(ctx)
    build_stacks(app, name, config)
    try:
        return SynthResult(app, app.synth(), outdir, None)
    except RuntimeError as err:  # "ValidationFailed": findings from the compliance packs
        return SynthResult(app, None, outdir, str(err))
