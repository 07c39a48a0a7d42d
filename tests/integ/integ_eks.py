"""Integration app: EMR on EKS on a created EKS cluster runs a PySpark word count while it deploys.

Deploy-time assertions (each failing the deployment when unmet at its time limit): the EKS cluster is ACTIVE and
the virtual cluster RUNNING, a ``StartJobRun`` of the word count (with the stack's pod templates, so the pods must
schedule on the nodes they select) reaches ``COMPLETED`` (``DescribeJobRun``), the job wrote its output, and an
alarm of the stack reaches the alarm topic from CloudWatch.
Run with ``make integ``; synthesized offline by ``tests/integ/test_integ_apps.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk

from emr_constructs import JobRuntimeRole
from emr_constructs.eks import EmrEksCluster, EmrEksVirtualCluster
from emr_constructs.eks.pod_templates import PodTemplates
from emr_constructs.jobs import SparkJob
from stacks.emr_eks_stack import DATA_PREFIXES, EmrEksStack
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

RUNTIME = "eks"
# See: https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html (status)
CLUSTER_READY = "ACTIVE"
# See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/virtual-cluster.html (states)
VIRTUAL_CLUSTER_READY = "RUNNING"
# See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/job-runs.html (job run states)
JOB_SUCCESS = "COMPLETED"


def _child(stack: cdk.Stack, construct_id: str, kind: type) -> Any:
    child = stack.node.find_child(construct_id)
    assert isinstance(child, kind), f"{stack.stack_name}/{construct_id} is a {type(child).__name__}"
    return child


def build(app: cdk.App, context: Mapping[str, Any]) -> IntegApp:
    integ = IntegApp.create(app, RUNTIME, context)
    stack = integ.runtime_stack
    assert isinstance(stack, EmrEksStack)
    eks_cluster: EmrEksCluster = _child(stack, "Eks", EmrEksCluster)
    virtual_cluster: EmrEksVirtualCluster = _child(stack, "VirtualCluster", EmrEksVirtualCluster)
    execution_role: JobRuntimeRole = _child(stack, "ExecutionRole", JobRuntimeRole)
    templates: PodTemplates = _child(stack, "PodTemplates", PodTemplates)
    vc_id = virtual_cluster.virtual_cluster_id
    role = execution_role.role
    job = upload_word_count(
        integ,
        script_prefix=f"{DATA_PREFIXES['scripts']}integ/",
        input_prefix=f"{DATA_PREFIXES['raw']}integ/wordcount/",
        output_prefix=f"{DATA_PREFIXES['curated']}integ/wordcount/",
        runtime_role=role,
    )
    integ.output("ReleaseLabel", integ.config.eks.release_label.label, "The release label of the job runs")
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
    )
    request = spark.to_eks_start_job_run(
        vc_id,
        integ.config.eks.release_label.label,
        driver_pod_template=templates.driver_template_uri,
        executor_pod_template=templates.executor_template_uri,
        log_group_name=virtual_cluster.log_group.log_group_name,
    )
    # The pod template URIs hold the bucket name (a token), which shlex would quote into the rendered parameters.
    pod_template_confs = {
        "spark.kubernetes.driver.podTemplateFile": templates.driver_template_uri,
        "spark.kubernetes.executor.podTemplateFile": templates.executor_template_uri,
    }
    request["jobDriver"]["sparkSubmitJobDriver"]["sparkSubmitParameters"] = " ".join(
        spark.spark_submit_parameters(pod_template_confs)
    )
    calls = integ.test.assertions
    cluster_ready = wait(
        calls.aws_api_call("EKS", "describeCluster", {"name": eks_cluster.cluster.cluster_name}),
        {"cluster": {"status": CLUSTER_READY}},
        READY_TIMEOUT,
    )
    vc_ready = wait(
        calls.aws_api_call("EMRcontainers", "describeVirtualCluster", {"id": vc_id}),
        {"virtualCluster": {"state": VIRTUAL_CLUSTER_READY}},
        READY_TIMEOUT,
    )
    start = calls.aws_api_call("EMRcontainers", "startJobRun", request)
    pass_role(start, role)
    for upload in job.uploads:
        start.node.add_dependency(upload)
    run = wait(
        calls.aws_api_call(
            "EMRcontainers", "describeJobRun", {"virtualClusterId": vc_id, "id": start.get_att_string("id")}
        ),
        {"jobRun": {"state": JOB_SUCCESS}},
        JOB_TIMEOUT,
    )
    cluster_ready.next(vc_ready).next(start).next(run).next(assert_output_exists(integ, job, "deploy"))
    assert_alarm_delivery(integ)
    integ.finish()
    return integ


if __name__ == "__main__":
    main(build)
