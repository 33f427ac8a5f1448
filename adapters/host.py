"""The `bot.platform.Host` of `rapport serve`: where platforms mount their routes and background work
on the one aiohttp application.

Order, for every platform alike: the start hooks run when the server starts, then the background work
starts (each watched by `/readyz`). When the server stops listening, every background work's `stop`
is set and the stopping hooks run (close a socket: no new requests); once the requests in flight are
answered, the server waits for the background work to finish (the delivery worker's grace), then
runs the stop hooks (close clients).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.operations import watch
from bot.platform import Handler, Hook


class WebHost:
    """One platform's view of the aiohttp application."""

    def __init__(self, web_app: web.Application) -> None:
        self.web_app = web_app
        self.stop = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._work: list[tuple[str, Callable[[asyncio.Event], Awaitable[None]]]] = []
        self._starting: list[Hook] = []
        self._stopping: list[Hook] = []
        self._stopped: list[Hook] = []
        web_app.on_startup.append(self._start)
        web_app.on_shutdown.append(self._stop_listening)
        web_app.on_cleanup.append(self._finish)

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.web_app.router.add_route(method, path, handler)

    def background(self, name: str, work: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        self._work.append((name, work))

    def on_start(self, hook: Hook) -> None:
        self._starting.append(hook)

    def on_stopping(self, hook: Hook) -> None:
        self._stopping.append(hook)

    def on_stop(self, hook: Hook) -> None:
        self._stopped.append(hook)

    async def _start(self, _: web.Application) -> None:
        for hook in self._starting:
            await hook()
        for name, work in self._work:
            task = asyncio.create_task(work(self.stop), name=name)
            self._tasks.append(task)
            watch(self.web_app, name, lambda task=task: not task.done())

    async def _stop_listening(self, _: web.Application) -> None:
        self.stop.set()
        for hook in self._stopping:
            await hook()

    async def _finish(self, _: web.Application) -> None:
        await asyncio.gather(*self._tasks)
        for hook in self._stopped:
            await hook()
