"""Integration app: the EMR Serverless reference stack runs a PySpark word count while it deploys.

Deploy-time assertions (each failing the deployment when unmet at its time limit): the application is CREATED or
STARTED, a ``StartJobRun`` of the word count reaches ``SUCCESS`` (``GetJobRun``), the job wrote its output, and an
alarm of the stack reaches the alarm topic from CloudWatch.
Run with ``make integ``; synthesized offline by ``tests/integ/test_integ_apps.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
from aws_cdk.integ_tests_alpha import Match

from emr_constructs.jobs import SparkJob
from stacks.emr_serverless_stack import DATA_PREFIXES, EmrServerlessStack
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

RUNTIME = "serverless"
# See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/applications.html (application states)
READY_STATES = "^(CREATED|STARTED)$"
# See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/job-states.html
JOB_SUCCESS = "SUCCESS"


def build(app: cdk.App, context: Mapping[str, Any]) -> IntegApp:
    integ = IntegApp.create(app, RUNTIME, context)
    stack = integ.runtime_stack
    assert isinstance(stack, EmrServerlessStack)
    application_id = stack.application.application_id
    role = stack.runtime_role.role
    job = upload_word_count(
        integ,
        script_prefix=f"{DATA_PREFIXES['scripts']}integ/",
        input_prefix=f"{DATA_PREFIXES['raw']}integ/wordcount/",
        output_prefix=f"{DATA_PREFIXES['curated']}integ/wordcount/",
        runtime_role=role,
    )
    spark = SparkJob(
        name="integ-wordcount",
        entry_point=job.script_uri,
        arguments=[job.input_uri, job.output_uri("deploy")],
        driver_cores=1,
        driver_memory="2g",
        executor_cores=1,
        executor_memory="2g",
        executor_instances=1,
        runtime_role_arn=role.role_arn,
        log_uri=stack.application.log_uri,
    )
    calls = integ.test.assertions
    ready = wait(
        calls.aws_api_call("EMRServerless", "getApplication", {"applicationId": application_id}),
        {"application": {"state": Match.string_like_regexp(READY_STATES)}},
        READY_TIMEOUT,
    )
    start = calls.aws_api_call("EMRServerless", "startJobRun", spark.to_serverless_start_job_run(application_id))
    pass_role(start, role)
    for upload in job.uploads:
        start.node.add_dependency(upload)
    run = wait(
        calls.aws_api_call(
            "EMRServerless",
            "getJobRun",
            {"applicationId": application_id, "jobRunId": start.get_att_string("jobRunId")},
        ),
        {"jobRun": {"state": JOB_SUCCESS}},
        JOB_TIMEOUT,
    )
    ready.next(start).next(run).next(assert_output_exists(integ, job, "deploy"))
    assert_alarm_delivery(integ)
    integ.finish()
    return integ


if __name__ == "__main__":
    main(build)
