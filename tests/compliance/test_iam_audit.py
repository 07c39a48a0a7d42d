"""IAM audit of the synthesized reference app with parliament (https://github.com/duo-labs/parliament).

Every identity policy (``AWS::IAM::ManagedPolicy``, ``AWS::IAM::Policy``, the inline ``Policies`` of
``AWS::IAM::Role``) and every resource policy parliament understands (``AWS::S3::BucketPolicy``,
``AWS::SNS::TopicPolicy``, ``AWS::SQS::QueuePolicy``) of the default, prod, created-EKS-cluster
and Karpenter reference apps is resolved to concrete ARNs (account 123456789012, region us-east-1, partition aws) and
analyzed. Two rules:

- no parliament finding of severity MEDIUM or above, unless ``iam_audit_exceptions.py`` justifies it;
- every statement with ``Resource: "*"`` is listed, and each of its actions must be on the allow-list of actions
  AWS documents without resource-level permissions (``iam_audit_exceptions.RESOURCE_STAR``).

KMS key policies (``Resource: "*"`` means the key itself) and role trust policies (no ``Resource``) are outside
parliament's model and are covered by the cdk-nag packs instead.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from parliament import analyze_policy_string, enhance_finding, iam_definition

from tests.compliance.iam_audit_exceptions import FINDINGS, RESOURCE_STAR
from tests.compliance.test_compliance import VARIANTS
from tests.reference_app import synth_reference_app

# One xdist worker synthesizes (and builds) once for the whole module (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("iam-audit")
ACCOUNT = "123456789012"
REGION = "us-east-1"
AUDITED_VARIANTS = ["default", "prod", "eks-created-cluster", "eks-karpenter"]
SEVERE = {"MEDIUM", "HIGH", "CRITICAL"}


# ---------------------------------------------------------------------------------------------------------------------
# Intrinsic resolution
# ---------------------------------------------------------------------------------------------------------------------
def _name(logical_id: str) -> str:
    """A plausible physical name for a resource: its logical id, lower-cased (valid for buckets, roles, groups...)."""
    return logical_id.lower()


def _arn(service: str, resource: str, *, region: str = REGION, account: str = ACCOUNT) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


# Ref of a resource -> its physical id, by type (CloudFormation "Return values" of each resource type).
_REF: dict[str, Any] = {
    "AWS::S3::Bucket": _name,
    "AWS::IAM::Role": _name,
    "AWS::IAM::InstanceProfile": _name,
    "AWS::IAM::ManagedPolicy": lambda lid: f"arn:aws:iam::{ACCOUNT}:policy/{_name(lid)}",
    "AWS::KMS::Key": lambda lid: f"0000abcd-0000-4000-8000-{sum(map(ord, lid)):012d}",
    "AWS::SNS::Topic": lambda lid: _arn("sns", _name(lid)),
    "AWS::SQS::Queue": lambda lid: f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{_name(lid)}",
    "AWS::Logs::LogGroup": lambda lid: f"/emr/{_name(lid)}",
    "AWS::Lambda::Function": _name,
    "AWS::EMR::Cluster": lambda lid: "j-ABCDEFGHIJKLM",
    "AWS::EMRServerless::Application": lambda lid: "00abcdefghijklmn",
    "AWS::EMRContainers::VirtualCluster": lambda lid: "abcdefghijklmnopqrstuvwxy",
    "AWS::EKS::Cluster": _name,
    "AWS::Glue::Database": _name,
    "AWS::StepFunctions::StateMachine": lambda lid: _arn("states", f"stateMachine:{_name(lid)}"),
    "AWS::EC2::VPC": lambda lid: "vpc-0123456789abcdef0",
    "AWS::EC2::SecurityGroup": lambda lid: "sg-0123456789abcdef0",
    "AWS::EC2::Subnet": lambda lid: "subnet-0123456789abcdef0",
    "AWS::Lambda::LayerVersion": lambda lid: _arn("lambda", f"layer:{_name(lid)}:1"),
    "AWS::EMR::SecurityConfiguration": _name,
}

# GetAtt of (resource type, attribute) -> value, from the resource's logical id and its resolved Ref.
_GETATT: dict[tuple[str, str], Any] = {
    ("AWS::S3::Bucket", "Arn"): lambda lid, ref: f"arn:aws:s3:::{ref}",
    ("AWS::IAM::Role", "Arn"): lambda lid, ref: f"arn:aws:iam::{ACCOUNT}:role/{ref}",
    ("AWS::IAM::InstanceProfile", "Arn"): lambda lid, ref: f"arn:aws:iam::{ACCOUNT}:instance-profile/{ref}",
    ("AWS::KMS::Key", "Arn"): lambda lid, ref: _arn("kms", f"key/{ref}"),
    ("AWS::SNS::Topic", "TopicArn"): lambda lid, ref: ref,
    ("AWS::SQS::Queue", "Arn"): lambda lid, ref: _arn("sqs", _name(lid)),
    ("AWS::Logs::LogGroup", "Arn"): lambda lid, ref: _arn("logs", f"log-group:{ref}:*"),
    ("AWS::Lambda::Function", "Arn"): lambda lid, ref: _arn("lambda", f"function:{ref}"),
    ("AWS::EMRServerless::Application", "Arn"): lambda lid, ref: _arn("emr-serverless", f"/applications/{ref}"),
    ("AWS::EMRServerless::Application", "ApplicationId"): lambda lid, ref: ref,
    ("AWS::EMRContainers::VirtualCluster", "Arn"): lambda lid, ref: _arn("emr-containers", f"/virtualclusters/{ref}"),
    ("AWS::EMRContainers::VirtualCluster", "Id"): lambda lid, ref: ref,
    ("AWS::EKS::Cluster", "Arn"): lambda lid, ref: _arn("eks", f"cluster/{ref}"),
    ("AWS::EKS::Cluster", "OpenIdConnectIssuerUrl"): lambda lid, ref: (
        f"https://oidc.eks.{REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
    ),
    ("AWS::StepFunctions::StateMachine", "Arn"): lambda lid, ref: ref,
    ("AWS::StepFunctions::StateMachine", "Name"): lambda lid, ref: _name(lid),
    ("AWS::EC2::SecurityGroup", "GroupId"): lambda lid, ref: ref,
    ("AWS::EC2::VPC", "CidrBlock"): lambda lid, ref: "10.0.0.0/16",
    ("AWS::EC2::VPC", "DefaultSecurityGroup"): lambda lid, ref: "sg-0fedcba9876543210",
    ("AWS::Events::Rule", "Arn"): lambda lid, ref: _arn("events", f"rule/{_name(lid)}"),
    ("AWS::SQS::Queue", "QueueName"): lambda lid, ref: _name(lid),
    ("AWS::EMR::Cluster", "MasterPublicDNS"): lambda lid, ref: "ip-10-0-0-1.ec2.internal",
}

_PSEUDO = {
    "AWS::AccountId": ACCOUNT,
    "AWS::Region": REGION,
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Stack/00000000-0000-4000-8000-000000000000",
}


class Unresolvable(AssertionError):
    pass


@dataclass
class Templates:
    """The templates of one synthesized app, with every stack's exports for ``Fn::ImportValue``."""

    by_stack: dict[str, dict[str, Any]]

    def __post_init__(self) -> None:
        self.exports: dict[str, tuple[str, Any]] = {}
        for stack, template in self.by_stack.items():
            for output in template.get("Outputs", {}).values():
                if "Export" in output:
                    self.exports[output["Export"]["Name"]] = (stack, output["Value"])

    def resolve(self, stack: str, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self.resolve(stack, v) for v in value) if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(stack, arg)
            if key == "Fn::GetAtt":
                lid, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self._getatt(stack, lid, attribute)
            if key == "Fn::Join":
                sep, parts = arg
                return sep.join(str(p) for p in self.resolve(stack, parts))
            if key == "Fn::Select":
                index, items = arg
                return self.resolve(stack, items)[int(self.resolve(stack, index))]
            if key == "Fn::Split":
                sep, text = arg
                return str(self.resolve(stack, text)).split(sep)
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else arg
                variables = {k: self.resolve(stack, v) for k, v in variables.items()}

                def substitute(match: re.Match[str]) -> str:
                    name = match.group(1)
                    if name in variables:
                        return str(variables[name])
                    if "." in name:
                        return str(self._getatt(stack, *name.split(".", 1)))
                    return str(self._ref(stack, name))

                return re.sub(r"\$\{([^!}][^}]*)\}", substitute, text)
            if key == "Fn::ImportValue":
                source, exported = self.exports[self.resolve(stack, arg)]
                return self.resolve(source, exported)
            if key == "Fn::If":
                raise Unresolvable(f"{stack}: conditions are not modelled: {value}")
            if key.startswith("Fn::"):
                raise Unresolvable(f"{stack}: unknown intrinsic {key}")
        return {k: self.resolve(stack, v) for k, v in value.items()}

    def _resource(self, stack: str, lid: str) -> dict[str, Any]:
        resources = self.by_stack[stack]["Resources"]
        if lid not in resources:
            raise Unresolvable(f"{stack}: no resource {lid}")
        resource: dict[str, Any] = resources[lid]
        return resource

    def _ref(self, stack: str, name: str) -> Any:
        if name == "AWS::NoValue":
            return _NO_VALUE
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name == "AWS::StackName":
            return stack
        parameters = self.by_stack[stack].get("Parameters", {})
        if name in parameters:
            return parameters[name].get("Default", f"parameter-{_name(name)}")
        rtype = self._resource(stack, name)["Type"]
        if rtype not in _REF:
            raise Unresolvable(f"{stack}: Ref of {rtype} ({name}) is not modelled")
        return _REF[rtype](name)

    def _getatt(self, stack: str, lid: str, attribute: str) -> Any:
        rtype = self._resource(stack, lid)["Type"]
        if (rtype, attribute) in _GETATT:
            return _GETATT[rtype, attribute](lid, _REF[rtype](lid) if rtype in _REF else _name(lid))
        if rtype.startswith("Custom::"):  # custom resources return strings computed at deploy time
            return f"{_name(lid)}-{attribute.lower()}"
        raise Unresolvable(f"{stack}: GetAtt {rtype}.{attribute} ({lid}) is not modelled")


