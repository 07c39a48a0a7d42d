"""``EmrEksManagedEndpoint``: an EMR on EKS interactive (managed) endpoint, through which EMR Studio Workspaces run
notebooks on a virtual cluster (``AWS::EMRContainers::Endpoint``, type ``JUPYTER_ENTERPRISE_GATEWAY``).

The EKS cluster must share at least one private subnet with the Studio (same VPC). The execution role is assumed by the
endpoint's pods: with IRSA its trust must admit the virtual cluster namespace's ``emr-containers-sa-*`` service
accounts (``JobRuntimeRole`` with ``RuntimeRoleTrust`` for EKS does). CreateManagedEndpoint's ``certificateArn`` is
deprecated and optional (botocore's emr-containers model), so no certificate is asked for.

See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/create-managed-endpoint.html
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import Duration, Stack
from aws_cdk import aws_emrcontainers as emrc
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from emr_constructs._internal.types import check_sequence_of, check_type
from emr_constructs._internal.validation import check_pattern, check_range, check_s3_uri, fail, is_token
from emr_constructs.cluster.applications import Configuration
from emr_constructs.core.releases import (
    DEFAULT_EKS_RELEASE_LABEL,
    EKS_INTERACTIVE_ENDPOINTS,
    ReleaseLabel,
    check_eks_release_label,
)
from emr_constructs.eks.virtual_cluster import VirtualClusterBase

ENDPOINT_TYPE = "JUPYTER_ENTERPRISE_GATEWAY"
"""The one managed endpoint type EMR Studio connects to."""
SESSION_IDLE_TIMEOUT_MINUTES = (1, 1440)
"""``SessionIdleTimeoutInMinutes`` bounds (the CloudFormation schema)."""
_NAME = r"[0-9A-Za-z][A-Za-z0-9_-]{0,63}"


def _render(configuration: Configuration) -> emrc.CfnEndpoint.EMREKSConfigurationProperty:
    return emrc.CfnEndpoint.EMREKSConfigurationProperty(
        classification=configuration.classification,
        properties=dict(configuration.properties) or None,
        configurations=[_render(c) for c in configuration.configurations] or None,
    )


class EmrEksManagedEndpoint(Construct):
    """An interactive endpoint on an EMR on EKS virtual cluster for EMR Studio Workspaces.

    :param virtual_cluster: an ``EmrEksVirtualCluster`` or ``EmrEksVirtualCluster.from_virtual_cluster_id(...)``.
    :param execution_role: the role the endpoint's Spark kernels run as.
    :param release_label: Default: the library's EMR on EKS default (``emr-7.10.0-latest``); emr-6.7.0 or later.
    :param name: Default: ``<stack name>-<construct id>`` (up to 64 letters, digits, ``_`` or ``-``).
    :param configurations: ``spark-defaults`` and other classifications for the kernels. Default: none.
    :param log_group: send kernel logs to this CloudWatch log group (the execution role must be allowed to write
        to it). Default: none.
    :param log_uri: send kernel logs to this ``s3://`` location (the execution role must be allowed to write to
        it). Default: none.
    :param session_idle_timeout: end idle sessions after this long (1 minute to 24 hours, whole minutes).
        Default: the service's.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        virtual_cluster: VirtualClusterBase,
        execution_role: iam.IRole,
        release_label: ReleaseLabel | str = DEFAULT_EKS_RELEASE_LABEL,
        name: str | None = None,
        configurations: Sequence[Configuration] = (),
        log_group: logs.ILogGroup | None = None,
        log_uri: str | None = None,
        session_idle_timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        check_type("virtual_cluster", virtual_cluster, VirtualClusterBase)
        check_type("execution_role", execution_role, iam.IRole)
        release = check_eks_release_label("release_label", release_label)
        release.require(EKS_INTERACTIVE_ENDPOINTS, "release_label", release.label)
        check_pattern("name", name, _NAME, "1-64 letters, digits, '_' or '-', starting with a letter or digit")
        check_sequence_of("configurations", configurations, Configuration, optional=False)
        check_type("log_group", log_group, logs.ILogGroup, optional=True)
        check_s3_uri("log_uri", log_uri)
        check_type("session_idle_timeout", session_idle_timeout, Duration, optional=True)
        idle_minutes = session_idle_timeout.to_minutes(integral=False) if session_idle_timeout else None
        check_range("session_idle_timeout (minutes)", idle_minutes, *SESSION_IDLE_TIMEOUT_MINUTES)
        if idle_minutes is not None and not is_token(idle_minutes) and idle_minutes != int(idle_minutes):
            raise fail("session_idle_timeout", idle_minutes, "must be a whole number of minutes")
        check_pattern(
            "virtual_cluster.virtual_cluster_id", virtual_cluster.virtual_cluster_id, r"[0-9a-z]{1,64}", "an id"
        )

        self.virtual_cluster = virtual_cluster
        self.release_label = release
        self.endpoint_name = name or re.sub(r"[^A-Za-z0-9_-]", "-", f"{Stack.of(self).stack_name}-{construct_id}")[:64]
        monitoring = None
        if log_group is not None or log_uri is not None:
            monitoring = emrc.CfnEndpoint.MonitoringConfigurationProperty(
                cloud_watch_monitoring_configuration=emrc.CfnEndpoint.CloudWatchMonitoringConfigurationProperty(
                    log_group_name=log_group.log_group_name
                )
                if log_group is not None
                else None,
                s3_monitoring_configuration=emrc.CfnEndpoint.S3MonitoringConfigurationProperty(log_uri=log_uri)
                if log_uri is not None
                else None,
            )
        overrides = None
        if configurations or monitoring:
            overrides = emrc.CfnEndpoint.ConfigurationOverridesProperty(
                application_configuration=[_render(c) for c in configurations] or None,
                monitoring_configuration=monitoring,
            )
        self._resource = emrc.CfnEndpoint(
            self,
            "Resource",
            name=self.endpoint_name,
            virtual_cluster_id=virtual_cluster.virtual_cluster_id,
            type=ENDPOINT_TYPE,
            release_label=release.label,
            execution_role_arn=execution_role.role_arn,
            configuration_overrides=overrides,
            session_idle_timeout_in_minutes=int(idle_minutes) if idle_minutes is not None else None,
        )
        self.endpoint_id = self._resource.attr_id
        self.endpoint_arn = self._resource.attr_arn
        self.security_group_id = self._resource.attr_security_group
        """The security group EMR on EKS creates for the endpoint's load balancer."""
        self.server_url = self._resource.attr_server_url
