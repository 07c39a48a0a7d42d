"""One interface for three runtimes: ``ClusterBase`` (EMR on EC2), ``ApplicationBase`` (EMR Serverless) and
``VirtualClusterBase`` (EMR on EKS) implement ``emr_constructs.runtime.EmrRuntime`` with the same names and
parameters, name their identity and imports alike, return ``iam.Grant`` from every grant and ``cw.Metric`` from
every metric, on imported resources too (aws-cdk's ``StateMachineBase`` conventions)."""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from emr_constructs import EmrCluster, EmrEksVirtualCluster, EmrServerlessApplication
from emr_constructs.cluster.base import ClusterBase
from emr_constructs.eks.virtual_cluster import VirtualClusterBase
from emr_constructs.runtime import EmrRuntime
from emr_constructs.serverless.application import ApplicationBase
from tests.conftest import new_app

RUNTIMES = {
    # base class -> (owned class, its from_* import, the imported id, the CloudWatch namespace of its metrics)
    ClusterBase: (EmrCluster, "from_cluster_id", "j-2AXXXXXXGAPLF", "AWS/ElasticMapReduce"),
    ApplicationBase: (EmrServerlessApplication, "from_application_id", "00f6b0eou5biqd0l", "AWS/EMRServerless"),
    VirtualClusterBase: (
        EmrEksVirtualCluster,
        "from_virtual_cluster_id",
        "abcdefghijklmno1234567890",
        "EMRonEKS/JobRuns",
    ),
}
RUNTIME_SPECIFIC_GRANTS = {ClusterBase: {"grant_add_steps"}}
"""Grants under a runtime's own name as well: EMR on EC2 calls submitting a job run "adding steps"."""
ROLE_ARN = "arn:aws:iam::123456789012:role/JobRole"


def _protocol_members() -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in vars(EmrRuntime).items()
        if not name.startswith("_") and inspect.isfunction(member)
    }


def _shape(signature: inspect.Signature) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in signature.parameters.values()]


def _policy_of(template: dict[str, Any], base: type, grant: str) -> dict[str, Any]:
    """The inline policy of the role the fixture granted ``base.grant`` to."""
    prefix = f"{base.__name__}{grant}".replace("_", "") + "DefaultPolicy"
    (policy,) = [v for k, v in template["Resources"].items() if k.startswith(prefix)]
    return dict(policy["Properties"]["PolicyDocument"])


def _public_methods(cls: type, prefix: str) -> set[str]:
    return {name for name, member in inspect.getmembers(cls, inspect.isfunction) if name.startswith(prefix)}


# ---- the shape, by inspection ------------------------------------------------------------------------------------


def test_the_protocol_is_the_shared_vocabulary() -> None:
    members = _protocol_members()
    assert {"grant", "grant_start_job_run", "metric", "metric_failed_jobs"} <= set(members)
    assert all(name == "grant" or name.startswith(("grant_", "metric")) for name in members)


@pytest.mark.parametrize("base", RUNTIMES, ids=lambda c: c.__name__)
def test_each_base_implements_the_protocol_with_identical_parameters(base: type) -> None:
    for name, expected in _protocol_members().items():
        assert hasattr(base, name), f"{base.__name__} lacks {name}"
        actual = inspect.signature(getattr(base, name))
        assert _shape(actual) == _shape(expected), f"{base.__name__}.{name}{actual} != EmrRuntime.{name}{expected}"
        assert str(actual.return_annotation) == str(expected.return_annotation), f"{base.__name__}.{name}"


def test_the_bases_share_every_grant_name() -> None:
    # A grant added to one runtime only must be added to all, or be named as runtime-specific above.
    grants = {base: _public_methods(base, "grant") - RUNTIME_SPECIFIC_GRANTS.get(base, set()) for base in RUNTIMES}
    assert len({frozenset(names) for names in grants.values()}) == 1, grants
    assert next(iter(grants.values())) == {n for n in _protocol_members() if n.startswith("grant")}


@pytest.mark.parametrize("base", RUNTIMES, ids=lambda c: c.__name__)
def test_every_metric_helper_takes_metric_options(base: type) -> None:
    # metric_* helpers take **props (statistic, period, label) like aws-cdk's metricXxx(props); extra positional
    # parameters are dimensions of the runtime (the job-run state on EKS).
    for name in _public_methods(base, "metric"):
        params = list(inspect.signature(getattr(base, name)).parameters.values())
        assert params[-1].kind is inspect.Parameter.VAR_KEYWORD and params[-1].name == "props", f"{name}"


