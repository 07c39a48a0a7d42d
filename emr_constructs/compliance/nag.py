"""Apply the cdk-nag 3 packs through ``Validations`` so every synth reports (and fails on) findings."""

from __future__ import annotations

from aws_cdk import Validations
from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks
from constructs import Construct

NAG_PACKS = ("AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")
"""The packs every stack of this project is checked against."""


def apply_compliance_checks(scope: Construct) -> None:
    """Add the AwsSolutions, HIPAA Security, NIST 800-53 rev 5 and PCI DSS 3.2.1 packs to ``scope``.

    Call it once on the ``App``. Synthesis then fails with a report in ``<outdir>/validation-report.json`` when a
    finding is not acknowledged.
    """
    Validations.of(scope).add_plugins(
        AwsSolutionsChecks(scope),
        HIPAASecurityChecks(scope),
        NIST80053R5Checks(scope),
        PCIDSS321Checks(scope),
    )
