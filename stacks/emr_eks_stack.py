"""The EMR on EKS reference stack: a virtual cluster on an imported (default) or created EKS cluster."""

from __future__ import annotations

from typing import Any

from aws_cdk import Acknowledgment, CfnOutput, RemovalPolicy, Stack, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_eks_v2 as eks
from aws_cdk import aws_iam as iam
from aws_cdk.lambda_layer_kubectl_v33 import KubectlV33Layer
from constructs import Construct

from emr_constructs import JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.core.outputs import EksOutput
from emr_constructs.eks import EmrEksCluster, EmrEksVirtualCluster, ResourceQuota
from emr_constructs.eks.karpenter import KarpenterOptions
from emr_constructs.eks.pod_templates import PodTemplates
from emr_constructs.eks.scheduling import CapacityProvider
from emr_constructs.monitoring.eks_monitoring import EmrEksMonitoring
from stacks.config import EksConfig
from stacks.replacement import warn_replacement
from stacks.shared import alarm_topic, application_budget, platform_storage

DATA_PREFIXES = {
    "raw": "raw/",
    "curated": "curated/",
    "scripts": "scripts/",
    "pod_templates": "artifacts/pod-templates/",
}


class EmrEksStack(Stack):
    """A virtual cluster with its namespace (quota included), a job execution role (IRSA by default), pod templates,
    a KMS-encrypted log group for driver/executor logs, and job-run monitoring from EventBridge events."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: EksConfig,
        vpc: ec2.IVpc,
        subnet_type: ec2.SubnetType,
        application_tag: str,
        cost_center: str,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        storage = platform_storage(self, description="EMR on EKS data, logs and alarms", removal_policy=removal_policy)
        cluster, oidc = self._cluster(config, vpc, subnet_type, removal_policy)
        virtual_cluster = EmrEksVirtualCluster(
            self,
            "VirtualCluster",
            cluster=cluster,
            namespace=config.namespace,
            resource_quota=ResourceQuota(
                requests_cpu=config.quota_cpu, requests_memory=config.quota_memory, pods=config.quota_pods
            ),
            log_retention=config.log_retention_days,
            log_encryption_key=storage.key,  # one key per stack (the created EKS cluster's secrets key aside)
            removal_policy=removal_policy,
            application_tag=application_tag,
            cost_center=cost_center,
        )
        warn_replacement(virtual_cluster.node.default_child)  # type: ignore[arg-type]
        trust = (
            RuntimeRoleTrust.eks_pod_identity(release_label=config.release_label)
            if config.execution_role_trust == "pod_identity"
            else RuntimeRoleTrust.eks_irsa(open_id_connect_provider=oidc, namespace=config.namespace)
        )
        role = JobRuntimeRole(self, "ExecutionRole", trust=trust, description="EMR on EKS job execution role")
        virtual_cluster.add_execution_role(role)  # Pod Identity: EMR's service-account associations
        data = storage.data.bucket
        role.grant_read(data, DATA_PREFIXES["raw"])
        role.grant_read(data, DATA_PREFIXES["scripts"])
        role.grant_read(data, DATA_PREFIXES["pod_templates"])
        role.grant_read_write(data, DATA_PREFIXES["curated"])
        role.grant_log_write(storage.logs.bucket, "emr-eks-logs/")
        role.grant_log_group_write(virtual_cluster.log_group.log_group)
        # The pods select the On-Demand/Spot label of the nodes' provisioner (an imported cluster says which in config).
        templates = PodTemplates(
            self,
            "PodTemplates",
            bucket=data,
            prefix=DATA_PREFIXES["pod_templates"],
            removal_policy=removal_policy,
            capacity_provider=config.capacity_provider,
            log_encryption_key=storage.key,
        )
        topic = alarm_topic(self, key=storage.key, email=config.alarm_email)
        application_budget(
            self,
            monthly_limit=config.monthly_budget_usd,
            application=application_tag,
            cost_center=cost_center,
            topic=topic,
        )
        monitoring = EmrEksMonitoring(
            self,
            "Monitoring",
            virtual_cluster=virtual_cluster,
            alarm_topic=topic,
            log_encryption_key=storage.key,
            removal_policy=removal_policy,
        )
        outputs = {
            EksOutput.VIRTUAL_CLUSTER_ID: virtual_cluster.virtual_cluster_id,
            EksOutput.DATA_BUCKET: data.bucket_name,
            EksOutput.EXECUTION_ROLE_ARN: role.role_arn,
            EksOutput.LOG_GROUP_NAME: virtual_cluster.log_group.log_group_name,
            EksOutput.LOG_URI: f"s3://{storage.logs.bucket_name}/emr-eks-logs/",
            EksOutput.DRIVER_POD_TEMPLATE: templates.driver_template_uri,
            EksOutput.EXECUTOR_POD_TEMPLATE: templates.executor_template_uri,
            EksOutput.DASHBOARD_NAME: monitoring.dashboard_name,
            EksOutput.RELEASE_LABEL: config.release_label.label,
        }
        for output, value in outputs.items():
            CfnOutput(self, output.key, value=value)

    def _cluster(
        self, config: EksConfig, vpc: ec2.IVpc, subnet_type: ec2.SubnetType, removal_policy: RemovalPolicy
    ) -> tuple[eks.ICluster, iam.IOpenIdConnectProvider]:
        if config.create_cluster:
            created = EmrEksCluster(
                self,
                "Eks",
                vpc=vpc,
                subnet_type=subnet_type,
                karpenter=KarpenterOptions() if config.capacity_provider == CapacityProvider.KARPENTER else None,
                removal_policy=removal_policy,
            )
            if subnet_type == ec2.SubnetType.PRIVATE_ISOLATED:
                # The network stack adds the private-cluster endpoints in exactly this case (config.py).
                acknowledge(created.cluster, Reason.KUBECTL_ISOLATED_SUBNETS_WITH_ENDPOINTS)
            return created.cluster, created.cluster.open_id_connect_provider  # type: ignore[return-value]
        oidc = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            self, "ClusterOidcProvider", config.oidc_provider_arn
        )
        private = vpc.select_subnets(subnet_type=subnet_type)
        # The kubectl provider of an imported cluster needs the cluster, and the cluster used for manifests needs
        # the provider: import once to build the provider, once more with it.
        bare = eks.Cluster.from_cluster_attributes(
            self,
            "ClusterRef",
            cluster_name=config.cluster_name,
            vpc=vpc,
            cluster_security_group_id=config.cluster_security_group_id,
        )
        provider = eks.KubectlProvider(
            self,
            "KubectlProvider",
            cluster=bare,
            kubectl_layer=KubectlV33Layer(self, "KubectlLayer"),
            role=iam.Role.from_role_arn(self, "KubectlRole", config.kubectl_role_arn, mutable=False),
            private_subnets=private.subnets,
        )
        acknowledge(provider, Reason.CDK_KUBECTL_PROVIDER)
        # aws-cdk-lib's provider declares a HasEcrPublic condition that an imported cluster leaves unused; CDK's own
        # CloudFormation validation reports it (W8001) on the stack, the only construct it names.
        Validations.of(self).acknowledge(
            Acknowledgment(id="CloudFormation-Validate::W8001", reason=Reason.CDK_KUBECTL_PROVIDER.text)
        )
        cluster = eks.Cluster.from_cluster_attributes(
            self,
            "ImportedCluster",
            cluster_name=config.cluster_name,
            open_id_connect_provider=oidc,
            vpc=vpc,
            cluster_security_group_id=config.cluster_security_group_id,
            kubectl_provider=provider,
        )
        return cluster, oidc
