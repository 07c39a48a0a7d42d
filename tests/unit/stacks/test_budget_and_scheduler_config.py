"""The reference stacks' cost and queuing settings: ``<runtime>.monthly_budget_usd`` (an AWS Budgets budget of the
application's tag, alerting the stack's alarm topic) and ``serverless.max_concurrent_runs`` /
``serverless.queue_timeout_minutes`` (EMR Serverless job concurrency and queuing). Off by default.

The configured app is synthesized with the four nag packs (``build_stacks`` adds them: synthesis fails on a
finding) and every template is linted with cfn-lint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from cfnlint.api import ManualArgs, lint_file

from stacks.config import ConfigError, load_config
from tests.conftest import ROOT, cdk_context
from tests.reference_app import SynthResult, synth_reference_app

CONFIGURED = {
    "env": "costs",
    "environments": {
        "costs": {
            "application_tag": "sales-etl",
            "cost_center": "analytics",
            "ec2": {"monthly_budget_usd": 2000},
            "serverless": {"monthly_budget_usd": 750.5, "max_concurrent_runs": 20, "queue_timeout_minutes": 120},
            "eks": {"monthly_budget_usd": 1000},
        }
    },
}


@pytest.fixture(scope="module")
def configured(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(Path(tmp_path_factory.mktemp("costs")), **CONFIGURED)


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(Path(tmp_path_factory.mktemp("default")), env="default")


def _resources(result: SynthResult, stack: str, resource_type: str) -> dict[str, Any]:
    template = result.templates()[stack]
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def test_configured_app_passes_the_four_packs(configured: SynthResult) -> None:
    assert configured.assembly is not None, configured.error


def test_configured_templates_are_cfn_lint_clean(configured: SynthResult) -> None:
    ignore = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
    templates = sorted(configured.outdir.glob("*.template.json"))
    assert templates
    for template in templates:
        matches = lint_file(template, config=ManualArgs(ignore_checks=ignore, regions=["us-east-1", "eu-west-1"]))
        assert [str(m) for m in matches] == [], template.name


@pytest.mark.parametrize(("runtime", "limit"), [("Ec2", 2000), ("Serverless", 750.5), ("Eks", 1000)])
def test_each_runtime_budget_filters_the_application_tag_and_alerts_the_alarm_topic(
    configured: SynthResult, runtime: str, limit: float
) -> None:
    stack = f"Emr-costs-{runtime}"
    (budget,) = _resources(configured, stack, "AWS::Budgets::Budget").values()
    data = budget["Properties"]["Budget"]
    assert data["BudgetLimit"] == {"Amount": limit, "Unit": "USD"}
    assert data["CostFilters"] == {"TagKeyValue": ["user:application$sales-etl"]}
    (topic,) = _resources(configured, stack, "AWS::SNS::Topic")
    subscribers = [s for n in budget["Properties"]["NotificationsWithSubscribers"] for s in n["Subscribers"]]
    assert subscribers == [{"SubscriptionType": "SNS", "Address": {"Ref": topic}}] * 3
    (policy,) = _resources(configured, stack, "AWS::SNS::TopicPolicy").values()
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    budgets = [s for s in statements if s.get("Principal") == {"Service": "budgets.amazonaws.com"}]
    assert [(s["Action"], sorted(s["Condition"])) for s in budgets] == [("sns:Publish", ["ArnLike", "StringEquals"])]


def test_serverless_scheduler_from_config(configured: SynthResult) -> None:
    (app,) = _resources(configured, "Emr-costs-Serverless", "AWS::EMRServerless::Application").values()
    assert app["Properties"]["SchedulerConfiguration"] == {"MaxConcurrentRuns": 20, "QueueTimeoutMinutes": 120}


def test_default_app_has_no_budget_and_no_scheduler(default: SynthResult) -> None:
    for name, template in default.templates().items():
        types = {r["Type"] for r in template["Resources"].values()}
        assert "AWS::Budgets::Budget" not in types, name
    (app,) = _resources(default, "Emr-default-Serverless", "AWS::EMRServerless::Application").values()
    assert "SchedulerConfiguration" not in app["Properties"]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"ec2": {"monthly_budget_usd": 0}},
            r"environments\.bad\.ec2\.monthly_budget_usd: Input should be greater than 0",
        ),
        (
            {"eks": {"monthly_budget_usd": "100"}},
            r"environments\.bad\.eks\.monthly_budget_usd: Input should be a valid number",
        ),
        (
            {"serverless": {"max_concurrent_runs": 0}},
            r"environments\.bad\.serverless\.max_concurrent_runs: .*greater than or equal to 1",
        ),
        (
            {"serverless": {"max_concurrent_runs": 1001}},
            r"environments\.bad\.serverless\.max_concurrent_runs: .*less than or equal to 1000",
        ),
        (
            {"serverless": {"queue_timeout_minutes": 14}},
            r"environments\.bad\.serverless\.queue_timeout_minutes: .*greater than or equal to 15",
        ),
        (
            {"serverless": {"queue_timeout_minutes": 721}},
            r"environments\.bad\.serverless\.queue_timeout_minutes: .*less than or equal to 720",
        ),
    ],
)
def test_wrong_values_name_the_key(environment: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(cdk_context(env="bad", environments={"bad": environment}))


def test_scheduler_on_a_release_before_7_names_the_prop(tmp_path: Path) -> None:
    environment = {"serverless": {"release_label": "emr-6.15.0", "max_concurrent_runs": 5}}
    with pytest.raises(ValueError, match=r"scheduler: .*emr-7\.0\.0 or later"):
        synth_reference_app(tmp_path, env="old", environments={"old": environment})
