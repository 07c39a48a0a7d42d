"""What a synthesized app costs before anyone runs a job: reads the CloudFormation templates of a cloud assembly
directory (``cdk.out``), prices the resources with a fixed hourly or monthly price from the shipped price table
(``prices.json``) and lists the usage-priced ones as such, without guessing a volume.

Pure Python (no aws_cdk): it reads JSON, so it works on any CDK app's ``cdk.out``::

    python -m emr_constructs.cost.report cdk.out

prints one line per stack and writes ``cost-report.json`` and ``cost-report.md`` into the directory.
"""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

REPORT_JSON = "cost-report.json"
REPORT_MARKDOWN = "cost-report.md"


def load_prices() -> dict[str, Any]:
    """The price table the library ships (source pages, retrieval date, us-east-1 prices, region overrides)."""
    text = resources.files("emr_constructs.cost").joinpath("prices.json").read_text(encoding="utf-8")
    table: dict[str, Any] = json.loads(text)
    return table


@dataclass(frozen=True)
class LineItem:
    """One priced resource. ``monthly_usd`` counts in the stack's fixed monthly cost; ``hourly_usd`` is the price per
    hour while a runtime runs (an EMR cluster, a STARTED Serverless application with pre-initialized capacity)."""

    logical_id: str
    resource_type: str
    description: str
    monthly_usd: float = 0.0
    hourly_usd: float = 0.0
    unverified: bool = False


@dataclass(frozen=True)
class UsageItem:
    """A resource whose price depends on use (jobs, requests, data, storage): listed, never estimated."""

    logical_id: str
    resource_type: str
    priced_by: str


@dataclass
class StackReport:
    stack: str
    region: str
    region_priced_as: str
    fixed: list[LineItem] = field(default_factory=list)
    usage: list[UsageItem] = field(default_factory=list)
    unclassified: list[str] = field(default_factory=list)

    @property
    def monthly_usd(self) -> float:
        return round(sum(item.monthly_usd for item in self.fixed), 2)

    @property
    def hourly_while_running_usd(self) -> float:
        return round(sum(item.hourly_usd for item in self.fixed), 4)


# Resource types with no charge of their own (configuration, identity, routing), so no line in the report.
FREE_TYPES = frozenset(
    {
        "AWS::CDK::Metadata",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::Route",
        "AWS::EC2::RouteTable",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::Subnet",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::VPC",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::EKS::AccessEntry",
        "AWS::EKS::Addon",
        "AWS::EMR::SecurityConfiguration",
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::OIDCProvider",
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::Lambda::LayerVersion",
        "AWS::Lambda::Permission",
        "AWS::Logs::ResourcePolicy",
        "AWS::S3::BucketPolicy",
        "AWS::SNS::Subscription",
        "AWS::SNS::TopicPolicy",
        "AWS::SSM::Parameter",
    }
)

# Resource types priced by use, and what their price depends on.
USAGE_TYPES = {
    "AWS::EC2::FlowLog": "log data delivered to CloudWatch Logs (ingestion, storage)",
    "AWS::EMRContainers::VirtualCluster": "vCPU and memory of the jobs' pods (plus the nodes they run on)",
    "AWS::Events::Rule": "custom events published (AWS service events are free)",
    "AWS::Glue::Database": "Data Catalog objects beyond the free million and requests",
    "AWS::Lambda::Function": "invocations and duration",
    "AWS::Logs::LogGroup": "log data ingested and stored",
    "AWS::Logs::MetricFilter": "a custom metric per filter once it publishes data",
    "AWS::S3::Bucket": "storage, requests and data transfer",
    "AWS::SNS::Topic": "publishes and deliveries",
    "AWS::Scheduler::Schedule": "invocations beyond the free tier",
    "AWS::StepFunctions::StateMachine": "state transitions",
}
CUSTOM_RESOURCE_USAGE = "the Lambda function that serves it (invocations at deploy time)"

PRICED_TYPES = frozenset(
    {
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::Dashboard",
        "AWS::EC2::EIP",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::EKS::Cluster",
        "AWS::EKS::Nodegroup",
        "AWS::EMR::Cluster",
        "AWS::EMRServerless::Application",
        "AWS::KMS::Key",
    }
)


