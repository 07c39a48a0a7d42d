"""One customer managed KMS key per reference stack where one key keeps the same isolation (issue 17).

A key costs $1 a month (list price, emr_constructs/cost/prices.json); the stacks used one key per log group besides
their data key. A key is shared only by resources of ONE stack whose principals are already admitted to it (the
account's IAM policies, and services scoped by condition: CloudWatch Logs to the stack's log groups, CloudWatch and
EventBridge to the alarm topic); never across stacks.

AWS rule encoded here: a log group encrypted with a customer managed key needs a key-policy statement for the
Region's CloudWatch Logs principal, and that request carries the log group's ARN as encryption context
(``kms:EncryptionContext:aws:logs:arn``), by which the statement is scoped.
See: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.reference_app import synth_reference_app

KEY = "AWS::KMS::Key"
LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"
CREATED_EKS = {
    "env": "eks",
    "environments": {
        "eks": {"eks": {"create_cluster": True}, "ec2": {"enabled": False}, "serverless": {"enabled": False}}
    },
}

# stack suffix -> (number of keys, why)
EXPECTED_KEYS: dict[str, dict[str, tuple[int, str]]] = {
    "default": {
        "Network": (1, "the flow-log group's key: the only encrypted resource of the network stack"),
        "Ec2": (1, "data key: buckets, security configuration, alarm topic and the TLS handler's log group"),
        "Eks": (1, "data key: buckets, alarm topic, job-log, pod-template upload and job-event log groups"),
        "Serverless": (1, "data key: buckets, alarm topic, application, lifecycle-guard and pipeline log groups"),
    },
    "eks-created": {
        "Network": (1, "the flow-log group's key"),
        # The EKS secrets key is granted to the cluster role (envelope encryption of Kubernetes secrets): sharing
        # the data key would let the control plane's role decrypt the data.
        "Eks": (2, "data key, and the created cluster's secrets key (a different principal: the EKS cluster role)"),
    },
}


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        "default": synth_reference_app(tmp_path_factory.mktemp("default")).templates(),
        "eks-created": synth_reference_app(tmp_path_factory.mktemp("eks"), **CREATED_EKS).templates(),
    }


def _stack(templates: dict[str, dict[str, Any]], suffix: str) -> dict[str, Any]:
    [template] = [t for name, t in templates.items() if name.endswith(f"-{suffix}")]
    return template["Resources"]  # type: ignore[no-any-return]


def _of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in resources.items() if v["Type"] == kind}


@pytest.mark.parametrize(
    ("variant", "suffix"), [(v, s) for v, stacks in EXPECTED_KEYS.items() for s in stacks], ids=lambda x: str(x)
)
def test_each_stack_has_the_expected_number_of_keys(
    variants: dict[str, dict[str, dict[str, Any]]], variant: str, suffix: str
) -> None:
    expected, why = EXPECTED_KEYS[variant][suffix]
    keys = _of_type(_stack(variants[variant], suffix), KEY)
    assert len(keys) == expected, f"{variant} {suffix}: {sorted(keys)}; expected {expected}: {why}"


def test_every_stack_of_each_variant_is_counted(variants: dict[str, dict[str, dict[str, Any]]]) -> None:
    for variant, templates in variants.items():
        assert sorted(name.rsplit("-", 1)[1] for name in templates) == sorted(EXPECTED_KEYS[variant])


@pytest.mark.parametrize(
    ("variant", "suffix"), [(v, s) for v, stacks in EXPECTED_KEYS.items() for s in stacks], ids=lambda x: str(x)
)
def test_every_encrypted_log_group_uses_the_stacks_key_whose_policy_admits_logs_once(
    variants: dict[str, dict[str, dict[str, Any]]], variant: str, suffix: str
) -> None:
    resources = _stack(variants[variant], suffix)
    stack_name = next(n for n in variants[variant] if n.endswith(f"-{suffix}"))
    keys = _of_type(resources, KEY)
    stack_key = "DataKey2A0DE9E6" if "DataKey2A0DE9E6" in keys else next(iter(keys))
    groups = {k: v for k, v in _of_type(resources, "AWS::Logs::LogGroup").items() if "KmsKeyId" in v["Properties"]}
    assert groups, f"{suffix}: no encrypted log group"
    for logical_id, group in groups.items():
        assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [stack_key, "Arn"]}, logical_id
        # Only generated names, which begin with the stack name: the statement's pattern covers them.
        assert "LogGroupName" not in group["Properties"], logical_id
    statements = keys[stack_key]["Properties"]["KeyPolicy"]["Statement"]
    logs = [s for s in statements if "logs." in str(s.get("Principal", {}).get("Service", ""))]
    assert len(logs) == 1, logs
    sids = [s["Sid"] for s in statements if "Sid" in s]
    assert len(sids) == len(set(sids)), sids
    pattern = logs[0]["Condition"]["ArnLike"][LOGS_CONTEXT]["Fn::Join"][1]
    assert pattern[-1].endswith(f":log-group:{stack_name}-*"), pattern
