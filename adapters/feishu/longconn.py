"""Feishu's long connection: the same events and card callbacks as `/feishu/events`, over a WebSocket
that `rapport serve` opens to Feishu, so no public URL is needed (FEISHU_LONG_CONNECTION=1).

lark-oapi's `ws.Client` runs its own event loop (a module-level one it takes at import, driven by a
blocking `start()`), and calls the event dispatcher synchronously from it. So it runs in a thread of
its own, with a loop of its own; each event is handed to the server's loop (`FeishuEvents.handle`) and
its answer (a card callback's toast or card) waited for there. The connection's frames are Feishu's
and lark-oapi's; nothing here parses them. Events over the long connection are not signed or
encrypted: the connection itself was opened with the app's secret.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

import lark_oapi as lark
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTrigger,
    P2CardActionTriggerResponse,
)
from lark_oapi.event.custom import CustomizedEvent
from lark_oapi.ws import client as ws_client

from adapters.feishu.events import FeishuEvents
from adapters.feishu.inbound import CHAT_ENTERED, MESSAGE_RECEIVED
from adapters.feishu.settings import FeishuSettings

log = logging.getLogger(__name__)
ANSWER_WITHIN = 10.0  # seconds an event may take in the core before the connection moves on


def _as_dict(data: Any) -> dict[str, Any]:
    return json.loads(lark.JSON.marshal(data) or "{}")


class LongConnection:
    """lark-oapi's long connection in a thread, handing each event to the server's loop."""

    def __init__(self, *, settings: FeishuSettings, events: FeishuEvents) -> None:
        self.settings = settings
        self.events = events
        self._server_loop: asyncio.AbstractEventLoop | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.client: ws_client.Client | None = None

    def _on_event(self, data: CustomizedEvent) -> None:
        self._hand_over(_as_dict(data))

    def _on_card(self, data: P2CardActionTrigger) -> P2CardActionTriggerResponse:
        return P2CardActionTriggerResponse(self._hand_over(_as_dict(data)))

    def _hand_over(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        future = asyncio.run_coroutine_threadsafe(self.events.handle(payload), self._server_loop)
        return future.result(timeout=ANSWER_WITHIN)

    def _dispatcher(self) -> lark.EventDispatcherHandler:
        # Over the long connection lark-oapi checks neither token nor key: the connection is the proof.
        builder = lark.EventDispatcherHandler.builder("", "")
        for kind in (MESSAGE_RECEIVED, CHAT_ENTERED):
            builder = builder.register_p2_customized_event(kind, self._on_event)
        return builder.register_p2_card_action_trigger(self._on_card).build()

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = ws_client.loop = loop  # lark-oapi drives the module's loop
        self.client = ws_client.Client(
            self.settings.app_id,
            self.settings.app_secret,
            event_handler=self._dispatcher(),
            domain=self.settings.domain,
            log_level=lark.LogLevel.WARNING,
        )
        try:
            self.client.start()
        except (RuntimeError, asyncio.CancelledError):  # stopped: the server is stopping
            pass
        except Exception:
            log.exception("Feishu's long connection ended")
        finally:
            loop.close()

    def start(self) -> None:
        self._server_loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._run, name="feishu-long-connection", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Close the connection and stop its loop; wait for the thread to end.

        lark-oapi's client has no way to stop: its tasks (the receiving loop, which would reconnect,
        and the pings) are cancelled, then the socket closed and the loop stopped."""
        loop, client = self._loop, self.client
        if loop is not None and client is not None and not loop.is_closed():

            async def close() -> None:
                tasks = [
                    t
                    for t in asyncio.all_tasks(loop)
                    if t is not asyncio.current_task() and t.get_coro().__name__ != "_select"  # start()'s
                ]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                if client._conn is not None:
                    await client._conn.close()
                loop.stop()

            loop.call_soon_threadsafe(lambda: loop.create_task(close()))
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 5)

    async def run(self, stop: asyncio.Event) -> None:
        """Hold the connection open until `stop` is set."""
        self.start()
        await stop.wait()
        await self.stop()
