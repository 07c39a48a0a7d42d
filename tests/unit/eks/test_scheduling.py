"""Spark pods can be scheduled on a created EKS cluster, for both capacity providers.

Every pod template the reference EMR on EKS stack uploads (read back from the cloud assembly, as S3 will hold it) is
matched, with Kubernetes scheduling semantics, against the nodes the chosen capacity provider can actually start:

- managed node groups: the labels EKS adds (``eks.amazonaws.com/capacityType`` ON_DEMAND/SPOT,
  ``eks.amazonaws.com/nodegroup``), ``kubernetes.io/arch`` of the AMI, and each ``AWS::EKS::Nodegroup``'s own
  ``Labels`` and ``Taints``; a group only counts if it runs nodes without an autoscaler (``MinSize`` > 0) or the
  template installs one;
- Karpenter: each NodePool's requirements, template labels and taints (Karpenter adds ``karpenter.sh/nodepool``);
  a NodePool counts if the Karpenter chart is installed and its CPU limit is above zero.

See: https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html (labels EKS adds),
https://karpenter.sh/docs/concepts/scheduling/ (well-known labels),
https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/pod-templates.html (pod templates),
https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/ and
https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/ (matching rules).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from stacks.config import EksConfig, NetworkConfig
from stacks.emr_eks_stack import EmrEksStack
from stacks.network_stack import NetworkStack
from tests.conftest import cdk_context

ANY = "*"  # a label whose value the node picks at launch (Karpenter ``Exists`` requirement)
TAINT_EFFECTS = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


# --- a small model of Kubernetes node selection ------------------------------------------------------------------


@dataclass
class NodeShape:
    """The nodes one node group or NodePool can start: label -> possible values, taints, whether any can run."""

    name: str
    labels: dict[str, set[str]]
    taints: list[dict[str, str]] = field(default_factory=list)
    can_run: bool = False
    """MinSize > 0, or an autoscaler (Cluster Autoscaler, Karpenter) that starts nodes for pending pods."""
    nodes_at_least: int = 0


def _values(shape: NodeShape, key: str) -> set[str] | None:
    return shape.labels.get(key)


def _expression_matches(expression: dict[str, Any], shape: NodeShape) -> bool:
    values, operator = _values(shape, expression["key"]), expression["operator"]
    wanted = set(expression.get("values", []))
    if operator == "In":
        return values is not None and (ANY in values or bool(values & wanted))
    if operator == "NotIn":
        return values is None or ANY in values or bool(values - wanted)
    if operator == "Exists":
        return values is not None
    if operator == "DoesNotExist":
        return values is None
    raise NotImplementedError(f"operator {operator}")


def selects(pod_spec: dict[str, Any], shape: NodeShape) -> bool:
    """nodeSelector (every pair) and required nodeAffinity (any term, every expression of it)."""
    for key, value in pod_spec.get("nodeSelector", {}).items():
        values = _values(shape, key)
        if values is None or not (ANY in values or value in values):
            return False
    required = (
        pod_spec.get("affinity", {}).get("nodeAffinity", {}).get("requiredDuringSchedulingIgnoredDuringExecution")
    )
    if required:
        terms = required["nodeSelectorTerms"]
        return any(all(_expression_matches(e, shape) for e in t.get("matchExpressions", [])) for t in terms)
    return True


def _tolerates(toleration: dict[str, Any], taint: dict[str, str]) -> bool:
    operator = toleration.get("operator", "Equal")
    if toleration.get("effect") and toleration["effect"] != taint["effect"]:
        return False
    if not toleration.get("key"):
        return bool(operator == "Exists")
    if toleration["key"] != taint["key"]:
        return False
    return bool(operator == "Exists" or toleration.get("value", "") == taint.get("value", ""))


def tolerates(pod_spec: dict[str, Any], shape: NodeShape) -> bool:
    """Every NoSchedule/NoExecute taint of the node is tolerated (PreferNoSchedule only steers)."""
    tolerations = pod_spec.get("tolerations", [])
    hard = [t for t in shape.taints if t["effect"] in ("NoSchedule", "NoExecute")]
    return all(any(_tolerates(tol, taint) for tol in tolerations) for taint in hard)


def landing_shapes(pod_spec: dict[str, Any], shapes: Iterable[NodeShape]) -> list[NodeShape]:
    return [s for s in shapes if s.can_run and selects(pod_spec, s) and tolerates(pod_spec, s)]


def test_the_matcher_follows_kubernetes_semantics() -> None:
    """The helper itself: selector, affinity operators and tolerations, on hand-made shapes."""
    spot = NodeShape(
        "spot", {"cap": {"spot"}, "arch": {"arm64"}}, [{"key": "s", "value": "t", "effect": "NoSchedule"}], can_run=True
    )
    plain = NodeShape("plain", {"cap": {"on-demand"}, "arch": {"arm64", "amd64"}}, can_run=True)
    assert landing_shapes({"nodeSelector": {"cap": "spot"}}, [spot, plain]) == []  # taint not tolerated
    toleration = {"key": "s", "operator": "Equal", "value": "t", "effect": "NoSchedule"}
    assert landing_shapes({"nodeSelector": {"cap": "spot"}, "tolerations": [toleration]}, [spot, plain]) == [spot]
    assert landing_shapes({"tolerations": [{"operator": "Exists"}]}, [spot, plain]) == [spot, plain]
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {"key": "arch", "operator": "In", "values": ["amd64"]},
                            {"key": "cap", "operator": "NotIn", "values": ["spot"]},
                        ]
                    }
                ]
            }
        }
    }
    assert landing_shapes({"affinity": affinity}, [spot, plain]) == [plain]
    missing = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [{"key": "zone", "operator": "Exists"}]}]
            }
        }
    }
    assert landing_shapes({"affinity": missing}, [plain]) == []
    plain.can_run = False
    assert landing_shapes({}, [plain]) == []


# --- reading the synthesized app ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A CloudFormation string with intrinsics replaced by a placeholder (enough to parse the JSON around them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_text(p) for p in parts)
    return "TOKEN"


def _of_type(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template["Resources"].values() if r["Type"] == resource_type]


def _charts(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["Chart"]: c for c in _of_type(template, "Custom::AWSCDK-EKS-HelmChart")}


def _manifests(template: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for resource in _of_type(template, "Custom::AWSCDK-EKS-KubernetesResource"):
        found += json.loads(_text(resource["Manifest"]))
    return found


def node_group_shapes(template: dict[str, Any]) -> list[NodeShape]:
    autoscaler = "cluster-autoscaler" in _charts(template)
    shapes = []
    for group in _of_type(template, "AWS::EKS::Nodegroup"):
        labels = {
            "eks.amazonaws.com/capacityType": {group.get("CapacityType", "ON_DEMAND")},
            "eks.amazonaws.com/nodegroup": {group.get("NodegroupName", ANY)},
            # kubelet's well-known label, from the AMI's architecture
            "kubernetes.io/arch": {"arm64" if "ARM_64" in group["AmiType"] else "amd64"},
            "kubernetes.io/os": {"linux"},
        }
        labels |= {k: {v} for k, v in group.get("Labels", {}).items()}
        taints = [
            {"key": t["Key"], "value": t.get("Value", ""), "effect": TAINT_EFFECTS[t["Effect"]]}
            for t in group.get("Taints", [])
        ]
        minimum = group["ScalingConfig"]["MinSize"]
        role = group.get("Labels", {}).get("emr-constructs.io/role", "?")
        shapes.append(NodeShape(f"nodegroup/{role}", labels, taints, minimum > 0 or autoscaler, minimum))
    return shapes


def node_pool_shapes(template: dict[str, Any]) -> list[NodeShape]:
    installed = "karpenter" in _charts(template)
    shapes = []
    for pool in (m for m in _manifests(template) if m["kind"] == "NodePool"):
        spec = pool["spec"]["template"]["spec"]
        labels: dict[str, set[str]] = {"karpenter.sh/nodepool": {pool["metadata"]["name"]}}
        for requirement in spec.get("requirements", []):
            assert requirement["operator"] in ("In", "Exists"), requirement
            labels[requirement["key"]] = set(requirement.get("values", [ANY]))
        labels |= {k: {v} for k, v in pool["spec"]["template"].get("metadata", {}).get("labels", {}).items()}
        cpu = pool["spec"].get("limits", {}).get("cpu")
        can_run = installed and (cpu is None or float(cpu) > 0)
        shapes.append(NodeShape(f"nodepool/{pool['metadata']['name']}", labels, spec.get("taints", []), can_run))
    return shapes


@dataclass
class Synthesized:
    template: dict[str, Any]
    pod_templates: dict[str, dict[str, Any]]
    shapes: list[NodeShape]


def _synth(outdir: Path, capacity_provider: str) -> Synthesized:
    app = cdk.App(context=cdk_context(), outdir=str(outdir))
    network = NetworkStack(app, "Network", config=NetworkConfig())
    eks_stack = EmrEksStack(
        app,
        "Eks",
        config=EksConfig(create_cluster=True, capacity_provider=capacity_provider),  # type: ignore[arg-type]
        vpc=network.vpc,
        subnet_type=network.private_subnet_type,
        application_tag="t",
        cost_center="c",
    )
    assembly = app.synth()
    template = assembly.get_stack_by_name(eks_stack.stack_name).template
    (deployment,) = _of_type(template, "Custom::CDKBucketDeployment")
    pod_templates = {}
    for key in deployment["SourceObjectKeys"]:
        asset = outdir / f"asset.{str(key).removesuffix('.zip')}"
        for file in asset.glob("*.yaml"):
            pod_templates[file.name] = json.loads(file.read_text())  # JSON is YAML; the library writes JSON
    assert set(pod_templates) == {"driver.yaml", "executor.yaml"}
    shapes = node_pool_shapes(template) if capacity_provider == "karpenter" else node_group_shapes(template)
    return Synthesized(template, pod_templates, shapes)


@pytest.fixture(scope="module", params=["node_groups", "karpenter"])
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return _synth(tmp_path_factory.mktemp(request.param), request.param)


# --- the rules ----------------------------------------------------------------------------------------------------


def test_every_pod_template_lands_on_a_node_the_capacity_provider_can_start(synthesized: Synthesized) -> None:
    """Each driver/executor template selects labels the provider's nodes carry, tolerates their taints, and at least
    one such node exists (MinSize > 0) or is started on demand (an autoscaler)."""
    assert synthesized.shapes, "the created cluster has no Spark capacity"
    for name, pod in synthesized.pod_templates.items():
        landing = landing_shapes(pod["spec"], synthesized.shapes)
        assert landing, f"{name} fits none of {[(s.name, s.labels, s.taints, s.can_run) for s in synthesized.shapes]}"


def test_drivers_stay_on_demand_and_executors_go_to_spot(synthesized: Synthesized) -> None:
    """The cost split the EMR on EKS pod template guide describes: every node a driver can land on is On-Demand,
    every node an executor can land on is Spot (in the label vocabulary of the provider)."""
    spot = {"SPOT", "spot"}
    for name, want_spot in (("driver.yaml", False), ("executor.yaml", True)):
        landing = landing_shapes(synthesized.pod_templates[name]["spec"], synthesized.shapes)
        for shape in landing:
            capacity = shape.labels.get("eks.amazonaws.com/capacityType") or shape.labels["karpenter.sh/capacity-type"]
            assert (capacity <= spot) is want_spot and bool(capacity & spot) is want_spot, (name, shape.name, capacity)


def test_karpenter_controller_fits_the_system_nodes(synthesized: Synthesized) -> None:
    """The controller's replicas (chart default 2, with a required one-per-host anti-affinity, a required
    ``karpenter.sh/nodepool DoesNotExist`` affinity and a ``kubernetes.io/os: linux`` selector in the chart's
    values.yaml) all fit on always-running managed nodes: nothing can start nodes for Karpenter itself."""
    chart = _charts(synthesized.template).get("karpenter")
    if chart is None:
        pytest.skip("node groups: no Karpenter")
    values = json.loads(_text(chart.get("Values", "{}")))
    pod = {
        "nodeSelector": {"kubernetes.io/os": "linux", **values.get("nodeSelector", {})},
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "karpenter.sh/nodepool", "operator": "DoesNotExist"}]}
                    ]
                }
            }
        },
        "tolerations": values.get("tolerations", [{"key": "CriticalAddonsOnly", "operator": "Exists"}]),
    }
    groups = [s for s in node_group_shapes(synthesized.template) if selects(pod, s) and tolerates(pod, s)]
    replicas = values.get("replicas", 2)
    assert sum(g.nodes_at_least for g in groups) >= replicas, (replicas, [(g.name, g.nodes_at_least) for g in groups])


def test_node_groups_that_pods_are_pinned_to_keep_a_node() -> None:
    """Without an autoscaler, a driver/executor group at zero never starts a node (see the module docstring)."""
    from aws_cdk import aws_ec2 as ec2

    from emr_constructs.eks import EksCapacity, EmrEksCluster, NodeGroupSpec

    stack = cdk.Stack(cdk.App(context=cdk_context()), "Pinned")
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    capacity = EksCapacity(executors=NodeGroupSpec(instance_types=["m7g.2xlarge"], min_size=0, max_size=4))
    with pytest.raises(ValueError, match=r"capacity.executors.min_size: got 0; must be at least 1: no autoscaler"):
        EmrEksCluster(stack, "Zero", vpc=vpc, capacity=capacity)
    with pytest.raises(ValueError, match=r"capacity.drivers.desired_size: got 9; must be between min_size"):
        EmrEksCluster(
            stack,
            "Desired",
            vpc=vpc,
            capacity=EksCapacity(drivers=NodeGroupSpec(instance_types=["m7g.xlarge"], max_size=4, desired_size=9)),
        )
