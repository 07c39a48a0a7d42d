"""The README table of what the default environment costs while no job runs, from the cost report of its templates.

``python -m stacks.cost_table`` synthesizes the default environment into a temporary directory and prints the table
(``emr_constructs.cost.report``); ``--write`` refreshes it in README.md between the ``cost-table`` markers, which a
test keeps equal to the output.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from emr_constructs.cost.report import report_assembly
from stacks.generated import README, default_assembly, marked_block, write_marked_block

BEGIN, END = "<!-- cost-table:begin -->", "<!-- cost-table:end -->"


def table() -> str:
    """The fixed-cost table of the default environment (synthesized offline, as ``make synth`` does)."""
    with default_assembly() as outdir:
        return report_assembly(outdir).summary_table()


def readme_table(text: str) -> str:
    """The table between the markers of ``text`` (README.md)."""
    return marked_block(text, BEGIN, END)


def write_readme(path: Path = README, generated: str | None = None) -> bool:
    """Put the generated table between the markers of ``path``; ``True`` if the file changed."""
    return write_marked_block(path, BEGIN, END, generated or table())


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--write"]:
        print("README.md updated" if write_readme() else "README.md is up to date")
    elif not args:
        print(table())
    else:
        sys.exit("usage: python -m stacks.cost_table [--write]")


if __name__ == "__main__":
    main()