class _Pricer:
    def __init__(self, table: dict[str, Any], region: str) -> None:
        self.table = table
        self.region = region
        self.hours = float(table["hours_per_month"])

    def price(self, name: str, key: str | None = None, group: str = "types") -> tuple[float, bool] | None:
        """(usd, unverified) of a price, with the region's override if the table has one; None if not in the table."""
        entry = self.table["prices"][name]
        if key is not None:
            entry = entry.get(group, {}).get(key)
            if entry is None:
                return None
        override = entry.get("regions", {}).get(self.region)
        chosen = override if override is not None else entry
        return float(chosen["usd"]), bool(chosen.get("unverified", False))


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def _quantity(text: Any, unit: str) -> float | None:
    """``"4 vCPU"`` -> 4.0; ``"16 GB"`` -> 16.0 (EMR Serverless worker sizes); None for a token."""
    match = re.fullmatch(rf"\s*([0-9.]+)\s*{unit}\s*", text) if isinstance(text, str) else None
    return float(match.group(1)) if match else None


def _instances(target: Any, weight: Any) -> int:
    if not isinstance(target, int | float) or not target:
        return 0
    return math.ceil(target / (weight if isinstance(weight, int | float) and weight > 0 else 1))


def _price_resource(pricer: _Pricer, logical_id: str, rtype: str, props: dict[str, Any]) -> list[LineItem]:
    hours = pricer.hours
    items: list[LineItem] = []

    def add(description: str, usd: float | None, unverified: bool, *, monthly: float = 0, hourly: float = 0) -> None:
        items.append(LineItem(logical_id, rtype, description, round(monthly, 4), round(hourly, 4), unverified))

    if rtype == "AWS::EC2::NatGateway":
        usd, unv = pricer.price("nat_gateway_hour") or (0.0, True)
        add("NAT gateway (plus $/GB processed)", usd, unv, monthly=usd * hours)
    elif rtype == "AWS::EC2::EIP":
        usd, unv = pricer.price("public_ipv4_hour") or (0.0, True)
        add("public IPv4 address (Elastic IP)", usd, unv, monthly=usd * hours)
    elif rtype == "AWS::EC2::VPCEndpoint":
        if props.get("VpcEndpointType", "Gateway") == "Interface":
            azs = _count(props.get("SubnetIds", []))
            usd, unv = pricer.price("interface_endpoint_az_hour") or (0.0, True)
            service = str(props.get("ServiceName", ""))
            name = service if isinstance(props.get("ServiceName"), str) else _service_suffix(props.get("ServiceName"))
            add(f"interface endpoint {name} x {azs} AZ", usd, unv, monthly=usd * azs * hours)
        else:
            add("gateway endpoint (no charge)", 0.0, False)
    elif rtype == "AWS::KMS::Key":
        usd, unv = pricer.price("kms_key_month") or (0.0, True)
        add("KMS key (first year; rotation adds backing keys)", usd, unv, monthly=usd)
    elif rtype == "AWS::CloudWatch::Alarm":
        metrics = props.get("Metrics")
        count = sum(1 for m in metrics if isinstance(m, dict) and "MetricStat" in m) if isinstance(metrics, list) else 1
        usd, unv = pricer.price("cloudwatch_alarm_month") or (0.0, True)
        add(f"alarm ({count} metric{'s' if count != 1 else ''})", usd, unv, monthly=usd * max(count, 1))
    elif rtype == "AWS::CloudWatch::Dashboard":
        usd, unv = pricer.price("cloudwatch_dashboard_month") or (0.0, True)
        add("dashboard", usd, unv, monthly=usd)
    elif rtype == "AWS::EKS::Cluster":
        usd, unv = pricer.price("eks_cluster_hour") or (0.0, True)
        add("EKS control plane (standard support)", usd, unv, monthly=usd * hours)
    elif rtype == "AWS::EKS::Nodegroup":
        items += _nodegroup(pricer, logical_id, props)
    elif rtype == "AWS::EMR::Cluster":
        items += _emr_cluster(pricer, logical_id, props)
    elif rtype == "AWS::EMRServerless::Application":
        items += _serverless(pricer, logical_id, props)
    return items


def _service_suffix(value: Any) -> str:
    """``com.amazonaws.<region>.sts`` written as Fn::Join -> ``sts``."""
    parts = value.get("Fn::Join", ["", []])[1] if isinstance(value, dict) else []
    last = parts[-1] if parts else ""
    return last.lstrip(".") if isinstance(last, str) else "?"


def _ec2(pricer: _Pricer, instance_type: str) -> tuple[float, bool] | None:
    return pricer.price("ec2_instance_hour", instance_type)


