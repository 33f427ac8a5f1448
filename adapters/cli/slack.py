"""`rapport slack manifest --url https://example.org`: the Slack app manifest for this deployment."""

from __future__ import annotations

import argparse

from adapters.app import App
from adapters.slack.manifest import PLACEHOLDER_URL, build_manifest, to_yaml


async def manifest(app: App, args: argparse.Namespace) -> int:
    """Print the manifest to paste into api.slack.com/apps → Create New App → From a manifest."""
    commands = app.core.router.commands
    print(to_yaml(build_manifest(url=args.url, commands=commands, t=app.catalogue.messages("en"))), end="")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    slack = sub.add_parser("slack", help="Slack app set-up").add_subparsers(
        dest="slack_command", required=True
    )
    parser = slack.add_parser("manifest", help="print the Slack app manifest with your URLs filled in")
    parser.add_argument("--url", default=PLACEHOLDER_URL, help="the public base URL of `rapport serve`")
    parser.set_defaults(run=manifest, needs_schema=False)
