"""``emrctl ... submit --spec FILE``: read a job spec file, and point at the line and column of what is wrong in it.

A spec is a JSON object whose keys are ``SparkJob``'s (``emr_constructs.jobs.SparkJob``). Syntax errors, a top-level
value that is not an object, unknown keys and values of the wrong JSON type are found here, before any AWS call; the
values themselves are checked by ``SparkJob``'s constructor, and ``locate`` finds the key its error names. YAML is
not read: PyYAML is not a dependency of emrctl, so a ``.yaml``/``.yml`` file is refused with a clear message.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import json
import re
import types
import typing
from pathlib import Path
from typing import Any

from emr_constructs.jobs.spec import SparkJob

SPEC_KEYS = tuple(f.name for f in dataclasses.fields(SparkJob))
"""The keys a spec may have: ``SparkJob``'s fields."""
_HINTS = typing.get_type_hints(SparkJob)
_WS = re.compile(r"[ \t\n\r]*")


class SpecError(Exception):
    """A spec file that cannot become a ``SparkJob``: ``file:line:column: what is wrong``."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column = path, line, column


@dataclasses.dataclass(frozen=True)
class Spec:
    """The fields of a spec file and where each top-level key starts (offsets into ``text``)."""

    path: str
    text: str
    fields: dict[str, Any]
    offsets: dict[str, int]

    def error(self, key: str | None, message: str) -> SpecError:
        """A ``SpecError`` at ``key`` (at the top-level object when the key is unknown or ``None``)."""
        line, column = _line_column(self.text, self.offsets.get(key or "", _start(self.text)))
        return SpecError(self.path, line, column, message)

    def locate(self, err: Exception) -> SpecError:
        """``err`` from ``SparkJob(...)`` as a ``SpecError`` at the key its message names (``conf: got ...``)."""
        message = " ".join(str(err).split())
        named = re.match(r"[A-Za-z_]+", message)
        return self.error(named.group(0) if named else None, f"invalid job: {message}")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _start(text: str) -> int:
    match = _WS.match(text)
    return match.end() if match else 0


def _offsets(text: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Where each key of the top-level object starts, and the repeats of a key (which JSON parsers silently resolve
    as last-wins); ``text`` is known to be one valid JSON object."""
    decoder = json.JSONDecoder()
    offsets: dict[str, int] = {}
    repeats: list[tuple[str, int]] = []
    index = _WS.match(text, _start(text) + 1).end()  # type: ignore[union-attr]  # the pattern always matches
    while text[index] == '"':
        key, end = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
        if key in offsets:
            repeats.append((key, index))
        offsets.setdefault(key, index)
        index = _WS.match(text, end).end() + 1  # type: ignore[union-attr]  # past ':'
        _, index = decoder.raw_decode(text, _WS.match(text, index).end())  # type: ignore[union-attr]
        index = _WS.match(text, index).end()  # type: ignore[union-attr]
        if text[index] == ",":
            index = _WS.match(text, index + 1).end()  # type: ignore[union-attr]
        else:
            break
    return offsets, repeats


def _json_type(hint: Any) -> tuple[str, typing.Callable[[Any], bool]]:
    """What JSON value a ``SparkJob`` field takes, and a check of it (``None`` is handled by the caller)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return _json_type(args[0])
    if hint is str:
        return "a string", lambda v: isinstance(v, str)
    if hint is int:
        return "an integer", lambda v: isinstance(v, int) and not isinstance(v, bool)
    if origin is collections.abc.Sequence:
        return "an array of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v)
    if origin is collections.abc.Mapping:
        return "an object of strings", lambda v: isinstance(v, dict) and all(isinstance(i, str) for i in v.values())
    return "a JSON value", lambda v: True


def _nullable(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


def load_spec(path: str) -> Spec:
    """Read and check ``path``; raise ``SpecError`` with its line and column for anything wrong."""
    if path.lower().endswith((".yaml", ".yml")):
        raise SpecError(path, 1, 1, "YAML specs are not supported (emrctl reads JSON); write the spec as JSON")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise SpecError(path, 1, err.start + 1, "not UTF-8 text; a spec is a JSON file") from err
    except OSError as err:
        raise SpecError(path, 1, 1, f"cannot read: {err.strerror or err}") from err
    try:
        fields = json.loads(text)
    except json.JSONDecodeError as err:
        raise SpecError(path, err.lineno, err.colno, f"invalid JSON: {err.msg}") from err
    except RecursionError as err:
        raise SpecError(path, 1, 1, "invalid JSON: nested too deeply") from err
    if not isinstance(fields, dict):
        line, column = _line_column(text, _start(text))
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(fields), "a number")
        raise SpecError(path, line, column, f"the spec must be a JSON object of SparkJob fields, got {kind}")
    offsets, repeats = _offsets(text)
    if repeats:
        key, offset = repeats[0]
        line, column = _line_column(text, offset)
        first = _line_column(text, offsets[key])
        raise SpecError(path, line, column, f"key {key!r} repeats the one at line {first[0]}, column {first[1]}")
    spec = Spec(path, text, fields, offsets)
    for key, value in fields.items():
        if key not in SPEC_KEYS:
            raise spec.error(key, f"unknown key {key!r}; allowed: {', '.join(SPEC_KEYS)}")
        hint = _HINTS[key]
        if value is None and _nullable(hint):
            continue
        kind, check = _json_type(hint)
        if not check(value):
            raise spec.error(key, f"{key}: got {json.dumps(value)}; must be {kind}")
    return spec
