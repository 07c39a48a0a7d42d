"""EMR on EKS service-account names, built in core and used by the runtime role's trust and pod identity."""

from __future__ import annotations

from emr_constructs.core.naming import (
    EMR_EKS_START_JOB_RUN_COMPONENTS,
    base36,
    emr_eks_service_account_name,
    emr_eks_service_account_subject,
)
from emr_constructs.iam.runtime_role import emr_eks_pod_identity_service_accounts, emr_eks_service_account_pattern


def test_base36_matches_the_aws_cli() -> None:
    # The AWS CLI's update-role-trust-policy: int.from_bytes(name, "big") in base 36, lowercase.
    # See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-trust-policy.html
    assert base36("") == "0"
    assert base36("a") == "2p"  # 97 = 2 * 36 + 25
    assert int(base36("emr-eks-job-role"), 36) == int.from_bytes(b"emr-eks-job-role", "big")


def test_the_runtime_role_uses_the_core_names() -> None:
    assert emr_eks_service_account_pattern("spark", "111122223333", "r") == emr_eks_service_account_subject(
        "spark", "111122223333", "r"
    )
    assert emr_eks_pod_identity_service_accounts("111122223333", "r") == [
        emr_eks_service_account_name(component, "111122223333", "r") for component in EMR_EKS_START_JOB_RUN_COMPONENTS
    ]
    assert emr_eks_service_account_name("driver", "111122223333", "r") == (
        f"emr-containers-sa-spark-driver-111122223333-{base36('r')}"
    )