_NO_VALUE = object()


# ---------------------------------------------------------------------------------------------------------------------
# Policy collection
# ---------------------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Policy:
    variant: str
    stack: str
    logical_id: str
    kind: str  # identity | resource
    document: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.variant}/{self.stack}/{self.logical_id}"


def policies(variant: str, templates: Templates) -> Iterator[Policy]:
    for stack, template in sorted(templates.by_stack.items()):
        for lid, resource in template["Resources"].items():
            rtype, props = resource["Type"], resource.get("Properties", {})
            documents: list[tuple[str, str, Any]] = []
            if rtype in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
                documents.append((lid, "identity", props["PolicyDocument"]))
            elif rtype == "AWS::IAM::Role":
                documents += [
                    (f"{lid}/{p['PolicyName']}", "identity", p["PolicyDocument"]) for p in props.get("Policies", [])
                ]
            elif rtype in ("AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"):
                documents.append((lid, "resource", props["PolicyDocument"]))
            for name, kind, document in documents:
                yield Policy(variant, stack, name, kind, templates.resolve(stack, document))


def _synth(variant: str, outdir: Path) -> Templates:
    result = synth_reference_app(outdir, **VARIANTS[variant])
    assert result.error is None, result.error
    return Templates(result.templates())


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> list[Policy]:
    found: list[Policy] = []
    for variant in AUDITED_VARIANTS:
        found += policies(variant, _synth(variant, tmp_path_factory.mktemp(variant)))
    return found


