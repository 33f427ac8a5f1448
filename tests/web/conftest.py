"""A real `rapport serve` application on 127.0.0.1 (port 0) and the system's headless Chromium."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from aiohttp import web

from adapters.app import App, build_app
from adapters.server import build_server
from bot.settings import Settings
from tests.insights.generate import generate
from tests.support import Chat

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(kw_only=True)
class Served:
    app: App
    url: str
    org: object
    ledger: object
    chat: Chat


def app_on_loopback(db, clock, *, org: str) -> tuple[App, socket.socket, str]:
    """An app whose public URL is the address of a socket bound for it on 127.0.0.1 (port 0)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    return build_app(Settings(database_url=db.url, org=org, public_url=url), clock=clock, db=db), sock, url


@asynccontextmanager
async def serving(app: App, sock: socket.socket) -> AsyncIterator[None]:
    """`rapport serve`'s application on `sock` while the block runs."""
    runner = web.AppRunner(build_server(app))
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield
    finally:
        await runner.cleanup()


@pytest.fixture
async def served(db, clock):
    """The generated organisation behind a real aiohttp server whose public URL is its own address."""
    app, sock, url = app_on_loopback(db, clock, org="gen")
    org, ledger = await generate(app, slug="gen", seed=42, now=clock.now())
    chat = Chat(app=app, org="gen", domain="gen.test")
    await chat.open()
    async with serving(app, sock):
        yield Served(app=app, url=url, org=org, ledger=ledger, chat=chat)


@pytest.fixture
async def browser():
    """Chromium from Debian's package, never a downloaded one. Missing, it fails saying what to install
    (`make test` installs it when it runs as root with apt-get)."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the dashboard's browser tests need Debian's chromium package"
            " (sudo apt-get install chromium; `make test` installs it when run as root)."
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()
