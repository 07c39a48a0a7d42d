"""A malformed ``--spec`` file is one line naming FILE:LINE:COLUMN and exit code 8, found before any AWS call; any
unexpected error is one line and exit 9 (the traceback only with ``--debug``); every exit code is in ``--help``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from emr_constructs.ops import cli
from emr_constructs.ops.specfile import SPEC_KEYS, load_spec
from tests.ops.conftest import Result

GOOD = '{\n  "name": "etl",\n  "entry_point": "s3://my-data/scripts/etl.py"\n}\n'

# (case id, file name, content, line, column, message pattern)
BAD_SPECS: list[tuple[str, str, str, int, int, str]] = [
    ("empty-file", "s.json", "", 1, 1, r"invalid JSON: Expecting value"),
    ("trailing-comma", "s.json", '{\n  "name": "etl",\n}\n', 3, 1, r"invalid JSON: Expecting property name"),
    ("missing-comma", "s.json", '{\n  "name": "etl"\n  "entry_point": "s3://b/x.py"\n}', 3, 3, r"Expecting ','"),
    ("unclosed-object", "s.json", '{\n  "name": "etl"', 2, 16, r"invalid JSON: Expecting ',' delimiter"),
    ("single-quotes", "s.json", "{'name': 'etl'}", 1, 2, r"Expecting property name enclosed in double quotes"),
    ("comment", "s.json", '{\n  // job\n  "name": "etl"\n}', 2, 3, r"invalid JSON"),
    ("top-level-array", "s.json", '[{"name": "etl"}]', 1, 1, r"must be a JSON object of SparkJob fields, got an array"),
    ("top-level-string", "s.json", '\n\n  "etl"', 3, 3, r"got a string"),
    ("top-level-null", "s.json", "null", 1, 1, r"got null"),
    ("top-level-number", "s.json", "42", 1, 1, r"got a number"),
    (
        "unknown-key",
        "s.json",
        '{\n  "name": "etl",\n  "entrypoint": "s3://b/x.py"\n}',
        3,
        3,
        r"unknown key 'entrypoint'",
    ),
    (
        "name-is-number",
        "s.json",
        '{\n  "name": 7,\n  "entry_point": "s3://b/x.py"\n}',
        2,
        3,
        r"name: got 7; must be a string",
    ),
    (
        "cores-is-string",
        "s.json",
        '{"name": "e", "entry_point": "s3://b/x.py", "driver_cores": "2"}',
        1,
        45,
        r"an integer",
    ),
    (
        "cores-is-bool",
        "s.json",
        '{"name": "e", "entry_point": "s3://b/x.py", "executor_cores": true}',
        1,
        45,
        r"an integer",
    ),
    ("arguments-is-string", "s.json", '{"name": "e",\n "arguments": "--in s3://b/"}', 2, 2, r"an array of strings"),
    (
        "conf-value-number",
        "s.json",
        '{"name": "e",\n "conf": {"spark.executor.instances": 2}}',
        2,
        2,
        r"an object of strings",
    ),
    ("conf-is-array", "s.json", '{"name": "e",\n\n   "conf": ["a=b"]}', 3, 4, r"conf: got \["),
    ("tags-is-string", "s.json", '{"name": "e", "tags": "team=data"}', 1, 15, r"tags: .*an object of strings"),
    (
        "entry-point-local",
        "s.json",
        '{\n  "name": "e",\n  "entry_point": "/tmp/x.py"\n}',
        3,
        3,
        r"invalid job: entry_point: got '/tmp/x.py'",
    ),
    ("empty-name", "s.json", '{\n  "name": "",\n  "entry_point": "s3://b/x.py"\n}', 2, 3, r"invalid job: name: got ''"),
    (
        "repeated-key",
        "s.json",
        '{\n  "name": "a",\n  "name": "b"\n}',
        3,
        3,
        r"key 'name' repeats the one at line 2, column 3",
    ),
    ("null-name", "s.json", '{"name": null}', 1, 2, r"name: got null; must be a string"),
    ("yaml-file", "s.yaml", "name: etl\n", 1, 1, r"YAML specs are not supported"),
    ("yml-file", "s.yml", "name: etl\nentry_point: s3://b/x.py\n", 1, 1, r"YAML specs are not supported"),
    ("not-utf8", "s.json", "\udcff", 1, 1, r"not UTF-8"),
    ("nested-too-deep", "s.json", "[" * 100_000 + "]" * 100_000, 1, 1, r"nested too deeply|must be a JSON object"),
]


def _write(tmp_path: Path, file_name: str, content: str) -> Path:
    path = tmp_path / file_name
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    return path


@pytest.mark.parametrize(
    ("file_name", "content", "line", "column", "message"),
    [case[1:] for case in BAD_SPECS],
    ids=[case[0] for case in BAD_SPECS],
)
def test_a_bad_spec_is_one_line_with_file_line_column_and_exit_8(
    emrctl: Callable[..., Result],
    tmp_path: Path,
    file_name: str,
    content: str,
    line: int,
    column: int,
    message: str,
) -> None:
    # Given a malformed spec and no reachable target (no AWS call needed), When submitting, Then exit 8, one line.
    path = _write(tmp_path, file_name, content)
    result = emrctl("serverless", "submit", "--target", "no-such-app", "--spec", str(path))
    assert result.code == cli.EXIT_BAD_SPEC, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}:{line}:{column}: "), lines[0]
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in result.stderr


def test_the_table_has_distinct_cases() -> None:
    assert len(BAD_SPECS) >= 15
    assert len({case[0] for case in BAD_SPECS}) == len({case[2] for case in BAD_SPECS}) == len(BAD_SPECS)


def test_a_missing_spec_file_is_a_bad_spec(emrctl: Callable[..., Result], tmp_path: Path) -> None:
    result = emrctl("serverless", "submit", "--target", "app", "--spec", str(tmp_path / "none.json"))
    assert result.code == cli.EXIT_BAD_SPEC and "cannot read" in result.stderr


def test_the_allowed_keys_are_sparkjobs_fields() -> None:
    assert {"name", "entry_point", "conf", "runtime_role_arn", "executor_memory"} <= set(SPEC_KEYS)


def test_a_good_spec_loads_with_key_positions(tmp_path: Path) -> None:
    spec = load_spec(str(_write(tmp_path, "s.json", GOOD)))
    assert spec.fields == {"name": "etl", "entry_point": "s3://my-data/scripts/etl.py"}
    assert str(spec.error("entry_point", "x")).endswith("s.json:3:3: x")


def test_a_good_spec_still_submits(emrctl: Callable[..., Result], world: dict, tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", GOOD)
    result = emrctl("--json", "serverless", "submit", "--stack", "Emr-default-Serverless", "--spec", str(path))
    assert result.code == 0, result.stderr


def test_a_flag_fixes_what_the_spec_lacks(emrctl: Callable[..., Result], world: dict, tmp_path: Path) -> None:
    # Given a spec without an entry point, When --entry-point is given, Then the job is valid.
    path = _write(tmp_path, "s.json", '{"name": "etl", "executor_memory": "4g"}')
    args = ["--json", "serverless", "submit", "--stack", "Emr-default-Serverless", "--spec", str(path)]
    result = emrctl(*args, "--entry-point", "s3://my-data/scripts/etl.py")
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["serverless", "submit", "--target", "x", "--conf", "novalue"], cli.EXIT_USAGE),
        (["serverless", "submit", "--timeout", "soon"], cli.EXIT_USAGE),
        (["serverless", "launch"], cli.EXIT_USAGE),
        (["--no-such-flag", "serverless", "list"], cli.EXIT_USAGE),
        (["eks", "submit", "--spec"], cli.EXIT_USAGE),
    ],
    ids=["conf-without-equals", "timeout-not-a-number", "unknown-command", "unknown-global-flag", "spec-without-file"],
)
def test_cli_usage_errors_exit_2_without_traceback(emrctl: Callable[..., Result], args: list[str], code: int) -> None:
    result = emrctl(*args)
    assert result.code == code, result.stderr
    assert "Traceback" not in result.stderr


def _boom(*_: Any, **__: Any) -> Any:
    raise RuntimeError("the unexpected\nhappened")


def test_an_unexpected_error_is_one_line_and_exit_9(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(cli, "load_spec", _boom)
    with pytest.raises(SystemExit) as exited:
        cli.main(["serverless", "submit", "--target", "x", "--spec", str(tmp_path / "s.json")])
    assert exited.value.code == cli.EXIT_UNEXPECTED
    err = capsys.readouterr().err
    assert err == "error: unexpected RuntimeError: the unexpected happened (rerun with --debug)\n"


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cli, "load_spec", _boom)
    with pytest.raises(RuntimeError, match="the unexpected"):
        cli.main(["--debug", "serverless", "submit", "--target", "x", "--spec", str(tmp_path / "s.json")])


def test_help_documents_every_exit_code(emrctl: Callable[..., Result]) -> None:
    result = emrctl("--help")
    assert result.code == 0
    codes = sorted(value for name, value in vars(cli).items() if name.startswith("EXIT_"))
    assert codes == list(range(10))
    for code in codes:
        assert re.search(rf"^\s+{code}\s+\S", result.stdout, re.MULTILINE), f"exit code {code} not in --help"
    assert "--debug" in result.stdout
