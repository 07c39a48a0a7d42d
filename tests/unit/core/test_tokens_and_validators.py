"""Core recognises CDK tokens by their encoding exactly as aws_cdk does, and the construct-side validators are the
core validators behind a token gate."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from emr_constructs._internal import validation as gated
from emr_constructs.core import validation as core
from emr_constructs.core.tokens import contains_unresolved, is_unresolved


def _samples() -> list[Any]:
    stack = cdk.Stack()
    string_token = stack.account
    number_token = cdk.Token.as_number(stack.region)
    return [
        string_token,
        cdk.Aws.REGION,
        f"s3://{string_token}/key",
        f"prefix-{number_token}",
        f"{string_token}-{number_token}",
        number_token,
        cdk.Token.as_list(stack.region),
        cdk.Fn.get_att("Resource", "Arn"),
        "emr-7.10.0",
        "${Token[not a token",
        "#{Token[TOKEN.1]}",
        "-1.8881545897087626e+289",
        "",
        0,
        1.5,
        True,
        ["a"],
        ["#{Token[TOKEN.1]}"],
        ["a", "b"],
    ]


SAMPLES = _samples()


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_core_token_recognition_agrees_with_aws_cdk(index: int) -> None:
    value = SAMPLES[index]
    assert is_unresolved(value) == cdk.Token.is_unresolved(value), value


def test_the_samples_hold_tokens_and_plain_values() -> None:
    answers = [cdk.Token.is_unresolved(v) for v in SAMPLES]
    assert True in answers and False in answers


def test_contains_unresolved_agrees_with_the_construct_side_is_token() -> None:
    stack = cdk.Stack()
    for value in [None, "a", stack.account, ["a", stack.region], ("a", "b"), [], 3]:
        assert contains_unresolved(value) == gated.is_token(value), value


def test_core_validators_reject_what_the_gated_ones_let_through_as_tokens() -> None:
    # Given a token, Then the gated validators pass it, and the core ones (which know nothing of tokens) do not.
    token = cdk.Stack().account
    gated.check_s3_uri("log_uri", token)
    gated.check_pattern("name", token, r"[a-z]+", "lowercase")
    gated.check_one_of("mode", token, ["a"])
    gated.check_range("count", cdk.Token.as_number(token), 1, 2)
    with pytest.raises(ValueError, match=r"log_uri: got .*; must be an s3:// URI"):
        core.check_s3_uri("log_uri", token)


@pytest.mark.parametrize(
    ("check", "args", "message"),
    [
        (core.check_range, ("count", 0, 1, 5), r"count: got 0; must be between 1 and 5"),
        (core.check_range, ("count", 9, None, 5), r"count: got 9; must be at most 5"),
        (core.check_one_of, ("mode", "x", ["a", "b"]), r"mode: got 'x'; allowed values: a, b"),
        (core.check_pattern, ("name", "A", r"[a-z]+", "lowercase"), r"name: got 'A'; must be lowercase"),
        (core.check_s3_uri, ("uri", "http://x"), r"uri: got 'http://x'; must be an s3:// URI"),
    ],
)
def test_gated_and_core_validators_raise_the_same_error(check: Any, args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check(*args)
    with pytest.raises(ValueError, match=message):
        getattr(gated, check.__name__)(*args)
