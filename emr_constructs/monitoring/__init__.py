"""Metric factories per runtime, and the dashboards and alarms built from them."""

from emr_constructs.monitoring.ec2_metrics import EMR_EC2_NAMESPACE, EmrClusterMetricFactory
from emr_constructs.monitoring.ec2_monitoring import EmrClusterAlarmThresholds, EmrClusterMonitoring

__all__ = ["EMR_EC2_NAMESPACE", "EmrClusterAlarmThresholds", "EmrClusterMetricFactory", "EmrClusterMonitoring"]
