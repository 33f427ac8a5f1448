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
from adapters.heap import settle_heap
from adapters.logs import FORMATS as LOG_FORMATS
from adapters.logs import configure_logging
from adapters.platforms import PLATFORMS, enabled
from adapters.server import build_server

log = logging.getLogger(__name__)
PLATFORMS_BY_NAME = {row.name: row for row in PLATFORMS}
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
    environ = dict(app.settings.environ)
    if args.socket_mode:
        environ["SLACK_SOCKET_MODE"] = "1"
    for row in PLATFORMS:
        for notice in row.notices(environ, args.host):
            print(notice, file=sys.stderr)
    if args.socket_mode and not PLATFORMS_BY_NAME["slack"].enabled(environ):
        return 2
    if args.workers < 0:
        print(f"--workers is a number of processes, 0 or more, not {args.workers}.", file=sys.stderr)
        return 2
    server = build_server(app, platforms=enabled(app, environ), tick_seconds=args.tick, workers=args.workers)
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
        "--workers",
        type=int,
        default=0,
        help="worker processes that deliver messages and run due work, so that this one only answers "
        "requests (default 0: all in this process)",
    )
    parser.add_argument(
        "--socket-mode",
        action="store_true",
        help="take Slack's events over Socket Mode (SLACK_APP_TOKEN), for a server Slack cannot reach",
    )
    parser.set_defaults(run=serve)
