"""Names that AWS derives from ours: base36 as EMR on EKS uses it, and the EMR on EKS service-account names."""

from __future__ import annotations

import string

_DIGITS = string.digits + string.ascii_lowercase

EMR_EKS_START_JOB_RUN_COMPONENTS = ("client", "driver", "executor")
"""The Spark components whose service accounts EMR on EKS creates for a StartJobRun job (the job submitter,
driver and executors); ``aws emr-containers create-role-associations`` associates these three."""


def base36(text: str) -> str:
    """Encode ``text`` the way EMR on EKS names its service accounts: the UTF-8 bytes read as one big-endian
    integer, written in base 36 with lowercase digits (the AWS CLI's ``update-role-trust-policy`` does the same)."""
    number = int.from_bytes(text.encode("utf-8"), "big")
    if number == 0:
        return "0"
    digits = []
    while number:
        number, remainder = divmod(number, 36)
        digits.append(_DIGITS[remainder])
    return "".join(reversed(digits))


def emr_eks_service_account_name(component: str, account: str, role_name: str) -> str:
    """``emr-containers-sa-spark-<component>-<account>-<base36(role name)>``: the service account EMR on EKS
    creates for one Spark component of a job that runs as ``role_name``.

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-enable-IAM.html
    """
    return f"emr-containers-sa-spark-{component}-{account}-{base36(role_name)}"


def emr_eks_service_account_subject(namespace: str, account: str, role_name: str) -> str:
    """``system:serviceaccount:<namespace>:emr-containers-sa-*-*-<account>-<base36(role name)>``: the OIDC subject
    of every service account EMR on EKS creates for a job that runs as ``role_name`` (an IRSA trust pattern).

    See: https://docs.aws.amazon.com/emr/latest/EMR-on-EKS-DevelopmentGuide/setting-up-trust-policy.html
    """
    return f"system:serviceaccount:{namespace}:emr-containers-sa-*-*-{account}-{base36(role_name)}"
