"""Metric factories per runtime, and the dashboards and alarms built from them.

The names come from ``emr_constructs._EXPORTS`` (the one list of the public surface) and load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emr_constructs import _EXPORTS as _LIBRARY_EXPORTS
from emr_constructs._internal.exports import exports_under, lazy_attributes

_EXPORTS = exports_under(_LIBRARY_EXPORTS, __name__)
__all__ = list(_EXPORTS)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_attributes(__name__, _EXPORTS)

if TYPE_CHECKING:
    from emr_constructs.monitoring.alarm_topic import AlarmSource as AlarmSource
    from emr_constructs.monitoring.alarm_topic import AlarmTopic as AlarmTopic
    from emr_constructs.monitoring.alarm_topic import allow_publishing as allow_publishing
    from emr_constructs.monitoring.alarms import notify as notify
    from emr_constructs.monitoring.budget import ApplicationBudget as ApplicationBudget
    from emr_constructs.monitoring.budget import allow_budgets_publishing as allow_budgets_publishing
    from emr_constructs.monitoring.ec2_metrics import EMR_EC2_NAMESPACE as EMR_EC2_NAMESPACE
    from emr_constructs.monitoring.ec2_metrics import EmrClusterMetricFactory as EmrClusterMetricFactory
    from emr_constructs.monitoring.ec2_monitoring import EmrClusterAlarmThresholds as EmrClusterAlarmThresholds
    from emr_constructs.monitoring.ec2_monitoring import EmrClusterMonitoring as EmrClusterMonitoring
    from emr_constructs.monitoring.eks_monitoring import EmrEksMetricFactory as EmrEksMetricFactory
    from emr_constructs.monitoring.eks_monitoring import EmrEksMonitoring as EmrEksMonitoring
    from emr_constructs.monitoring.serverless_metrics import EMR_SERVERLESS_NAMESPACE as EMR_SERVERLESS_NAMESPACE
    from emr_constructs.monitoring.serverless_metrics import SPARK_WORKER_TYPES as SPARK_WORKER_TYPES
    from emr_constructs.monitoring.serverless_metrics import CapacityAllocationType as CapacityAllocationType
    from emr_constructs.monitoring.serverless_metrics import MetricWorkerType as MetricWorkerType
    from emr_constructs.monitoring.serverless_metrics import ServerlessMetricFactory as ServerlessMetricFactory
    from emr_constructs.monitoring.serverless_monitoring import EmrServerlessMonitoring as EmrServerlessMonitoring
    from emr_constructs.monitoring.serverless_monitoring import ServerlessAlarmThresholds as ServerlessAlarmThresholds
