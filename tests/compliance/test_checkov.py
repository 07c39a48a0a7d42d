"""checkov (https://www.checkov.io) over every synthesized template of the reference app: 0 unjustified failed checks.

checkov pins an old ``packaging`` that clashes with pytest, so it lives in its own venv, ``.venv-checkov``, which
``make test`` creates from requirements-checkov.txt. It runs once over a directory holding the templates of every
audited variant. ``SKIPS`` below is the one table of accepted failures: (check id, logical id pattern, reason).
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.compliance.test_compliance import VARIANTS
from tests.reference_app import synth_reference_app

# One xdist worker synthesizes (and builds) once for the whole module (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("checkov")
ROOT = Path(__file__).resolve().parents[2]
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
AUDITED_VARIANTS = ["default", "prod", "eks-created-cluster", "eks-karpenter"]

_CDK_PROVIDER_LAMBDAS = (
    "CustomVpcRestrictDefaultSGCustomResourceProviderHandler*",  # aws-cdk-lib: Vpc(restrictDefaultSecurityGroup)
    "CustomCDKBucketDeployment*",  # aws-cdk-lib: s3-deployment.BucketDeployment (pod templates upload)
    "*KubectlProvider*",  # aws-cdk-lib: aws-eks KubectlProvider (namespace and RBAC manifests)
    "AWSCDKCfnUtilsProvider*",  # aws-cdk-lib: CfnJson (the IRSA trust condition keyed by the OIDC issuer)
)

# (check id, fnmatch pattern over the resource logical id, reason). A skip that matches nothing fails the test.
SKIPS: list[tuple[str, str, str]] = [
    (
        "CKV_AWS_18",
        "LogsAccessLogs*",
        "The server access log bucket is the target of every other bucket's access logs; logging it into itself "
        "would loop, and S3 forbids no other target that is not itself logged.",
    ),
    *[
        (
            "CKV_AWS_115",
            pattern,
            "CloudFormation custom resource handler: invoked only by CloudFormation during deployments, so a "
            "reserved-concurrency limit protects nothing and could fail a deployment.",
        )
        for pattern in (*_CDK_PROVIDER_LAMBDAS, "TlsCertificateHandler*", "*LifecycleGuardsHandler*")
    ],
    *[
        (
            "CKV_AWS_116",
            pattern,
            "CloudFormation custom resource handler: invoked synchronously by CloudFormation, which reports a failure "
            "itself; a dead-letter queue only applies to asynchronous invocations.",
        )
        for pattern in (*_CDK_PROVIDER_LAMBDAS, "TlsCertificateHandler*", "*LifecycleGuardsHandler*")
    ],
    *[
        (
            "CKV_AWS_117",
            pattern,
            "Custom resource handler that only calls AWS APIs (EC2, S3, EMR Serverless, CloudFormation, ACM-free "
            "certificate generation): running it in the VPC would need NAT or more interface endpoints for no "
            "isolation gain.",
        )
        for pattern in (
            "CustomVpcRestrictDefaultSGCustomResourceProviderHandler*",
            "CustomCDKBucketDeployment*",
            "AWSCDKCfnUtilsProvider*",
            "TlsCertificateHandler*",
            "*LifecycleGuardsHandler*",
        )
    ],
    *[
        (
            "CKV_AWS_173",
            pattern,
            "Environment variables of aws-cdk-lib's handlers hold no secrets (cluster name, role ARN, layer paths); "
            "Lambda encrypts them at rest with an AWS managed key.",
        )
        for pattern in ("CustomCDKBucketDeployment*", "*KubectlProvider*")
    ],
    (
        "CKV_AWS_158",
        "*KubectlProvider*LogGroup*",
        "Log groups of aws-cdk-lib's KubectlProvider functions (aws-eks), created without a KMS key by aws-cdk-lib; "
        "they hold kubectl apply output of the namespace/RBAC manifests, which carry no secrets.",
    ),
    (
        "CKV_AWS_27",
        "EksKarpenterInterruptions*",
        "The Karpenter interruption queue is encrypted with SSE-SQS (SqsManagedSseEnabled); checkov 3.3.30 only "
        "recognizes KmsMasterKeyId. A customer managed key would need a key policy for events.amazonaws.com and "
        "protects nothing more: the queue holds AWS service events (spot interruptions, rebalance notices).",
    ),
]


def _checkov(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """checkov once over a directory of templates, offline (no Prisma Cloud download)."""
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: run `make .venv-checkov/.installed` (make test does)")
    command = [str(CHECKOV), "-d", str(directory), "--framework", "cloudformation", "-o", "json", "--quiet"]
    return subprocess.run(
        [*command, "--skip-download", *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def checkov_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    templates = tmp_path_factory.mktemp("templates")
    for variant in AUDITED_VARIANTS:
        result = synth_reference_app(tmp_path_factory.mktemp(variant), **VARIANTS[variant])
        assert result.error is None, result.error
        for template in result.outdir.glob("*.template.json"):
            shutil.copy(template, templates / f"{variant}--{template.name}")
    run = _checkov(templates)
    assert run.stdout.strip(), run.stderr[-3000:]
    report = json.loads(run.stdout)
    reports = report if isinstance(report, list) else [report]
    (only,) = [r for r in reports if r["check_type"] == "cloudformation"]
    only["template_count"] = len(list(templates.glob("*.json")))
    return dict(only)


def _failed(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(check id, logical id, template) of every failed check."""
    return [
        (f["check_id"], f["resource"].split(".", 1)[1], f["file_path"].lstrip("/"))
        for f in report["results"]["failed_checks"]
    ]


def _skipped_by(check: str, logical_id: str) -> list[str]:
    return [reason for cid, pattern, reason in SKIPS if cid == check and fnmatch.fnmatchcase(logical_id, pattern)]


def test_checkov_scanned_every_template(checkov_report: dict[str, Any]) -> None:
    summary = checkov_report["summary"]
    assert summary["parsing_errors"] == 0
    assert checkov_report["template_count"] >= 12
    assert summary["passed"] > 500, summary
    assert summary["resource_count"] > 300, summary


def test_checkov_has_no_unjustified_failed_check(checkov_report: dict[str, Any]) -> None:
    unjustified = sorted({f for f in _failed(checkov_report) if not _skipped_by(f[0], f[1])})
    assert unjustified == []


def test_every_checkov_skip_is_used_and_justified(checkov_report: dict[str, Any]) -> None:
    failed = _failed(checkov_report)
    for check, pattern, reason in SKIPS:
        assert len(reason) > 60, (check, pattern)
        assert any(c == check and fnmatch.fnmatchcase(lid, pattern) for c, lid, _ in failed), (check, pattern)


def test_checkov_catches_an_unencrypted_bucket(tmp_path: Path) -> None:
    """Canary: checkov in its venv reports a bucket without access logging or versioning."""
    template = {"Resources": {"Canary": {"Type": "AWS::S3::Bucket", "Properties": {}}}}
    (tmp_path / "canary.template.json").write_text(json.dumps(template))
    run = _checkov(tmp_path, "--check", "CKV_AWS_18,CKV_AWS_21")
    failed = {f["check_id"] for f in json.loads(run.stdout)["results"]["failed_checks"]}
    assert failed == {"CKV_AWS_18", "CKV_AWS_21"}
