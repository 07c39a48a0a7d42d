"""A retried ``emrctl submit`` does not start a second copy, on all three runtimes.

EMR Serverless and EMR on EKS ``StartJobRun`` take a ``clientToken`` and return the run a reused token first started;
moto ignores the token, so that service behaviour is modelled by a tiny fake client (``TokenService``) handed to the
real ``submit`` command through click's ``obj``. EMR on EC2 has no token: emrctl marks the step name and follows an
active step carrying it; that runs against moto server.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import botocore.session
import pytest

from emr_constructs.jobs.spec import SparkJob
from emr_constructs.ops.cli import cli
from emr_constructs.ops.common import EXIT_USAGE, Context, Failure
from emr_constructs.ops.lifecycle import check_token, derive_token, step_marker, step_name
from tests.ops.conftest import Result

APP, VC, ROLE = "00f6b0eou5biqd0l", "tnjptkung6wehhaovveldfrhy", "arn:aws:iam::123456789012:role/job"
JOB = ["--name", "nightly", "--entry-point", "s3://my-data/scripts/etl.py", "--role", ROLE]


# ---- the token -----------------------------------------------------------------------------------------------------


def _client_token_shape(service: str) -> Any:
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model("StartJobRun").input_shape.members["clientToken"]


@pytest.mark.parametrize("service", ["emr-serverless", "emr-containers"])
def test_derived_token_fits_the_services_client_token(service: str) -> None:
    """The ``ClientToken`` shape of each service model: 1-64 characters matching its pattern."""
    shape = _client_token_shape(service)
    token = derive_token("eks", VC, "nightly", {"name": "nightly"}, "2026-12-04")
    assert shape.metadata["min"] <= len(token) <= shape.metadata["max"]
    assert re.fullmatch(shape.metadata["pattern"], token)
    assert shape.metadata["idempotencyToken"] is True  # boto3 fills a random one when none is given


def test_token_is_deterministic_and_a_new_run_key_gives_a_new_token() -> None:
    request = {"applicationId": APP, "name": "nightly", "jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/x.py"}}}
    same = derive_token("serverless", APP, "nightly", dict(reversed(list(request.items()))), "k1")
    assert derive_token("serverless", APP, "nightly", request, "k1") == same
    assert derive_token("serverless", APP, "nightly", request, "k2") != same
    assert derive_token("serverless", "other-app", "nightly", request, "k1") != same
    changed = {**request, "jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/y.py"}}}
    assert derive_token("serverless", APP, "nightly", changed, "k1") != same


@pytest.mark.parametrize("token", ["", "has space", "a" * 65, "semi;colon"])
def test_a_token_the_services_refuse_is_a_usage_error(token: str) -> None:
    with pytest.raises(ValueError, match="--token"):
        check_token(token)


def test_step_marker_is_short_and_the_step_name_stays_within_256() -> None:
    assert step_name("nightly", "run-42") == "nightly [emrctl run-42]"
    long_token = "t" * 64
    assert step_marker(long_token).startswith(" [emrctl sha256:") and len(step_marker(long_token)) < 35
    assert len(step_name("n" * 300, long_token)) == 256 and step_name("n" * 300, long_token).endswith(
        step_marker(long_token)
    )


# ---- Serverless and EKS: a fake service that honours clientToken ---------------------------------------------------


class Pages:
    def __init__(self, pages: list[dict[str, Any]]) -> None:
        self.pages = pages

    def paginate(self, **_: Any) -> Iterator[dict[str, Any]]:
        return iter(self.pages)


@dataclass
class TokenService:
    """StartJobRun as AWS documents ``clientToken``: a reused token returns the run it first started, in whatever
    state (a FAILED one included), and starts nothing."""

    id_key: str
    listing: dict[str, list[dict[str, Any]]]
    requests: list[dict[str, Any]] = field(default_factory=list)
    runs: dict[str, str] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=itertools.count)

    def get_paginator(self, name: str) -> Pages:
        return Pages([self.listing])

    def start_job_run(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        token = request["clientToken"]
        if token not in self.runs:
            self.runs[token] = f"run{next(self.ids)}"
        return {self.id_key: self.runs[token], "arn": "arn", "virtualClusterId": VC, "applicationId": APP}


class FakeContext(Context):
    def __init__(self, service: TokenService) -> None:
        super().__init__("us-east-1", None, None, as_json=True)
        self.service = service

    def client(self, service: str) -> Any:
        return self.service


def _submit(group: str, service: TokenService, *args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    command = cli.commands[group]
    command.main(["submit", *args], obj=FakeContext(service), standalone_mode=False)
    return dict(json.loads(capsys.readouterr().out.splitlines()[-1]))


def _serverless() -> TokenService:
    return TokenService("jobRunId", {"applications": [{"id": APP, "name": "etl"}]})


def _eks() -> TokenService:
    return TokenService("id", {"virtualClusters": [{"id": VC, "name": "analytics"}]})


@pytest.mark.parametrize(("group", "target", "make"), [("serverless", "etl", _serverless), ("eks", "analytics", _eks)])
def test_a_retried_submit_gets_the_same_run(
    group: str, target: str, make: Callable[[], TokenService], capsys: pytest.CaptureFixture[str]
) -> None:
    service = make()
    first = _submit(group, service, "--target", target, *JOB, capsys=capsys)
    retry = _submit(group, service, "--target", target, *JOB, capsys=capsys)
    assert retry["id"] == first["id"] and len(service.runs) == 1
    assert [r["clientToken"] for r in service.requests] == [first["client_token"]] * 2
    assert first["client_token"] == retry["client_token"]


@pytest.mark.parametrize(("group", "target", "make"), [("serverless", "etl", _serverless), ("eks", "analytics", _eks)])
def test_a_new_run_key_runs_the_job_again(
    group: str, target: str, make: Callable[[], TokenService], capsys: pytest.CaptureFixture[str]
) -> None:
    service = make()
    monday = _submit(group, service, "--target", target, *JOB, "--run-key", "2026-12-07", capsys=capsys)
    tuesday = _submit(group, service, "--target", target, *JOB, "--run-key", "2026-12-08", capsys=capsys)
    assert monday["client_token"] != tuesday["client_token"] and monday["id"] != tuesday["id"]
    assert len(service.runs) == 2


def test_an_explicit_token_is_sent_as_is(capsys: pytest.CaptureFixture[str]) -> None:
    service = _serverless()
    submitted = _submit("serverless", service, "--target", APP, *JOB, "--token", "nightly-2026-12-04", capsys=capsys)
    assert submitted["client_token"] == "nightly-2026-12-04" == service.requests[0]["clientToken"]


def test_a_bad_token_is_refused_before_any_aws_call(capsys: pytest.CaptureFixture[str]) -> None:
    service = _serverless()
    with pytest.raises(Failure) as err:
        _submit("serverless", service, "--target", APP, *JOB, "--token", "not a token", capsys=capsys)
    assert err.value.code == EXIT_USAGE and service.requests == []


def test_the_token_is_part_of_the_request_the_job_renders() -> None:
    job = SparkJob(name="nightly", entry_point="s3://my-data/x.py", runtime_role_arn=ROLE)
    assert job.to_serverless_start_job_run(APP, client_token="t-1")["clientToken"] == "t-1"
    assert job.to_eks_start_job_run(VC, "emr-7.10.0-latest", client_token="t-1")["clientToken"] == "t-1"
    assert "clientToken" not in job.to_serverless_start_job_run(APP)


# ---- EMR on EC2 against moto ---------------------------------------------------------------------------------------


def _steps(client: Callable[[str], Any], cluster_id: str, marker: str) -> list[dict[str, Any]]:
    steps = client("emr").list_steps(ClusterId=cluster_id)["Steps"]
    return [s for s in steps if s["Name"].endswith(marker)]


def _ec2_submit(emrctl: Callable[..., Result], world: dict[str, str], *extra: str) -> dict[str, Any]:
    result = emrctl("--json", "ec2", "submit", "--target", world["cluster_id"], *JOB[:4], *extra)
    assert result.code == 0, result.stderr
    return dict(result.json())


def test_ec2_retry_with_the_same_token_follows_the_step_instead_of_adding_one(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    first = _ec2_submit(emrctl, world, "--token", "ec2-retry-1")
    retry = _ec2_submit(emrctl, world, "--token", "ec2-retry-1")
    assert (first["reused"], retry["reused"]) == (False, True) and retry["id"] == first["id"]
    assert [s["Id"] for s in _steps(client, world["cluster_id"], step_marker("ec2-retry-1"))] == [first["id"]]
    assert _steps(client, world["cluster_id"], step_marker("ec2-retry-1"))[0]["Name"] == "nightly [emrctl ec2-retry-1]"


def test_ec2_derived_token_dedupes_and_a_new_run_key_adds_a_step(
    emrctl: Callable[..., Result], client: Callable[[str], Any], world: dict[str, str]
) -> None:
    first = _ec2_submit(emrctl, world, "--run-key", "ec2-a")
    retry = _ec2_submit(emrctl, world, "--run-key", "ec2-a")
    other = _ec2_submit(emrctl, world, "--run-key", "ec2-b")
    assert retry["id"] == first["id"] and retry["client_token"] == first["client_token"]
    assert other["id"] != first["id"] and other["client_token"] != first["client_token"]
    assert len(_steps(client, world["cluster_id"], step_marker(first["client_token"]))) == 1
    assert len(_steps(client, world["cluster_id"], step_marker(other["client_token"]))) == 1


def test_text_output_prints_the_token(emrctl: Callable[..., Result], world: dict[str, str]) -> None:
    result = emrctl("ec2", "submit", "--target", world["cluster_id"], *JOB[:4], "--run-key", "text-output")
    assert result.code == 0, result.stderr
    assert re.search(r"\(token emrctl-[0-9a-f]{40}; resubmitting this job reuses it", result.stdout)
