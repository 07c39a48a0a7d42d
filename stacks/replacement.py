"""The ``cdk.json`` fields of the reference app whose change REPLACES a resource, and the README table of them.

``python -m stacks.replacement`` prints the table (``emr_constructs.core.replacement``, plus a column of the config
fields below); ``--write`` refreshes it in README.md between the ``replacement-table`` markers, which a test keeps equal
to the output. ``warn_replacement`` puts one synth-time warning on each stateful resource that such a field sets,
naming the fields.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import Annotations, CfnResource

from emr_constructs.core.replacement import (
    CLUSTER,
    RELEASE_LABEL,
    SECURITY_CONFIGURATION,
    VIRTUAL_CLUSTER,
    render_table,
    replacing_properties,
)
from stacks.generated import README, marked_block, write_marked_block

BEGIN, END = "<!-- replacement-table:begin -->", "<!-- replacement-table:end -->"
_NETWORK = ("network.cidr", "network.max_azs", "network.availability_zones", "network.nat_gateways")
_TLS = ("ec2.tls_certificate_s3_uri", "ec2.tls_certificate_key")

CONFIG_FIELDS: Mapping[tuple[str, str], tuple[str, ...]] = {
    (CLUSTER, "Name"): ("ec2.cluster_generation",),
    (CLUSTER, RELEASE_LABEL): ("ec2.release_label",),
    (CLUSTER, "Applications"): ("ec2.applications",),
    (CLUSTER, "Configurations"): ("ec2.glue_data_catalog", "ec2.iceberg"),
    # The document of the security configuration is create-only: a new one has a new generated name, which the
    # cluster's create-only SecurityConfiguration then changes to.
    (CLUSTER, "SecurityConfiguration"): _TLS,
    (CLUSTER, "Instances.Ec2SubnetIds"): _NETWORK,
    (CLUSTER, "Instances.Ec2SubnetId"): _NETWORK,
    (CLUSTER, "Instances.MasterInstanceFleet"): ("ec2.capacity",),
    (CLUSTER, "Instances.CoreInstanceFleet"): ("ec2.capacity",),
    (CLUSTER, "Instances.MasterInstanceGroup"): ("ec2.capacity",),
    (CLUSTER, "Instances.CoreInstanceGroup"): ("ec2.capacity",),
    (VIRTUAL_CLUSTER, "ContainerProvider"): ("eks.create_cluster", "eks.cluster_name", "eks.namespace"),
    (SECURITY_CONFIGURATION, "SecurityConfiguration"): _TLS,
}
"""``environments.<env>.<field>`` of ``cdk.json`` that sets each create-only property in the reference stacks. The
environment name is in every stack name, and so in the default names of the cluster, the Serverless application and
the virtual cluster: a new environment name is a new set of stacks, not a change."""

WARNING_ID = "emr-constructs:replaced-by-config"
STATEFUL = {CLUSTER: "cluster", VIRTUAL_CLUSTER: "virtual cluster"}
"""The resources that get a synth-time warning: replacing one loses what runs on it or its history (the Serverless
application has no create-only property that a config field sets; a security configuration holds no state)."""


def fields_replacing(resource_type: str) -> dict[str, list[str]]:
    """The config fields that replace a ``resource_type`` resource, each with the properties it changes."""
    found: dict[str, list[str]] = {}
    for (kind, prop), fields in CONFIG_FIELDS.items():
        if kind == resource_type:
            for field in fields:
                found.setdefault(field, []).append(prop)
    return found


_ADVICE = {
    CLUSTER: " (ec2.keep_replaced_cluster: true leaves it running until it is idle); the cluster's name is explicit, "
    "so increase ec2.cluster_generation along with any other of them",
}
"""What to do about a replacement, per resource type."""


def warning_message(resource_type: str) -> str:
    """The synth-time warning on a ``resource_type`` resource of the reference stacks."""
    fields = fields_replacing(resource_type)
    return (
        f"changing {', '.join(fields)} in cdk.json REPLACES this {STATEFUL[resource_type]} on the next cdk deploy "
        f"(create-only: {', '.join(sorted({p for props in fields.values() for p in props}))}): CloudFormation "
        f"creates a new one, then deletes this one{_ADVICE.get(resource_type, '')}. "
        "See README 'Upgrading and changing a live environment'."
    )


def warn_replacement(resource: CfnResource) -> None:
    """One synth-time warning on ``resource`` (a stateful resource of a reference stack) naming the config fields
    whose change replaces it."""
    Annotations.of(resource).add_warning_v2(WARNING_ID, warning_message(resource.cfn_resource_type))


def table(schemas: Path | None = None) -> str:
    return render_table(replacing_properties(schemas), CONFIG_FIELDS)


def readme_table(text: str) -> str:
    """The table between the markers of ``text`` (README.md)."""
    return marked_block(text, BEGIN, END) + "\n"


def write_readme(path: Path = README) -> bool:
    """Put the generated table between the markers of ``path``; ``True`` if the file changed."""
    return write_marked_block(path, BEGIN, END, table())


def main(argv: Sequence[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ["--write"]:
        print("README.md updated" if write_readme() else "README.md is up to date")
    elif not args:
        print(table(), end="")
    else:
        sys.exit("usage: python -m stacks.replacement [--write]")


if __name__ == "__main__":
    main()
