"""`rapport serve [--host 127.0.0.1] [--port 3000]`: the HTTP server for Slack and Teams, with delivery
and the due-work tick."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import os
import signal
import sys

from aiohttp import web
from dotenv import dotenv_values

from adapters.app import App
from adapters.dingtalk.entry import ENTRY as DINGTALK
from adapters.logs import FORMATS as LOG_FORMATS
from adapters.logs import configure_logging
from adapters.server import build_server, settle_heap, slack_configured
from adapters.teams.settings import TeamsSettings

log = logging.getLogger(__name__)
REQUESTS_GRACE = 4.0  # seconds for requests in flight to be answered once stopping (Slack wants 3)
EXIT_WITHIN = 9.0  # seconds from the signal to the end, whatever still runs (SIGTERM's promise: 10)


async def serve(app: App, args: argparse.Namespace) -> int:
    """Run until SIGTERM or SIGINT; then stop taking requests, answer those in flight, and let the
    delivery workers finish what they hold for a few seconds and hand back the rest, then exit: all
    within `EXIT_WITHIN` seconds, even while Slack or Teams hangs."""
    if app.settings.log_format not in LOG_FORMATS:
        print(f"RAPPORT_LOG_FORMAT is text or json, not {app.settings.log_format!r}.", file=sys.stderr)
        return 2
    configure_logging(log_format=app.settings.log_format)
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
    elif teams.local:
        for warning in teams_local_warnings(args.host):
            print(warning, file=sys.stderr)
    environ = {**{k: v for k, v in dotenv_values(".env").items() if v is not None}, **os.environ}
    for notice in DINGTALK.notices(environ, args.host):
        print(notice, file=sys.stderr)
    server = build_server(
        app, teams=teams, tick_seconds=args.tick, socket_mode=args.socket_mode, environ=environ
    )
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


def teams_local_warnings(host: str) -> list[str]:
    """What to say when `/api/messages` runs without an app id (RAPPORT_TEAMS_LOCAL=1)."""
    warnings = [
        "Warning: RAPPORT_TEAMS_LOCAL=1: /api/messages checks no token. Anyone who can reach it can act "
        "as anyone in the organisation. It is for the Bot Framework Emulator on this machine only."
    ]
    if not is_loopback(host):
        warnings.append(
            f"Warning: --host {host} makes that endpoint reachable from other machines. Leave --host out "
            "(127.0.0.1) unless that is what you want."
        )
    return warnings


def is_loopback(host: str) -> bool:
    """Whether `host` is an address only this machine reaches (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name other than localhost: it may resolve anywhere
        return False


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