def _nodegroup(pricer: _Pricer, logical_id: str, props: dict[str, Any]) -> list[LineItem]:
    rtype = "AWS::EKS::Nodegroup"
    minimum = (props.get("ScalingConfig") or {}).get("MinSize", 0)
    types = props.get("InstanceTypes") or []
    if not isinstance(minimum, int) or minimum == 0:
        return [LineItem(logical_id, rtype, "node group, minimum 0 nodes")]
    first = types[0] if types and isinstance(types[0], str) else None
    price = _ec2(pricer, first) if first else None
    if price is None:
        return [
            LineItem(
                logical_id, rtype, f"node group, {minimum} x {first or 'launch template'}: not in table", 0, 0, True
            )
        ]
    usd, unv = price
    if props.get("CapacityType") == "SPOT":
        return [
            LineItem(
                logical_id,
                rtype,
                f"node group, {minimum} x {first} spot: variable, at most ${usd * minimum * pricer.hours:.2f}/month",
                0,
                0,
                unv,
            )
        ]
    return [
        LineItem(
            logical_id,
            rtype,
            f"node group, minimum {minimum} x {first}",
            round(usd * minimum * pricer.hours, 4),
            0,
            unv,
        )
    ]


def _emr_cluster(pricer: _Pricer, logical_id: str, props: dict[str, Any]) -> list[LineItem]:
    """Per hour while the cluster runs (it terminates when idle): its initial on-demand instances, EC2 + EMR price."""
    rtype = "AWS::EMR::Cluster"
    instances = props.get("Instances") or {}
    counts: list[tuple[str, str, int]] = []
    fleets = [("primary", instances.get("MasterInstanceFleet")), ("core", instances.get("CoreInstanceFleet"))]
    fleets += [("task", fleet) for fleet in instances.get("TaskInstanceFleets") or []]
    for role, fleet in fleets:
        if not isinstance(fleet, dict):
            continue
        configs = fleet.get("InstanceTypeConfigs") or [{}]
        first = configs[0]
        count = _instances(fleet.get("TargetOnDemandCapacity"), first.get("WeightedCapacity"))
        if count:
            counts.append((role, str(first.get("InstanceType")), count))
        spot = _instances(fleet.get("TargetSpotCapacity"), first.get("WeightedCapacity"))
        if spot:
            counts.append((f"{role} spot", str(first.get("InstanceType")), spot))
    for role, key in (("primary", "MasterInstanceGroup"), ("core", "CoreInstanceGroup")):
        group = instances.get(key)
        if isinstance(group, dict) and isinstance(group.get("InstanceCount"), int):
            counts.append((role, str(group.get("InstanceType")), group["InstanceCount"]))
    items = []
    for role, instance_type, count in counts:
        ec2 = _ec2(pricer, instance_type)
        emr = pricer.price("emr_uplift_hour", instance_type)
        if ec2 is None or emr is None:
            items.append(
                LineItem(logical_id, rtype, f"EMR {role}: {count} x {instance_type}: not in table", 0, 0, True)
            )
            continue
        hourly = (ec2[0] + emr[0]) * count
        if role.endswith("spot"):
            text = f"EMR {role}: {count} x {instance_type}: variable, at most ${hourly:.4f}/hour while running"
            items.append(LineItem(logical_id, rtype, text, 0, 0, True))
        else:
            text = f"EMR {role}: {count} x {instance_type} (EC2 + EMR), per hour while running"
            items.append(LineItem(logical_id, rtype, text, 0, round(hourly, 4), ec2[1] or emr[1]))
    return items


def _serverless(pricer: _Pricer, logical_id: str, props: dict[str, Any]) -> list[LineItem]:
    """Pre-initialized capacity is billed per hour while the application is STARTED; jobs are usage."""
    rtype = "AWS::EMRServerless::Application"
    initial = props.get("InitialCapacity") or []
    if not initial:
        return [LineItem(logical_id, rtype, "EMR Serverless: no pre-initialized capacity (jobs are usage)")]
    architecture = props.get("Architecture", "X86_64")
    vcpu = pricer.price("serverless_vcpu_hour", architecture, "architectures")
    memory = pricer.price("serverless_gb_hour", architecture, "architectures")
    items = []
    for entry in initial if isinstance(initial, list) else []:
        value = entry.get("Value", {}) if isinstance(entry, dict) else {}
        workers = value.get("WorkerCount")
        size = value.get("WorkerConfiguration", {})
        cpu, gb = _quantity(size.get("Cpu"), "vCPU"), _quantity(size.get("Memory"), "GB")
        kind = entry.get("Key", "?") if isinstance(entry, dict) else "?"
        if not isinstance(workers, int) or cpu is None or gb is None or vcpu is None or memory is None:
            items.append(LineItem(logical_id, rtype, f"pre-initialized {kind}: size not readable", 0, 0, True))
            continue
        hourly = workers * (cpu * vcpu[0] + gb * memory[0])
        text = f"pre-initialized {kind}: {workers} x {cpu:g} vCPU/{gb:g} GB, per hour while STARTED"
        items.append(LineItem(logical_id, rtype, text, 0, round(hourly, 4), vcpu[1] or memory[1]))
    return items


