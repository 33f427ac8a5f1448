"""`rapport shell --as EMAIL`: the console chat."""

from __future__ import annotations

import argparse
import sys

from adapters.app import App
from adapters.console.chat import ConsoleChat
from adapters.console.shell import Shell


async def shell(app: App, args: argparse.Namespace) -> int:
    chat = ConsoleChat(app=app, org=args.org or app.settings.org)
    if not await chat.open():
        print(
            f"No organisation {chat.org!r}. Run `rapport demo-org` or `rapport org import`.", file=sys.stderr
        )
        return 1
    interactive = sys.stdin.isatty()
    console = Shell(app=app, chat=chat, clock=app.clock, out=sys.stdout, echo=not interactive)
    if not await console.become(args.as_email):
        return 1
    await console.run(sys.stdin, interactive=interactive)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("shell", help="chat with Rapport in the terminal")
    parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL", help="who is typing")
    parser.add_argument("--org", help="organisation slug (default: RAPPORT_ORG, or 'demo')")
    parser.set_defaults(run=shell, shifted_clock=True)
