"""Docstrings name real parameters: every ``:param x:`` of a public class, function or method names a parameter of
its signature (a class docstring documents ``__init__``; dataclass fields count).

A renamed or removed prop whose docstring line stayed behind misleads every reader of the API; this walks the whole
library instead of a hand-kept list.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import emr_constructs

PACKAGE_DIR = Path(emr_constructs.__file__).parent
PARAM = re.compile(r":param\s+(?:[^:\s]+\s+)*?\*{0,2}(\w+)\s*:")


def _public_modules() -> Iterator[Any]:
    yield emr_constructs
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], "emr_constructs."):
        if not any(part.startswith("_") for part in info.name.split(".")[1:]):
            yield importlib.import_module(info.name)


def _parameters(func: Callable[..., Any]) -> set[str]:
    try:
        return set(inspect.signature(func).parameters)
    except (TypeError, ValueError):  # a builtin without a signature
        return set()


def _documented() -> Iterator[tuple[str, str, set[str]]]:
    """(qualified name, docstring, parameter names) for every public class, function and method of the library."""
    seen: set[int] = set()
    for module in _public_modules():
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__ or id(value) in seen:
                continue
            seen.add(id(value))
            where = f"{module.__name__}.{name}"
            if inspect.isfunction(value):
                yield where, value.__doc__ or "", _parameters(value)
            elif inspect.isclass(value):
                init_params = _parameters(value.__init__) if "__init__" in vars(value) else _parameters(value)
                if dataclasses.is_dataclass(value):
                    init_params |= {f.name for f in dataclasses.fields(value)}
                yield where, vars(value).get("__doc__") or "", init_params
                for attr, member in vars(value).items():
                    if attr.startswith("_") and attr != "__init__":
                        continue
                    func = member.__func__ if isinstance(member, staticmethod | classmethod) else member
                    if isinstance(member, property):
                        func = member.fget
                    if inspect.isfunction(func):
                        yield f"{where}.{attr}", func.__doc__ or "", _parameters(func)


DOCUMENTED = list(_documented())


def test_the_walk_sees_props_and_methods() -> None:
    names = {where for where, _, _ in DOCUMENTED}
    assert "emr_constructs.cluster.cluster.EmrCluster" in names
    assert any(where.startswith("emr_constructs.cluster.cluster.EmrCluster.") for where in names)
    assert sum(1 for _, doc, _ in DOCUMENTED if PARAM.search(doc)) > 20


def test_the_pattern_reads_sphinx_fields() -> None:
    doc = ":param name: the name. :param str label: typed. :param **kwargs: rest.\n    :param   vpc : spaced"
    assert PARAM.findall(doc) == ["name", "label", "kwargs", "vpc"]


@pytest.mark.parametrize(("where", "doc", "params"), DOCUMENTED, ids=[where for where, _, _ in DOCUMENTED])
def test_every_param_field_names_a_real_parameter(where: str, doc: str, params: set[str]) -> None:
    unknown = sorted(set(PARAM.findall(doc)) - params)
    assert not unknown, f"{where} documents {unknown}, which are not parameters of {sorted(params - {'self'})}"
