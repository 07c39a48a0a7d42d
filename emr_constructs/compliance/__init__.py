"""Compliance: the cdk-nag packs applied app-wide and the registry of acknowledgments with their reasons."""

from emr_constructs.compliance.acknowledgments import Reason, acknowledge
from emr_constructs.compliance.nag import NAG_PACKS, apply_compliance_checks

__all__ = ["NAG_PACKS", "Reason", "acknowledge", "apply_compliance_checks"]
