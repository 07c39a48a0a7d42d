#!/usr/bin/env python3
"""Synthesis time of the full reference app relative to an empty CDK app, measured in one run.

Each round synthesizes an empty app and the full reference app (``app.py`` with the ``cdk.json`` context, the four
nag packs included) in fresh Python processes, alternating so machine noise hits both alike. Prints the median wall
time of each and their ratio. Usage: ``python benchmarks/synth.py [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMPTY_APP = "import aws_cdk as cdk\napp = cdk.App()\napp.synth()\n"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    base_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_CONTEXT_JSON": json.dumps(context),
    }
    empty, full = [], []
    for round_no in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as out_empty, tempfile.TemporaryDirectory() as out_full:
            empty.append(timed([sys.executable, "-c", EMPTY_APP], {**base_env, "CDK_OUTDIR": out_empty}))
            full.append(timed([sys.executable, "app.py"], {**base_env, "CDK_OUTDIR": out_full}))
        print(f"round {round_no}: empty {empty[-1]:.2f} s, full {full[-1]:.2f} s", file=sys.stderr)
    empty_median, full_median = statistics.median(empty), statistics.median(full)
    print(f"empty app synth median: {empty_median:.2f} s ({args.rounds} rounds)")
    print(f"full reference app synth median: {full_median:.2f} s ({args.rounds} rounds)")
    print(f"ratio full/empty: {full_median / empty_median:.2f}")


if __name__ == "__main__":
    main()
