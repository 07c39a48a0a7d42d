"""Names shared by the integration apps and the ``make integ`` driver; no aws_cdk here (the driver imports it)."""

from __future__ import annotations

STACK_PREFIX = "Emr"
"""``stacks.app_builder.STACK_PREFIX`` (a test checks they agree)."""
RUNTIMES = ("serverless", "ec2", "eks")
STACK_SUFFIX = {"serverless": "Serverless", "ec2": "Ec2", "eks": "Eks"}
ASSERTIONS_SUFFIX = "Assertions"


def environment_name(runtime: str) -> str:
    """The environment name the app gives ``build_stacks``: stacks are ``Emr-integ-<runtime>-*``."""
    if runtime not in RUNTIMES:
        raise ValueError(f"runtime: got {runtime!r}; allowed values: {', '.join(RUNTIMES)}")
    return f"integ-{runtime}"


def integ_stack_names(runtime: str) -> dict[str, str]:
    """The stack names of ``runtime``'s integration app, in deployment order (test stacks, then assertions)."""
    prefix = f"{STACK_PREFIX}-{environment_name(runtime)}"
    return {
        "network": f"{prefix}-Network",
        "runtime": f"{prefix}-{STACK_SUFFIX[runtime]}",
        "assertions": f"{prefix}-{ASSERTIONS_SUFFIX}",
    }


def app_file(runtime: str) -> str:
    """The integration app's entry point, relative to the repository root."""
    environment_name(runtime)
    return f"tests/integ/integ_{runtime}.py"
