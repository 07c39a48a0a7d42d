"""Two synths of the same configuration produce byte-identical templates and the same assets.

``app.py`` runs twice, as ``cdk synth`` runs it (``CDK_OUTDIR`` and ``CDK_CONTEXT_JSON`` set), in two separate
processes with different hash seeds, so an order that depends on a Python ``set`` or ``dict`` of strings, a time
stamp, a random name or a temporary path in a template or an asset hash shows up as a difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, cdk_context

pytestmark = pytest.mark.xdist_group("deterministic-synth")


def _synth(outdir: Path, seed: str) -> dict[str, bytes]:
    """Run app.py into ``outdir``; return the cloud assembly's files that a deployment uses, by name."""
    env = {
        **os.environ,
        "CDK_OUTDIR": str(outdir),
        "CDK_CONTEXT_JSON": json.dumps(cdk_context()),
        "PYTHONHASHSEED": seed,
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    files = sorted(outdir.glob("*.template.json")) + sorted(outdir.glob("*.assets.json")) + [outdir / "manifest.json"]
    return {path.name: path.read_bytes() for path in files}


@pytest.fixture(scope="module")
def two_synths(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes], list[Path]]:
    first_dir, second_dir = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    return _synth(first_dir, "1"), _synth(second_dir, "2"), [first_dir, second_dir]


def test_templates_are_byte_identical(two_synths: tuple[dict[str, bytes], dict[str, bytes], list[Path]]) -> None:
    first, second, _ = two_synths
    templates = [name for name in first if name.endswith(".template.json")]
    assert len(templates) >= 4  # network + the three runtimes
    assert [n for n in second if n.endswith(".template.json")] == templates
    for name in templates:
        assert first[name] == second[name], f"{name} differs between two synths of the same config"


def test_asset_hashes_and_manifest_are_identical(
    two_synths: tuple[dict[str, bytes], dict[str, bytes], list[Path]],
) -> None:
    first, second, dirs = two_synths
    assets = [name for name in first if name.endswith(".assets.json")]
    assert assets and [n for n in second if n.endswith(".assets.json")] == assets
    for name in [*assets, "manifest.json"]:
        assert first[name] == second[name], f"{name} differs between two synths of the same config"
    staged = [sorted(p.name for p in d.iterdir() if p.name.startswith("asset.")) for d in dirs]
    assert staged[0] and staged[0] == staged[1], "the staged asset directories (named by hash) differ"
