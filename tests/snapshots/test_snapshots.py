"""One masked snapshot per reference stack: any change to a template (logical ids included) shows up in review.

Update after an intended change with ``UPDATE_SNAPSHOTS=1 make test``.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from tests.reference_app import SynthResult, synth_reference_app

SNAPSHOT_DIR = Path(__file__).parent / "__snapshots__"
MASKS = [
    (re.compile(r"[0-9a-f]{64}"), "<ASSET_HASH>"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "<ACCOUNT_ID>"),
]


def mask(template: dict[str, Any]) -> str:
    text = json.dumps(template, indent=1, sort_keys=True)
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text + "\n"


@pytest.fixture(scope="module", params=["default", "prod"])
def synthesized(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return synth_reference_app(tmp_path_factory.mktemp(f"snap-{request.param}"), env=request.param)


def test_every_stack_matches_its_snapshot(synthesized: SynthResult) -> None:
    templates = synthesized.templates()
    assert templates, "the reference app synthesized no stack"
    for name, template in templates.items():
        path = SNAPSHOT_DIR / f"{name}.json"
        actual = mask(template)
        if os.environ.get("UPDATE_SNAPSHOTS") == "1" or (not path.exists() and os.environ.get("CI") != "true"):
            SNAPSHOT_DIR.mkdir(exist_ok=True)
            path.write_text(actual)
        assert path.exists(), f"missing snapshot {path}; run UPDATE_SNAPSHOTS=1 make test"
        assert actual == path.read_text(), f"{name} differs from {path}; review, then UPDATE_SNAPSHOTS=1 make test"


def test_masking_hides_asset_hashes_and_accounts() -> None:
    masked = mask({"a": "0" * 64 + ".zip", "b": "arn:aws:iam::123456789012:root"})
    assert "<ASSET_HASH>.zip" in masked and "<ACCOUNT_ID>" in masked
