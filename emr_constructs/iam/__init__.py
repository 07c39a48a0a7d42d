"""IAM for EMR: service roles and job runtime roles."""

from emr_constructs.iam.runtime_role import JobRuntimeRole, RuntimeRoleTrust
from emr_constructs.iam.service_roles import (
    EMR_MANAGED_POLICY_TAG,
    EmrInstanceRole,
    EmrServiceRole,
    tag_for_emr_managed_policy,
)

__all__ = [
    "EMR_MANAGED_POLICY_TAG",
    "EmrInstanceRole",
    "EmrServiceRole",
    "JobRuntimeRole",
    "RuntimeRoleTrust",
    "tag_for_emr_managed_policy",
]
