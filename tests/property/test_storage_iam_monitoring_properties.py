"""SecureBucket, SecureLogGroup retention, JobRuntimeRole grants with prefixes, and the alarm thresholds of the
EC2 and Serverless monitoring constructs, over generated values."""

from __future__ import annotations

from collections.abc import Callable

from aws_cdk import Duration, RemovalPolicy, Stack
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs import (
    EmrCluster,
    EmrClusterAlarmThresholds,
    EmrClusterMonitoring,
    EmrServerlessApplication,
    EmrServerlessMonitoring,
    JobRuntimeRole,
    RuntimeRoleTrust,
    SecureBucket,
    SecureLogGroup,
    ServerlessAlarmThresholds,
    retention_days,
)
from tests.property.harness import Harness, V, bad, bounded, good, maybe, mix

ALLOWED_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922]
RETENTION = mix(
    good(st.sampled_from(ALLOWED_RETENTION)),
    maybe(st.integers(0, 4000)),
    bad(-1, 0, 2, 364, "7", " 7", 7.5, None),
)
# Clear key prefixes must be accepted; '*', '', leading '/', whitespace or non-ASCII may be rejected (naming prefix).
PREFIX = mix(
    good(st.sampled_from(["data/", "jobs/2026/", "logs/emr/", "raw/events/"])),
    maybe(st.sampled_from(["*", "", "/data/", "a b/", "données/", " data/", "logs/*", "s3://bkt/data/"])),
    maybe(st.text(max_size=20)),
    valid_in_ten=8,
)
PERCENT = mix(good(st.sampled_from([1, 50, 99.5, 100]) | st.integers(1, 100)), bad(0, -1, 100.5, 150))
AVAILABLE_PERCENT = mix(good(st.sampled_from([0, 15, 98.5, 99]) | st.integers(0, 99)), bad(-1, 100, 150))
COUNT = mix(good(st.integers(1, 50)), bad(-1))
IDLE_FOR = mix(good(st.sampled_from([5, 60, 1440]) | st.integers(5, 1440)), maybe(st.integers(1, 4)))


def test_storage_and_runtime_role_grants_synthesize_or_reject_the_prop(
    record_property: Callable[[str, object], None],
) -> None:
    harness = Harness("SecureBucket+SecureLogGroup+JobRuntimeRole")

    @bounded(20)
    @given(
        days=RETENTION,
        read_prefix=PREFIX,
        write_prefix=PREFIX,
        log_prefix=PREFIX,
        destroy=st.booleans(),
    )
    def storage(days: V, read_prefix: V, write_prefix: V, log_prefix: V, destroy: bool) -> None:
        props = {"retention_days": days, "prefix": read_prefix}
        if read_prefix.bad is False:  # any of the three prefixes may be the one named
            props["prefix"] = V(
                read_prefix.value, None if (write_prefix.bad, log_prefix.bad) != (False, False) else False
            )

        def build(stack: Stack) -> None:
            policy = RemovalPolicy.DESTROY if destroy else RemovalPolicy.RETAIN
            bucket = SecureBucket(stack, "Bucket", removal_policy=policy, auto_delete_objects=destroy or None)
            log_group = SecureLogGroup(stack, "Logs", retention=retention_days(days.value), removal_policy=policy)
            role = JobRuntimeRole(stack, "Role", trust=RuntimeRoleTrust.serverless(stack))
            role.grant_read(bucket.bucket, read_prefix.value)
            role.grant_read_write(bucket.bucket, write_prefix.value)
            role.grant_log_write(bucket.bucket, log_prefix.value)
            role.grant_log_group_write(log_group.log_group, bucket.encryption_key)

        harness.check(props, build)

    storage()
    harness.record(record_property)


def test_monitoring_thresholds_synthesize_or_reject_the_prop(record_property: Callable[[str, object], None]) -> None:
    harness = Harness("EmrClusterMonitoring+EmrServerlessMonitoring")

    @bounded(16)
    @given(
        failed_apps=COUNT,
        unhealthy_nodes=COUNT,
        hdfs=PERCENT,
        yarn=AVAILABLE_PERCENT,
        idle_minutes=IDLE_FOR,
        failed_jobs=COUNT,
        capacity=PERCENT,
        pre_initialized_minutes=IDLE_FOR,
    )
    def monitoring(
        failed_apps: V,
        unhealthy_nodes: V,
        hdfs: V,
        yarn: V,
        idle_minutes: V,
        failed_jobs: V,
        capacity: V,
        pre_initialized_minutes: V,
    ) -> None:
        props = {
            "thresholds.failed_apps": failed_apps,
            "thresholds.unhealthy_nodes": unhealthy_nodes,
            "thresholds.hdfs_utilization_percent": hdfs,
            "thresholds.yarn_memory_available_percent": yarn,
            "thresholds.idle_for": idle_minutes,
            "thresholds.failed_jobs": failed_jobs,
            "thresholds.capacity_percent": capacity,
            "thresholds.idle_pre_initialized_for": pre_initialized_minutes,
        }

        def build(stack: Stack) -> None:
            EmrClusterMonitoring(
                stack,
                "Ec2",
                cluster=EmrCluster.from_cluster_id(stack, "Cluster", "j-2AXXXXXXGAPLF"),
                thresholds=EmrClusterAlarmThresholds(
                    failed_apps=failed_apps.value,
                    unhealthy_nodes=unhealthy_nodes.value,
                    hdfs_utilization_percent=hdfs.value,
                    yarn_memory_available_percent=yarn.value,
                    idle_for=Duration.minutes(idle_minutes.value),
                ),
            )
            EmrServerlessMonitoring(
                stack,
                "Serverless",
                application=EmrServerlessApplication(stack, "App"),
                thresholds=ServerlessAlarmThresholds(
                    failed_jobs=failed_jobs.value,
                    capacity_percent=capacity.value,
                    idle_pre_initialized_for=Duration.minutes(pre_initialized_minutes.value),
                ),
            )

        harness.check(props, build)

    monitoring()
    harness.record(record_property)