def _statements(policy: Policy) -> list[dict[str, Any]]:
    statements = policy.document["Statement"]
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def parliament_findings(policy: Policy) -> list[tuple[str, str, str]]:
    """(issue, severity, detail) of every finding parliament reports on the policy."""
    analyzed = analyze_policy_string(json.dumps(policy.document))
    return [
        (f.issue, enhance_finding(f).severity, json.dumps(f.detail, sort_keys=True, default=str))
        for f in analyzed.findings
    ]


def _excepted(policy: Policy, issue: str, detail: str) -> bool:
    return any(e.issue == issue and fnmatch.fnmatchcase(policy.where, e.where) and e.detail in detail for e in FINDINGS)


# ---------------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------------
def test_every_policy_resolves_to_concrete_arns(audited: list[Policy]) -> None:
    assert len(audited) >= 30, len(audited)
    for policy in audited:
        text = json.dumps(policy.document)
        assert "Fn::" not in text and '"Ref"' not in text, (policy.where, text)
        for statement in _statements(policy):
            for resource in _as_list(statement.get("Resource", [])):
                assert resource == "*" or resource.startswith("arn:aws:"), (policy.where, resource)


def test_parliament_reports_no_unjustified_medium_or_higher_finding(audited: list[Policy]) -> None:
    unjustified = []
    for policy in audited:
        for issue, severity, detail in parliament_findings(policy):
            if severity in SEVERE and not _excepted(policy, issue, detail):
                unjustified.append((policy.where, issue, severity, detail))
    assert unjustified == []


