"""Which properties of the EMR resources REPLACE the resource when they change, and which library prop sets each.

A CloudFormation update that changes a create-only property creates a new resource and deletes the old one: a new
cluster (new id, empty HDFS, running steps lost), a new Serverless application or virtual cluster (new id, job
history left behind). The create-only properties come from the resource schemas that cfn-lint ships
(``createOnlyProperties``); ``AWS::EMR::Cluster`` has a legacy schema that lists only top-level properties, so its
nested ``Instances.*`` properties come from the CloudFormation reference (``CLUSTER_INSTANCES_REPLACEMENT``).

Plain Python, no aws_cdk: the table generator (``python -m stacks.replacement``) and the tests read it. Reading the
schemas needs cfn-lint installed (a development dependency), and only ``create_only_properties`` needs it.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

CLUSTER = "AWS::EMR::Cluster"
SERVERLESS_APPLICATION = "AWS::EMRServerless::Application"
VIRTUAL_CLUSTER = "AWS::EMRContainers::VirtualCluster"
STUDIO = "AWS::EMR::Studio"
SECURITY_CONFIGURATION = "AWS::EMR::SecurityConfiguration"
RESOURCE_TYPES = (CLUSTER, SERVERLESS_APPLICATION, VIRTUAL_CLUSTER, STUDIO, SECURITY_CONFIGURATION)
"""The resources of the replacement table, in its order."""
RELEASE_LABEL = "ReleaseLabel"
"""The release label property of the cluster and of the Serverless application (create-only for the cluster only)."""

CLUSTER_INSTANCES_REFERENCE = (
    "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"
    "aws-properties-emr-cluster-jobflowinstancesconfig.html"
)
CLUSTER_INSTANCES_REPLACEMENT = (
    "AdditionalMasterSecurityGroups",
    "AdditionalSlaveSecurityGroups",
    "CoreInstanceFleet",
    "CoreInstanceGroup",
    "Ec2KeyName",
    "Ec2SubnetId",
    "Ec2SubnetIds",
    "EmrManagedMasterSecurityGroup",
    "EmrManagedSlaveSecurityGroup",
    "HadoopVersion",
    "KeepJobFlowAliveWhenNoSteps",
    "MasterInstanceFleet",
    "MasterInstanceGroup",
    "Placement",
    "ServiceAccessSecurityGroup",
)
"""The ``Instances`` (JobFlowInstancesConfig) properties of ``AWS::EMR::Cluster`` whose CloudFormation reference
says "Update requires: Replacement" (``CLUSTER_INSTANCES_REFERENCE``). Not in it: ``TaskInstanceFleets`` and
``TaskInstanceGroups`` (some interruptions), ``TerminationProtected`` and ``UnhealthyNodeReplacement`` (no
interruption). Within a fleet or group, the target capacities and instance counts change without replacement."""

LIBRARY_PROPS: Mapping[tuple[str, str], str] = {
    (CLUSTER, "Name"): "`EmrCluster(name=)`",
    (CLUSTER, RELEASE_LABEL): "`EmrCluster(release_label=)`",
    (CLUSTER, "Applications"): "`EmrCluster(applications=)`",
    (CLUSTER, "Configurations"): "`EmrCluster(configurations=, glue_data_catalog=, iceberg=)`",
    (CLUSTER, "BootstrapActions"): "`EmrCluster.add_bootstrap_action()`",
    (CLUSTER, "Steps"): "`EmrCluster.add_step()` (a step without a runtime role)",
    (CLUSTER, "SecurityConfiguration"): "`EmrCluster(security_configuration=)`",
    (CLUSTER, "KerberosAttributes"): "`EmrCluster(security_configuration=)` (its `kerberos`)",
    (CLUSTER, "ServiceRole"): "`EmrCluster(service_role=)`",
    (CLUSTER, "JobFlowRole"): "`EmrCluster(instance_role=)`",
    (CLUSTER, "LogUri"): "`EmrCluster(log_bucket=, log_prefix=)`",
    (CLUSTER, "LogEncryptionKmsKeyId"): "`EmrCluster(log_bucket=)` (its key)",
    (CLUSTER, "Instances.Ec2SubnetId"): "`EmrCluster(vpc=, vpc_subnets=, subnet=)` (instance groups)",
    (CLUSTER, "Instances.Ec2SubnetIds"): "`EmrCluster(vpc=, vpc_subnets=, subnet=)` (instance fleets)",
    (CLUSTER, "Instances.EmrManagedMasterSecurityGroup"): "`EmrCluster(security_groups=)`",
    (CLUSTER, "Instances.EmrManagedSlaveSecurityGroup"): "`EmrCluster(security_groups=)`",
    (CLUSTER, "Instances.ServiceAccessSecurityGroup"): "`EmrCluster(security_groups=)`",
    (CLUSTER, "Instances.MasterInstanceFleet"): "`EmrCluster(capacity=)`",
    (CLUSTER, "Instances.CoreInstanceFleet"): "`EmrCluster(capacity=)`",
    (CLUSTER, "Instances.MasterInstanceGroup"): "`EmrCluster(capacity=)`",
    (CLUSTER, "Instances.CoreInstanceGroup"): "`EmrCluster(capacity=)`",
    (CLUSTER, "Instances.KeepJobFlowAliveWhenNoSteps"): "`EmrCluster(auto_terminate_after_steps=)`",
    (SERVERLESS_APPLICATION, "Name"): "`EmrServerlessApplication(name=)`",
    (SERVERLESS_APPLICATION, "Type"): "`EmrServerlessApplication(application_type=)`",
    (VIRTUAL_CLUSTER, "ContainerProvider"): "`EmrEksVirtualCluster(cluster=, namespace=)`",
    (VIRTUAL_CLUSTER, "Name"): "`EmrEksVirtualCluster(name=)`",
    (SECURITY_CONFIGURATION, "SecurityConfiguration"): (
        "`EmrSecurityConfiguration(at_rest=, in_transit=, kerberos=, runtime_roles=, imdsv2=)`"
    ),
}
"""The library prop that sets each create-only property; a property missing here is not set by the library."""

DEFAULT_NAMES: Mapping[tuple[str, str], str] = {
    (CLUSTER, "Name"): "`<stack name>-<construct id>`",
    (SERVERLESS_APPLICATION, "Name"): "`<stack name>-<construct id>`",
    (VIRTUAL_CLUSTER, "Name"): "`<stack name>-<construct id>`",
}
"""Names the library derives from the stack name when no ``name`` is given: renaming or moving the stack or the
construct changes them, which replaces the resource."""


@dataclass(frozen=True)
class ReplacingProperty:
    """A property of ``resource_type`` whose change replaces the resource (``Instances.X`` for a nested one)."""

    resource_type: str
    name: str
    source: str
    """Where the fact comes from: ``schema`` (createOnlyProperties) or the CloudFormation reference URL."""


def schema_directory() -> Path:
    """The resource schemas that the installed cfn-lint ships (``cfnlint/data/schemas``)."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cfn-lint is not installed: it ships the CloudFormation resource schemas read here")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "schemas"


