#!/usr/bin/env python3
"""The reference app: reads ``cdk.json`` context, validates it and instantiates the stacks. No resources here."""

import sys

from aws_cdk import App

from stacks.app_builder import build_stacks
from stacks.config import ConfigError, load_config


def main() -> None:
    app = App()
    try:
        name, config = load_config(
            {"environments": app.node.try_get_context("environments"), "env": app.node.try_get_context("env")}
        )
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    build_stacks(app, name, config)
    app.synth()


if __name__ == "__main__":
    main()