def test_every_finding_exception_is_used_and_justified(audited: list[Policy]) -> None:
    findings = [(p, issue, detail) for p in audited for issue, _, detail in parliament_findings(p)]
    for exception in FINDINGS:
        assert len(exception.reason) > 40, exception
        assert any(
            issue == exception.issue and fnmatch.fnmatchcase(p.where, exception.where) and exception.detail in detail
            for p, issue, detail in findings
        ), f"stale exception: {exception}"


def resource_star_statements(audited: list[Policy]) -> list[tuple[str, str]]:
    """(policy, action) of every Allow statement on ``Resource: "*"`` (identity policies)."""
    listed = []
    for policy in audited:
        for statement in _statements(policy):
            if statement.get("Effect") == "Allow" and "*" in _as_list(statement.get("Resource", [])):
                listed += [(policy.where, action) for action in _as_list(statement["Action"])]
    return listed


def test_every_resource_star_action_is_on_the_justified_allow_list(audited: list[Policy]) -> None:
    star = resource_star_statements(audited)
    print("\n".join(f"Resource '*': {where}: {action}" for where, action in star))
    assert star, "the audit must see the Resource '*' statements (Describe*, PutMetricData...)"
    unlisted = sorted({(where, action) for where, action in star if action not in RESOURCE_STAR})
    assert unlisted == []


def test_every_resource_star_allow_list_entry_is_used_and_justified(audited: list[Policy]) -> None:
    used = {action for _, action in resource_star_statements(audited)}
    for action, reason in RESOURCE_STAR.items():
        assert len(reason) > 30, action
        assert action in used, f"stale allow-list entry: {action}"


def _resource_types(action: str) -> list[str]:
    prefix, name = action.split(":")
    for service in iam_definition:
        if service["prefix"] == prefix:
            for privilege in service["privileges"]:
                if privilege["privilege"].lower() == name.lower():
                    return [r["resource_type"] for r in privilege["resource_types"]]
    raise AssertionError(f"unknown action {action}")


@pytest.mark.parametrize("action", sorted(RESOURCE_STAR))
def test_allow_listed_actions_have_no_resource_level_permissions(action: str) -> None:
    """The Service Authorization Reference (parliament's copy) lists no resource type for the action."""
    assert _resource_types(action) == [""], action


def test_a_bucket_action_is_not_allow_listed() -> None:
    assert _resource_types("s3:GetObject") != [""]


CANARIES = [
    ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, "RESOURCE_STAR"),
    ({"Effect": "Allow", "Action": "s3:GetObjectt", "Resource": "arn:aws:s3:::b/*"}, "UNKNOWN_ACTION"),
    ({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}, "RESOURCE_MISMATCH"),
]


@pytest.mark.parametrize(("statement", "issue"), CANARIES, ids=[c[1] for c in CANARIES])
def test_parliament_catches_the_canaries(statement: dict[str, Any], issue: str) -> None:
    policy = Policy("canary", "Canary", "Policy", "identity", {"Version": "2012-10-17", "Statement": [statement]})
    found = {i for i, _, _ in parliament_findings(policy)}
    if issue == "RESOURCE_STAR":
        assert resource_star_statements([policy]) == [("canary/Canary/Policy", "s3:GetObject")]
        assert "s3:GetObject" not in RESOURCE_STAR
    else:
        assert issue in found, found