def resource_schema(resource_type: str, schemas: Path | None = None) -> dict[str, object]:
    """The CloudFormation resource schema of ``resource_type`` (us-east-1) that cfn-lint ships."""
    root = schemas or schema_directory()
    providers = json.loads((root / "providers" / "us-east-1.json").read_text())
    schema: dict[str, object] = json.loads((root / "resources" / f"{providers[resource_type]}.json").read_text())
    return schema


def create_only_properties(resource_type: str, schemas: Path | None = None) -> tuple[str, ...]:
    """The schema's ``createOnlyProperties`` of ``resource_type``, as property paths below ``/properties/``."""
    paths = resource_schema(resource_type, schemas).get("createOnlyProperties") or []
    assert isinstance(paths, list)
    return tuple(str(path).removeprefix("/properties/").replace("/", ".") for path in paths)


def replacing_properties(schemas: Path | None = None) -> list[ReplacingProperty]:
    """Every property of ``RESOURCE_TYPES`` whose change replaces the resource, sorted by resource then name."""
    found = [
        ReplacingProperty(resource_type, name, "schema")
        for resource_type in RESOURCE_TYPES
        for name in create_only_properties(resource_type, schemas)
    ]
    found += [
        ReplacingProperty(CLUSTER, f"Instances.{name}", CLUSTER_INSTANCES_REFERENCE)
        for name in CLUSTER_INSTANCES_REPLACEMENT
    ]
    order = {resource_type: i for i, resource_type in enumerate(RESOURCE_TYPES)}
    return sorted(found, key=lambda p: (order[p.resource_type], p.name))


def render_table(
    properties: Sequence[ReplacingProperty], config_fields: Mapping[tuple[str, str], Sequence[str]] | None = None
) -> str:
    """A Markdown table: resource, property, the library prop and (with ``config_fields``) the ``cdk.json`` fields
    of the reference app that set it; ``-`` where nothing sets it."""
    header = ["Resource", "Property (replaces the resource)", "Library prop"]
    if config_fields is not None:
        header.append("`cdk.json` field (reference app)")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for prop in properties:
        key = (prop.resource_type, prop.name)
        library = LIBRARY_PROPS.get(key, "-")
        if key in DEFAULT_NAMES:
            library += f"; default {DEFAULT_NAMES[key]}"
        row = [f"`{prop.resource_type}`", f"`{prop.name}`", library]
        if config_fields is not None:
            fields = config_fields.get(key, ())
            row.append(", ".join(f"`{field}`" for field in fields) or "-")
        lines.append("| " + " | ".join(row) + " |")
    sources = sorted({p.source for p in properties if p.source != "schema"})
    notes = [
        "",
        "Generated from the `createOnlyProperties` of the CloudFormation resource schemas that cfn-lint ships"
        + "".join(f", and for the nested `Instances.*` properties of `{CLUSTER}`, {url}" for url in sources)
        + ".",
    ]
    return "\n".join(lines + notes) + "\n"
