"""Sends outbox messages to Teams: DMs and channel posts, proactively, through the CloudAdapter.

The API a delivery worker calls::

    sender = TeamsSender(app=app, settings=teams_settings)      # platform = "teams"
    await sender.send(org_id=1, kind="dm", recipient_id=42, reply=reply)        # a DM to a person
    await sender.send(org_id=1, kind="channel", channel_id="19:...", reply=reply)  # a channel post

`send` returns when Teams accepted the message, or raises:

* `Retry(after_seconds)`: Teams throttled (429) or failed for now (408, 412, 5xx) or could not be
  reached, or refused Rapport's own credentials (401: the operator's to fix, not the message's).
  `after_seconds` is Teams' Retry-After when it gave one, else None (the worker backs off).
* `Unreachable(reason)`: the person cannot be messaged on Teams: they blocked or removed the app (403),
  their conversation is gone (404), or no Teams account is known for them. A refusal is recorded in
  the store, so later messages fail at once without calling Teams, until the person writes again.
* anything else: a permanent failure (a malformed message); the worker marks the row failed.

A DM goes to the person's stored 1:1 conversation (what `continue_conversation` does: `POST
/v3/conversations/{id}/activities`); for someone who never wrote to Rapport but whose Teams id is
known (from the org import), the 1:1 conversation is created first (`POST /v3/conversations`) and
remembered. Sends to one conversation are paced to Teams' limit
of about 7 messages a second per conversation.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp

from adapters.app import App
from adapters.sending import send_parts
from adapters.teams import references
from adapters.teams.bot import message_activities
from adapters.teams.connector import ConnectorError, TeamsConnection, build_adapter
from adapters.teams.references import Reference
from adapters.teams.settings import TeamsSettings
from adapters.teams.translate import PLATFORM
from bot.replies import Reply
from store import reach
from store.outbox import Claimed

CHANNEL_ID = "msteams"
MESSAGES_PER_SECOND = 7.0  # Teams' documented limit per conversation
RETRY_STATUSES = frozenset({401, 408, 412, 429, 500, 502, 503, 504})
UNREACHABLE_STATUSES = frozenset({403, 404})


class Retry(Exception):
    """Try again later: after `after_seconds` when Teams said so, else after the worker's backoff."""

    def __init__(self, after_seconds: float | None = None, reason: str = "") -> None:
        super().__init__(reason or f"retry after {after_seconds} s")
        self.after_seconds = after_seconds