def report_stack(name: str, template: dict[str, Any], region: str, table: dict[str, Any]) -> StackReport:
    """Price one template. ``region`` as in the manifest (``unknown-region`` for an environment-agnostic stack)."""
    overrides = {
        r for p in table["prices"].values() for r in p.get("regions", {}) if isinstance(p.get("regions"), dict)
    }
    known = region if region in overrides else table["default_region"]
    pricer = _Pricer(table, known)
    report = StackReport(stack=name, region=region, region_priced_as=known)
    for logical_id, resource in sorted((template.get("Resources") or {}).items()):
        rtype = resource.get("Type", "")
        props = resource.get("Properties") or {}
        if rtype in PRICED_TYPES:
            report.fixed += _price_resource(pricer, logical_id, rtype, props)
            if rtype in ("AWS::EMR::Cluster", "AWS::EMRServerless::Application", "AWS::EC2::NatGateway"):
                report.usage.append(UsageItem(logical_id, rtype, _PRICED_USAGE[rtype]))
        elif rtype in USAGE_TYPES:
            report.usage.append(UsageItem(logical_id, rtype, USAGE_TYPES[rtype]))
        elif rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            report.usage.append(UsageItem(logical_id, rtype, CUSTOM_RESOURCE_USAGE))
        elif rtype not in FREE_TYPES:
            report.unclassified.append(f"{logical_id} ({rtype})")
    return report


_PRICED_USAGE = {
    "AWS::EMR::Cluster": "instances beyond the minimum (managed scaling), EBS volumes, while it runs",
    "AWS::EMRServerless::Application": "vCPU, memory and storage of the jobs' workers",
    "AWS::EC2::NatGateway": "data processed ($/GB)",
}


@dataclass
class AppReport:
    stacks: list[StackReport]
    table: dict[str, Any]

    @property
    def monthly_usd(self) -> float:
        return round(sum(s.monthly_usd for s in self.stacks), 2)

    def free_tier_usd(self) -> float:
        """What the account-level free tier takes off (10 alarm metrics, 3 dashboards), if this app were the only
        user of it in the account and region."""
        credit = 0.0
        for name, rtype in (
            ("cloudwatch_alarm_month", "AWS::CloudWatch::Alarm"),
            ("cloudwatch_dashboard_month", "AWS::CloudWatch::Dashboard"),
        ):
            entry = self.table["prices"][name]
            units = [i.monthly_usd / entry["usd"] for s in self.stacks for i in s.fixed if i.resource_type == rtype]
            credit += min(sum(units), entry["free_per_account"]) * entry["usd"]
        return round(credit, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "prices_retrieved": self.table["retrieved"],
            "currency": self.table["currency"],
            "hours_per_month": self.table["hours_per_month"],
            "fixed_monthly_usd": self.monthly_usd,
            "free_tier_usd": self.free_tier_usd(),
            "fixed_monthly_after_free_tier_usd": round(self.monthly_usd - self.free_tier_usd(), 2),
            "stacks": [
                {
                    "stack": s.stack,
                    "region": s.region,
                    "region_priced_as": s.region_priced_as,
                    "fixed_monthly_usd": s.monthly_usd,
                    "hourly_while_running_usd": s.hourly_while_running_usd,
                    "fixed": [asdict(i) for i in s.fixed],
                    "usage_priced": [asdict(u) for u in s.usage],
                    "unclassified": s.unclassified,
                }
                for s in self.stacks
            ],
        }

    def summary_lines(self) -> list[str]:
        lines = []
        for s in self.stacks:
            running = (
                f" (+ ${s.hourly_while_running_usd:.2f}/hour while a runtime runs)"
                if s.hourly_while_running_usd
                else ""
            )
            lines.append(f"{s.stack}: ${s.monthly_usd:.2f}/month fixed{running}")
        lines.append(
            f"Total: ${self.monthly_usd:.2f}/month fixed at list prices ({self.table['default_region']} unless "
            f"overridden; ${self.monthly_usd - self.free_tier_usd():.2f} after the CloudWatch free tier)"
        )
        return lines

    def summary_table(self) -> str:
        """The Markdown table of fixed costs per stack (also the README's)."""
        rows = ["| Stack | Fixed $/month | $/hour while a runtime runs | Largest items |", "|---|---:|---:|---|"]
        for s in self.stacks:
            rows.append(f"| {s.stack} | {s.monthly_usd:.2f} | {s.hourly_while_running_usd:.2f} | {_largest(s)} |")
        rows.append(
            f"| **Total** | **{self.monthly_usd:.2f}** | | after the CloudWatch free tier: "
            f"{self.monthly_usd - self.free_tier_usd():.2f} |"
        )
        return "\n".join(rows)

    def markdown(self) -> str:
        out = [
            "# Fixed cost of the synthesized stacks",
            "",
            f"List prices retrieved {self.table['retrieved']} ({self.table['currency']}, "
            f"{self.table['hours_per_month']} hours a month); emr_constructs/cost/prices.json names the source pages. "
            "Prices marked * could not be confirmed on an AWS page.",
            "",
            self.summary_table(),
            "",
        ]
        for s in self.stacks:
            out += [f"## {s.stack}", "", f"Region: {s.region}; {_priced_as(s, self.table)}", ""]
            out += ["| Resource | Item | $/month | $/hour while running |", "|---|---|---:|---:|"]
            for i in s.fixed:
                mark = "*" if i.unverified else ""
                out.append(f"| {i.logical_id} | {i.description}{mark} | {i.monthly_usd:.2f} | {i.hourly_usd:.4f} |")
            out += ["", "Usage-priced (not estimated):", ""]
            out += [f"- {u.logical_id} ({u.resource_type}): {u.priced_by}" for u in s.usage]
            if s.unclassified:
                out += ["", "Not classified (add them to emr_constructs/cost/report.py):", ""]
                out += [f"- {u}" for u in s.unclassified]
            out.append("")
        return "\n".join(out)


