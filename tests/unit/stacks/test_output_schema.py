"""One stack-output schema (``emr_constructs.core.outputs``) for the stacks that write outputs and ``emrctl --stack``
that reads them.

Given the synthesized reference app (the default environment, and a created EKS cluster with Karpenter, Pod Identity
and instance groups), every output of every stack is declared in its runtime's schema and every declared output is
written; every output that ``emrctl`` reads exists in its runtime's stack; and neither side spells an output key as
a literal, so the schema is the only place that names them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack

from emr_constructs.core.outputs import (
    EMRCTL_READS,
    RUNTIME_OUTPUTS,
    Ec2Output,
    EksOutput,
    NetworkOutput,
    ServerlessOutput,
    StackOutput,
)
from stacks.config import EksConfig
from stacks.emr_ec2_stack import EmrEc2Stack
from stacks.emr_eks_stack import EmrEksStack
from stacks.emr_serverless_stack import EmrServerlessStack
from stacks.network_stack import NetworkStack
from tests.conftest import ROOT
from tests.reference_app import synth_reference_app

SCHEMA_BY_STACK: dict[type[Stack], type[StackOutput]] = {
    NetworkStack: NetworkOutput,
    EmrEc2Stack: Ec2Output,
    EmrServerlessStack: ServerlessOutput,
    EmrEksStack: EksOutput,
}
STACK_BY_RUNTIME: dict[str, type[Stack]] = {"ec2": EmrEc2Stack, "serverless": EmrServerlessStack, "eks": EmrEksStack}
"""The stack of each ``emrctl`` command group."""
CREATED_EKS = {
    "env": "created",
    "environments": {
        "created": {
            "ec2": {"capacity": "groups"},
            "eks": {"create_cluster": True, "capacity_provider": "karpenter", "execution_role_trust": "pod_identity"},
        }
    },
}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[type[Stack], dict[str, Any]]]:
    """Per configuration, the template of each reference stack by stack class."""
    found = {}
    for name, context in (("default", {}), ("created-eks", CREATED_EKS)):
        result = synth_reference_app(tmp_path_factory.mktemp(name), **context)
        templates = result.templates()
        stacks = [child for child in result.app.node.children if isinstance(child, Stack)]
        found[name] = {type(stack): templates[stack.stack_name] for stack in stacks}
    return found


def _cross_stack_references(templates: dict[type[Stack], dict[str, Any]]) -> set[str]:
    """Outputs that CDK adds for references between stacks (``Fn::GetStackOutput`` names them), not ours."""
    return {
        node["Fn::GetStackOutput"]["OutputName"]
        for template in templates.values()
        for node in _walk(template)
        if isinstance(node, dict) and "Fn::GetStackOutput" in node
    }


def _own_outputs(templates: dict[type[Stack], dict[str, Any]], stack: type[Stack]) -> set[str]:
    outputs = templates[stack].get("Outputs", {})
    return {key for key, output in outputs.items() if "Export" not in output} - _cross_stack_references(templates)


@pytest.mark.parametrize("config", ["default", "created-eks"])
def test_every_stack_of_the_app_has_a_schema(apps: dict, config: str) -> None:
    assert set(apps[config]) == set(SCHEMA_BY_STACK)


@pytest.mark.parametrize("config", ["default", "created-eks"])
@pytest.mark.parametrize("stack", list(SCHEMA_BY_STACK), ids=lambda s: s.__name__)
def test_the_stack_writes_exactly_the_outputs_its_schema_declares(apps: dict, config: str, stack: type[Stack]) -> None:
    # Given the synthesized stack, When leaving out CDK's cross-stack reference outputs, Then the outputs are the
    # schema's: none undeclared, none declared but missing.
    assert _own_outputs(apps[config], stack) == {output.key for output in SCHEMA_BY_STACK[stack]}


def test_cross_stack_references_are_the_only_outputs_left_out(apps: dict) -> None:
    # The filter above leaves out only what another stack reads, and only from the network stack.
    templates = apps["default"]
    left_out = {
        stack: set(template.get("Outputs", {})) - _own_outputs(templates, stack)
        for stack, template in templates.items()
    }
    assert left_out[NetworkStack] and left_out[NetworkStack] <= _cross_stack_references(templates)
    assert all(not keys for stack, keys in left_out.items() if stack is not NetworkStack)


@pytest.mark.parametrize("config", ["default", "created-eks"])
@pytest.mark.parametrize("runtime", list(EMRCTL_READS))
def test_every_output_emrctl_reads_exists_in_the_runtime_stack(apps: dict, config: str, runtime: str) -> None:
    stack = STACK_BY_RUNTIME[runtime]
    schema = RUNTIME_OUTPUTS[runtime]
    assert schema is SCHEMA_BY_STACK[stack]
    reads = EMRCTL_READS[runtime].read()
    assert all(isinstance(output, schema) for output in reads)
    assert {output.key for output in reads} <= set(apps[config][stack]["Outputs"])


def test_emrctl_on_eks_reads_the_pod_templates_and_the_release_label() -> None:
    reads = set(EMRCTL_READS["eks"].read())
    assert {EksOutput.DRIVER_POD_TEMPLATE, EksOutput.EXECUTOR_POD_TEMPLATE, EksOutput.RELEASE_LABEL} <= reads


def test_the_eks_stack_outputs_the_release_label_of_its_config(apps: dict) -> None:
    outputs = apps["default"][EmrEksStack]["Outputs"]
    assert outputs[EksOutput.RELEASE_LABEL.key]["Value"] == EksConfig().release_label.label


@pytest.mark.parametrize("schema", [*SCHEMA_BY_STACK.values()], ids=lambda s: s.__name__)
def test_every_output_says_what_it_holds(schema: type[StackOutput]) -> None:
    assert list(schema)
    for output in schema:
        assert output.meaning.strip() and output.key.isidentifier() and schema(output.key) is output


# ---- no output key written outside the schema --------------------------------------------------------------------

OUTPUT_KEYS = {output.key for schema in SCHEMA_BY_STACK.values() for output in schema}


def _key_literals(path: Path, root: Path = ROOT) -> list[str]:
    """String constants in ``path`` that are exactly an output key."""
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in OUTPUT_KEYS
    ]


def test_the_stacks_name_no_output_key_themselves() -> None:
    files = sorted((ROOT / "stacks").rglob("*.py"))
    assert files
    assert [literal for path in files for literal in _key_literals(path)] == []


def test_emrctl_names_no_output_key_itself() -> None:
    # cli.py reads the stack outputs; runtimes.py speaks the EMR APIs, whose fields share names such as LogUri.
    assert _key_literals(ROOT / "emr_constructs" / "ops" / "cli.py") == []


def test_the_literal_scan_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text('"""Names ClusterId in prose."""\n\nKEY = "ClusterId"\n')
    assert _key_literals(probe, tmp_path) == ["probe.py:3: 'ClusterId'"]
