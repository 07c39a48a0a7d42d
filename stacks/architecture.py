"""The README architecture picture, generated from a synthesized cloud assembly (Mermaid, so it renders on code hosts).

``python -m stacks.architecture [cdk.out dir]`` prints the flowchart of an assembly (without a directory, it
synthesizes the default environment into a temporary directory); ``--write`` refreshes README.md between the
``architecture`` markers, which a test keeps equal to the output. One subgraph per stack, one node per key construct
(a top-level construct of the stack whose subtree holds a resource of a key type), one edge per cross-stack reference
(``Fn::ImportValue`` of another stack's export, ``Fn::GetStackOutput`` of another stack's output).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stacks.generated import README, default_assembly, marked_block, write_marked_block

BEGIN, END = "<!-- architecture:begin -->", "<!-- architecture:end -->"
MAX_NODES = 12

# Key resource types, most telling first: a construct is shown with the first of these in its subtree.
KEY_TYPES: tuple[str, ...] = (
    "AWS::EMR::Cluster",
    "AWS::EMRServerless::Application",
    "AWS::EMRContainers::VirtualCluster",
    "AWS::EMR::SecurityConfiguration",
    "AWS::EMR::Studio",
    "AWS::EKS::Cluster",
    "AWS::EC2::VPC",
    "AWS::StepFunctions::StateMachine",
    "AWS::S3::Bucket",
    "AWS::KMS::Key",
    "AWS::SNS::Topic",
    "AWS::CloudWatch::Dashboard",
    "AWS::Glue::Database",
    "AWS::Scheduler::Schedule",
    "AWS::Budgets::Budget",
    "AWS::ServiceCatalog::Portfolio",
    "AWS::LakeFormation::Permissions",
    "AWS::Events::Rule",
    "AWS::EC2::FlowLog",
    "AWS::IAM::Role",
)
CFN_TYPE = "aws:cdk:cloudformation:type"


@dataclass(frozen=True)
class Node:
    stack: str
    construct_id: str
    cfn_type: str

    @property
    def key(self) -> str:
        return mermaid_id(f"{self.stack}_{self.construct_id}")


@dataclass(frozen=True)
class Edge:
    source_stack: str
    source: str  # a node key, or the stack's subgraph id
    target_stack: str
    target: str


def mermaid_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def _types_in(tree: dict[str, Any]) -> Iterator[str]:
    cfn_type = tree.get("attributes", {}).get(CFN_TYPE)
    if isinstance(cfn_type, str):
        yield cfn_type
    for child in tree.get("children", {}).values():
        yield from _types_in(child)


def _main_type(tree: dict[str, Any]) -> str | None:
    found = set(_types_in(tree))
    return next((t for t in KEY_TYPES if t in found), None)


def _stack_trees(assembly: Path) -> dict[str, dict[str, Any]]:
    tree = json.loads((assembly / "tree.json").read_text())["tree"]
    manifest = json.loads((assembly / "manifest.json").read_text())
    stacks = {
        name for name, artifact in manifest["artifacts"].items() if artifact["type"] == "aws:cloudformation:stack"
    }
    return {name: child for name, child in tree.get("children", {}).items() if name in stacks}


def key_nodes(assembly: Path) -> dict[str, list[Node]]:
    """The key constructs of each stack (at most ``MAX_NODES``, by type rank then id), sorted by construct id."""
    result: dict[str, list[Node]] = {}
    for stack, tree in sorted(_stack_trees(assembly).items()):
        found = []
        for construct_id, child in tree.get("children", {}).items():
            main = None if construct_id.startswith("Custom::") else _main_type(child)  # CDK framework providers
            if main is not None:
                found.append(Node(stack, construct_id, main))
        found.sort(key=lambda n: (KEY_TYPES.index(n.cfn_type), n.construct_id))
        result[stack] = sorted(found[:MAX_NODES], key=lambda n: n.construct_id)
    return result


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(top-level construct id of the resource, value) for every sub-value of a template section."""
    yield path, value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item, path)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)


