"""Lake Formation fine-grained access control on EMR on EKS (emr-7.7.0 and later): an EMR on EKS security
configuration (``AWS::EMRContainers::SecurityConfiguration``) that a virtual cluster names.

EMR on EKS runs a system driver in a secure namespace; a query engine role assumes each job's execution role with the
``LakeFormationAuthorizedCaller`` session tag, and Lake Formation vends filtered data to that session. What is outside
CloudFormation stays with the user: the Kubernetes RBAC of the secure namespace and the EMR on EKS service, and the
query engine role's own permissions (see the AWS page below).
See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/security_iam_fgac-lf-enable.html,
https://docs.aws.amazon.com/lake-formation/latest/dg/register-query-engine.html
"""

from __future__ import annotations

from aws_cdk import aws_emrcontainers as emrc
from aws_cdk import aws_iam as iam
from constructs import Construct

from emr_constructs._internal.types import check_type
from emr_constructs._internal.validation import check_pattern, fail
from emr_constructs.core.iam_actions import Sts
from emr_constructs.eks.virtual_cluster import EmrEksVirtualCluster
from emr_constructs.iam.runtime_role import JobRuntimeRole, validate_namespace

SESSION_TAG_KEY = "LakeFormationAuthorizedCaller"
SESSION_TAG_VALUE_PATTERN = r"[\.\-_/#A-Za-z0-9 ]{1,256}"
"""``AuthorizedSessionTagValue`` of the CloudFormation schema (1-256 characters)."""
CLUSTER_ID_PATTERN = r"[0-9A-Za-z][A-Za-z0-9\-_]{0,99}"
"""``SecureNamespaceInfo.ClusterId`` of the CloudFormation schema."""


class EmrEksLakeFormationSecurityConfiguration(Construct):
    """An EMR on EKS security configuration with Lake Formation fine-grained access control.

    :param eks_cluster_name: the EKS cluster of the secure (system) namespace.
    :param system_namespace: the namespace where EMR on EKS runs the system driver, apart from the jobs' namespace.
    :param query_engine_role: the role that assumes the job execution roles with the session tag.
    :param authorized_session_tag_value: the session tag value Lake Formation authorizes for this engine (its
        application integration settings must list it, e.g. ``LakeFormationDataLakeSettings``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        eks_cluster_name: str,
        system_namespace: str,
        query_engine_role: iam.IRole,
        authorized_session_tag_value: str,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("eks_cluster_name", eks_cluster_name, str)
        check_pattern(
            "eks_cluster_name", eks_cluster_name, CLUSTER_ID_PATTERN, "an EKS cluster name (1-100 characters)"
        )
        validate_namespace("system_namespace", system_namespace)
        check_type("query_engine_role", query_engine_role, iam.IRole)
        check_type("authorized_session_tag_value", authorized_session_tag_value, str)
        check_pattern(
            "authorized_session_tag_value",
            authorized_session_tag_value,
            SESSION_TAG_VALUE_PATTERN,
            "1-256 letters, digits, spaces or . - _ / #",
        )
        self.query_engine_role = query_engine_role
        self.authorized_session_tag_value = authorized_session_tag_value
        cfn = emrc.CfnSecurityConfiguration
        self._resource = cfn(
            self,
            "Resource",
            security_configuration_data=cfn.SecurityConfigurationDataProperty(
                authorization_configuration=cfn.AuthorizationConfigurationProperty(
                    lake_formation_configuration=cfn.LakeFormationConfigurationProperty(
                        authorized_session_tag_value=authorized_session_tag_value,
                        query_engine_role_arn=query_engine_role.role_arn,
                        secure_namespace_info=cfn.SecureNamespaceInfoProperty(
                            cluster_id=eks_cluster_name, namespace=system_namespace
                        ),
                    )
                )
            ),
        )
        self.security_configuration_id = self._resource.attr_id
        self.security_configuration_arn = self._resource.attr_arn

    def apply_to(self, virtual_cluster: EmrEksVirtualCluster) -> None:
        """Make ``virtual_cluster`` use this security configuration (``SecurityConfigurationId``; a change
        replaces the virtual cluster)."""
        check_type("virtual_cluster", virtual_cluster, EmrEksVirtualCluster)
        resource = virtual_cluster.node.default_child
        assert isinstance(resource, emrc.CfnVirtualCluster)
        resource.security_configuration_id = self.security_configuration_id

    def allow_query_engine(self, execution_role: JobRuntimeRole) -> None:
        """Let the query engine role assume ``execution_role`` with the ``LakeFormationAuthorizedCaller`` session tag
        of this configuration, and no other value of it."""
        check_type("execution_role", execution_role, JobRuntimeRole)
        role = execution_role.role
        if not isinstance(role, iam.Role) or role.assume_role_policy is None:
            raise fail(
                "execution_role",
                execution_role.node.path,
                "an imported role's trust cannot be changed here: add the query engine role to its trust yourself",
            )
        principal = iam.ArnPrincipal(self.query_engine_role.role_arn)
        role.assume_role_policy.add_statements(
            iam.PolicyStatement(principals=[principal], actions=[Sts.ASSUME_ROLE]),
            iam.PolicyStatement(
                principals=[principal],
                actions=[Sts.TAG_SESSION],
                conditions={"StringEquals": {f"aws:RequestTag/{SESSION_TAG_KEY}": self.authorized_session_tag_value}},
            ),
        )
