"""Sends outbox messages to Slack: DMs and channel posts (`chat.postMessage`) and App Home views
(`views.publish`). A DM goes to the user's id until Slack has told Rapport its channel id;
`conversations.open` is called only when the channel is needed first (to read it, or upload a file).

A DM to someone imported by email whom Rapport has not met on Slack finds them by email first.

Each message carries its outbox id as Slack message metadata. A message on its second or later
attempt may already have gone out (the worker can die between the send and the mark), so before
sending it again the sender looks for that id in the conversation's recent history. A reply too
long for one Slack message goes as a few, in order; each carries its part number too, and a retry
sends only the parts not found there (nor recorded on the row, `adapters.sending.send_parts`).

The worker hands each claimed batch to `prepare` first: every recipient's target is read in a few
queries for the whole batch, and each workspace's client found once, instead of per message.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass
from typing import Any

import aiohttp
import orjson
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.delivery import SendError
from adapters.sending import send_parts
from adapters.slack.inbound import PLATFORM
from adapters.slack.render import home_view, messages
from adapters.slack.workspaces import Workspaces
from bot.i18n import Catalogue
from bot.replies import File, Reply
from store import profiles, reach
from store.db import Database
from store.outbox import Claimed

METADATA_EVENT = "rapport_outbox"
HISTORY_LIMIT = 100
JSON_CONTENT_TYPE = "application/json;charset=utf-8"
PREPARED_KEPT = 3  # batches whose targets are kept (the worker has up to two in hand, plus stragglers)
DM_CHANNELS_KEPT = 20_000  # DM channel ids remembered (a DM channel id never changes)
# Slack errors worth another try: the passing ones, and those only an operator can put right for
# every message at once (a revoked token, a missing scope), after which the message still goes, if it
# is still useful. Every other `ok: false` is about the message or where it goes (channel_not_found,
# user_not_found, not_in_channel, is_archived, invalid_blocks...) and will fail the same way again.
PASSING = frozenset(
    {
        "ratelimited",
        "accesslimited",
        "internal_error",
        "fatal_error",
        "request_timeout",
        "service_unavailable",
        "team_added_to_org",
        "message_limit_exceeded",
    }
)
OPERATOR = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
        "org_login_required",
        "ekm_access_denied",
        "access_denied",
        "team_access_not_granted",
        "two_factor_setup_required",
        "enterprise_is_restricted",
    }
)


@dataclass(frozen=True, kw_only=True)
class _Prepared:
    targets: dict[tuple[int, int | None], reach.Target]
    clients: dict[str, AsyncWebClient | None]


class SlackSender:
    """The delivery worker's Slack side; one instance serves every workspace."""

    def __init__(self, *, db: Database, workspaces: Workspaces, catalogue: Catalogue) -> None:
        self.db = db
        self.workspaces = workspaces
        self.catalogue = catalogue
        self._dm_channels: OrderedDict[tuple[str, str], str] = OrderedDict()
        # The last batches' targets and clients: the worker sends one batch while it claims the next
        self._prepared: deque[_Prepared] = deque(maxlen=PREPARED_KEPT)

    async def prepare(self, messages: list[Claimed]) -> None:
        """Read the targets of a whole batch at once (one read, a few queries per organisation); what
        `send` finds here it does not ask the database for again. Kept until two more batches came."""
        wanted: dict[int, set[int | None]] = {}
        for message in messages:
            wanted.setdefault(message.org_id, set()).add(_person(message))
        targets: dict[tuple[int, int | None], reach.Target] = {}
        async with self.db.read() as session:
            for org_id, person_ids in wanted.items():
                found = await reach.delivery_targets(
                    session, org_id=org_id, person_ids=person_ids, platform=PLATFORM
                )
                targets.update({(org_id, pid): target for pid, target in found.items()})
        teams = {target.workspace for target in targets.values() if target.workspace is not None}
        clients = {team: await self.workspaces.client(team) for team in teams}
        self._prepared.append(_Prepared(targets=targets, clients=clients))

    async def send(self, message: Claimed) -> None:
        """Send one message, or raise SendError saying whether to retry."""
        key = (message.org_id, _person(message))
        for prepared in reversed(self._prepared):
            if (target := prepared.targets.get(key)) is not None:
                break
        else:
            prepared = target = None
        if target is None:
            async with self.db.read() as session:
                target = await reach.delivery_target(
                    session, org_id=message.org_id, person_id=_person(message), platform=PLATFORM
                )
        if target.workspace is None:
            raise SendError("the organisation has no Slack workspace", permanent=True)
        if prepared and target.workspace in prepared.clients:
            client = prepared.clients[target.workspace]
        else:
            client = await self.workspaces.client(target.workspace)
        if client is None:  # uninstalled: its messages wait for a reinstall while they are useful
            raise SendError(f"Rapport is not installed in workspace {target.workspace}")
        try:
            await self._send(client, message, target)
        except SlackApiError as error:
            raise _send_error(error) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise SendError(f"{type(error).__name__}: {error}".rstrip(": ")) from error

    async def _send(self, client: AsyncWebClient, message: Claimed, target: reach.Target) -> None:
        if message.kind == "home":
            await self._publish_home(client, message, target)
            return
        reply = Reply.from_dict(message.payload)
        files = [part for part in reply.parts if isinstance(part, File)]
        learn: tuple[str, str] | None = None  # a DM channel to learn from Slack's answer
        if message.kind == "dm":
            user_id = target.user_id or await self._look_up(client, message=message, target=target)
            key = (target.workspace, user_id)
            channel = self._known_dm_channel(key)
            if channel is None and (files or message.attempts > 1):
                channel = await self._dm_channel(client, key=key)
            elif channel is None:
                # Slack posts a message sent to a user's id in the app's DM with them, and answers
                # with that channel: one call instead of conversations.open first.
                channel, learn = user_id, key
        else:
            channel = message.channel_id
        gone_out = (
            await self._already_sent(client, channel=channel, message=message) if message.attempts > 1 else ()
        )

        async def post(number: int, body: dict[str, Any]) -> None:
            # Files go with the first part, before it: a crash before that message (the marker a
            # retry looks for) can repeat a file but never lose one.
            for part in files if number == 0 else ():
                await client.files_upload_v2(
                    channel=channel, filename=part.name, title=part.name, content=part.content
                )
            body["channel"] = channel
            body["metadata"] = _metadata(message.id, number)
            # api_call, not chat_postMessage: the body is already what Slack takes (plain dicts, a
            # text fallback always there), and the method's argument handling was 7.5 of a send's
            # 230 us. Encoded here with orjson: the standard library's encoder took 20 us of a
            # prompt's send.
            response = await client.api_call(
                "chat.postMessage", data=orjson.dumps(body), headers={"Content-Type": JSON_CONTENT_TYPE}
            )
            if learn and number == 0:
                self._remember_dm_channel(learn, response["channel"])

        await send_parts(self.db, message, messages(reply), post, gone_out=gone_out)

    async def _publish_home(self, client: AsyncWebClient, message: Claimed, target: reach.Target) -> None:
        """The person's App Home (up to 100 blocks). Publishing again only replaces the view, so a
        retry after a crash needs no check that the first attempt went through."""
        user_id = target.user_id or await self._look_up(client, message=message, target=target)
        blocks = home_view(Reply.from_dict(message.payload), t=self.catalogue.messages(target.locale))
        await client.views_publish(user_id=user_id, view={"type": "home", "blocks": blocks})

    async def _look_up(self, client: AsyncWebClient, *, message: Claimed, target: reach.Target) -> str:
        """A recipient imported by email and not yet seen on Slack: find them by that email
        (`users.lookupByEmail`), and remember who they are."""
        if not target.email:
            raise SendError("the recipient has no Slack account and no email to find one", permanent=True)
        try:
            response = await client.users_lookupByEmail(email=target.email)
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                raise SendError(f"no Slack user has the email {target.email}", permanent=True) from error
            raise
        user_id = response["user"]["id"]
        async with self.db.transaction() as session:
            await profiles.claim_identity(
                session,
                org_id=message.org_id,
                person_id=message.recipient_id,
                platform=PLATFORM,
                user_id=user_id,
            )
        return user_id

    def _known_dm_channel(self, key: tuple[str, str]) -> str | None:
        channel = self._dm_channels.get(key)
        if channel is not None:
            self._dm_channels.move_to_end(key)
        return channel

    def _remember_dm_channel(self, key: tuple[str, str], channel: str) -> None:
        self._dm_channels[key] = channel
        if len(self._dm_channels) > DM_CHANNELS_KEPT:
            self._dm_channels.popitem(last=False)

    async def _dm_channel(self, client: AsyncWebClient, *, key: tuple[str, str]) -> str:
        """The DM channel with a user (`conversations.open`), for reading its history or uploading a file."""
        response = await client.conversations_open(users=key[1])
        self._remember_dm_channel(key, channel := response["channel"]["id"])
        return channel

    async def _already_sent(self, client: AsyncWebClient, *, channel: str, message: Claimed) -> set[int]:
        """The parts of this outbox message found in the conversation's recent history (a message
        sent whole is part 0)."""
        oldest = f"{message.created_at.timestamp() - 60:.6f}"
        try:
            response = await client.conversations_history(
                channel=channel, oldest=oldest, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        except SlackApiError as error:
            if message.kind == "dm" or error.response.status_code == 429:
                raise
            # A channel's history needs scopes Rapport does not ask for: send, risking a repeat.
            return set()
        found = (_outbox_part(m) for m in response.get("messages", []))
        return {part for outbox_id, part in found if outbox_id == message.id}


def _person(message: Claimed) -> int | None:
    """Whose Slack identity a message needs: a DM's or Home's recipient; a channel post, nobody's."""
    return message.recipient_id if message.kind in ("dm", "home") else None


def _metadata(outbox_id: int, part: int) -> dict[str, Any]:
    """What a sent message carries: its outbox id, and which part it is of a reply sent as several
    messages (the first names no part)."""
    payload = {"outbox_id": outbox_id, "part": part} if part else {"outbox_id": outbox_id}
    return {"event_type": METADATA_EVENT, "event_payload": payload}


def _outbox_part(message: dict[str, Any]) -> tuple[int | None, int]:
    """The outbox id and part number a message in a conversation's history carries, if any."""
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != METADATA_EVENT:
        return None, 0
    payload = metadata.get("event_payload") or {}
    return payload.get("outbox_id"), payload.get("part") or 0


def _send_error(error: SlackApiError) -> SendError:
    """Whether Slack's refusal is worth another try: a rate limit (after its Retry-After), a server
    error or timeout, an answer that is not Slack's own (a proxy's, with no error code), or a passing
    or operator's error; anything else Slack said is permanent."""
    response = error.response
    status = response.status_code
    code = response.get("error") if isinstance(response.data, dict) else None
    reason = f"HTTP {status}" + (f": {code}" if code else "")
    if status == 429:
        return SendError(reason, retry_after=_seconds(response.headers))
    if status >= 500 or status == 408 or not code or code in PASSING or code in OPERATOR:
        return SendError(reason)
    return SendError(reason, permanent=True)


def _seconds(headers: dict[str, str]) -> float | None:
    """A Retry-After header's seconds (Slack sends whole seconds), or None when missing or unreadable."""
    value = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
