"""The README architecture picture is the one generated from the reference app's cloud assembly."""

from __future__ import annotations

from pathlib import Path

import pytest

from stacks import architecture
from tests.reference_app import SynthResult, synth_reference_app


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """The default environment, synthesized once for the module (as ``python -m stacks.architecture`` does)."""
    return synth_reference_app(Path(tmp_path_factory.mktemp("architecture")))


@pytest.fixture(scope="module")
def generated(reference: SynthResult) -> str:
    return architecture.diagram(reference.outdir)


def test_readme_block_matches_generated(generated: str) -> None:
    block = architecture.readme_block(architecture.README.read_text())
    assert block == generated, "README architecture block is stale: run `python -m stacks.architecture --write`"


def test_every_stack_is_a_subgraph(reference: SynthResult, generated: str) -> None:
    stacks = reference.templates()
    assert stacks
    for name in stacks:
        assert f'subgraph {architecture.mermaid_id(name)}["{name}"]' in generated


def test_nodes_are_bounded_and_labelled(reference: SynthResult) -> None:
    nodes = architecture.key_nodes(reference.outdir)
    for stack_nodes in nodes.values():
        assert 0 < len(stack_nodes) <= architecture.MAX_NODES
        assert all(n.cfn_type in architecture.KEY_TYPES for n in stack_nodes)


def test_network_feeds_the_runtime_stacks(reference: SynthResult) -> None:
    nodes = architecture.key_nodes(reference.outdir)
    edges = architecture.cross_stack_edges(reference.outdir, nodes)
    pairs = {(e.source_stack.rsplit("-", 1)[-1], e.target_stack.rsplit("-", 1)[-1]) for e in edges}
    assert {("Network", "Serverless"), ("Network", "Ec2"), ("Network", "Eks")} <= pairs
    lines = architecture.diagram(reference.outdir).splitlines()
    assert all(f"  {e.source} --> {e.target}" in lines for e in edges)


def test_output_is_stable(reference: SynthResult, generated: str) -> None:
    assert architecture.diagram(reference.outdir) == generated
