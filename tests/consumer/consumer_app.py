"""A consumer's CDK app: every public construct of the installed wheel, with the compliance packs applied.

tests/consumer/test_wheel.py copies this file to a temporary directory outside the repository and runs it with a
fresh venv holding only the wheel and requirements.txt. It prints one JSON line: templates written and findings.
Everything here comes from the public API (``from emr_constructs import ...``), acknowledgments included.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from aws_cdk import App, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import IConstruct

import emr_constructs
from emr_constructs import (
    EMR_MANAGED_POLICY_TAG,
    AlarmTopic,
    ApplicationBudget,
    AtRestEncryption,
    EmrCluster,
    EmrClusterMonitoring,
    EmrEksCluster,
    EmrEksManagedEndpoint,
    EmrEksMonitoring,
    EmrEksVirtualCluster,
    EmrSecurityConfiguration,
    EmrServerlessApplication,
    EmrServerlessMonitoring,
    EmrStudio,
    EmrTlsCertificate,
    EncryptionKey,
    GlueDatabase,
    JobRuntimeRole,
    KarpenterOptions,
    LakeFormationDataLocation,
    LakeFormationPermissions,
    PipelineTarget,
    PodTemplates,
    Reason,
    RuntimeRoleAuthorization,
    RuntimeRoleTrust,
    SecureBucket,
    SecureLogGroup,
    SparkJob,
    SparkPipeline,
    Step,
    apply_compliance_checks,
)
from emr_constructs import acknowledge as _acknowledge

ACKNOWLEDGE = "--no-acknowledgments" not in sys.argv  # the test's canary: without them, the packs must fail


def acknowledge(construct: IConstruct, reason: Reason) -> None:
    if ACKNOWLEDGE:
        _acknowledge(construct, reason)


def network(stack: Stack) -> ec2.Vpc:
    """A VPC as the compliance packs want it: flow logs, no default security group rules, tagged private subnets."""
    vpc = ec2.Vpc(
        stack,
        "Vpc",
        max_azs=2,
        nat_gateways=1,
        restrict_default_security_group=True,
        subnet_configuration=[
            ec2.SubnetConfiguration(
                name="Public", subnet_type=ec2.SubnetType.PUBLIC, cidr_mask=24, map_public_ip_on_launch=False
            ),
            ec2.SubnetConfiguration(name="Private", subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask=20),
        ],
    )
    for subnet in vpc.private_subnets:
        Tags.of(subnet).add(*EMR_MANAGED_POLICY_TAG)
    for subnet in vpc.public_subnets:
        route = subnet.node.try_find_child("DefaultRoute")
        if route is not None:
            acknowledge(route, Reason.NAT_PUBLIC_SUBNET_ROUTE)
    flow_logs = SecureLogGroup(stack, "FlowLogs").log_group
    role = iam.Role(stack, "FlowLogsRole", assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"))
    vpc.add_flow_log("FlowLog", destination=ec2.FlowLogDestination.to_cloud_watch_logs(flow_logs, role))
    acknowledge(role, Reason.CDK_FLOW_LOG_ROLE_POLICY)
    return vpc


def ec2_runtime(stack: Stack, vpc: ec2.IVpc, alarms: AlarmTopic) -> None:
    key = EncryptionKey(stack, "Key", description="EMR data").key
    data = SecureBucket(stack, "Data", encryption_key=key)
    certificate = EmrTlsCertificate(stack, "TlsCertificate", bucket=data.bucket)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        at_rest=AtRestEncryption(key=key),
        in_transit=certificate.in_transit_encryption(),
        runtime_roles=RuntimeRoleAuthorization(propagate_source_identity=True),
    )
    cluster = EmrCluster(stack, "Cluster", vpc=vpc, security_configuration=security)
    acknowledge(cluster.node.default_child, Reason.EMR_KERBEROS_OPTIONAL)  # type: ignore[arg-type]
    cluster.grant_data_read(certificate.bucket, [certificate.object_key])
    job_role = cluster.add_runtime_role("ReportJob")
    job_role.grant_read(data.bucket, "raw/")
    job_role.grant_read_write(data.bucket, "curated/")
    cluster.add_step(  # a step with a runtime role: StepSubmitter submits it once the cluster exists
        Step.spark_submit(
            name="report", entry_point=f"s3://{data.bucket_name}/raw/report.py", runtime_role=job_role.role
        )
    )
    EmrClusterMonitoring(stack, "Monitoring", cluster=cluster, alarm_topic=alarms.topic)


def serverless_runtime(stack: Stack, vpc: ec2.IVpc, alarms: AlarmTopic) -> None:
    data = SecureBucket(stack, "ServerlessData")
    application = EmrServerlessApplication(stack, "Spark", vpc=vpc, idle_timeout=Duration.minutes(10))
    role = JobRuntimeRole(stack, "ServerlessJobRole", trust=RuntimeRoleTrust.serverless(stack))
    role.grant_read(data.bucket, "scripts/")
    role.grant_read_write(data.bucket, "output/")
    EmrServerlessMonitoring(stack, "ServerlessMonitoring", application=application, alarm_topic=alarms.topic)
    sales = GlueDatabase(stack, "Sales", database_name="sales", bucket=data.bucket)
    role.grant_read(data.bucket, sales.prefix)
    LakeFormationDataLocation(stack, "SalesLocation", bucket=data.bucket, prefix=sales.prefix)
    LakeFormationPermissions(stack, "SalesGrants", role=role).grant_database("Sales", database=sales)
    ApplicationBudget(stack, "Budget", application="consumer", monthly_limit=100, topic=alarms.topic)
    EmrStudio(stack, "Studio", vpc=vpc)
    job = SparkJob(
        name="wordcount",
        entry_point=f"s3://{data.bucket_name}/scripts/wordcount.py",
        arguments=[f"s3://{data.bucket_name}/output/wordcount/"],
        driver_cores=1,
        driver_memory="4g",
        executor_cores=1,
        executor_memory="4g",
        executor_instances=1,
    )
    SparkPipeline(
        stack,
        "Nightly",
        jobs=[job],
        target=PipelineTarget.serverless(application, role.role),
        schedule="cron(0 3 * * ? *)",
        alarm_topic=alarms.topic,
    )


def eks_runtime(stack: Stack, vpc: ec2.IVpc, alarms: AlarmTopic) -> None:
    created = EmrEksCluster(stack, "Eks", vpc=vpc, karpenter=KarpenterOptions(), removal_policy=RemovalPolicy.DESTROY)
    analytics = EmrEksVirtualCluster(stack, "Analytics", cluster=created.cluster, namespace="analytics")
    role = JobRuntimeRole(
        stack,
        "SparkJobRole",
        trust=RuntimeRoleTrust.eks_irsa(
            open_id_connect_provider=created.cluster.open_id_connect_provider, namespace="analytics"
        ),
    )
    artifacts = SecureBucket(stack, "Artifacts")
    PodTemplates(stack, "PodTemplates", bucket=artifacts.bucket)
    role.grant_read(artifacts.bucket, "pod-templates/")
    role.grant_log_group_write(analytics.log_group.log_group)
    EmrEksMonitoring(stack, "EksMonitoring", virtual_cluster=analytics, alarm_topic=alarms.topic)
    EmrEksManagedEndpoint(stack, "Notebooks", virtual_cluster=analytics, execution_role=role.role)


def main(outdir: str) -> None:
    assert "site-packages" in str(Path(emr_constructs.__file__)), emr_constructs.__file__  # the wheel, not the repo
    app = App(outdir=outdir)
    apply_compliance_checks(app)
    network_stack = Stack(app, "ConsumerNetwork")
    vpc = network(network_stack)
    for name, build in (("Ec2", ec2_runtime), ("Serverless", serverless_runtime), ("Eks", eks_runtime)):
        stack = Stack(app, f"Consumer{name}")
        build(stack, vpc, AlarmTopic(stack, "Alarms"))
    try:
        app.synth()
        error = None
    except RuntimeError as err:  # ValidationFailed: unacknowledged findings
        error = str(err)
    report = json.loads((Path(outdir) / "validation-report.json").read_text())
    findings = [
        (violation["ruleName"], construct["constructPath"])
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    ]
    templates = sorted(p.name for p in Path(outdir).glob("*.template.json"))
    print(json.dumps({"module": emr_constructs.__file__, "templates": templates, "findings": findings, "error": error}))


if __name__ == "__main__":
    main(sys.argv[1])
