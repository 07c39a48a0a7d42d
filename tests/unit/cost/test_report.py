"""The cost report: fixed prices of the default and created-EKS environments, every resource type classified, the
README table in sync. Prices: emr_constructs/cost/prices.json (https://aws.amazon.com/vpc/pricing/,
https://aws.amazon.com/privatelink/pricing/, https://aws.amazon.com/kms/pricing/,
https://aws.amazon.com/cloudwatch/pricing/, https://aws.amazon.com/eks/pricing/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from emr_constructs.cost.report import (
    FREE_TYPES,
    PRICED_TYPES,
    USAGE_TYPES,
    AppReport,
    load_prices,
    main,
    report_assembly,
    report_stack,
)
from stacks.cost_table import README, readme_table
from tests.reference_app import synth_reference_app

PRICES = load_prices()
HOURS = PRICES["hours_per_month"]


def _usd(name: str, key: str | None = None) -> float:
    entry = PRICES["prices"][name]
    return float(entry["types"][key]["usd"] if key else entry["usd"])


NAT = _usd("nat_gateway_hour") * HOURS
IPV4 = _usd("public_ipv4_hour") * HOURS
ENDPOINT_AZ = _usd("interface_endpoint_az_hour") * HOURS
KEY = _usd("kms_key_month")
ALARM = _usd("cloudwatch_alarm_month")
DASHBOARD = _usd("cloudwatch_dashboard_month")
EKS = _usd("eks_cluster_hour") * HOURS


def _synth(tmp_path_factory: pytest.TempPathFactory, name: str, environment: dict[str, Any] | None) -> Path:
    outdir = tmp_path_factory.mktemp(name)
    context: dict[str, Any] = {}
    if environment is not None:
        context = {"env": name, "environments": {name: environment}}
    synth_reference_app(outdir, **context)  # a compliance finding still writes the templates
    assert (outdir / "manifest.json").is_file()
    return outdir


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> AppReport:
    return report_assembly(_synth(tmp_path_factory, "default", None))


@pytest.fixture(scope="module")
def created_eks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, AppReport]:
    outdir = _synth(tmp_path_factory, "eks", {"eks": {"create_cluster": True}})
    return outdir, report_assembly(outdir)


def _stack(report: AppReport, suffix: str) -> Any:
    (stack,) = [s for s in report.stacks if s.stack.endswith(f"-{suffix}")]
    return stack


def _count(stack: Any, resource_type: str) -> int:
    return len({i.logical_id for i in stack.fixed if i.resource_type == resource_type})


# --- the default environment -------------------------------------------------------------------------------------


def test_default_network_is_one_nat_gateway_its_address_and_the_flow_log_key(default: AppReport) -> None:
    network = _stack(default, "Network")
    assert network.monthly_usd == pytest.approx(NAT + IPV4 + KEY, abs=0.01)
    assert _count(network, "AWS::EC2::NatGateway") == 1 and _count(network, "AWS::EC2::EIP") == 1
    # the S3 gateway endpoint only, at no charge
    (endpoint,) = [i for i in network.fixed if i.resource_type == "AWS::EC2::VPCEndpoint"]
    assert endpoint.monthly_usd == 0


@pytest.mark.parametrize("suffix", ["Ec2", "Serverless", "Eks"])
def test_default_runtime_stacks_are_keys_alarms_and_a_dashboard(default: AppReport, suffix: str) -> None:
    stack = _stack(default, suffix)
    keys, alarms = _count(stack, "AWS::KMS::Key"), _count(stack, "AWS::CloudWatch::Alarm")
    assert _count(stack, "AWS::CloudWatch::Dashboard") == 1
    alarm_metrics = sum(i.monthly_usd for i in stack.fixed if i.resource_type == "AWS::CloudWatch::Alarm") / ALARM
    assert alarm_metrics >= alarms
    assert stack.monthly_usd == pytest.approx(keys * KEY + alarm_metrics * ALARM + DASHBOARD, abs=0.01)


def test_default_environment_costs_less_than_before_issue_17(default: AppReport) -> None:
    """Before: $144.50 at list prices ($87.60 of it six interface endpoints in two AZs)."""
    assert default.monthly_usd < 130
    assert default.monthly_usd == pytest.approx(sum(s.monthly_usd for s in default.stacks), abs=0.01)


def test_default_ec2_cluster_is_priced_per_hour_while_it_runs(default: AppReport) -> None:
    ec2 = _stack(default, "Ec2")
    on_demand = _usd("ec2_instance_hour", "m7g.xlarge") + _usd("emr_uplift_hour", "m7g.xlarge")
    # primary 1 + core 2 on-demand m7g.xlarge; the task fleet is spot: variable, not in the figure
    assert ec2.hourly_while_running_usd == pytest.approx(3 * on_demand, abs=0.0001)
    assert any("spot" in i.description and i.hourly_usd == 0 for i in ec2.fixed)


def test_default_serverless_has_no_pre_initialized_capacity(default: AppReport) -> None:
    assert _stack(default, "Serverless").hourly_while_running_usd == 0


def test_free_tier_takes_ten_alarm_metrics_and_three_dashboards(default: AppReport) -> None:
    metrics = sum(i.monthly_usd for s in default.stacks for i in s.fixed if i.resource_type.endswith("Alarm")) / ALARM
    dashboards = sum(_count(s, "AWS::CloudWatch::Dashboard") for s in default.stacks)
    assert default.free_tier_usd() == pytest.approx(min(metrics, 10) * ALARM + min(dashboards, 3) * DASHBOARD)


# --- every fixed-price resource type is priced ---------------------------------------------------------------------


def test_type_classes_do_not_overlap() -> None:
    assert (
        not (PRICED_TYPES & FREE_TYPES)
        and not (PRICED_TYPES & set(USAGE_TYPES))
        and not (FREE_TYPES & set(USAGE_TYPES))
    )


def test_every_resource_type_of_both_environments_is_classified(
    default: AppReport, created_eks: tuple[Path, AppReport]
) -> None:
    """A new resource type must be put in PRICED_TYPES, USAGE_TYPES or FREE_TYPES: none slips through unpriced."""
    for report in (default, created_eks[1]):
        assert [u for s in report.stacks for u in s.unclassified] == []


def test_every_resource_of_a_priced_type_has_a_line(created_eks: tuple[Path, AppReport]) -> None:
    outdir, report = created_eks
    manifest = json.loads((outdir / "manifest.json").read_text())
    for stack in report.stacks:
        artifact = next(
            a
            for key, a in manifest["artifacts"].items()
            if a.get("type") == "aws:cloudformation:stack" and a["properties"].get("stackName", key) == stack.stack
        )
        template = json.loads((outdir / artifact["properties"]["templateFile"]).read_text())
        priced = {k for k, r in template["Resources"].items() if r["Type"] in PRICED_TYPES}
        assert priced == {i.logical_id for i in stack.fixed}, stack.stack


# --- the created-EKS environment -------------------------------------------------------------------------------------


def test_created_eks_adds_the_control_plane_and_the_on_demand_minimum_nodes(
    created_eks: tuple[Path, AppReport],
) -> None:
    eks = _stack(created_eks[1], "Eks")
    nodes = _usd("ec2_instance_hour", "m7g.large") + _usd("ec2_instance_hour", "m7g.xlarge")  # system + drivers
    keys = _count(eks, "AWS::KMS::Key")
    alarm_metrics = sum(i.monthly_usd for i in eks.fixed if i.resource_type == "AWS::CloudWatch::Alarm") / ALARM
    expected = EKS + nodes * HOURS + keys * KEY + alarm_metrics * ALARM + DASHBOARD
    assert eks.monthly_usd == pytest.approx(expected, abs=0.01)
    spot = [i for i in eks.fixed if "spot" in i.description]
    assert len(spot) == 1 and spot[0].monthly_usd == 0  # executors: spot, variable, not in the figure


def test_report_files_are_written_and_make_synth_line_printed(
    created_eks: tuple[Path, AppReport], capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = created_eks[0]
    assert main([str(outdir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == [s.stack for s in created_eks[1].stacks]
    data = json.loads((outdir / "cost-report.json").read_text())
    assert data["fixed_monthly_usd"] == created_eks[1].monthly_usd
    assert "Usage-priced (not estimated)" in (outdir / "cost-report.md").read_text()


def test_main_refuses_a_directory_without_manifest(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 2


# --- the README ----------------------------------------------------------------------------------------------------


def test_readme_table_is_the_generated_one(default: AppReport) -> None:
    assert readme_table(README.read_text()) == default.summary_table(), "run: python -m stacks.cost_table --write"


# --- pricing rules on small templates (no synth) ---------------------------------------------------------------------


def _template(*resources: tuple[str, str, dict[str, Any]]) -> dict[str, Any]:
    return {"Resources": {lid: {"Type": rtype, "Properties": props} for lid, rtype, props in resources}}


def test_interface_endpoint_is_priced_per_az() -> None:
    three = {"VpcEndpointType": "Interface", "ServiceName": "com.amazonaws.us-east-1.sts", "SubnetIds": ["a", "b", "c"]}
    report = report_stack("S", _template(("E", "AWS::EC2::VPCEndpoint", three)), "unknown-region", PRICES)
    assert report.monthly_usd == pytest.approx(3 * ENDPOINT_AZ, abs=0.01)


def test_region_override_and_unknown_region() -> None:
    template = _template(("N", "AWS::EC2::NatGateway", {}))
    ireland = report_stack("S", template, "eu-west-1", PRICES)
    assert ireland.region_priced_as == "eu-west-1"
    assert ireland.monthly_usd == pytest.approx(
        PRICES["prices"]["nat_gateway_hour"]["regions"]["eu-west-1"]["usd"] * HOURS, abs=0.01
    )
    assert report_stack("S", template, "unknown-region", PRICES).region_priced_as == "us-east-1"


def test_serverless_pre_initialized_capacity_is_hourly_while_started() -> None:
    capacity = {"WorkerCount": 2, "WorkerConfiguration": {"Cpu": "4 vCPU", "Memory": "16 GB"}}
    props = {"Architecture": "ARM64", "InitialCapacity": [{"Key": "Driver", "Value": capacity}]}
    report = report_stack("S", _template(("A", "AWS::EMRServerless::Application", props)), "unknown-region", PRICES)
    vcpu = PRICES["prices"]["serverless_vcpu_hour"]["architectures"]["ARM64"]["usd"]
    memory = PRICES["prices"]["serverless_gb_hour"]["architectures"]["ARM64"]["usd"]
    assert report.monthly_usd == 0
    assert report.hourly_while_running_usd == pytest.approx(2 * (4 * vcpu + 16 * memory), abs=0.0001)


def test_unknown_type_is_reported_unclassified_and_custom_resources_are_usage() -> None:
    template = _template(("X", "AWS::RDS::DBInstance", {}), ("C", "Custom::Thing", {}))
    report = report_stack("S", template, "unknown-region", PRICES)
    assert report.unclassified == ["X (AWS::RDS::DBInstance)"]
    assert [u.logical_id for u in report.usage] == ["C"]


def test_the_report_loads_no_cdk() -> None:
    """Pure Python: it prices any app's cdk.out without aws_cdk or jsii (and fast, after ``cdk synth``)."""
    import subprocess
    import sys

    heavy = "('aws_cdk', 'jsii', 'constructs')"
    probe = (
        f"import sys, emr_constructs.cost.report; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
