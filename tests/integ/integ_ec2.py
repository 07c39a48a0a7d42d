"""Integration app: the EMR on EC2 reference cluster runs a PySpark word count step while it deploys.

Deploy-time assertions (each failing the deployment when unmet at its time limit): the cluster is WAITING or
RUNNING, an ``AddJobFlowSteps`` step of the word count (under the stack's runtime role) reaches ``COMPLETED``
(``DescribeStep``), the step wrote its output, and an alarm of the stack reaches the alarm topic from CloudWatch.
Run with ``make integ``; synthesized offline by ``tests/integ/test_integ_apps.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk.integ_tests_alpha import Match

from emr_constructs.jobs import SparkJob
from stacks.emr_ec2_stack import DATA_PREFIXES, EmrEc2Stack
from tests.integ.common import (
    JOB_TIMEOUT,
    READY_TIMEOUT,
    IntegApp,
    assert_alarm_delivery,
    assert_output_exists,
    main,
    pass_role,
    upload_word_count,
    wait,
)

RUNTIME = "ec2"
# See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-overview.html#emr-overview-cluster-lifecycle
READY_STATES = "^(WAITING|RUNNING)$"
# See: https://docs.aws.amazon.com/emr/latest/APIReference/API_StepStatus.html
STEP_SUCCESS = "COMPLETED"


def build(app: cdk.App, context: Mapping[str, Any]) -> IntegApp:
    integ = IntegApp.create(app, RUNTIME, context)
    stack = integ.runtime_stack
    assert isinstance(stack, EmrEc2Stack)
    cluster_id = stack.cluster.cluster_id
    role = stack.runtime_role.role
    # The runtime role reads raw/ and artifacts/ and writes curated/ (see the stack).
    job = upload_word_count(
        integ,
        script_prefix=f"{DATA_PREFIXES['artifacts']}integ/",
        input_prefix=f"{DATA_PREFIXES['raw']}integ/wordcount/",
        output_prefix=f"{DATA_PREFIXES['curated']}integ/wordcount/",
        runtime_role=role,
    )
    spark = SparkJob(
        name="integ-wordcount",
        entry_point=job.script_uri,
        arguments=[job.input_uri, job.output_uri("deploy")],
        executor_instances=1,
        runtime_role_arn=role.role_arn,
    )
    calls = integ.test.assertions
    ready = wait(
        calls.aws_api_call("EMR", "describeCluster", {"ClusterId": cluster_id}),
        {"Cluster": {"Status": {"State": Match.string_like_regexp(READY_STATES)}}},
        READY_TIMEOUT,
    )
    start = calls.aws_api_call("EMR", "addJobFlowSteps", spark.to_emr_add_steps(cluster_id))
    pass_role(start, role)
    for upload in job.uploads:
        start.node.add_dependency(upload)
    step = wait(
        calls.aws_api_call(
            "EMR", "describeStep", {"ClusterId": cluster_id, "StepId": start.get_att_string("StepIds.0")}
        ),
        {"Step": {"Status": {"State": STEP_SUCCESS}}},
        JOB_TIMEOUT,
    )
    ready.next(start).next(step).next(assert_output_exists(integ, job, "deploy"))
    assert_alarm_delivery(integ)
    integ.finish()
    return integ


if __name__ == "__main__":
    main(build)
