"""Every ``emrctl`` command of the README's CLI examples runs against the moto server and exits 0."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

import pytest

from tests.conftest import ROOT
from tests.ops.conftest import Result

BLOCK = re.compile(r"<!-- cli: (?P<name>[\w-]+) -->\n```sh\n(?P<body>.*?)```", re.S)


def readme_cli_examples() -> dict[str, list[list[str]]]:
    text = (ROOT / "README.md").read_text()
    return {
        m["name"]: [shlex.split(line)[1:] for line in m["body"].splitlines() if line.startswith("emrctl ")]
        for m in BLOCK.finditer(text)
    }


def test_the_readme_documents_both_flows() -> None:
    assert set(readme_cli_examples()) == {"serverless", "ec2"}


@pytest.mark.parametrize("name", ["serverless", "ec2"])
def test_readme_cli_flow(name: str, emrctl: Callable[..., Result], world: dict[str, str]) -> None:
    for args in readme_cli_examples()[name]:
        if "--wait" in args:
            args = [*args, "--interval", "0.2"]
        result = emrctl(*args)
        assert result.code == 0, (args, result.stderr)
