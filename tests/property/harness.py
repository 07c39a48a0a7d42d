"""The oracle of the property layer: every generated input synthesizes a cfn-lint-clean template, or is rejected at
construct time with the library's error (``ValueError``/``TypeError``) naming the prop.

Generated values carry what the library must do with them (``V.bad``): ``True`` must be rejected, ``False`` must be
accepted, ``None`` depends on the other props (e.g. ``minimum_units`` against ``maximum_units``). An error must name
one of the props that were not known good; anything else (another exception, a finding of cfn-lint, an accepted bad
value) is a bug.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import yaml
from cfnlint.api import ManualArgs, lint
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import new_app

ROOT = Path(__file__).resolve().parents[2]
IGNORE_CHECKS = yaml.safe_load((ROOT / ".cfnlintrc.yaml").read_text())["ignore_checks"]
LINT_ARGS = ManualArgs(ignore_checks=IGNORE_CHECKS, regions=["us-east-1"])
# Non-ASCII digits: str.isdigit() and int() accept them, CloudFormation and Kubernetes do not.
ARABIC_INDIC_FOUR = "\u0664"
FULLWIDTH_EIGHT = "\uff18"


def bounded(max_examples: int) -> Callable[[Any], Any]:
    """Deterministic and bounded: jsii synthesis costs ~0.3-1 s per example."""
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@dataclass(frozen=True)
class V:
    """A generated value and the verdict it must get: bad (True), good (False) or depending on others (None)."""

    value: Any
    bad: bool | None


def mix(valid: st.SearchStrategy[V], *others: st.SearchStrategy[V], valid_in_ten: int = 9) -> st.SearchStrategy[V]:
    """``valid`` in ``valid_in_ten`` draws out of ten, else one of ``others``: with several props per example, a
    uniform mix would almost never build a valid construct."""
    rest = st.one_of(*others)
    return st.integers(0, 9).flatmap(lambda i: valid if i < valid_in_ten else rest)


def good(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[V]:
    return strategy.map(lambda v: V(v, False))


def bad(*values: Any) -> st.SearchStrategy[V]:
    return st.sampled_from(values).map(lambda v: V(v, True))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[V]:
    return strategy.map(lambda v: V(v, None))


def wrong_types(*extra: Any) -> st.SearchStrategy[V]:
    """Values of the wrong type for an int prop (strings of digits, with whitespace, non-ASCII digits, floats)."""
    return bad("2", " 2", "2 ", ARABIC_INDIC_FOUR, 2.5, *extra)


def names_prop(message: str, props: list[str]) -> bool:
    """The message names one of ``props``: it contains the path, starts with a path that leads to one, or (a value
    object's own check, e.g. ``count: got '1' (str)``) starts with the path's last part."""
    head = message.split(":", 1)[0].strip()
    return any(p in message or (head and (p.startswith(head) or p.endswith("." + head))) for p in props)


class Harness:
    """Each example gets a fresh Stack in a fresh App: aws-cdk-lib refuses to add a stack to an App it has already
    synthesized (ConstructTreeModifiedAfterSynth), and ``Template.from_stack`` synthesizes the whole App."""

    def __init__(self, construct: str) -> None:
        self.construct = construct
        self._ids = itertools.count()
        self.outcomes: Counter[str] = Counter()

    def check(self, props: Mapping[str, V], build: Callable[[cdk.Stack], object]) -> dict[str, Any] | None:
        """Build with ``props``; return the synthesized template, or ``None`` if the library rejected the input."""
        return self._check(cdk.Stack(new_app(), f"P{next(self._ids)}"), props, build)

    def _check(
        self, stack: cdk.Stack, props: Mapping[str, V], build: Callable[[cdk.Stack], object]
    ) -> dict[str, Any] | None:
        shown = {k: v.value for k, v in props.items()}
        try:
            build(stack)
        except (ValueError, TypeError) as err:
            suspects = [k for k, v in props.items() if v.bad is not False]
            assert names_prop(str(err), suspects), (
                f"{self.construct}: the error names none of {suspects}: {type(err).__name__}: {err} ({shown})"
            )
            self.outcomes["rejected"] += 1
            return None
        accepted = [k for k, v in props.items() if v.bad]
        assert not accepted, f"{self.construct}: accepted invalid {accepted} ({shown})"
        template = cdk.assertions.Template.from_stack(stack).to_json()
        findings = [str(m) for m in lint(json.dumps(template), config=LINT_ARGS)]
        assert findings == [], f"{self.construct}: cfn-lint on {shown}: {findings}"
        self.outcomes["synthesized"] += 1
        return template

    def record(self, record_property: Callable[[str, object], None]) -> None:
        """Report the figures to the summary hook in conftest.py (works across xdist workers)."""
        record_property("property_examples", {self.construct: dict(self.outcomes)})
