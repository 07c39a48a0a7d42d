"""Metric factories per runtime, and the dashboards and alarms built from them."""

from emr_constructs.monitoring.alarm_topic import AlarmSource, AlarmTopic, allow_publishing
from emr_constructs.monitoring.ec2_metrics import EMR_EC2_NAMESPACE, EmrClusterMetricFactory
from emr_constructs.monitoring.ec2_monitoring import EmrClusterAlarmThresholds, EmrClusterMonitoring
from emr_constructs.monitoring.eks_monitoring import EmrEksMetricFactory, EmrEksMonitoring
from emr_constructs.monitoring.serverless_metrics import (
    EMR_SERVERLESS_NAMESPACE,
    SPARK_WORKER_TYPES,
    CapacityAllocationType,
    MetricWorkerType,
    ServerlessMetricFactory,
)
from emr_constructs.monitoring.serverless_monitoring import EmrServerlessMonitoring, ServerlessAlarmThresholds

__all__ = [
    "EMR_EC2_NAMESPACE",
    "EMR_SERVERLESS_NAMESPACE",
    "SPARK_WORKER_TYPES",
    "AlarmSource",
    "AlarmTopic",
    "CapacityAllocationType",
    "EmrClusterAlarmThresholds",
    "EmrClusterMetricFactory",
    "EmrClusterMonitoring",
    "EmrEksMetricFactory",
    "EmrEksMonitoring",
    "EmrServerlessMonitoring",
    "MetricWorkerType",
    "ServerlessAlarmThresholds",
    "ServerlessMetricFactory",
    "allow_publishing",
]
