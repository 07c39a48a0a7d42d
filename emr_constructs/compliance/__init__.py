"""Compliance: the cdk-nag packs applied app-wide and the registry of acknowledgments with their reasons.

The names come from ``emr_constructs._EXPORTS`` (the one list of the public surface) and load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from emr_constructs import _EXPORTS as _LIBRARY_EXPORTS
from emr_constructs._internal.exports import exports_under, lazy_attributes

_EXPORTS = exports_under(_LIBRARY_EXPORTS, __name__)
__all__ = list(_EXPORTS)

if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_attributes(__name__, _EXPORTS)

if TYPE_CHECKING:
    from emr_constructs.compliance.acknowledgments import Reason as Reason
    from emr_constructs.compliance.acknowledgments import acknowledge as acknowledge
    from emr_constructs.compliance.acknowledgments import acknowledge_finding as acknowledge_finding
    from emr_constructs.compliance.acknowledgments import nag_resource_text as nag_resource_text
    from emr_constructs.compliance.nag import NAG_PACKS as NAG_PACKS
    from emr_constructs.compliance.nag import apply_compliance_checks as apply_compliance_checks
