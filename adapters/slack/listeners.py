"""slack-bolt wired to the core: every verified request becomes one event, every reply one ack.

Bolt runs with `process_before_response=True`: the core handles the event before the HTTP response
goes back, so the ack carries the reply (about 0.5 ms of overhead, against about 12 ms of polling on
bolt's default path, measured for issue 3). Nothing here calls the Web API: answers to events and
button presses, which Slack does not show from an ack, go through the outbox like any other message,
written in the turn's own transaction (`Core.handle`'s `queue_reply`).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.inbound import input_blocks, is_slash_command, team_of, to_event
from adapters.slack.profiles import ProfileFiller
from adapters.slack.render import messages
from adapters.slack.replay import command_id
from adapters.slack.workspaces import Workspaces
from bot.clock import Clock
from bot.core import PRIVATELY, Core, QueueReply, UnknownWorkspace
from bot.events import Command, Event
from bot.i18n import Catalogue
from bot.replies import Reply
from store.db import Database

log = logging.getLogger(__name__)

# The Events API types Rapport acts on; the manifest subscribes to exactly these (message as message.im).
LISTENED_EVENTS = ("app_home_opened", "app_mention", "message")
# The events that end an installation; Slack sends them once the token no longer works.
UNINSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")
# A member's profile changed (name, time zone); needs only users:read, which Rapport has.
PROFILE_EVENTS = ("user_change",)


class SlackListeners:
    """The listener bolt calls for every kind of request Rapport subscribes to."""

    def __init__(
        self,
        *,
        core: Core,
        db: Database,
        clock: Clock,
        catalogue: Catalogue,
        workspaces: Workspaces,
        profiles: ProfileFiller,
    ) -> None:
        self.core = core
        self.db = db
        self.clock = clock
        self.catalogue = catalogue
        self.workspaces = workspaces
        self.profiles = profiles
        self.commands = frozenset(core.router.commands)

    async def on_request(
        self, body: dict[str, Any], ack: AsyncAck, context: AsyncBoltContext, request: AsyncBoltRequest
    ) -> None:
        """Translate, hand to the core, ack with the reply (slash commands) or queue it (the rest)."""
        event = _translate(body, bot_user_id=context.bot_user_id, commands=self.commands)
        if event is None:
            await ack()
            return
        slash = is_slash_command(body)
        if not context.bot_token:  # not installed, or uninstalled: say so where Slack shows it
            if slash:
                t = self.catalogue.messages(event.actor.locale)
                await ack(response_type="ephemeral", **messages(Reply.text(t("slack.not_installed")))[0])
            else:
                await ack()
            return
        if slash:  # the ack answers; a replayed request (the same signature) is not acted on again
            await self._answer_command(replace(event, event_id=command_id(request.headers)), ack)
            return
        # Slack shows nothing from the ack of an event or a button: the answer is queued with the
        # turn. A modal's invalid input is the exception: it is shown beside the input, not queued.
        submitted = body.get("type") == "view_submission"
        reply = await self._handle(event, queue_reply=lambda reply: not (submitted and reply.error))
        if submitted and reply is not None and reply.error:
            await ack(**_form_errors(body, reply))  # the modal stays open, the error beside its input
            return
        await ack()

    async def on_uninstall(self, body: dict[str, Any], ack: AsyncAck) -> None:
        """`app_uninstalled`, or `tokens_revoked` naming the bot: the installation and its token go."""
        event = body["event"]
        tokens = event.get("tokens")
        if event["type"] == "app_uninstalled" or (isinstance(tokens, dict) and tokens.get("bot")):
            await self.workspaces.uninstall(enterprise_id=body.get("enterprise_id"), team_id=team_of(body))
        await ack()

    async def on_user_change(self, body: dict[str, Any], ack: AsyncAck) -> None:
        """`user_change`: someone's Slack profile changed; the user object comes with the event, so
        no Web API call is made. Applying the same profile twice changes nothing, so a retry is harmless."""
        user = body["event"].get("user")
        if isinstance(user, dict):
            await self.profiles.refresh(team_id=user.get("team_id") or team_of(body), user=user)
        await ack()

    async def ignore(self, ack: AsyncAck) -> None:
        """Events Rapport is subscribed to but has nothing to say about."""
        await ack()

    async def _handle(self, event: Event, queue_reply: QueueReply | None = None) -> Reply | None:
        try:
            return await self.core.handle(event, queue_reply=queue_reply)
        except UnknownWorkspace:
            if await self.workspaces.adopt(event.actor.org):
                try:
                    return await self.core.handle(event, queue_reply=queue_reply)
                except UnknownWorkspace:
                    pass
            log.warning("request from a workspace with no organisation: %s", event.actor.org)
            return Reply.text(self.catalogue.messages(event.actor.locale)("slack.not_installed"))

    async def _answer_command(self, event: Command, ack: AsyncAck) -> None:
        """Ack a slash command with its reply, shown only to the person who typed it. An ack carries
        one message, so a reply too long for one (a digest) goes to them as direct messages instead,
        queued with the turn, and the ack says so."""
        rendered: list[tuple[Reply, list[dict[str, Any]]]] = []

        def too_long(reply: Reply) -> bool | str:
            rendered.append((reply, messages(reply)))
            return PRIVATELY if len(rendered[-1][1]) > 1 else False

        # Batched commands (kudos) queue nothing: their replies are a line or two.
        batched = self.core.router.batched(event.name) is not None
        reply = await self._handle(event, queue_reply=None if batched else too_long)
        if reply is None:
            await ack()
            return
        pages = next((pages for shown, pages in rendered if shown is reply), None) or messages(reply)
        if len(pages) > 1 and not batched:
            reply = Reply.text(self.catalogue.messages(event.actor.locale)("slack.sent_privately"))
            pages = messages(reply)
        elif len(pages) > 1:
            log.error("the reply to /%s needs %d messages; its ack shows the first", event.name, len(pages))
        await ack(response_type="ephemeral", **pages[0])


class MalformedPayload(Exception):
    """A verified request whose fields are not what Slack sends (answered 400, never acted on)."""


def _translate(body: dict[str, Any], *, bot_user_id: str | None, commands: frozenset[str]) -> Event | None:
    """`to_event`, with a field of the wrong kind (a number for a text, a list for an object)
    reported as the malformed request it is rather than as a failure of Rapport's."""
    try:
        return to_event(body, bot_user_id=bot_user_id, commands=commands)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise MalformedPayload(f"{type(error).__name__}: {error}") from error