class Unreachable(Exception):
    """The recipient cannot be messaged on Teams; trying again will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds from a Retry-After header (seconds, or an HTTP date compared with `now`), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
    except (TypeError, ValueError):
        return None


class TeamsSender:
    """Delivers one outbox message at a time to Teams. Holds the connector and the pacing, nothing else."""

    platform = "teams"

    def __init__(
        self,
        *,
        app: App,
        settings: TeamsSettings,
        adapter: TeamsConnection | None = None,
        per_second: float = MESSAGES_PER_SECOND,
    ) -> None:
        self.app = app
        self.settings = settings
        connection = adapter or build_adapter(settings, clock=app.clock)
        self.connector = connection.connector
        self.recent = connection.recent
        self._interval = 1.0 / per_second
        self._next_slot: dict[str, float] = {}

    async def send(
        self,
        *,
        org_id: int,
        kind: str,
        reply: Reply,
        recipient_id: int | None = None,
        channel_id: str | None = None,
        message: Claimed | None = None,
    ) -> None:
        """Send `reply` as a DM to person `recipient_id` (kind "dm") or into `channel_id` (kind "channel").

        A reply too long for one card goes as a few messages, in order; given the outbox `message` it
        comes from, a retry sends only those not yet taken (`adapters.sending.send_parts`).
        """
        if kind == "dm":
            target = await self._dm_target(org_id=org_id, person_id=recipient_id)
        else:
            target = await self._channel_target(org_id=org_id, channel_id=channel_id)
        activities = message_activities(reply)

        async def send_one(number: int, activity: dict[str, Any]) -> None:
            nonlocal target
            if not target.conversation_id:
                target = await self._create(org_id, target)
            await self._continue(target, activity, personal=kind == "dm")

        try:
            if message is None:
                for number, activity in enumerate(activities):
                    await send_one(number, activity)
            else:
                await send_parts(self.app.db, message, activities, send_one)
        except ConnectorError as error:
            raise await self._classified(error, org_id=org_id, target=target, kind=kind) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Retry(reason=f"Teams could not be reached: {error!r}") from error

    async def _dm_target(self, *, org_id: int, person_id: int | None) -> Reference:
        async with self.app.db.read() as session:
            user_id, row = await references.for_person(session, org_id=org_id, person_id=person_id or 0)
            if user_id is None:
                raise Unreachable("no Microsoft Teams account is known for this person")
            if row is not None and row.unreachable_reason:
                raise Unreachable(row.unreachable_reason)
            if row is not None and row.conversation_id:
                return _reference(row)
            return await self._new_target(session, org_id=org_id, user_id=user_id)

    async def _channel_target(self, *, org_id: int, channel_id: str | None) -> Reference:
        async with self.app.db.read() as session:
            target = await self._new_target(session, org_id=org_id, user_id="")
        return Reference(
            user_id="", tenant_id=target.tenant_id, service_url=target.service_url, bot_id=target.bot_id,
            conversation_id=channel_id,
        )  # fmt: skip

    async def _new_target(self, session, *, org_id: int, user_id: str) -> Reference:
        """Where to create a conversation: the organisation's latest service URL and bot id."""
        latest = await references.latest_reference(session, org_id=org_id)
        tenant = await reach.workspace_of(session, org_id=org_id, platform=PLATFORM)
        tenant = tenant or (latest.tenant_id if latest else "")
        return Reference(
            user_id=user_id,
            tenant_id=tenant,
            service_url=latest.service_url if latest else self.settings.service_url,
            bot_id=latest.bot_id if latest else f"28:{self.settings.app_id}",
        )

    async def _pace(self, conversation_id: str) -> None:
        """Wait for this conversation's next free slot (Teams allows about 7 messages a second)."""
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next_slot.get(conversation_id, now))
        self._next_slot[conversation_id] = slot + self._interval
        if len(self._next_slot) > 10_000:
            self._next_slot = {k: v for k, v in self._next_slot.items() if v > now}
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _continue(self, target: Reference, message: dict[str, Any], *, personal: bool) -> None:
        await self._pace(target.conversation_id)
        await self.connector.send(
            service_url=target.service_url,
            conversation_id=target.conversation_id,
            activity={**message, **_addressing(target, personal=personal)},
        )

    async def _create(self, org_id: int, target: Reference) -> Reference:
        """Create the 1:1 conversation and remember it."""
        await self._save(org_id, target)  # so that a refusal (403) has a row to be recorded on
        parameters = {
            "isGroup": False,
            "bot": {"id": target.bot_id},
            "members": [{"id": target.user_id}],
            "tenantId": target.tenant_id,
            "channelData": {"tenant": {"id": target.tenant_id}},
        }
        conversation_id = await self.connector.create_conversation(
            service_url=target.service_url, parameters=parameters
        )
        created = Reference(**{**target.__dict__, "conversation_id": conversation_id})
        await self._save(org_id, created)
        return created

    async def _save(self, org_id: int, ref: Reference) -> None:
        self.recent.forget_reference(org_id, ref.user_id)
        async with self.app.db.transaction() as session:
            await references.save_reference(session, org_id=org_id, ref=ref, now=self.app.clock.now())

    async def _classified(
        self, error: ConnectorError, *, org_id: int, target: Reference, kind: str
    ) -> Exception:
        """The exception to raise for a refused call, recording an unreachable person in the store."""
        status = error.status
        if status in RETRY_STATUSES:
            after = retry_after(error.retry_after, now=self.app.clock.now())
            return Retry(after, reason=f"Teams answered {status}")
        if status in UNREACHABLE_STATUSES:
            if kind != "dm":
                return Unreachable(f"Teams refused the post in {target.conversation_id} ({status})")
            reason = f"Teams refused delivery ({status}): the person blocked or removed Rapport"
            async with self.app.db.transaction() as session:
                await references.mark_unreachable(
                    session, org_id=org_id, user_id=target.user_id, reason=reason, now=self.app.clock.now()
                )
            self.recent.forget_reference(org_id, target.user_id)  # so that their next message clears it
            return Unreachable(reason)
        return error


def _addressing(target: Reference, *, personal: bool) -> dict[str, Any]:
    """Who a proactive message is from and to, as `continue_conversation` addresses it."""
    addressing = {
        "channelId": CHANNEL_ID,
        "serviceUrl": target.service_url,
        "conversation": {
            "id": target.conversation_id,
            "tenantId": target.tenant_id,
            "conversationType": "personal" if personal else "channel",
            "isGroup": not personal,
        },
        "from": {"id": target.bot_id},
    }
    if target.user_id:
        addressing["recipient"] = {"id": target.user_id}
    return addressing


def _reference(row) -> Reference:
    return Reference(
        user_id=row.user_id,
        tenant_id=row.tenant_id,
        service_url=row.service_url,
        bot_id=row.bot_id,
        conversation_id=row.conversation_id,
    )
