"""Interactive use (EMR Studio notebooks, Livy) of an EMR Serverless application needs emr-6.14.0 or later.

"EMR Serverless interactive applications are supported with Amazon EMR 6.14.0 and higher."
See: https://docs.aws.amazon.com/emr/latest/EMR-Serverless-UserGuide/interactive-workloads.html
"""

from __future__ import annotations

import itertools

import pytest
from aws_cdk import Stack, Token

from emr_constructs import EmrServerlessApplication, InteractiveConfiguration, ReleaseLabel
from tests.conftest import new_app

_ids = itertools.count()


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack(new_app(), "Interactive")


def _app(stack: Stack, release: str) -> EmrServerlessApplication:
    return EmrServerlessApplication(
        stack,
        f"App{next(_ids)}",
        release_label=ReleaseLabel.of(release),
        interactive=InteractiveConfiguration(),
        cloudwatch_logs=False,
        lifecycle_guards=False,
    )


@pytest.mark.parametrize("release", ["emr-6.13.0", "emr-6.9.0"])
def test_interactive_before_6_14_names_the_prop_and_the_floor(stack: Stack, release: str) -> None:
    with pytest.raises(ValueError, match=rf"interactive: .*emr-6\.14\.0 or later.*{release}"):
        _app(stack, release)


@pytest.mark.parametrize("release", ["emr-6.14.0", "emr-6.15.0", "emr-7.0.0", "emr-7.10.0"])
def test_interactive_from_6_14_is_accepted(stack: Stack, release: str) -> None:
    _app(stack, release)


def test_a_batch_application_keeps_older_releases(stack: Stack) -> None:
    EmrServerlessApplication(
        stack, f"App{next(_ids)}", release_label=ReleaseLabel.of("emr-6.9.0"), lifecycle_guards=False
    )


def test_a_token_release_is_not_checked(stack: Stack) -> None:
    EmrServerlessApplication(
        stack,
        f"App{next(_ids)}",
        release_label=ReleaseLabel.of(Token.as_string({"Ref": "Release"})),
        interactive=InteractiveConfiguration(),
        lifecycle_guards=False,
    )
