#!/usr/bin/env python3
"""The reference app: reads ``cdk.json`` context, validates it and instantiates the stacks. No resources here.

Any invalid configuration ends the app with one line, ``error: <message>``, on stderr and exit code 2, never a
traceback: the config loader's ``ConfigError`` and also a ``ValueError``/``TypeError`` that a library construct raises
for a value taken from the configuration.
"""

import sys

from aws_cdk import App

from stacks.app_builder import build_stacks
from stacks.config import load_config

EXIT_INVALID_CONFIG = 2


def main() -> None:
    app = App()
    try:
        name, config = load_config(
            {"environments": app.node.try_get_context("environments"), "env": app.node.try_get_context("env")}
        )
        build_stacks(app, name, config)
    except (ValueError, TypeError) as err:  # ConfigError is a ValueError
        message = " ".join(line.strip() for line in str(err).splitlines() if line.strip())
        print(f"error: {message}", file=sys.stderr)
        sys.exit(EXIT_INVALID_CONFIG)
    app.synth()


if __name__ == "__main__":
    main()
