"""Blocks of README.md that a generator owns (between two markers), and the offline synth of the default
environment they are generated from. Used by ``stacks.architecture``, ``stacks.cost_table`` and
``stacks.replacement``."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def marked_block(text: str, begin: str, end: str) -> str:
    """The text between the markers ``begin`` and ``end`` of ``text``, without its surrounding newlines."""
    return text.split(begin, 1)[1].split(end, 1)[0].strip("\n")


def write_marked_block(path: Path, begin: str, end: str, generated: str) -> bool:
    """Put ``generated`` between the markers of ``path``; ``True`` if the file changed."""
    text = path.read_text()
    head, rest = text.split(begin, 1)
    new = f"{head}{begin}\n{generated.rstrip(chr(10))}\n{end}{rest.split(end, 1)[1]}"
    if new != text:
        path.write_text(new)
    return new != text


@contextmanager
def default_assembly() -> Iterator[Path]:
    """A cloud assembly of the default environment, synthesized offline with the ``cdk.json`` context (as the tests
    and ``make synth`` do) into a temporary directory that lives as long as the ``with`` block."""
    from aws_cdk import App

    from stacks.app_builder import build_stacks
    from stacks.config import load_config

    context = dict(json.loads((ROOT / "cdk.json").read_text())["context"])
    with tempfile.TemporaryDirectory() as outdir:
        app = App(context=context, outdir=outdir)
        name, config = load_config(context)
        build_stacks(app, name, config)
        try:
            app.synth()
        except RuntimeError:  # a compliance finding: the templates are written all the same
            pass
        yield Path(outdir)
