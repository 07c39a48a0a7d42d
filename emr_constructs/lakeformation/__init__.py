"""AWS Lake Formation for EMR jobs: registered data locations, grants to job runtime roles, and the opt-in account
settings.

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
    from emr_constructs.lakeformation.eks import (
        EmrEksLakeFormationSecurityConfiguration as EmrEksLakeFormationSecurityConfiguration,
    )
    from emr_constructs.lakeformation.location import LakeFormationDataLocation as LakeFormationDataLocation
    from emr_constructs.lakeformation.permissions import LakeFormationPermissions as LakeFormationPermissions
    from emr_constructs.lakeformation.settings import LakeFormationDataLakeSettings as LakeFormationDataLakeSettings