@pytest.mark.parametrize("base", RUNTIMES, ids=lambda c: c.__name__)
def test_identity_and_import_are_named_after_the_resource(base: type) -> None:
    owned, importer, _, _ = RUNTIMES[base]
    resource = re.fullmatch(r"from_(\w+)_id", importer)
    assert resource, importer
    assert f"{resource[1]}_id" in base.__annotations__ and isinstance(getattr(base, f"{resource[1]}_arn"), property)
    assert [name for name in vars(owned) if name.startswith("from_")] == [importer]
    signature = inspect.signature(getattr(owned, importer))
    positional = [p.name for p in signature.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == ["scope", "construct_id", f"{resource[1]}_id"]
    assert all(p.kind is p.KEYWORD_ONLY for p in list(signature.parameters.values())[3:])
    assert signature.return_annotation == base.__name__


# ---- the behaviour, on imported resources ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported() -> dict[str, Any]:
    stack = Stack(new_app(), "Imported")
    role = iam.Role.from_role_arn(stack, "JobRole", ROLE_ARN, mutable=False)
    found: dict[str, Any] = {"stack": stack, "results": {}, "metrics": {}, "runtimes": {}}
    for base, (owned, importer, resource_id, _) in RUNTIMES.items():
        runtime = getattr(owned, importer)(stack, base.__name__, resource_id)
        assert isinstance(runtime, base)
        found["runtimes"][base] = runtime
        for name in sorted(_public_methods(base, "grant")):
            grantee = iam.Role(stack, f"{base.__name__}{name}", assumed_by=iam.AccountRootPrincipal())
            method = getattr(runtime, name)
            params = inspect.signature(method).parameters
            args: list[Any] = [grantee]
            if "runtime_role" in params:
                args.append(role)
            if name == "grant":
                args.append("elasticmapreduce:ListSteps")  # any action
            found["results"][base, name] = method(*args)
        found["metrics"][base] = {
            name: getattr(runtime, name)(*(["FAILED"] if name == "metric_job_runs" else []))
            for name in _public_methods(base, "metric_")
        }
        found["metrics"][base]["metric"] = runtime.metric("SomeMetric", statistic="Maximum")
    found["template"] = Template.from_stack(stack).to_json()
    return found


def test_every_grant_returns_an_iam_grant_that_reached_the_grantee(imported: dict[str, Any]) -> None:
    assert len(imported["results"]) >= 3 * len([n for n in _protocol_members() if n.startswith("grant")])
    for (base, name), grant in imported["results"].items():
        assert isinstance(grant, iam.Grant), f"{base.__name__}.{name} returned {grant!r}"
        assert grant.success, f"{base.__name__}.{name}"
        assert _policy_of(imported["template"], base, name)["Statement"], f"{base.__name__}.{name} granted nothing"


def test_grants_on_imported_resources_are_scoped_to_the_imported_id(imported: dict[str, Any]) -> None:
    for base, (_, _, resource_id, _) in RUNTIMES.items():
        for name in _public_methods(base, "grant"):
            document = _policy_of(imported["template"], base, name)
            for statement in document["Statement"]:
                if statement["Action"] == "iam:PassRole":
                    assert statement["Resource"] == ROLE_ARN or name == "grant_add_steps", f"{base.__name__}.{name}"
                    continue
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                for resource in resources:
                    assert resource_id in json.dumps(resource), f"{base.__name__}.{name}: {resource}"


def test_start_job_run_passes_only_the_given_role(imported: dict[str, Any]) -> None:
    for base in RUNTIMES:
        for name in ("grant_start_job_run", "grant_submit_job_run"):
            text = json.dumps(_policy_of(imported["template"], base, name))
            # EC2 and Serverless pass the role (iam:PassRole); EKS names it in StartJobRun's ExecutionRoleArn condition
            assert ROLE_ARN in text, f"{base.__name__}.{name}"


def test_metrics_of_imported_resources_carry_their_id(imported: dict[str, Any]) -> None:
    for base, (_, _, resource_id, namespace) in RUNTIMES.items():
        metrics = imported["metrics"][base]
        assert {"metric", "metric_failed_jobs", "metric_succeeded_jobs", "metric_running_jobs"} <= set(metrics)
        for name, metric in metrics.items():
            assert isinstance(metric, cw.Metric), f"{base.__name__}.{name}"
            assert metric.namespace == namespace, f"{base.__name__}.{name}"
            assert resource_id in metric.dimensions.values(), f"{base.__name__}.{name}: {metric.dimensions}"
        assert metrics["metric"].statistic == "Maximum"


def test_metric_options_reach_the_metric(imported: dict[str, Any]) -> None:
    for base, runtime in imported["runtimes"].items():
        metric = runtime.metric_failed_jobs(statistic="Average", label="failed")
        assert (metric.statistic, metric.label) == ("Average", "failed"), base.__name__
