"""A slash command acts once, even when its signed request is sent again.

Slack gives a slash command no id and never retries one, but a copy of its signed request (the same
body and timestamp) passes verification for five minutes. So a slash command's event id is its
request's timestamp and signature: the core records it in the transaction of the command's effect
(for `/kudos`, in the batch's one insert), and a copy, on any process sharing the database, finds it
there and does nothing.

Once a timestamp is out of the window its requests are refused before they are read, so its ids can
go: `ReplayPruner` deletes them every `PRUNE_EVERY_S` seconds. The timestamp comes first in the id,
so those ids are one range of the processed events' primary key.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence

from adapters.slack.endpoint import WINDOW_SECONDS
from adapters.slack.inbound import PLATFORM
from store import events
from store.db import Database

log = logging.getLogger(__name__)

PREFIX = "slash:"
PRUNE_EVERY_S = 30.0
MARGIN_SECONDS = 60  # for the clocks of the processes sharing the database


def command_id(headers: Mapping[str, Sequence[str]]) -> str | None:
    """The event id of a signed slash command (bolt's lower-cased headers); None when unsigned
    (Socket Mode, where Slack's connection itself is the proof)."""
    timestamp = next(iter(headers.get("x-slack-request-timestamp", ())), "")
    signature = next(iter(headers.get("x-slack-signature", ())), "")
    if not (timestamp.isdigit() and signature.startswith("v0=")):
        return None
    # Ten digits until the year 2286, so the ids sort by their timestamp.
    return f"{PREFIX}{timestamp}:{signature[3:]}"


class ReplayPruner:
    """Deletes the ids of slash commands whose requests can no longer be verified."""

    def __init__(self, *, db: Database, wall_time: Callable[[], float] = time.time) -> None:
        self.db = db
        self.wall_time = wall_time

    async def prune(self) -> int:
        """Delete the expired ids now; how many went."""
        expired = int(self.wall_time()) - WINDOW_SECONDS - MARGIN_SECONDS
        async with self.db.transaction() as session:
            return await events.forget_range(
                session, platform=PLATFORM, low=PREFIX, high=f"{PREFIX}{expired:010d}"
            )

    async def run(self, stop: asyncio.Event) -> None:
        """Prune every `PRUNE_EVERY_S` seconds until `stop` is set."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=PRUNE_EVERY_S)
            except TimeoutError:
                try:
                    await self.prune()
                except Exception:  # the next pass deletes what this one left
                    log.warning("could not prune old slash command ids", exc_info=True)