def _priced_as(stack: StackReport, table: dict[str, Any]) -> str:
    default = table["default_region"]
    if stack.region_priced_as == default:
        return f"priced at {default} list prices"
    return f"priced with the table's {stack.region_priced_as} overrides where it has them, else {default} prices"


def _largest(stack: StackReport) -> str:
    groups: dict[str, float] = {}
    for item in stack.fixed:
        label = _GROUP_LABELS.get(item.resource_type, item.resource_type)
        if item.resource_type == "AWS::EC2::VPCEndpoint" and item.monthly_usd == 0:
            continue
        groups[label] = groups.get(label, 0.0) + item.monthly_usd
    ranked = sorted(((v, k) for k, v in groups.items() if v > 0), reverse=True)[:3]
    return ", ".join(f"{k} {v:.2f}" for v, k in ranked) or "-"


_GROUP_LABELS = {
    "AWS::CloudWatch::Alarm": "alarms",
    "AWS::CloudWatch::Dashboard": "dashboards",
    "AWS::EC2::EIP": "public IPv4",
    "AWS::EC2::NatGateway": "NAT gateway",
    "AWS::EC2::VPCEndpoint": "interface endpoints",
    "AWS::EKS::Cluster": "EKS control plane",
    "AWS::EKS::Nodegroup": "node groups' minimum",
    "AWS::KMS::Key": "KMS keys",
}


def report_assembly(outdir: Path, table: dict[str, Any] | None = None) -> AppReport:
    """Price every stack of the cloud assembly in ``outdir`` (its manifest.json names stacks, templates and regions)."""
    table = table or load_prices()
    manifest = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    stacks = []
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((outdir / artifact["properties"]["templateFile"]).read_text(encoding="utf-8"))
        region = str(artifact.get("environment", "aws://unknown-account/unknown-region")).rsplit("/", 1)[-1]
        stack_name = artifact["properties"].get("stackName", name)
        stacks.append(report_stack(stack_name, template, region, table))
    return AppReport(stacks, table)


def write_report(outdir: Path) -> AppReport:
    """Write cost-report.json and cost-report.md next to the templates; return the report."""
    report = report_assembly(outdir)
    (outdir / REPORT_JSON).write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")
    (outdir / REPORT_MARKDOWN).write_text(report.markdown(), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0] if args else "cdk.out")
    if not (outdir / "manifest.json").is_file():
        print(f"error: {outdir} is not a cloud assembly (no manifest.json); run cdk synth first", file=sys.stderr)
        return 2
    report = write_report(outdir)
    for line in report.summary_lines():
        print(line)
    print(f"Cost report: {outdir / REPORT_MARKDOWN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