async def on_listener_error(error: Exception, body: dict[str, Any]) -> BoltResponse | None:
    """Bolt's error handler: 400 for a malformed request; anything else is logged and stays a 500."""
    if isinstance(error, MalformedPayload):
        log.info("malformed Slack request refused (%s)", error)
        return BoltResponse(status=400, body={"error": "malformed request"})
    log.error("a Slack listener failed on a %s request", body.get("type") or "command", exc_info=error)
    return None


def _form_errors(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """`response_action: errors` for a modal: the message under the input it names (else the first)."""
    blocks = input_blocks(body)
    block_id = blocks.get(reply.field) or next(iter(blocks.values()), None)
    if block_id is None:  # a view with no inputs: nothing to show the error beside
        return {}
    return {"response_action": "errors", "errors": {block_id: reply.plain_text()}}


class WorkspaceAuthorize(AsyncAuthorize):
    """Bolt's authorize step, answered by Rapport's workspaces (a class, so that it can stand beside
    an OAuth flow, which a plain authorize function may not)."""

    def __init__(self, workspaces: Workspaces) -> None:
        super().__init__()
        self.workspaces = workspaces

    async def __call__(
        self, *, context: Any, enterprise_id: str | None, team_id: str | None, user_id: str | None, **_: Any
    ) -> AuthorizeResult | None:
        return await self.workspaces.authorize(enterprise_id, team_id)


def build_bolt_app(
    *,
    listeners: SlackListeners,
    signing_secret: str,
    workspaces: Workspaces,
    client: AsyncWebClient,
    oauth_flow: AsyncOAuthFlow | None = None,
) -> AsyncApp:
    """A slack-bolt app that verifies every request and routes each to `listeners`.

    Bolt answers the first listener that matches, so the catch-all comes last: events Rapport does
    not act on are acknowledged, never left to a 404 that Slack would retry.
    """
    bolt = AsyncApp(
        name="rapport",
        signing_secret=signing_secret,
        request_verification_enabled=False,  # SlackEndpoint verifies each request before it is read
        authorize=WorkspaceAuthorize(workspaces),
        oauth_flow=oauth_flow,
        oauth_settings=oauth_flow.settings if oauth_flow else None,
        client=client,
        process_before_response=True,
    )
    anything = re.compile(".*")
    bolt.command(re.compile("^/"))(listeners.on_request)
    for event_type in LISTENED_EVENTS:
        bolt.event(event_type)(listeners.on_request)
    for event_type in UNINSTALL_EVENTS:
        bolt.event(event_type)(listeners.on_uninstall)
    for event_type in PROFILE_EVENTS:
        bolt.event(event_type)(listeners.on_user_change)
    bolt.event(anything)(listeners.ignore)
    bolt.action(anything)(listeners.on_request)
    bolt.view(anything)(listeners.on_request)
    bolt.error(on_listener_error)
    return bolt
