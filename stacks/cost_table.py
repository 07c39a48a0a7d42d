"""The README table of what the default environment costs while no job runs, from the cost report of its templates.

``python -m stacks.cost_table`` synthesizes the default environment into a temporary directory and prints the table
(``emr_constructs.cost.report``); ``--write`` refreshes it in README.md between the ``cost-table`` markers, which a
test keeps equal to the output.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from aws_cdk import App

from emr_constructs.cost.report import report_assembly
from stacks.app_builder import build_stacks
from stacks.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BEGIN, END = "<!-- cost-table:begin -->", "<!-- cost-table:end -->"


def table() -> str:
    """The fixed-cost table of the default environment (synthesized offline, as ``make synth`` does)."""
    context = dict(json.loads((ROOT / "cdk.json").read_text())["context"])
    with tempfile.TemporaryDirectory() as outdir:
        app = App(context=context, outdir=outdir)
        name, config = load_config(context)
        build_stacks(app, name, config)
        try:
            app.synth()
        except RuntimeError:  # a compliance finding: the templates are written all the same
            pass
        return report_assembly(Path(outdir)).summary_table()


def readme_table(text: str) -> str:
    """The table between the markers of ``text`` (README.md)."""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n")


def write_readme(path: Path = README, generated: str | None = None) -> bool:
    """Put the generated table between the markers of ``path``; ``True`` if the file changed."""
    text = path.read_text()
    head, rest = text.split(BEGIN, 1)
    new = f"{head}{BEGIN}\n{generated or table()}\n{END}{rest.split(END, 1)[1]}"
    if new != text:
        path.write_text(new)
    return new != text


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
