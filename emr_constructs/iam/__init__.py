"""IAM for EMR: service roles and job runtime roles.

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
    from emr_constructs.iam.policies import RolePolicy as RolePolicy
    from emr_constructs.iam.policies import s3_statements as s3_statements
    from emr_constructs.iam.runtime_role import JobRuntimeRole as JobRuntimeRole
    from emr_constructs.iam.runtime_role import RuntimeRoleTrust as RuntimeRoleTrust
    from emr_constructs.iam.runtime_role import (
        emr_eks_pod_identity_service_accounts as emr_eks_pod_identity_service_accounts,
    )
    from emr_constructs.iam.runtime_role import emr_eks_service_account_pattern as emr_eks_service_account_pattern
    from emr_constructs.iam.runtime_role import validate_namespace as validate_namespace
    from emr_constructs.iam.service_roles import EMR_MANAGED_POLICY_TAG as EMR_MANAGED_POLICY_TAG
    from emr_constructs.iam.service_roles import EmrInstanceRole as EmrInstanceRole
    from emr_constructs.iam.service_roles import EmrServiceRole as EmrServiceRole
    from emr_constructs.iam.service_roles import tag_for_emr_managed_policy as tag_for_emr_managed_policy
