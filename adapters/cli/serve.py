"""`rapport serve [--host 127.0.0.1] [--port 3000]`: the HTTP server for Slack and Teams, with delivery
and the due-work tick."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from aiohttp import web

from adapters.app import App
from adapters.server import build_server, settle_heap, slack_configured
from adapters.teams.settings import TeamsSettings

log = logging.getLogger(__name__)
REQUESTS_GRACE = 4.0  # seconds for requests in flight to be answered once stopping (Slack wants 3)
EXIT_WITHIN = 9.0  # seconds from the signal to the end, whatever still runs (SIGTERM's promise: 10)


async def serve(app: App, args: argparse.Namespace) -> int:
    """Run until SIGTERM or SIGINT; then stop taking requests, answer those in flight, and let the
    delivery workers finish what they hold for a few seconds and hand back the rest, then exit: all
    within `EXIT_WITHIN` seconds, even while Slack or Teams hangs."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.socket_mode and not slack_configured(app.settings, socket_mode=True):
        print("Socket Mode needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN (xapp-...).", file=sys.stderr)
        return 2
    if not slack_configured(app.settings, socket_mode=args.socket_mode):
        print(
            "Slack is off: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (one workspace) or"
            " SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (any workspace, installed at /slack/install).",
            file=sys.stderr,
        )
    teams = TeamsSettings.from_env()
    if not teams.enabled:
        print(
            "Teams is off: set MICROSOFT_APP_ID (or RAPPORT_TEAMS_LOCAL=1 for the Emulator).", file=sys.stderr
        )
    server = build_server(app, teams=teams, tick_seconds=args.tick, socket_mode=args.socket_mode)
    runner = web.AppRunner(server, handle_signals=False, shutdown_timeout=REQUESTS_GRACE)
    await runner.setup()
    await web.TCPSite(runner, host=args.host, port=args.port).start()
    settle_heap()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    port = runner.addresses[0][1]
    print(f"Rapport is listening on http://{args.host}:{port}", flush=True)
    try:
        await stop.wait()
        log.info("stopping")
    finally:
        try:
            await asyncio.wait_for(runner.cleanup(), timeout=EXIT_WITHIN)
        except TimeoutError:
            log.warning(
                "still stopping after %.0f s: exiting; unmarked messages come back when their leases end",
                EXIT_WITHIN,
            )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "serve", help="run the HTTP server for Slack and Teams (with delivery and the due-work tick)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=3000, help="port to listen on (default 3000; 0 picks one)"
    )
    parser.add_argument(
        "--tick",
        type=float,
        default=5.0,
        help="seconds between runs of due work such as check-in prompts (default 5)",
    )
    parser.add_argument(
        "--socket-mode",
        action="store_true",
        help="take Slack's events over Socket Mode (SLACK_APP_TOKEN), for a server Slack cannot reach",
    )
    parser.set_defaults(run=serve)
