"""Prints how many examples each property test ran (synthesized / rejected) at the end of the session."""

from __future__ import annotations

from collections import Counter

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    totals: dict[str, Counter[str]] = {}
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "property_examples":
                for construct, outcomes in value.items():
                    totals.setdefault(construct, Counter()).update(outcomes)
    if not totals:
        return
    terminalreporter.section("property examples")
    for construct, outcomes in sorted(totals.items()):
        total = sum(outcomes.values())
        terminalreporter.write_line(
            f"{construct}: {total} examples ({', '.join(f'{n} {k}' for k, n in sorted(outcomes.items()))})"
        )
    terminalreporter.write_line(f"all: {sum(sum(o.values()) for o in totals.values())} examples")
