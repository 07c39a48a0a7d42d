"""SparkJob over generated props: rejected with the library's error naming the prop, or its three renderings (EMR
on EC2 AddJobFlowSteps, EMR Serverless StartJobRun, EMR on EKS StartJobRun) are valid against botocore's request
models. No synthesis, so many more examples."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import botocore.session
from botocore.validate import ParamValidator
from hypothesis import given
from hypothesis import strategies as st

from emr_constructs.jobs import SparkJob
from tests.property.harness import ARABIC_INDIC_FOUR, V, bad, bounded, good, maybe, mix, names_prop

SESSION = botocore.session.get_session()
ROLE = "arn:aws:iam::123456789012:role/JobRole"
NAME = mix(
    good(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=40) | st.just("a" * 256)),
    bad("", "a" * 257),
)
S3 = st.sampled_from(["s3://my-data/jobs/etl.py", "s3://bkt/a.py", "s3://my-data/lib.zip#lib", "s3://x.y-z/k"])
ENTRY_POINT = mix(good(S3), bad("jobs/etl.py", "/tmp/etl.py", "s3://", "https://bkt/etl.py", " s3://bkt/etl.py"))
URIS = mix(good(st.lists(S3, max_size=2)), bad(["etl.py"], ["s3://bkt/a.zip", "hdfs:///a.zip"]))
POSITIVE = mix(good(st.none() | st.integers(1, 64)), bad(0, -1, 2.5, "2"))
MEMORY = mix(
    good(st.none() | st.sampled_from(["4g", "512m", "1G", "8t"])),
    maybe(st.sampled_from(["2048", "1k"])),
    bad("4 g", " 4g", "4gb", "four", "", f"{ARABIC_INDIC_FOUR}g", "-1g"),
)
LOG_URI = mix(good(st.none() | st.just("s3://my-logs/jobs/")), bad("my-logs/jobs", "file:///tmp"))
ACTION = mix(good(st.sampled_from(["CONTINUE", "CANCEL_AND_WAIT", "TERMINATE_CLUSTER"])), bad("continue", "", "STOP"))
ROLE_ARN = mix(good(st.just(ROLE)), maybe(st.none()), valid_in_ten=7)
# Non-empty: an empty argument is a finding (test_findings.py).
ARGUMENTS = st.lists(st.text(min_size=1, max_size=20), max_size=3)
CONF = st.dictionaries(st.sampled_from(["spark.a", "spark.b.c", "spark.sql.shuffle.partitions"]), st.text(max_size=10))


def validate(service: str, operation: str, params: dict[str, Any]) -> None:
    model = SESSION.get_service_model(service).operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    assert not report.has_errors(), report.generate_report()


def test_spark_job_renders_valid_requests_or_rejects_the_prop(record_property: Callable[[str, object], None]) -> None:
    outcomes: Counter[str] = Counter()

    @bounded(150)
    @given(
        name=NAME,
        entry_point=ENTRY_POINT,
        py_files=URIS,
        executor_cores=POSITIVE,
        timeout_minutes=POSITIVE,
        driver_memory=MEMORY,
        log_uri=LOG_URI,
        action_on_failure=ACTION,
        runtime_role_arn=ROLE_ARN,
        arguments=ARGUMENTS,
        conf=CONF,
    )
    def spark_job(arguments: list[str], conf: dict[str, str], **generated: V) -> None:
        props = {k: v.value for k, v in generated.items()}
        try:
            job = SparkJob(arguments=arguments, conf=conf, **props)
        except (ValueError, TypeError) as err:
            suspects = [k for k, v in generated.items() if v.bad is not False]
            assert names_prop(str(err), suspects), f"{type(err).__name__}: {err} names none of {suspects} ({props})"
            outcomes["rejected"] += 1
            return
        accepted = [k for k, v in generated.items() if v.bad]
        assert not accepted, f"accepted invalid {accepted} ({props})"
        validate("emr", "AddJobFlowSteps", job.to_emr_add_steps("j-2AXXXXXXGAPLF"))
        if props["runtime_role_arn"] is None:
            for render in (
                lambda: job.to_serverless_start_job_run("00f6b0eou5biqd0l"),
                lambda: job.to_eks_start_job_run("abc123vc", "emr-7.10.0-latest"),
            ):
                try:
                    render()
                except ValueError as err:
                    assert str(err).startswith("runtime_role_arn:"), err
                else:
                    raise AssertionError("a job without a runtime role rendered a Serverless/EKS request")
        else:
            serverless = job.to_serverless_start_job_run("00f6b0eou5biqd0l")
            validate("emr-serverless", "StartJobRun", {**serverless, "clientToken": "t"})  # boto3 fills it
            eks = job.to_eks_start_job_run("abc123vc", "emr-7.10.0-latest")
            validate("emr-containers", "StartJobRun", {**eks, "clientToken": "t"})
        outcomes["rendered"] += 1

    spark_job()
    record_property("property_examples", {"SparkJob": dict(outcomes)})
