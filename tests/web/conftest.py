"""A real `rapport serve` application on 127.0.0.1 (port 0) and the system's headless Chromium."""

from __future__ import annotations

import os
import socket
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


@pytest.fixture
async def served(db, clock):
    """The generated organisation behind a real aiohttp server whose public URL is its own address."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = build_app(Settings(database_url=db.url, org="gen", public_url=url), clock=clock, db=db)
    org, ledger = await generate(app, slug="gen", seed=42, now=clock.now())
    chat = Chat(app=app, org="gen", domain="gen.test")
    await chat.open()
    runner = web.AppRunner(build_server(app))
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield Served(app=app, url=url, org=org, ledger=ledger, chat=chat)
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser():
    """Chromium from Debian's package, never a downloaded one. Missing, it fails: CI installs it."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does).")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()
