"""The README example for EMR Studio (``<!-- example: studio -->``), run until the README carries it.

The lead adds ``EXAMPLE`` below to README.md as the ``studio`` example and ``"studio": check_studio`` to
``tests/examples/test_readme_examples.py`` ``CHECKS``; this test keeps the text and the check honest meanwhile.
"""

from __future__ import annotations

from tests.examples.test_readme_examples import _run, check_studio

EXAMPLE = """\
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam

from emr_constructs import (
    EmrEksManagedEndpoint, EmrEksVirtualCluster, EmrServerlessApplication, EmrStudio, IdentityType,
    InteractiveConfiguration, StudioAuthMode, StudioSessionMapping,
)

app = App()
stack = Stack(app, "Notebooks")
vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)

# What the "analysts" group may do in the Studio: a session policy narrows the Studio's user role.
analysts = iam.ManagedPolicy(stack, "AnalystsSession", statements=[
    iam.PolicyStatement(
        actions=["elasticmapreduce:CreateEditor", "elasticmapreduce:DescribeEditor", "elasticmapreduce:ListEditors",
                 "elasticmapreduce:StartEditor", "elasticmapreduce:StopEditor", "elasticmapreduce:OpenEditorInConsole",
                 "elasticmapreduce:AttachEditor", "elasticmapreduce:DetachEditor",
                 "elasticmapreduce:ListClusters", "elasticmapreduce:DescribeCluster"],
        resources=["*"],
    ),
])
studio = EmrStudio(
    stack,
    "Studio",
    vpc=vpc,                                           # Workspaces in its private subnets
    auth_mode=StudioAuthMode.IAM_IDENTITY_CENTER,      # default: IAM
    session_mappings=[
        StudioSessionMapping(identity_name="analysts", identity_type=IdentityType.GROUP, session_policy=analysts),
    ],
)

# Notebooks on EMR Serverless: an interactive application (emr-6.14.0 or later).
serverless = EmrServerlessApplication(
    stack, "Interactive", interactive=InteractiveConfiguration(livy_endpoint_enabled=True)
)

# Notebooks on EMR on EKS: an interactive endpoint on a virtual cluster (emr-6.7.0 or later).
EmrEksManagedEndpoint(
    stack,
    "Endpoint",
    virtual_cluster=EmrEksVirtualCluster.from_virtual_cluster_id(stack, "Analytics", "abcdefghijklmnop0123456789"),
    execution_role=iam.Role.from_role_name(stack, "NotebookRole", "notebook-execution"),
    session_idle_timeout=Duration.hours(2),
)
"""


def test_the_studio_example_runs_and_does_what_the_readme_says() -> None:
    check_studio(_run(EXAMPLE))
