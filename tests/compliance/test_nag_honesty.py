"""Acknowledgments are honest: they name rules that exist and only cover findings that are really false positives.

cdk-nag 3.0.2's AwsSolutions-EMR4 (EMRLocalDiskEncryption) and AwsSolutions-EMR5 (EMREncryptionInTransit) read
``EnableAtRestEncryption`` / ``EnableInTransitEncryption`` at the root of the security configuration, while EMR's
schema nests them under ``EncryptionConfiguration``; so both rules report every correctly configured cluster.
See: https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-create-security-configuration.html (the JSON
reference: ``EncryptionConfiguration.EnableInTransitEncryption``) and cdk-nag's ``src/rules/emr/`` sources.
The library acknowledges each only where the cluster's security configuration really enables that encryption, so a
cluster without TLS in transit still fails AwsSolutions-EMR5.
"""

from __future__ import annotations

import json
import re
import tarfile
from pathlib import Path

import aws_cdk as cdk
import cdk_nag
import pytest
from aws_cdk import aws_kms as kms

from emr_constructs import AtRestEncryption, EmrCluster, EmrSecurityConfiguration, InTransitEncryption
from emr_constructs.compliance import NAG_PACKS, Reason, apply_compliance_checks
from tests.conftest import new_app, new_stack


def installed_nag_rule_ids() -> set[str]:
    """Every rule id the installed cdk-nag packs can report, read from cdk-nag's own compiled packs."""
    tgz = next((Path(cdk_nag.__file__).parent / "_jsii").glob("*.jsii.tgz"))
    ids: set[str] = set()
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            if not (member.name.startswith("package/lib/packs/") and member.name.endswith(".js")):
                continue
            text = tar.extractfile(member).read().decode()  # type: ignore[union-attr]
            pack = re.search(r"packName = '([^']+)'", text)
            assert pack, member.name
            for block in re.findall(r"applyRule\(\{(.*?)\}\);", text, re.S):
                suffix = re.search(r"ruleSuffixOverride: '([^']+)'", block) or re.search(r"rule: \w+\.(\w+)", block)
                assert suffix, block
                ids.add(f"{pack.group(1)}-{suffix.group(1)}")
    return ids


def test_the_rule_reader_finds_the_packs_rules() -> None:
    ids = installed_nag_rule_ids()
    assert len(ids) > 300
    assert {"AwsSolutions-EMR5", "HIPAA.Security-EMRKerberosEnabled", "AwsSolutions-IAM5"} <= ids


def test_every_acknowledged_rule_exists_in_a_pack() -> None:
    """An acknowledgment of a rule that no pack has hides nothing and misleads the reader."""
    ids = installed_nag_rule_ids()
    nag_rules = [(reason.name, rule) for reason in Reason for rule in reason.rules if rule.startswith(NAG_PACKS)]
    assert len(nag_rules) > 50
    missing = sorted((name, rule) for name, rule in nag_rules if rule not in ids)
    assert missing == []


def test_emr5_is_never_acknowledged_as_a_kerberos_choice() -> None:
    kerberos = [reason for reason in Reason if "Kerberos" in reason.text and "AwsSolutions-EMR5" in reason.rules]
    assert kerberos == []


def _violations(tmp_path: Path, *, in_transit: bool) -> list[tuple[str, str]]:
    app = new_app(tmp_path)
    apply_compliance_checks(app)
    stack, vpc = new_stack(app)
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        at_rest=AtRestEncryption(key=key),
        in_transit=InTransitEncryption(certificate_s3_uri="s3://corp-pki/emr/certs.zip") if in_transit else None,
    )
    EmrCluster(stack, "Cluster", vpc=vpc, security_configuration=security)
    try:
        app.synth()
    except RuntimeError as err:
        assert "ValidationFailed" in str(err)
    report = json.loads((tmp_path / "validation-report.json").read_text())
    return [
        (v["ruleName"], c["constructPath"])
        for plugin in report["pluginReports"]
        for v in plugin["violations"]
        for c in v["violatingConstructs"]
    ]


@pytest.mark.parametrize("in_transit", [False, True], ids=["no-tls", "tls"])
def test_a_cluster_without_tls_in_transit_fails_emr5(tmp_path: Path, in_transit: bool) -> None:
    """Given a cluster whose security configuration has at-rest encryption, EMR5 is reported unless TLS is on."""
    violations = _violations(tmp_path, in_transit=in_transit)
    emr5 = [path for rule, path in violations if rule == "AwsSolutions-EMR5"]
    if in_transit:
        assert emr5 == []
    else:
        assert emr5 == ["Test/Cluster/Resource"]
    # At-rest encryption is on in both cases: EMR4 is acknowledged beside it, never reported.
    assert [p for rule, p in violations if rule == "AwsSolutions-EMR4"] == []


def test_emr5_acknowledgment_sits_on_the_cluster_resource() -> None:
    app = new_app()
    stack, vpc = new_stack(app)
    key = kms.Key(stack, "Key")
    security = EmrSecurityConfiguration(
        stack,
        "Security",
        at_rest=AtRestEncryption(key=key),
        in_transit=InTransitEncryption(certificate_s3_uri="s3://corp-pki/emr/certs.zip"),
    )
    cluster = EmrCluster(stack, "Cluster", vpc=vpc, security_configuration=security)
    acknowledged = [
        (construct.node.path, reason)
        for construct in app.node.find_all()
        for entry in construct.node.metadata
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY
        for rule, reason in entry.data.items()
        if rule.split("::")[-1] == "AwsSolutions-EMR5"
    ]
    path = cluster.node.default_child.node.path  # type: ignore[union-attr]
    assert acknowledged == [(path, Reason.NAG_EMR5_NESTED_IN_TRANSIT.text)]
