"""One Teams turn: find the organisation, remember the conversation, hand the event to the core, answer.

No product logic lives here: the core decides what to say; this module only translates and renders.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from adapters.app import App
from adapters.teams import references
from adapters.teams import render as cards
from adapters.teams.connector import BotConnector
from adapters.teams.recent import RecentlySeen
from adapters.teams.settings import TeamsSettings
from adapters.teams.translate import PLATFORM, actor_of, reference_of, to_event
from bot.core import UnknownWorkspace
from bot.identity import onboard
from bot.platform import WorkspaceSeen
from bot.replies import Reply
from store import orgs

log = logging.getLogger(__name__)

CARD_RESPONSE_TYPE = "application/vnd.microsoft.card.adaptive"


def message_activities(reply: Reply) -> list[dict[str, Any]]:
    """The messages (activity JSON) carrying the reply's Adaptive Cards, in order (almost always one)."""
    return [_message(card) for card in cards.cards(reply)]


def _message(card: dict[str, Any]) -> dict[str, Any]:
    """A message carrying one card, with the card's plain fallback as the summary notifications show."""
    return {
        "type": ActivityTypes.message,
        "summary": card["fallbackText"],
        "attachments": [{"contentType": cards.CARD_CONTENT_TYPE, "content": card}],
    }


def addressed_reply(activity: Mapping[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """`message` addressed as an answer to `activity`, as botbuilder's `TurnContext` addresses one."""
    return {
        **message,
        "channelId": activity.get("channelId"),
        "serviceUrl": activity.get("serviceUrl"),
        "conversation": activity.get("conversation"),
        "from": activity.get("recipient"),
        "recipient": activity.get("from"),
        "replyToId": activity.get("id"),
        "locale": activity.get("locale"),
    }


def _invoke_response(card: dict[str, Any] | None) -> Activity:
    """The answer to an `adaptiveCard/action` invoke: the reply's card replaces the one acted on."""
    body: dict[str, Any] = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message"}
    if card is not None:
        body = {"statusCode": 200, "type": CARD_RESPONSE_TYPE, "value": card}
    return Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=HTTPStatus.OK, body=body))


class TeamsBot:
    """The Teams side of the seam. Built once per application; holds no per-turn state."""

    def __init__(
        self, *, app: App, settings: TeamsSettings, connector: BotConnector, recent: RecentlySeen
    ) -> None:
        self.app = app
        self.settings = settings
        self.connector = connector
        self.recent = recent
        self.commands = frozenset(app.core.router.commands)

    async def on_turn(self, context: TurnContext, activity: Mapping[str, Any]) -> None:
        """Handle one inbound activity (its JSON as received) inside botbuilder's turn."""
        actor = actor_of(activity)
        if actor is None:
            return
        org_id = await self._org_and_reference(actor.org, activity)
        if org_id is None:
            t = self.app.catalogue.messages(actor.locale)
            await self._answer(
                activity, {"type": ActivityTypes.message, "text": t("teams.not_set_up", tenant=actor.org)}
            )
            return
        event = to_event(activity, commands=self.commands)
        reply = None
        if event is not None:
            try:
                reply = await self.app.core.handle(event)
            except UnknownWorkspace:  # unlinked since we looked it up: say nothing this time
                log.warning("teams tenant %s was unlinked during a turn", actor.org)
                self.recent.forget_tenant(actor.org)
        found = cards.cards(reply) if reply is not None else []
        if activity.get("type") == ActivityTypes.invoke:
            # One card replaces the one acted on; the rest of a long reply follows as messages.
            await context.send_activity(_invoke_response(found[0] if found else None))
            found = found[1:]
        for card in found:
            await self._answer(activity, _message(card))

    async def _answer(self, activity: Mapping[str, Any], message: dict[str, Any]) -> None:
        """Reply in the activity's conversation, through the connector's REST API."""
        await self.connector.send(
            service_url=activity["serviceUrl"],
            conversation_id=activity["conversation"]["id"],
            activity=addressed_reply(activity, message),
            reply_to=activity.get("id"),
        )

    async def _org_and_reference(self, tenant: str, activity: Mapping[str, Any]) -> int | None:
        """The tenant's organisation (None when it has none), with the sender's reference stored.

        One read finds both, unless this process saw both within the last minute; a write happens only
        on first contact or when the reference changed.
        """
        ref = reference_of(activity)
        known = self.recent.org_of(tenant)
        if known is not None and (ref is None or self.recent.is_current(known, ref)):
            return known
        async with self.app.db.read() as session:
            org = await orgs.for_workspace(session, platform=PLATFORM, external_id=tenant)
            row = (
                await references.reference(session, org_id=org.id, user_id=ref.user_id)
                if org and ref
                else None
            )
        if org is None:
            if tenant != self.settings.home_tenant(tenant):
                return None
            org_id = await self._link_home_tenant(tenant)
        else:
            org_id = org.id
        if ref is not None and not references.is_current(row, ref):
            async with self.app.db.transaction() as session:
                await references.save_reference(session, org_id=org_id, ref=ref, now=self.app.clock.now())
        self.recent.remember(tenant=tenant, org_id=org_id, ref=ref)
        return org_id

    async def _link_home_tenant(self, tenant: str) -> int:
        seen = WorkspaceSeen(
            platform=PLATFORM,
            external_id=tenant,
            org_slug=self.settings.org,
            org_name=self.settings.org.title(),
        )
        return await onboard(self.app.db, seen=seen, clock=self.app.clock)