def _top_construct(resource: dict[str, Any]) -> str | None:
    path = resource.get("Metadata", {}).get("aws:cdk:path")
    parts = path.split("/") if isinstance(path, str) else []
    return parts[1] if len(parts) > 1 else None


def _referenced_logical_id(value: Any) -> str | None:
    if isinstance(value, dict):
        if isinstance(value.get("Ref"), str):
            return str(value["Ref"])
        attr = value.get("Fn::GetAtt")
        if isinstance(attr, list) and attr:
            return str(attr[0])
    return None


def cross_stack_edges(assembly: Path, nodes: dict[str, list[Node]]) -> list[Edge]:
    """Producer -> consumer for each reference to another stack's export or output, deduplicated and sorted."""
    templates = {stack: json.loads((assembly / f"{stack}.template.json").read_text()) for stack in nodes}
    exports: dict[str, tuple[str, str]] = {}  # export name -> (stack, output)
    for stack, template in templates.items():
        for output, body in template.get("Outputs", {}).items():
            name = body.get("Export", {}).get("Name")
            if isinstance(name, str):
                exports[name] = (stack, output)

    def endpoint(stack: str, construct_id: str | None) -> str:
        keys = {n.construct_id: n.key for n in nodes[stack]}
        return keys.get(construct_id or "", mermaid_id(stack))

    def producer(stack: str, output: str) -> str:
        body = templates[stack].get("Outputs", {}).get(output, {})
        logical = _referenced_logical_id(body.get("Value"))
        resource = templates[stack].get("Resources", {}).get(logical or "", {})
        return endpoint(stack, _top_construct(resource))

    edges: set[Edge] = set()
    for consumer, template in templates.items():
        for resource in template.get("Resources", {}).values():
            target = endpoint(consumer, _top_construct(resource))
            for _, value in _walk(resource, ""):
                if not isinstance(value, dict):
                    continue
                source: tuple[str, str] | None = None
                imported = value.get("Fn::ImportValue")
                if isinstance(imported, str) and imported in exports:
                    source = exports[imported]
                output = value.get("Fn::GetStackOutput")
                if isinstance(output, dict) and output.get("StackName") in templates:
                    source = (str(output["StackName"]), str(output.get("OutputName")))
                if source is not None and source[0] != consumer:
                    edges.add(Edge(source[0], producer(*source), consumer, target))
    return sorted(edges, key=lambda e: (e.source, e.target))


def diagram(assembly: Path) -> str:
    """The fenced Mermaid flowchart of the assembly in ``assembly`` (a cdk.out directory)."""
    nodes = key_nodes(assembly)
    lines = ["```mermaid", "flowchart LR"]
    for stack, stack_nodes in nodes.items():
        lines.append(f'  subgraph {mermaid_id(stack)}["{stack}"]')
        lines += [f'    {n.key}["{n.construct_id}<br/>{n.cfn_type}"]' for n in stack_nodes]
        lines.append("  end")
    lines += [f"  {e.source} --> {e.target}" for e in cross_stack_edges(assembly, nodes)]
    lines.append("```")
    return "\n".join(lines)


def synthesized_diagram() -> str:
    """The diagram of the default environment (synthesized offline with the cdk.json context, as tests do)."""
    with default_assembly() as outdir:
        return diagram(outdir)


def readme_block(text: str) -> str:
    """The block between the markers of ``text`` (README.md)."""
    return marked_block(text, BEGIN, END)


def write_readme(generated: str, path: Path = README) -> bool:
    """Put ``generated`` between the markers of ``path``; ``True`` if the file changed."""
    return write_marked_block(path, BEGIN, END, generated)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    write = "--write" in args
    dirs = [a for a in args if a != "--write"]
    if len(dirs) > 1 or any(a.startswith("-") for a in dirs):
        raise SystemExit("usage: python -m stacks.architecture [--write] [cdk.out dir]")
    generated = diagram(Path(dirs[0])) if dirs else synthesized_diagram()
    if write:
        print("README.md updated" if write_readme(generated) else "README.md is up to date")
    else:
        print(generated)


if __name__ == "__main__":
    main()
